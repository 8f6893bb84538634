#include "services/kms/host_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/ids.h"
#include "services/kms/aes_gcm.h"

namespace services::kms {
namespace {

namespace fs = std::filesystem;

class HostKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("gantry-kms-" + core::ids::random_hex(8));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path file() const { return root_ / "kms" / "host.key"; }
  static mode_t mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return st.st_mode & 0777;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path root_;
};

TEST_F(HostKeyTest, FirstStartCreatesAnOwnerOnlyKeyFile) {
  HostKey::load_or_create(file());
  ASSERT_TRUE(fs::exists(file()));
  EXPECT_EQ(mode_of(file()), 0600u);
  EXPECT_EQ(mode_of(file().parent_path()), 0700u);
  EXPECT_EQ(read(file()).size(), 65u);  // 64 hex digits and a newline
  EXPECT_FALSE(fs::exists(root_ / "kms" / "host.key.tmp"));
}

TEST_F(HostKeyTest, MaterialSealedBeforeARestartOpensAfterIt) {
  std::string material = aes_gcm::random_bytes(32);
  std::string sealed = HostKey::load_or_create(file()).seal(material, "acct/us-east-1/k");
  std::optional<std::string> opened =
      HostKey::load_or_create(file()).unseal(sealed, "acct/us-east-1/k");
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, material);
}

TEST_F(HostKeyTest, SealedMaterialIsBoundToItsKey) {
  HostKey key = HostKey::load_or_create(file());
  std::string sealed = key.seal("material", "acct/us-east-1/a");
  EXPECT_FALSE(key.unseal(sealed, "acct/us-east-1/b"));
  EXPECT_FALSE(key.unseal("not base64 !", "acct/us-east-1/a"));
  EXPECT_FALSE(HostKey::from_bytes(aes_gcm::random_bytes(32)).unseal(sealed, "acct/us-east-1/a"));
}

TEST_F(HostKeyTest, SealedTextHoldsNoMaterial) {
  std::string material = "MATERIAL-MARKER-0123456789abcdef";
  std::string sealed = HostKey::load_or_create(file()).seal(material, "b");
  EXPECT_EQ(sealed.find("MATERIAL-MARKER"), std::string::npos);
}

TEST_F(HostKeyTest, ACorruptKeyFileIsAnErrorNotReplaced) {
  fs::create_directories(file().parent_path());
  std::ofstream(file()) << "not a key\n";
  ::chmod(file().c_str(), 0600);
  EXPECT_THROW(HostKey::load_or_create(file()), std::runtime_error);
  EXPECT_EQ(read(file()), "not a key\n");
}

TEST_F(HostKeyTest, AKeyFileReadableByOthersIsNarrowed) {
  HostKey::load_or_create(file());
  ASSERT_EQ(::chmod(file().c_str(), 0644), 0);
  HostKey::load_or_create(file());
  EXPECT_EQ(mode_of(file()), 0600u);
}

}  // namespace
}  // namespace services::kms

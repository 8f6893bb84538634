#include "runtime/image/layer_unpacker.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <fstream>

#include "core/ids.h"
#include "runtime/image/sha256.h"
#include "runtime/image/test_tar.h"

namespace runtime::image {
namespace {

namespace fs = std::filesystem;
using testing::TestTar;

class LayerUnpackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("gantry-unpack-" + core::ids::random_hex(8));
    fs::create_directories(root_ / "layer");
    fs::create_directories(root_ / "outside");
  }
  void TearDown() override { fs::remove_all(root_); }

  Result<std::string> unpack(const std::string& bytes, UnpackLimits limits = {}) {
    fs::path blob = root_ / "blob";
    std::ofstream(blob, std::ios::binary) << bytes;
    return unpack_layer(blob, root_ / "layer", limits);
  }
  fs::path layer() const { return root_ / "layer"; }
  bool outside_is_empty() const { return fs::is_empty(root_ / "outside"); }

  fs::path root_;
};

TEST_F(LayerUnpackerTest, UnpacksFilesDirectoriesAndLinksAndReturnsTheDiffId) {
  std::string tar = TestTar()
                        .dir("bin")
                        .file("bin/busybox", "ELF", 0755)
                        .hardlink("bin/sh", "bin/busybox")
                        .symlink("bin/ls", "busybox")
                        .file("./etc/passwd", "root:x:0:0::/root:/bin/sh\n")
                        .bytes();
  Result<std::string> diff_id = unpack(tar);
  ASSERT_TRUE(diff_id) << diff_id.error().message;
  EXPECT_EQ(*diff_id, sha256_digest(tar.data(), tar.size()));
  EXPECT_EQ(fs::status(layer() / "bin/busybox").permissions() & fs::perms::owner_exec,
            fs::perms::owner_exec);
  EXPECT_TRUE(fs::equivalent(layer() / "bin/sh", layer() / "bin/busybox"));
  EXPECT_EQ(fs::read_symlink(layer() / "bin/ls"), "busybox");
  EXPECT_TRUE(fs::exists(layer() / "etc/passwd"));
}

TEST_F(LayerUnpackerTest, GzipAndZstdLayersHaveTheDiffIdOfTheirUncompressedTar) {
  auto build = [](TestTar::Compression c) {
    return TestTar(c).file("a", std::string(100000, 'x')).bytes();
  };
  std::string plain = build(TestTar::Compression::None);
  std::string expected = sha256_digest(plain.data(), plain.size());
  for (TestTar::Compression c : {TestTar::Compression::Gzip, TestTar::Compression::Zstd}) {
    fs::remove_all(layer());
    fs::create_directories(layer());
    Result<std::string> diff_id = unpack(build(c));
    ASSERT_TRUE(diff_id) << diff_id.error().message;
    EXPECT_EQ(*diff_id, expected);
    EXPECT_EQ(fs::file_size(layer() / "a"), 100000u);
  }
}

TEST_F(LayerUnpackerTest, TurnsOciWhiteoutsIntoOverlayWhiteouts) {
  Result<std::string> r = unpack(TestTar().dir("etc").file("etc/.wh.motd", "").bytes());
  ASSERT_TRUE(r) << r.error().message;
  struct stat st;
  ASSERT_EQ(::lstat((layer() / "etc/motd").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(0, 0));
  EXPECT_FALSE(fs::exists(layer() / "etc/.wh.motd"));
}

TEST_F(LayerUnpackerTest, MarksOpaqueDirectoriesWithTheOverlayXattr) {
  Result<std::string> r = unpack(TestTar().dir("var").file("var/.wh..wh..opq", "").bytes());
  ASSERT_TRUE(r) << r.error().message;
  char value[4] = {};
  EXPECT_EQ(::getxattr((layer() / "var").c_str(), "trusted.overlay.opaque", value, sizeof value),
            1);
  EXPECT_EQ(value[0], 'y');
  EXPECT_FALSE(fs::exists(layer() / "var/.wh..wh..opq"));
}

TEST_F(LayerUnpackerTest, RejectsDotDotPaths) {
  Result<std::string> r = unpack(TestTar().file("a/../../outside/pwned", "x").bytes());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_layer);
  EXPECT_TRUE(outside_is_empty());
}

TEST_F(LayerUnpackerTest, RejectsAbsolutePaths) {
  std::string target = (root_ / "outside/pwned").string();
  Result<std::string> r = unpack(TestTar().file(target, "x").bytes());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_layer);
  EXPECT_TRUE(outside_is_empty());
}

TEST_F(LayerUnpackerTest, RejectsSymlinksThatClimbAboveTheLayerRoot) {
  Result<std::string> r = unpack(TestTar().dir("a").symlink("a/up", "../../outside").bytes());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_layer);
}

TEST_F(LayerUnpackerTest, KeepsAbsoluteSymlinksSinceTheyResolveInTheContainerRoot) {
  Result<std::string> r = unpack(TestTar().symlink("sh", "/bin/busybox").bytes());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(fs::read_symlink(layer() / "sh"), "/bin/busybox");
}

TEST_F(LayerUnpackerTest, NeverWritesThroughASymlink) {
  std::string outside = (root_ / "outside").string();
  Result<std::string> r =
      unpack(TestTar().symlink("evil", outside).file("evil/pwned", "x").bytes());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_layer);
  EXPECT_TRUE(outside_is_empty());
}

TEST_F(LayerUnpackerTest, NeverReplacesASymlinkTargetWithAFileOutside) {
  std::string outside = (root_ / "outside").string();
  Result<std::string> r =
      unpack(TestTar().symlink("evil", outside + "/f").file("evil", "x").bytes());
  ASSERT_TRUE(r) << r.error().message;  // the symlink itself is replaced, never followed
  EXPECT_TRUE(outside_is_empty());
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(layer() / "evil")));
}

TEST_F(LayerUnpackerTest, RejectsHardLinksToFilesOutsideTheLayer) {
  fs::path secret = root_ / "outside/secret";
  std::ofstream(secret) << "secret";
  for (const std::string& target :
       {secret.string(), std::string("../outside/secret"), std::string("no/such/file")}) {
    fs::remove_all(layer());
    fs::create_directories(layer());
    Result<std::string> r = unpack(TestTar().hardlink("copy", target).bytes());
    ASSERT_FALSE(r) << target;
    EXPECT_EQ(r.error().code, errc::bad_layer) << target;
    EXPECT_FALSE(fs::exists(layer() / "copy")) << target;
  }
}

TEST_F(LayerUnpackerTest, RejectsDeviceNodes) {
  Result<std::string> chr = unpack(TestTar().device("dev/mem", AE_IFCHR, 1, 1).bytes());
  ASSERT_FALSE(chr);
  EXPECT_EQ(chr.error().code, errc::bad_layer);
  Result<std::string> blk = unpack(TestTar().device("dev/sda", AE_IFBLK, 8, 0).bytes());
  ASSERT_FALSE(blk);
  EXPECT_EQ(blk.error().code, errc::bad_layer);
}

TEST_F(LayerUnpackerTest, AcceptsZeroZeroCharacterDevicesAsWhiteouts) {
  Result<std::string> r = unpack(TestTar().device("gone", AE_IFCHR, 0, 0).bytes());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(fs::is_character_file(fs::symlink_status(layer() / "gone")));
}

TEST_F(LayerUnpackerTest, RejectsLayersOverTheSizeLimit) {
  UnpackLimits limits;
  limits.max_layer_bytes = 64 * 1024;
  Result<std::string> r = unpack(
      TestTar(TestTar::Compression::Gzip).file("big", std::string(1 << 20, 'z')).bytes(), limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::layer_too_large) << r.error().message;
}

TEST_F(LayerUnpackerTest, RejectsGarbage) {
  Result<std::string> r = unpack(std::string(5000, '\x07'));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_layer);
}

}  // namespace
}  // namespace runtime::image

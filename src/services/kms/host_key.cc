#include "services/kms/host_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "core/base64.h"
#include "core/check.h"
#include "core/hex.h"
#include "core/log.h"
#include "services/kms/aes_gcm.h"

namespace services::kms {
namespace {

constexpr std::string_view kSealPrefix = "gantry-kms-material/v1|";

[[noreturn]] void fail_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Writes a new key file without a moment of wider permissions: O_EXCL with mode 0600, written and
// synced under a temporary name, then renamed into place (another server racing us loses).
void create_key_file(const std::filesystem::path& file, std::string_view text) {
  std::filesystem::path tmp = file;
  tmp += ".tmp";
  std::filesystem::remove(tmp);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) fail_errno("creating " + tmp.string());
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail_errno("writing " + tmp.string());
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail_errno("syncing " + tmp.string());
  }
  ::close(fd);
  std::filesystem::rename(tmp, file);
}

void narrow_permissions(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) fail_errno("stat " + file.string());
  if ((st.st_mode & 077) != 0) {
    core::log::warn("kms host key was readable by others; narrowing it to 0600",
                    {{"file", file.string()}});
    if (::chmod(file.c_str(), 0600) != 0) fail_errno("chmod " + file.string());
  }
}

}  // namespace

HostKey HostKey::load_or_create(const std::filesystem::path& file) {
  std::filesystem::path dir = file.parent_path();
  if (!std::filesystem::exists(dir)) {
    std::filesystem::create_directories(dir);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
  }
  if (!std::filesystem::exists(file)) {
    std::string key = aes_gcm::random_bytes(aes_gcm::kKeyBytes);
    create_key_file(file, core::hex(key) + "\n");
    core::log::info("kms host key created", {{"file", file.string()}});
    return HostKey(std::move(key));
  }
  narrow_permissions(file);
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  std::optional<std::string> key = core::unhex(line);
  if (!key || key->size() != aes_gcm::kKeyBytes) {
    throw std::runtime_error(file.string() +
                             " is not a KMS host key (64 hex digits); without it no KMS key "
                             "can be read, so it is not replaced");
  }
  return HostKey(std::move(*key));
}

HostKey HostKey::from_bytes(std::string key) {
  CHECK(key.size() == aes_gcm::kKeyBytes) << "host keys are 32 bytes";
  return HostKey(std::move(key));
}

std::string HostKey::seal(std::string_view material, std::string_view binding) const {
  std::string aad(kSealPrefix);
  aad += binding;
  return core::base64_encode(aes_gcm::seal(key_, material, aad));
}

std::optional<std::string> HostKey::unseal(std::string_view sealed,
                                           std::string_view binding) const {
  std::optional<std::string> raw = core::base64_decode(sealed);
  if (!raw) return std::nullopt;
  std::string aad(kSealPrefix);
  aad += binding;
  return aes_gcm::open(key_, *raw, aad);
}

}  // namespace services::kms

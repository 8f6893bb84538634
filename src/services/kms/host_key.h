#pragma once
// The host key: 32 random bytes in <data-dir>/kms/host.key (hex, mode 0600, made on first start)
// that seal every KMS key's material before it reaches SQLite. Whoever has the database but not
// this file has no key material; whoever deletes the file loses every key, as losing an HSM would.
//
// Sealing is AES-256-GCM with a binding string (the key's account, region and id) as additional
// data, so sealed material copied into another key's row does not open. Thread-safe (immutable).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace services::kms {

class HostKey {
 public:
  // Reads `file`, creating it and its directory (mode 0700) when absent. A file of another length
  // or not hex is an error (std::runtime_error), never replaced: that would orphan every key. A
  // file readable by others is narrowed to 0600 with a warning.
  static HostKey load_or_create(const std::filesystem::path& file);
  // A key from 32 bytes, for tests.
  static HostKey from_bytes(std::string key);

  // base64 text of `material` sealed under the host key, bound to `binding`.
  std::string seal(std::string_view material, std::string_view binding) const;
  // The material; nullopt when the text is not base64 or does not open with this key and binding.
  std::optional<std::string> unseal(std::string_view sealed, std::string_view binding) const;

 private:
  explicit HostKey(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace services::kms

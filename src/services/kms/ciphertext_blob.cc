#include "services/kms/ciphertext_blob.h"

#include "core/check.h"
#include "services/kms/aes_gcm.h"

namespace services::kms {
namespace {

void put_length_prefixed(std::string& out, std::string_view s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out.append(s);
}

bool key_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

std::string header(std::string_view key_id) {
  CHECK(!key_id.empty() && key_id.size() <= 255) << "key ids are UUIDs";
  std::string h;
  h.push_back(static_cast<char>(kBlobVersion));
  h.push_back(static_cast<char>(key_id.size()));
  h.append(key_id);
  return h;
}

}  // namespace

std::string canonical_context(const EncryptionContext& context) {
  std::string out;
  for (const auto& [k, v] : context) {  // std::map: sorted by key
    put_length_prefixed(out, k);
    put_length_prefixed(out, v);
  }
  return out;
}

std::string seal_blob(std::string_view key_id, std::string_view material,
                      std::string_view plaintext, const EncryptionContext& context) {
  std::string h = header(key_id);
  std::string sealed = aes_gcm::seal(material, plaintext, h + canonical_context(context));
  return h + sealed;
}

std::optional<ParsedBlob> parse_blob(std::string_view blob) {
  if (blob.size() < 3 || static_cast<uint8_t>(blob[0]) != kBlobVersion) {
    return std::nullopt;
  }
  std::size_t n = static_cast<uint8_t>(blob[1]);
  if (n == 0 || blob.size() < 2 + n + aes_gcm::kOverhead) {
    return std::nullopt;
  }
  std::string_view key_id = blob.substr(2, n);
  for (char c : key_id) {
    if (!key_id_char(c)) {
      return std::nullopt;
    }
  }
  return ParsedBlob{std::string(key_id), std::string(blob.substr(0, 2 + n)),
                    std::string(blob.substr(2 + n))};
}

std::optional<std::string> open_blob(const ParsedBlob& blob, std::string_view material,
                                     const EncryptionContext& context) {
  return aes_gcm::open(material, blob.sealed, blob.header + canonical_context(context));
}

}  // namespace services::kms

#include "services/kms/envelope.h"

#include "core/check.h"
#include "services/kms/aes_gcm.h"

namespace services::kms {

std::string envelope_header(std::string_view key_blob) {
  CHECK(key_blob.size() <= 0xffff) << "a data key's blob is under 300 bytes";
  std::string h;
  h.push_back(static_cast<char>(kEnvelopeVersion));
  h.push_back(static_cast<char>((key_blob.size() >> 8) & 0xff));
  h.push_back(static_cast<char>(key_blob.size() & 0xff));
  h.append(key_blob);
  return h;
}

std::optional<ParsedEnvelope> parse_envelope(std::string_view envelope) {
  if (envelope.size() < 3 || static_cast<uint8_t>(envelope[0]) != kEnvelopeVersion) {
    return std::nullopt;
  }
  std::size_t n = (static_cast<std::size_t>(static_cast<uint8_t>(envelope[1])) << 8) |
                  static_cast<uint8_t>(envelope[2]);
  if (n == 0 || envelope.size() < 3 + n + aes_gcm::kOverhead) {
    return std::nullopt;
  }
  return ParsedEnvelope{std::string(envelope.substr(0, 3 + n)), std::string(envelope.substr(3, n)),
                        std::string(envelope.substr(3 + n))};
}

}  // namespace services::kms

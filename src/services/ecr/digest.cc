#include "services/ecr/digest.h"

namespace services::ecr {

bool is_valid_digest(std::string_view digest) {
  if (digest.size() != 71 || !digest.starts_with("sha256:")) {
    return false;
  }
  for (char c : digest.substr(7)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string sha256_digest(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.digest();
}

}  // namespace services::ecr

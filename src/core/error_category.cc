#include "core/error_category.h"

#include <cstring>

namespace core {

std::string errno_message(int err, const std::string& what) {
  return what + ": " + std::strerror(err);
}

}  // namespace core

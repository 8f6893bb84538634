#include "core/result.h"

#include "core/error_category.h"

namespace core {

Error Error::from_errno(int err, const std::string& what) {
  return Error(std::error_code(err, std::generic_category()), errno_message(err, what));
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::system_error(e.code, e.message);
}

}  // namespace core

#include "runtime/result.h"

#include "core/error_category.h"

namespace runtime {

const std::error_category& runtime_category() {
  static const core::ListedCategory category(
      "runtime", {"image not found", "bad image", "bad layer", "layer too large",
                  "digest mismatch", "container exists", "container not found", "runc failed",
                  "invalid container spec"});
  return category;
}

Error Error::from_errno(int err, const std::string& what) {
  return Error(std::error_code(err, std::generic_category()), core::errno_message(err, what));
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::system_error(e.code, e.message);
}

}  // namespace runtime

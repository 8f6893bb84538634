#include "netplane/result.h"

#include "core/error_category.h"

namespace netplane {

const std::error_category& netplane_category() {
  static const core::ListedCategory category(
      "netplane", {"bad network spec", "not found", "already exists", "netlink request failed",
                   "nftables ruleset rejected", "timed out"});
  return category;
}

Error Error::from_errno(int err, const std::string& what) {
  return Error(std::error_code(err, std::generic_category()), core::errno_message(err, what));
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::system_error(e.code, e.message);
}

}  // namespace netplane

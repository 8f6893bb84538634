#include "netplane/result.h"

#include <cstring>
#include <stdexcept>

namespace netplane {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "netplane"; }
  std::string message(int c) const override {
    switch (static_cast<errc>(c)) {
      case errc::bad_spec:
        return "bad network spec";
      case errc::not_found:
        return "not found";
      case errc::exists:
        return "already exists";
      case errc::netlink_failed:
        return "netlink request failed";
      case errc::nft_failed:
        return "nftables ruleset rejected";
      case errc::timed_out:
        return "timed out";
    }
    return "unknown netplane error";
  }
};

}  // namespace

const std::error_category& netplane_category() {
  static const Category category;
  return category;
}

Error Error::from_errno(int err, const std::string& what) {
  return Error(std::error_code(err, std::generic_category()), what + ": " + std::strerror(err));
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::system_error(e.code, e.message);
}

}  // namespace netplane

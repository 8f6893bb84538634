#include "runtime/result.h"

#include <cstring>
#include <stdexcept>

namespace runtime {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "runtime"; }
  std::string message(int c) const override {
    switch (static_cast<errc>(c)) {
      case errc::image_not_found:
        return "image not found";
      case errc::bad_image:
        return "bad image";
      case errc::bad_layer:
        return "bad layer";
      case errc::layer_too_large:
        return "layer too large";
      case errc::digest_mismatch:
        return "digest mismatch";
      case errc::container_exists:
        return "container exists";
      case errc::container_not_found:
        return "container not found";
      case errc::runc_failed:
        return "runc failed";
      case errc::invalid_spec:
        return "invalid container spec";
    }
    return "unknown runtime error";
  }
};

}  // namespace

const std::error_category& runtime_category() {
  static const Category category;
  return category;
}

Error Error::from_errno(int err, const std::string& what) {
  return Error(std::error_code(err, std::generic_category()), what + ": " + std::strerror(err));
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::system_error(e.code, e.message);
}

}  // namespace runtime

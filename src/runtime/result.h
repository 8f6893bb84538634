#pragma once
// Errors of the container runtime: a system error code (errno, or runtime::errc below) plus a
// message for people. Callers branch on `code`; the ECS controller turns `message` into
// stoppedReason ("CannotPullContainerError: ...").

#include <boost/system/result.hpp>
#include <string>
#include <system_error>
#include <utility>

namespace runtime {

enum class errc {
  image_not_found = 1,  // reference or blob unknown to the ImageSource
  bad_image,            // manifest/config unreadable or unsupported
  bad_layer,            // malicious or corrupt layer (traversal, escape, device, oversize, digest)
  layer_too_large,
  digest_mismatch,
  container_exists,
  container_not_found,
  runc_failed,
  invalid_spec,  // the container definition cannot be run (no command, unknown user, ...)
};

const std::error_category& runtime_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), runtime_category()}; }

struct Error {
  std::error_code code;
  std::string message;

  Error() = default;
  Error(std::error_code c, std::string m) : code(c), message(std::move(m)) {}
  Error(errc c, std::string m) : code(make_error_code(c)), message(std::move(m)) {}
  // From errno: "<what>: <strerror>".
  static Error from_errno(int err, const std::string& what);
};

[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace runtime

template <>
struct std::is_error_code_enum<runtime::errc> : std::true_type {};

#pragma once
// The one Result/Error of the layers below the services (netplane, runtime): a system error code
// (errno, or the subsystem's own errc enum with its category) plus a message for people. Callers
// branch on `code`, never on `message`; the ECS adapters turn `message` into a task's
// stoppedReason.

#include <boost/system/result.hpp>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace core {

struct Error {
  std::error_code code;
  std::string message;

  Error() = default;
  Error(std::error_code c, std::string m) : code(c), message(std::move(m)) {}
  // From a subsystem's errc (netplane::errc, runtime::errc), found through its make_error_code.
  template <class E>
  requires std::is_error_code_enum_v<E> Error(E c, std::string m)
      : code(make_error_code(c)), message(std::move(m)) {}
  // From errno: "<what>: <strerror>".
  static Error from_errno(int err, const std::string& what);
};

// What boost::system::result::value() throws on an error: std::system_error(code, message).
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace core

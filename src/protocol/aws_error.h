#pragma once
// A service error is a value. Handlers return it inside Result<T>; deep helpers may throw it and the
// dispatcher encodes it the same way. Only the protocol encoders know its wire shape.

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>
#include <string>
#include <utility>

namespace protocol {

struct AwsError {
  std::string code;          // wire code: "ClusterNotFoundException", "LoadBalancerNotFound"
  std::string message;       // for people; clients branch on `code`
  int http_status = 400;
  bool sender_fault = true;  // query protocol: <Type>Sender</Type> or Receiver
  boost::json::object fields;  // extra members some errors carry (JSON/CBOR bodies only)

  AwsError() = default;
  AwsError(std::string c, std::string m, int status = 400, bool sender = true)
      : code(std::move(c)), message(std::move(m)), http_status(status), sender_fault(sender) {}
};

template <class T>
using Result = boost::system::result<T, AwsError>;

// Generic errors that every service shares.
namespace errors {
inline AwsError internal(std::string code = "InternalFailure") {
  return {std::move(code), "An internal error occurred.", 500, false};
}
inline AwsError validation(std::string message) {
  return {"ValidationException", std::move(message)};
}
}  // namespace errors

}  // namespace protocol

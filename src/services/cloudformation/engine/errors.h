#pragma once
// CloudFormation answers every template problem with one code, ValidationError (400, Sender),
// and a message that names the problem in CloudFormation's own words ("Template format error:
// ...", "Template error: ..."). The engine's deep helpers throw it; the public entry points
// return it inside protocol::Result.

#include <string>
#include <utility>

#include "protocol/aws_error.h"

namespace services::cloudformation::engine {

inline protocol::AwsError validation_error(std::string message) {
  return {"ValidationError", std::move(message)};
}

[[noreturn]] inline void fail(std::string message) { throw validation_error(std::move(message)); }

// "Template format error: " + what.
[[noreturn]] inline void format_error(const std::string& what) {
  fail("Template format error: " + what);
}

}  // namespace services::cloudformation::engine

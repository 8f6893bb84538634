#pragma once
// Authentication failures in each protocol's words. The same failure is spelled differently by
// different AWS services: a wrong secret is SignatureDoesNotMatch (403) to STS, but
// InvalidSignatureException to ECS and AuthFailure (401) to EC2.

#include <string>

#include "protocol/aws_error.h"
#include "protocol/model.h"

namespace protocol {

enum class AuthProblem {
  MissingToken,       // unsigned request in strict mode
  Incomplete,         // malformed Authorization header
  UnknownKey,         // access key id not known
  SignatureMismatch,  // wrong secret or altered request
  SignatureExpired,   // X-Amz-Date too old, or presigned URL past X-Amz-Expires
  NotYetValid,        // X-Amz-Date too far in the future
  InvalidToken,       // session token does not match the temporary credentials
  ExpiredToken,       // temporary credentials past their expiry
};

AwsError auth_error(AuthProblem problem, Protocol protocol, std::string message = {});

}  // namespace protocol

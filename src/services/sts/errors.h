#pragma once
// STS errors as the service sends them (query protocol codes from the botocore model).

#include <string>

#include "protocol/aws_error.h"

namespace services::sts::errors {

inline protocol::AwsError validation(std::string m) {
  return {"ValidationError", std::move(m)};
}
inline protocol::AwsError access_denied(std::string m) {
  return {"AccessDenied", std::move(m), 403};
}

}  // namespace services::sts::errors

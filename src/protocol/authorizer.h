#pragma once
// The API plane's hook for IAM: in `--auth enforce` mode, every request whose caller is not its
// account's root user is authorized after its input is decoded and validated, before the handler
// runs. Implemented by services/authz over the IAM policies; ApiPlane only calls it.

#include <optional>

#include <boost/json/object.hpp>

#include "protocol/aws_error.h"
#include "protocol/request_context.h"

namespace protocol {

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // nullopt: go on. Otherwise the error to answer, in the wording and code that the request's
  // service uses for a denial (AccessDeniedException for ECS, AccessDenied for query services,
  // UnauthorizedOperation for EC2, ...).
  virtual std::optional<AwsError> authorize(const RequestContext& ctx,
                                            const boost::json::object& input) const = 0;
};

}  // namespace protocol

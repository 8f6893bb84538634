#pragma once
// protocol::Authorizer for `--auth enforce`: turns a decoded request into the IAM action and
// resource(s) of catalog.h, asks the iam::Authority, and answers a denial as the request's
// service does (AccessDeniedException, AccessDenied, EC2's UnauthorizedOperation).

#include <optional>

#include "protocol/authorizer.h"
#include "protocol/identity.h"
#include "services/authz/policy_authority.h"
#include "services/iam/authority.h"

namespace services::authz {

class ApiAuthorizer final : public protocol::Authorizer {
 public:
  // `identities` (may be null) gives a temporary principal's STS session tags.
  ApiAuthorizer(const PolicyAuthority& authority, const protocol::IdentityResolver* identities)
      : authority_(authority), identities_(identities) {}

  // Sets the identities after construction; before the server serves.
  void connect(const protocol::IdentityResolver* identities) { identities_ = identities; }

  std::optional<protocol::AwsError> authorize(const protocol::RequestContext& ctx,
                                              const boost::json::object& input) const override;

 private:
  const PolicyAuthority& authority_;
  const protocol::IdentityResolver* identities_;
};

// A denial in the wire shape of `service` (a botocore model name):
//   ec2                                 UnauthorizedOperation, 403, with an encoded message
//   iam, sts, elbv2, cloudwatch         AccessDenied, 403
//   every JSON service                  AccessDeniedException, 400
protocol::AwsError denial_error(std::string_view service, const iam::AuthzRequest& request,
                                const iam::AuthzResult& result);

// EC2's "Encoded authorization failure message": opaque to clients (STS
// DecodeAuthorizationMessage reads it); here the base64 of the decision as that API returns it.
std::string encode_authorization_message(const iam::AuthzRequest& request,
                                         const iam::AuthzResult& result);

}  // namespace services::authz

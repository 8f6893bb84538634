#pragma once
// AWS STS: GetCallerIdentity, GetAccessKeyInfo, AssumeRole, AssumeRoleWithWebIdentity,
// GetSessionToken. https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
// Temporary credentials are real: they are stored, sign later requests (strict mode verifies
// them) and expire.

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/sts/identity_store.h"
#include "services/sts/oidc_keys.h"
#include "services/sts/role_sessions.h"

namespace services::sts {

class StsService {
 public:
  StsService(IdentityStore& identities, RoleSessions& sessions, const OidcKeys& oidc_keys,
             const core::Clock& clock);

  void register_operations(protocol::ServiceRegistry& registry);

  protocol::Result<boost::json::object> get_caller_identity(const protocol::RequestContext& ctx,
                                                            const boost::json::object& in);
  protocol::Result<boost::json::object> get_access_key_info(const protocol::RequestContext& ctx,
                                                            const boost::json::object& in);
  protocol::Result<boost::json::object> assume_role(const protocol::RequestContext& ctx,
                                                    const boost::json::object& in);
  // web_identity.cc
  protocol::Result<boost::json::object> assume_role_with_web_identity(
      const protocol::RequestContext& ctx, const boost::json::object& in);
  protocol::Result<boost::json::object> get_session_token(const protocol::RequestContext& ctx,
                                                          const boost::json::object& in);

 private:
  IdentityStore& identities_;
  RoleSessions& sessions_;
  const OidcKeys& oidc_keys_;
  const core::Clock& clock_;
};

}  // namespace services::sts

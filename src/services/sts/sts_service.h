#pragma once
// AWS STS: GetCallerIdentity, AssumeRole, GetSessionToken.
// https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
// Temporary credentials are real: they are stored, sign later requests (strict mode verifies
// them) and expire.

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/sts/identity_store.h"

namespace services::sts {

class StsService {
 public:
  StsService(IdentityStore& identities, const core::Clock& clock);

  void register_operations(protocol::ServiceRegistry& registry);

  protocol::Result<boost::json::object> get_caller_identity(const protocol::RequestContext& ctx,
                                                            const boost::json::object& in);
  protocol::Result<boost::json::object> assume_role(const protocol::RequestContext& ctx,
                                                    const boost::json::object& in);
  protocol::Result<boost::json::object> get_session_token(const protocol::RequestContext& ctx,
                                                          const boost::json::object& in);

 private:
  boost::json::object issue(const std::string& account, const std::string& arn,
                            const std::string& user_id, int64_t duration_seconds);

  IdentityStore& identities_;
  const core::Clock& clock_;
};

}  // namespace services::sts

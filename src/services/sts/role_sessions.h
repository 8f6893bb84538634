#pragma once
// Role sessions: what AssumeRole, AssumeRoleWithWebIdentity and the in-process CredentialIssuer
// share. Finds the role (in IAM when a Directory is wired, else from its ARN alone, as before
// IAM existed), asks the Authority whether the role's trust policy allows a principal, and
// issues and stores the session's credentials. Thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "protocol/aws_error.h"
#include "services/iam/authority.h"
#include "services/iam/directory.h"
#include "services/sts/credential_issuer.h"
#include "services/sts/identity_store.h"

namespace services::sts {

struct SessionSpec {
  std::string session_name;
  int64_t duration_seconds = 3600;
  std::map<std::string, std::string> tags;
  std::vector<std::string> transitive_tag_keys;
  std::string source_identity;
};

struct RoleSessionsOptions {
  const iam::Directory* directory = nullptr;  // null: roles are not looked up
  const iam::Authority* authority = nullptr;  // null: trust policies are not evaluated
  // --auth enforce: AssumeRole and CredentialIssuer evaluate trust policies
  // (AssumeRoleWithWebIdentity always does when IAM and an Authority are wired).
  bool enforce_trust = false;
};

class RoleSessions final : public CredentialIssuer {
 public:
  RoleSessions(IdentityStore& identities, const core::Clock& clock, RoleSessionsOptions options);

  const iam::Directory* directory() const { return options_.directory; }
  // Trust policies are evaluated in enforce mode when IAM (which holds them) and the Authority
  // are both wired.
  bool enforce_trust() const {
    return options_.enforce_trust && options_.authority != nullptr &&
           options_.directory != nullptr;
  }

  // The role `role_arn` names: IAM's when a Directory is wired (nullopt if IAM has none), else
  // one made from the ARN (nullopt if it is no role ARN), with IAM's largest MaxSessionDuration.
  std::optional<iam::RoleInfo> find_role(std::string_view role_arn) const;

  // Whether the role's trust policy lets `principal` perform `action`, and sts:TagSession too
  // when `tagging`. Allowed when no Authority is wired. On denial, the action that was refused.
  std::optional<std::string> refused_action(const iam::RoleInfo& role, const std::string& principal,
                                            std::string_view action, const iam::ConditionKeys& keys,
                                            bool tagging, const std::string& region) const;

  // Issues and stores the credentials of a new session of `role`.
  TemporaryCredentials issue(const iam::RoleInfo& role, const SessionSpec& spec);

  protocol::Result<TemporaryCredentials> assume_role(const AssumeRoleByService& request) override;
  protocol::Result<void> check_assume_role(const AssumeRoleByService& request) override;

 private:
  // The role `request` names once every check of assume_role() has passed.
  protocol::Result<iam::RoleInfo> checked_role(const AssumeRoleByService& request);

  IdentityStore& identities_;
  const core::Clock& clock_;
  RoleSessionsOptions options_;
};

// A fresh key pair and session token (ASIA...), expiring at `expiration`.
TemporaryCredentials new_key_pair(core::TimePoint expiration);
// Who the credentials `c` sign as (for IdentityStore::save_temporary).
protocol::Principal principal_for(const TemporaryCredentials& c, std::string account,
                                  std::string arn, std::string user_id);

// Checks shared by the operations, in STS's words; nullopt when the value is fine.
// [\w+=,.@-]*, the character set of RoleSessionName and SourceIdentity.
bool is_session_name_text(std::string_view s);
std::optional<protocol::AwsError> check_session_name(const std::string& name);
// 900 .. the role's MaxSessionDuration (1 hour when `chained`, a role session assuming a role).
std::optional<protocol::AwsError> check_duration(int64_t seconds, const iam::RoleInfo& role,
                                                 bool chained);
// AWS's sentence for a principal that may not assume a role.
std::string not_authorized(std::string_view caller, std::string_view action,
                           std::string_view role_arn);

}  // namespace services::sts

#pragma once
// What the IAM module offers other modules, read-only and in process: roles (STS checks their
// trust policies, ECS issues task-role credentials), IAM users' access keys (SigV4 resolves
// them), OpenID Connect providers (AssumeRoleWithWebIdentity) and the identity-based policies
// that apply to a principal (the policy evaluator in services/authz).
//
//   services::iam::Directory& iam = iam_module->directory();
//   std::optional<iam::RoleInfo> role = iam.find_role_by_arn(role_arn);
//   std::vector<iam::PolicyText> policies = iam.identity_policies(caller_arn);
//
// Thread-safe; each call reads the store in its own transaction (do not call from inside one).
// Names compare as IAM compares them: role, user, group and policy names case-insensitively.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace services::iam {

using Tags = std::map<std::string, std::string>;

struct RoleInfo {
  std::string account;
  std::string name;
  std::string path;     // "/" or "/a/b/"
  std::string arn;      // arn:aws:iam::<account>:role<path><name>
  std::string role_id;  // AROA...
  std::string assume_role_policy;  // the trust policy document, JSON text (URL-decoded)
  int max_session_duration = 3600;  // seconds, 3600..43200
  Tags tags;
};

struct AccessKeyInfo {
  std::string access_key_id;  // AKIA...
  std::string secret_access_key;
  std::string account;
  std::string user_name;
  std::string user_arn;  // arn:aws:iam::<account>:user<path><name>
  std::string user_id;   // AIDA...
  bool active = true;    // Status "Active"; an Inactive key is refused by SigV4
};

struct OidcProviderInfo {
  std::string account;
  std::string arn;  // arn:aws:iam::<account>:oidc-provider/<url without https://>
  std::string url;  // as registered, without "https://": "token.actions.githubusercontent.com"
  std::vector<std::string> client_ids;   // audiences
  std::vector<std::string> thumbprints;  // hex SHA-1
  Tags tags;
};

// One policy document that applies to a principal, with where it came from (for
// SimulatePrincipalPolicy's MatchedStatements and for error messages).
struct PolicyText {
  enum class Kind { Inline, Managed };
  Kind kind = Kind::Inline;
  std::string source;    // inline: "user/<name>/<policy>", "role/<name>/<policy>",
                         // "group/<name>/<policy>"; managed: the policy ARN
  std::string document;  // JSON text (the default version of a managed policy)
};

class Directory {
 public:
  virtual ~Directory() = default;

  virtual std::optional<RoleInfo> find_role(std::string_view account,
                                            std::string_view role_name) const = 0;
  // arn:aws:iam::<account>:role[/path]/<name>; nullopt for anything else.
  virtual std::optional<RoleInfo> find_role_by_arn(std::string_view role_arn) const = 0;

  // Any key created by CreateAccessKey, active or not; nullopt if unknown or deleted.
  virtual std::optional<AccessKeyInfo> find_access_key(std::string_view access_key_id) const = 0;

  // The provider registered for an issuer URL ("https://" prefix and trailing "/" ignored).
  virtual std::optional<OidcProviderInfo> find_oidc_provider(std::string_view account,
                                                             std::string_view issuer_url) const = 0;

  // The identity-based policies of a principal, by its ARN as SigV4 resolved it:
  //   arn:aws:iam::<acct>:user/<path>/<name>        the user's inline and attached policies and
  //                                                 those of each group it belongs to;
  //   arn:aws:sts::<acct>:assumed-role/<role>/<s>   the role's inline and attached policies;
  //   arn:aws:iam::<acct>:role/<path>/<name>        the same, by the role's own ARN.
  // Empty when the principal is unknown (implicit deny follows).
  virtual std::vector<PolicyText> identity_policies(std::string_view principal_arn) const = 0;

  // Tags of an IAM user or role by ARN (aws:PrincipalTag/<key>); empty when none or unknown.
  virtual Tags principal_tags(std::string_view principal_arn) const = 0;

  // The permissions boundary of a user or role (the same ARN forms), whose Allow a request
  // needs besides an identity-based one; nullopt when it has none.
  virtual std::optional<PolicyText> permissions_boundary(std::string_view) const {
    return std::nullopt;
  }
};

}  // namespace services::iam

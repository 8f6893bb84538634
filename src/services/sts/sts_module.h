#pragma once
// The STS module: the operation table (GetCallerIdentity, GetAccessKeyInfo, AssumeRole,
// AssumeRoleWithWebIdentity, GetSessionToken), the identities behind access keys, which it
// offers to the API plane so that SigV4 can resolve the keys it issues, IAM users' keys and the
// ones configured at start-up, and role credentials for other modules (CredentialIssuer: ECS
// task roles).

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "module/module.h"
#include "protocol/identity.h"
#include "services/iam/authority.h"
#include "services/iam/directory.h"
#include "services/sts/credential_issuer.h"
#include "services/sts/identity_store.h"

namespace services::sts {

struct StsPorts {
  std::vector<StaticKey> static_keys;  // --credentials
  // IAM's roles, users' keys and OIDC providers; null without the IAM module (then any role
  // ARN can be assumed and only static and STS keys resolve).
  const iam::Directory* directory = nullptr;
  // Trust-policy evaluation; null without it (no trust policy is evaluated).
  const iam::Authority* authority = nullptr;
  // --oidc-jwks: issuer URL -> JWKS file (absolute). Throws std::invalid_argument when a file
  // cannot be used.
  std::map<std::string, std::filesystem::path> oidc_jwks;
};

class StsModule : public module::Module {
 public:
  virtual protocol::IdentityResolver& identities() = 0;
  virtual CredentialIssuer& issuer() = 0;
};

std::unique_ptr<StsModule> make_sts_module(module::ModuleContext& ctx, StsPorts ports);

}  // namespace services::sts

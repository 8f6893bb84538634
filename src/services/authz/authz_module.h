#pragma once
// The authz module: IAM policy evaluation for the server. It offers the iam::Authority (STS
// checks trust policies with it, ECS its tasks' execution roles) and, for `--auth enforce`, the
// protocol::Authorizer that the API plane calls before each handler. It registers no operations.
//
// IAM (SimulatePrincipalPolicy) and STS (trust policies) need the authority, and the authority
// needs IAM's directory and STS's identities, so the ports are connected after all three exist:
//
//   auto authz = services::authz::make_authz_module(ctx);
//   auto iam = services::iam::make_iam_module(ctx, {.authority = &authz->authority()});
//   auto sts = services::sts::make_sts_module(ctx, {.authority = &authz->authority(), ...});
//   authz->connect({.directory = &iam->directory(), .identities = &sts->identities()});
//   api_plane_authorizer = &authz->authorizer();

#include <memory>

#include "module/module.h"
#include "protocol/authorizer.h"
#include "protocol/identity.h"
#include "services/iam/authority.h"
#include "services/iam/directory.h"

namespace services::authz {

struct AuthzPorts {
  const iam::Directory* directory = nullptr;  // null: only the accounts' root users are allowed
  const protocol::IdentityResolver* identities = nullptr;  // STS session tags
};

class AuthzModule : public module::Module {
 public:
  virtual const iam::Authority& authority() const = 0;
  virtual const protocol::Authorizer& authorizer() const = 0;
  // Sets the ports; once, while the server is built (not thread-safe against requests).
  virtual void connect(AuthzPorts ports) = 0;
};

std::unique_ptr<AuthzModule> make_authz_module(module::ModuleContext& ctx, AuthzPorts ports = {});

}  // namespace services::authz

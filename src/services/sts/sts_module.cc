// The STS module (sts_module.h): the identity store, role sessions and the operation table.

#include "services/sts/sts_module.h"

#include <memory>
#include <stdexcept>
#include <utility>

#include "services/sts/oidc_keys.h"
#include "services/sts/role_sessions.h"
#include "services/sts/sts_service.h"

namespace services::sts {
namespace {

class StsModuleImpl final : public StsModule {
 public:
  StsModuleImpl(module::ModuleContext& ctx, StsPorts ports)
      : identities_(ctx.db, std::move(ports.static_keys), ctx.default_account, ports.directory),
        sessions_(identities_, ctx.clock,
                  {.directory = ports.directory,
                   .authority = ports.authority,
                   .enforce_trust = ctx.auth_mode == protocol::AuthMode::Enforce}),
        service_(identities_, sessions_, oidc_keys_, ctx.clock) {
    for (const auto& [issuer, file] : ports.oidc_jwks) {
      std::string error;
      if (!oidc_keys_.add(issuer, file, &error)) throw std::invalid_argument(error);
    }
    service_.register_operations(ctx.registry);
  }

  protocol::IdentityResolver& identities() override { return identities_; }
  CredentialIssuer& issuer() override { return sessions_; }

 private:
  IdentityStore identities_;
  RoleSessions sessions_;
  OidcKeys oidc_keys_;
  StsService service_;
};

}  // namespace

std::unique_ptr<StsModule> make_sts_module(module::ModuleContext& ctx, StsPorts ports) {
  return std::make_unique<StsModuleImpl>(ctx, std::move(ports));
}

}  // namespace services::sts

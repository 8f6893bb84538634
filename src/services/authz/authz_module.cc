#include "services/authz/authz_module.h"

#include "services/authz/api_authorizer.h"
#include "services/authz/policy_authority.h"

namespace services::authz {
namespace {

class Impl final : public AuthzModule {
 public:
  Impl(const core::Clock& clock, AuthzPorts ports)
      : authority_(ports.directory, clock), authorizer_(authority_, ports.identities) {}

  const iam::Authority& authority() const override { return authority_; }
  const protocol::Authorizer& authorizer() const override { return authorizer_; }
  void connect(AuthzPorts ports) override {
    authority_.connect(ports.directory);
    authorizer_.connect(ports.identities);
  }

 private:
  PolicyAuthority authority_;
  ApiAuthorizer authorizer_;
};

}  // namespace

std::unique_ptr<AuthzModule> make_authz_module(module::ModuleContext& ctx, AuthzPorts ports) {
  return std::make_unique<Impl>(ctx.clock, ports);
}

}  // namespace services::authz

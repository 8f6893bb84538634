// The STS module (sts_module.h): the identity store and the operation table over it.

#include "services/sts/sts_module.h"

#include <memory>
#include <utility>

#include "services/sts/sts_service.h"

namespace services::sts {
namespace {

class StsModuleImpl final : public StsModule {
 public:
  StsModuleImpl(module::ModuleContext& ctx, StsPorts ports)
      : identities_(ctx.db, std::move(ports.static_keys), ctx.default_account),
        service_(identities_, ctx.clock) {
    service_.register_operations(ctx.registry);
  }

  protocol::IdentityResolver& identities() override { return identities_; }

 private:
  IdentityStore identities_;
  StsService service_;
};

}  // namespace

std::unique_ptr<StsModule> make_sts_module(module::ModuleContext& ctx, StsPorts ports) {
  return std::make_unique<StsModuleImpl>(ctx, std::move(ports));
}

}  // namespace services::sts

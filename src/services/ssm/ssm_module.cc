// The SSM module (ssm_module.h): the operation table and the in-process ParameterReader, over one
// ParameterVault.

#include "services/ssm/ssm_module.h"

#include "services/ssm/parameter_vault.h"
#include "services/ssm/ssm_service.h"

namespace services::ssm {
namespace {

class SsmModuleImpl final : public SsmModule {
 public:
  SsmModuleImpl(module::ModuleContext& ctx, SsmPorts ports)
      : vault_(ctx.db, ports.keys), service_(vault_, ctx.clock) {
    service_.register_operations(ctx.registry);
  }

  ParameterReader& parameters() override { return vault_; }

 private:
  ParameterVault vault_;
  SsmService service_;
};

}  // namespace

std::unique_ptr<SsmModule> make_ssm_module(module::ModuleContext& ctx, SsmPorts ports) {
  return std::make_unique<SsmModuleImpl>(ctx, ports);
}

}  // namespace services::ssm

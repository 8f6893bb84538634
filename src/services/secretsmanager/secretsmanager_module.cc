// The Secrets Manager module (secretsmanager_module.h): the operation table and the in-process
// SecretReader, over one SecretVault.

#include "services/secretsmanager/secretsmanager_module.h"

#include "services/secretsmanager/secret_vault.h"
#include "services/secretsmanager/secretsmanager_service.h"

namespace services::secretsmanager {
namespace {

class SecretsManagerModuleImpl final : public SecretsManagerModule {
 public:
  SecretsManagerModuleImpl(module::ModuleContext& ctx, SecretsManagerPorts ports)
      : vault_(ctx.db, ctx.clock, ports.keys), service_(vault_) {
    service_.register_operations(ctx.registry);
  }

  SecretReader& secrets() override { return vault_; }

 private:
  SecretVault vault_;
  SecretsManagerService service_;
};

}  // namespace

std::unique_ptr<SecretsManagerModule> make_secretsmanager_module(module::ModuleContext& ctx,
                                                                 SecretsManagerPorts ports) {
  return std::make_unique<SecretsManagerModuleImpl>(ctx, ports);
}

}  // namespace services::secretsmanager

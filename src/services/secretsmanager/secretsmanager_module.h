#pragma once
// The Secrets Manager module: the operation table, and SecretReader, through which other modules
// (ECS `secrets` and `repositoryCredentials`) read secret values in process. Values are sealed
// with the KMS module's Keys.

#include <memory>

#include "module/module.h"
#include "services/kms/keys.h"
#include "services/secretsmanager/secret_reader.h"

namespace services::secretsmanager {

class SecretsManagerModule : public module::Module {
 public:
  virtual SecretReader& secrets() = 0;
};

struct SecretsManagerPorts {
  kms::Keys& keys;
};

std::unique_ptr<SecretsManagerModule> make_secretsmanager_module(module::ModuleContext& ctx,
                                                                 SecretsManagerPorts ports);

}  // namespace services::secretsmanager

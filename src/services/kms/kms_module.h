#pragma once
// The KMS module: the KMS operation table, and Keys, through which other modules (SSM
// SecureString, Secrets Manager) encrypt under KMS keys in process. Its host key lives in
// <data-dir>/kms/host.key (host_key.h).

#include <memory>

#include "module/module.h"
#include "services/kms/keys.h"

namespace services::kms {

class KmsModule : public module::Module {
 public:
  virtual Keys& keys() = 0;
};

std::unique_ptr<KmsModule> make_kms_module(module::ModuleContext& ctx);

}  // namespace services::kms

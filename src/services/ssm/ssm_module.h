#pragma once
// The SSM module (Parameter Store): the operation table, and ParameterReader, through which other
// modules (ECS secrets, later CloudFormation's dynamic references) read parameters in process.
// SecureString values are encrypted with the KMS module's Keys.

#include <memory>

#include "module/module.h"
#include "services/kms/keys.h"
#include "services/ssm/parameter_reader.h"

namespace services::ssm {

struct SsmPorts {
  kms::Keys& keys;
};

class SsmModule : public module::Module {
 public:
  virtual ParameterReader& parameters() = 0;
};

std::unique_ptr<SsmModule> make_ssm_module(module::ModuleContext& ctx, SsmPorts ports);

}  // namespace services::ssm

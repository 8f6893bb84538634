#pragma once
// The IAM module: the IAM operation table, and the Directory through which other modules (STS,
// SigV4, the policy evaluator, ECS task roles) read roles, access keys, OIDC providers and
// identity policies in process.

#include <memory>

#include "module/module.h"
#include "services/iam/authority.h"
#include "services/iam/directory.h"

namespace services::iam {

struct IamPorts {
  // The policy evaluator for SimulatePrincipalPolicy/SimulateCustomPolicy; null leaves those two
  // operations out (InvalidAction).
  const Authority* authority = nullptr;
};

class IamModule : public module::Module {
 public:
  virtual Directory& directory() = 0;
};

std::unique_ptr<IamModule> make_iam_module(module::ModuleContext& ctx, IamPorts ports = {});

}  // namespace services::iam

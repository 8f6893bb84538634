#pragma once
// The ECR module: the ECR JSON API and the OCI registry under /v2/. It offers the ImageStore
// from which ECS pulls task images.

#include <memory>

#include "module/module.h"
#include "services/ecr/image_store.h"

namespace services::ecr {

class EcrModule : public module::Module {
 public:
  virtual ImageStore& images() = 0;
};

std::unique_ptr<EcrModule> make_ecr_module(module::ModuleContext& ctx);

}  // namespace services::ecr

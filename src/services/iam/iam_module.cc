// The IAM module (iam_module.h): the operation table and the Directory over one store.

#include "services/iam/iam_module.h"

#include "services/iam/iam_directory.h"
#include "services/iam/iam_service.h"

namespace services::iam {
namespace {

class IamModuleImpl final : public IamModule {
 public:
  IamModuleImpl(module::ModuleContext& ctx, IamPorts ports)
      : directory_(ctx.db), service_(ctx.db, ctx.clock, directory_, ports.authority) {
    service_.register_operations(ctx.registry);
  }

  Directory& directory() override { return directory_; }

 private:
  IamDirectory directory_;
  IamService service_;
};

}  // namespace

std::unique_ptr<IamModule> make_iam_module(module::ModuleContext& ctx, IamPorts ports) {
  return std::make_unique<IamModuleImpl>(ctx, ports);
}

}  // namespace services::iam

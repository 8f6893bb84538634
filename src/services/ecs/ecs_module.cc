// Installs ECS into the server (see src/server/module.h).

#include <memory>

#include "server/module.h"
#include "services/ecs/ecs_service.h"

namespace services::ecs {
namespace {

class EcsModule final : public server::Module {
 public:
  explicit EcsModule(server::ModuleContext& ctx) : service_(ctx.db, ctx.clock) {
    service_.register_operations(ctx.registry);
  }
  EcsService& service() { return service_; }

 private:
  EcsService service_;
};

}  // namespace
}  // namespace services::ecs

namespace server {

std::unique_ptr<Module> make_ecs_module(ModuleContext& ctx) {
  return std::make_unique<services::ecs::EcsModule>(ctx);
}

}  // namespace server

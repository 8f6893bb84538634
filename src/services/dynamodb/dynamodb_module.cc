#include "services/dynamodb/dynamodb_module.h"

#include "services/dynamodb/dynamodb_service.h"

namespace services::dynamodb {
namespace {

class DynamoDbModule final : public module::Module {
 public:
  explicit DynamoDbModule(module::ModuleContext& ctx) : service_(ctx.db, ctx.clock) {
    service_.register_operations(ctx.registry);
    ctx.on_reset([this] { service_.reset(); });
  }

 private:
  DynamoDbService service_;
};

}  // namespace

std::unique_ptr<module::Module> make_dynamodb_module(module::ModuleContext& ctx) {
  return std::make_unique<DynamoDbModule>(ctx);
}

}  // namespace services::dynamodb

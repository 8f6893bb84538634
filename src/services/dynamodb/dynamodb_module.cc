#include "services/dynamodb/dynamodb_module.h"

#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/ttl_sweeper.h"

namespace services::dynamodb {
namespace {

class DynamoDbModule final : public module::Module {
 public:
  explicit DynamoDbModule(module::ModuleContext& ctx)
      : service_(ctx.db, ctx.clock), sweeper_(ctx.db, ctx.clock) {
    service_.register_operations(ctx.registry);
    ctx.on_reset([this] { service_.reset(); });
  }

  void start() override { sweeper_.start(); }
  void stop() override { sweeper_.stop(); }

 private:
  DynamoDbService service_;
  TtlSweeper sweeper_;
};

}  // namespace

std::unique_ptr<module::Module> make_dynamodb_module(module::ModuleContext& ctx) {
  return std::make_unique<DynamoDbModule>(ctx);
}

}  // namespace services::dynamodb

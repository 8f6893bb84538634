#include "services/dynamodb/dynamodb_module.h"

#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/partition_rekey.h"
#include "services/dynamodb/streams/stream_trimmer.h"
#include "services/dynamodb/streams/streams_service.h"
#include "services/dynamodb/ttl_sweeper.h"

namespace services::dynamodb {
namespace {

class DynamoDbModule final : public module::Module {
 public:
  explicit DynamoDbModule(module::ModuleContext& ctx)
      : service_(ctx.db, ctx.clock),
        sweeper_(ctx.db, ctx.clock),
        streams_(ctx.db, ctx.clock),
        trimmer_(ctx.db, ctx.clock) {
    rekey_partitions(ctx.db);
    service_.register_operations(ctx.registry);
    streams_.register_operations(ctx.registry);
    ctx.on_reset([this] { service_.reset(); });
  }

  void start() override {
    sweeper_.start();
    trimmer_.start();
  }
  void stop() override {
    trimmer_.stop();
    sweeper_.stop();
  }

 private:
  DynamoDbService service_;
  TtlSweeper sweeper_;
  streams::StreamsService streams_;
  streams::StreamTrimmer trimmer_;
};

}  // namespace

std::unique_ptr<module::Module> make_dynamodb_module(module::ModuleContext& ctx) {
  return std::make_unique<DynamoDbModule>(ctx);
}

}  // namespace services::dynamodb

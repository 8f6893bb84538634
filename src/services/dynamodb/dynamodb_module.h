#pragma once
// The DynamoDB module: the DynamoDB and DynamoDB Streams operation tables over the server's
// store, and the TTL sweeper (ttl_sweeper.h) and the stream trimmer (streams/stream_trimmer.h)
// as its background work. It needs no other module.

#include <memory>

#include "module/module.h"

namespace services::dynamodb {

std::unique_ptr<module::Module> make_dynamodb_module(module::ModuleContext& ctx);

}  // namespace services::dynamodb

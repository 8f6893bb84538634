#pragma once
// The CloudFormation module: the operation table, the stack worker and every resource provider,
// which reach the other services through the in-process client (ctx.registry). Build it after
// the services whose types it creates; it needs no port of theirs.
//
//   modules.push_back(services::cloudformation::make_cloudformation_module(ctx));

#include <memory>

#include "module/module.h"

namespace services::cloudformation {

std::unique_ptr<module::Module> make_cloudformation_module(module::ModuleContext& ctx);

}  // namespace services::cloudformation

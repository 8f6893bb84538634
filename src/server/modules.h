#pragma once
// install_modules() is generated (gen/server/modules.cc) from the service folders that have a
// <name>_module.cc; see module.h.

#include <memory>
#include <vector>

#include "server/module.h"

namespace server {

std::vector<std::unique_ptr<Module>> install_modules(ModuleContext& ctx);

}  // namespace server

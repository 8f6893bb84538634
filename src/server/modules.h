#pragma once
// install_modules() is generated (gen/server/modules.cc) from the service folders that have a
// <name>_module.cc; see module/module.h.

#include <memory>
#include <vector>

#include "module/module.h"

namespace server {

std::vector<std::unique_ptr<module::Module>> install_modules(module::ModuleContext& ctx);

}  // namespace server

// The stack group's providers (providers.h): one add() per type, each type in its own file.

#include "services/cloudformation/resources/providers.h"

namespace services::cloudformation::resources {

void add_stack_providers(engine::ResourceProviders& out, const ServiceClient& client) {
  (void)out;
  (void)client;
}

}  // namespace services::cloudformation::resources

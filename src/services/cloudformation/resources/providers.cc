// add_all_providers (providers.h).

#include "services/cloudformation/resources/providers.h"

namespace services::cloudformation::resources {

void add_all_providers(engine::ResourceProviders& out, const ServiceClient& client) {
  add_ec2_providers(out, client);
  add_container_providers(out, client);
  add_load_balancing_providers(out, client);
  add_identity_providers(out, client);
  add_scaling_providers(out, client);
  add_data_providers(out, client);
  add_stack_providers(out, client);
}

}  // namespace services::cloudformation::resources

// The scaling group's providers (providers.h): one add() per type, each type in its own file.

#include "services/cloudformation/resources/scaling_providers.h"

#include "services/cloudformation/resources/providers.h"

namespace services::cloudformation::resources {

void add_scaling_providers(engine::ResourceProviders& out, const ServiceClient& client) {
  out.add("AWS::ApplicationAutoScaling::ScalableTarget", make_autoscaling_scalable_target(client));
  out.add("AWS::ApplicationAutoScaling::ScalingPolicy", make_autoscaling_scaling_policy(client));
  out.add("AWS::CloudWatch::Alarm", make_cloudwatch_alarm(client));
}

}  // namespace services::cloudformation::resources

// The load_balancing group's providers (providers.h): one add() per type, each type in its own
// file.

#include "services/cloudformation/resources/load_balancing_providers.h"

#include "services/cloudformation/resources/providers.h"

namespace services::cloudformation::resources {

void add_load_balancing_providers(engine::ResourceProviders& out, const ServiceClient& client) {
  out.add("AWS::ElasticLoadBalancingV2::LoadBalancer", make_elbv2_load_balancer(client));
  out.add("AWS::ElasticLoadBalancingV2::TargetGroup", make_elbv2_target_group(client));
  out.add("AWS::ElasticLoadBalancingV2::Listener", make_elbv2_listener(client));
  out.add("AWS::ElasticLoadBalancingV2::ListenerRule", make_elbv2_listener_rule(client));
  out.add("AWS::ElasticLoadBalancingV2::ListenerCertificate",
          make_elbv2_listener_certificate(client));
  out.add("AWS::Logs::LogGroup", make_logs_log_group(client));
  out.add("AWS::Logs::LogStream", make_logs_log_stream(client));
  out.add("AWS::Logs::MetricFilter", make_logs_metric_filter(client));
}

}  // namespace services::cloudformation::resources

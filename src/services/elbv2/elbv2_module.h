#pragma once
// The ELBv2 module: the operation table, and, given the host network, the ALB data plane: one
// node per load balancer (its own namespace with an ENI per subnet) running the proxies and the
// health checks (dataplane/load_balancer_nodes.h).

#include <memory>

#include "module/module.h"
#include "services/cloudwatch/metric_sink.h"
#include "services/ec2/host_network.h"
#include "services/ec2/network_directory.h"

namespace services::elbv2 {

struct Elbv2Ports {
  ec2::NetworkDirectory& directory;  // subnets, security groups and VPCs of load balancers
  ec2::HostNetwork* host = nullptr;  // null: load balancers are configured but not served
  // Where the data plane publishes AWS/ApplicationELB metrics; null: not published.
  cloudwatch::MetricSink* metrics = nullptr;
};

std::unique_ptr<module::Module> make_elbv2_module(module::ModuleContext& ctx, Elbv2Ports ports);

}  // namespace services::elbv2

// The ELBv2 module (elbv2_module.h): the operation table and, on the host network, the nodes of
// the ALB data plane, which read the control plane's snapshots and report target health back.

#include "services/elbv2/elbv2_module.h"

#include <algorithm>
#include <memory>

#include "dataplane/load_balancer_nodes.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/network_lookup.h"

namespace services::elbv2 {
namespace {

// The interfaces of a load balancer's ENIs as the netplane plugs them, or nullopt while EC2 does
// not (yet, or any more) know one of them.
std::optional<std::vector<netplane::InterfaceSpec>> node_interfaces(
    ec2::NetworkDirectory& directory, const std::string& account, const std::string& region,
    const std::string& vpc_id, const std::vector<std::string>& eni_ids) {
  auto topology = directory.vpc_topology(account, region, vpc_id);
  if (!topology) return std::nullopt;
  std::vector<netplane::InterfaceSpec> out;
  for (const std::string& id : eni_ids) {
    auto eni = std::find_if(topology->enis.begin(), topology->enis.end(),
                            [&](const ec2::EniInfo& e) { return e.eni_id == id; });
    if (eni == topology->enis.end()) return std::nullopt;
    auto subnet = std::find_if(topology->subnets.begin(), topology->subnets.end(),
                               [&](const ec2::SubnetInfo& s) { return s.subnet_id == eni->subnet_id; });
    if (subnet == topology->subnets.end()) return std::nullopt;
    ec2::EniAllocation allocation;
    allocation.eni_id = eni->eni_id;
    allocation.subnet_id = eni->subnet_id;
    allocation.private_ip = eni->private_ip;
    allocation.mac = eni->mac;
    allocation.subnet_cidr = subnet->cidr;
    allocation.gateway_ip = subnet->gateway_ip;
    out.push_back(ec2::to_interface_spec(allocation));
  }
  return out;
}

// Hands the data plane's data points to CloudWatch, one put per datum.
void publish(cloudwatch::MetricSink& sink, const std::vector<dataplane::AlbMetricDatum>& data) {
  for (const dataplane::AlbMetricDatum& d : data) {
    cloudwatch::Dimensions dims;
    for (const auto& [name, value] : d.dimensions) dims.push_back({name, value});
    if (d.values.empty() && d.count == 1) {
      sink.put(d.account, d.region, dataplane::kAlbNamespace, d.name, std::move(dims), d.sum,
               d.unit, d.timestamp);
    } else {
      sink.put_statistics(d.account, d.region, dataplane::kAlbNamespace, d.name, std::move(dims),
                          {d.count, d.sum, d.min, d.max, d.values}, d.unit, d.timestamp);
    }
  }
}

class Elbv2Module final : public module::Module {
 public:
  Elbv2Module(module::ModuleContext& ctx, Elbv2Ports ports)
      : network_(make_ec2_network_lookup(ports.directory)),
        service_(ctx.db, ctx.clock, *network_) {
    service_.register_operations(ctx.registry);
    if (ports.host) {
      ec2::HostNetwork& host = *ports.host;
      dataplane::NodeNetwork network{
          .plane = &host.plane,
          .ensure_vpc = [&host](const std::string& account, const std::string& region,
                                const std::string& vpc_id) {
            return host.sync.ensure_vpc(account, region, vpc_id);
          },
          .interfaces = [&host](const std::string& account, const std::string& region,
                                const std::string& vpc_id,
                                const std::vector<std::string>& eni_ids) {
            return node_interfaces(host.directory, account, region, vpc_id, eni_ids);
          }};
      dataplane::LoadBalancerNodesOptions options{.address = ctx.alb_address,
                                                  .port_offset = ctx.alb_port_offset};
      if (cloudwatch::MetricSink* sink = ports.metrics) {
        options.publish_metrics = [sink](std::vector<dataplane::AlbMetricDatum> data) {
          publish(*sink, data);
        };
      }
      nodes_ = std::make_unique<dataplane::LoadBalancerNodes>(
          service_.snapshots(), service_.health_reporter(), std::move(network), ctx.clock,
          std::move(options));
    }
    ctx.on_reset([this] {
      if (nodes_) nodes_->reset();
      service_.reset();
    });
  }

  void start() override {
    service_.start();
    if (nodes_) nodes_->start();
  }
  void stop() override {
    if (nodes_) nodes_->stop();
    service_.stop();
  }

 private:
  std::unique_ptr<NetworkLookup> network_;
  Elbv2Service service_;
  std::unique_ptr<dataplane::LoadBalancerNodes> nodes_;
};

}  // namespace

std::unique_ptr<module::Module> make_elbv2_module(module::ModuleContext& ctx, Elbv2Ports ports) {
  return std::make_unique<Elbv2Module>(ctx, ports);
}

}  // namespace services::elbv2

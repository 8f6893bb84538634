#include "services/ec2/netplane_sync.h"

#include <chrono>

#include "core/log.h"
#include "netplane/ipv4.h"

namespace services::ec2 {

using netplane::errc;
using netplane::Error;
using netplane::InterfaceSpec;
using netplane::Ipv4Cidr;
using netplane::PermissionSpec;
using netplane::Result;
using netplane::VpcSpec;

VpcSpec to_vpc_spec(const VpcTopology& topology) {
  VpcSpec spec;
  spec.vpc_id = topology.vpc_id;
  spec.cidr = topology.cidr;
  for (const SubnetInfo& s : topology.subnets) {
    spec.subnets.push_back({s.subnet_id, s.cidr});
  }
  auto permissions = [](const std::vector<PermissionInfo>& in) {
    std::vector<PermissionSpec> out;
    for (const PermissionInfo& p : in) {
      out.push_back({p.protocol, p.from_port, p.to_port, p.cidrs, p.source_group_ids});
    }
    return out;
  };
  for (const SecurityGroupInfo& g : topology.security_groups) {
    spec.security_groups.push_back({g.group_id, permissions(g.ingress), permissions(g.egress)});
  }
  for (const EniInfo& e : topology.enis) {
    spec.enis.push_back({e.eni_id, e.subnet_id, e.private_ip, e.mac, e.group_ids});
  }
  return spec;
}

InterfaceSpec to_interface_spec(const EniAllocation& eni) {
  InterfaceSpec spec;
  spec.eni_id = eni.eni_id;
  spec.subnet_id = eni.subnet_id;
  spec.ip = eni.private_ip;
  spec.prefix_length = eni.prefix_length;
  spec.mac = eni.mac;
  spec.gateway = eni.gateway_ip;
  if (spec.gateway.empty() || spec.prefix_length == 0) {
    if (std::optional<Ipv4Cidr> cidr = Ipv4Cidr::parse(eni.subnet_cidr)) {
      spec.prefix_length = cidr->prefix;
      spec.gateway = netplane::format_ipv4(cidr->first_host());
    }
  }
  return spec;
}

NetplaneSync::NetplaneSync(NetworkDirectory& directory, netplane::Netplane& plane,
                 const core::Clock& clock)
    : directory_(directory),
      plane_(plane),
      controller_("netplane-vpc", clock,
                  [this](const std::string& key) {
                    Result<void> r = sync(key);
                    // not_found: EC2 deleted the VPC; sync() removed its namespace.
                    return r || r.error().code == errc::not_found
                               ? reconcile::ReconcileResult::done()
                               : reconcile::ReconcileResult::retry();
                  }),
      hook_(std::make_shared<Hook>()) {
  hook_->self = this;
  std::shared_ptr<Hook> hook = hook_;
  directory_.subscribe(
      [hook](const std::string& account, const std::string& region, const std::string& vpc_id) {
        std::lock_guard lock(hook->mu);
        if (hook->self != nullptr) {
          hook->self->on_change(account, region, vpc_id);
        }
      });
}

NetplaneSync::~NetplaneSync() {
  {
    std::lock_guard lock(hook_->mu);
    hook_->self = nullptr;
  }
  controller_.stop();
}

void NetplaneSync::start() { controller_.start(); }

void NetplaneSync::stop() { controller_.stop(); }

std::string NetplaneSync::encode(const std::string& account, const std::string& region,
                            const std::string& vpc_id) {
  return account + "/" + region + "/" + vpc_id;
}

NetplaneSync::Key NetplaneSync::decode(const std::string& key) {
  size_t a = key.find('/');
  size_t b = key.find('/', a + 1);
  return {key.substr(0, a), key.substr(a + 1, b - a - 1), key.substr(b + 1)};
}

void NetplaneSync::on_change(const std::string& account, const std::string& region,
                        const std::string& vpc_id) {
  std::string key = encode(account, region, vpc_id);
  {
    std::lock_guard lock(active_mu_);
    if (!active_.count(key)) {
      return;  // no namespace for it yet: ensure_vpc() will read the latest topology anyway
    }
  }
  controller_.enqueue(key);
}

Result<void> NetplaneSync::ensure_vpc(const std::string& account, const std::string& region,
                                 const std::string& vpc_id) {
  std::string key = encode(account, region, vpc_id);
  {
    std::lock_guard lock(active_mu_);
    active_.insert(key);
  }
  Result<void> r = sync(key);
  if (!r) {
    // Keep retrying in the background unless the VPC is gone (sync() deactivated it then).
    controller_.enqueue_after(key, std::chrono::milliseconds(100));
  }
  return r;
}

void NetplaneSync::forget_all() {
  std::lock_guard lock(sync_mu_);
  std::lock_guard active_lock(active_mu_);
  active_.clear();
}

Result<void> NetplaneSync::sync(const std::string& key) {
  // Checked under sync_mu_, so that once forget_all() returns no sync recreates a namespace.
  std::lock_guard lock(sync_mu_);
  {
    std::lock_guard active_lock(active_mu_);
    if (!active_.count(key)) {
      return {};
    }
  }
  Key k = decode(key);
  protocol::Result<VpcTopology> topology =
      directory_.vpc_topology(k.account, k.region, k.vpc_id);
  if (!topology) {
    if (topology.error().code == "InvalidVpcID.NotFound") {
      {
        std::lock_guard active_lock(active_mu_);
        active_.erase(key);
      }
      if (Result<void> r = plane_.remove_vpc(k.vpc_id); !r) {
        core::log::warn("netplane: cannot remove a deleted VPC's namespace",
                        {{"vpc", k.vpc_id}, {"error", r.error().message}});
      }
      return Error(errc::not_found, topology.error().message);
    }
    return Error(std::make_error_code(std::errc::io_error),
                 topology.error().code + ": " + topology.error().message);
  }
  Result<void> r = plane_.ensure_vpc(to_vpc_spec(*topology));
  if (!r) {
    core::log::warn("netplane: cannot apply VPC",
                    {{"vpc", k.vpc_id}, {"error", r.error().message}});
  }
  return r;
}

}  // namespace services::ec2

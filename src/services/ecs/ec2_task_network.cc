#include "services/ecs/ec2_task_network.h"

#include <fstream>
#include <sstream>

#include "core/ids.h"
#include "core/log.h"
#include "netplane/netns.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/metadata_plane.h"

namespace services::ecs {

namespace {

protocol::AwsError network_error(std::string message) {
  return protocol::AwsError{"ResourceInitializationError", std::move(message), 500, false};
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Ec2TaskNetwork::Ec2TaskNetwork(ec2::NetworkDirectory& directory, netplane::Netplane& plane,
                               services::ec2::NetplaneSync& sync, Ec2TaskNetworkOptions options)
    : directory_(directory), plane_(plane), sync_(sync), options_(std::move(options)) {
  std::error_code ec;
  std::filesystem::create_directories(options_.data_dir / "tasknet", ec);
}

std::filesystem::path Ec2TaskNetwork::record_of(const std::string& task_id) const {
  return options_.data_dir / "tasknet" / task_id;
}

protocol::Result<void> Ec2TaskNetwork::ensure_vpc(const std::string& account,
                                                  const std::string& region,
                                                  const std::string& vpc_id) {
  if (auto r = sync_.ensure_vpc(account, region, vpc_id); !r) {
    return network_error("failed to set up VPC " + vpc_id + ": " + r.error().message);
  }
  std::lock_guard lock(mu_);
  if (listening_.contains(vpc_id) || !options_.adopt_listener) return {};
  std::string ns = plane_.vpc_netns_path(vpc_id);
  std::string label =
      std::string(kVpcListenerPrefix) + account + "/" + region + "/" + vpc_id;
  for (uint16_t port : {uint16_t(80), options_.api_port}) {
    auto fd = netplane::listen_in_netns(ns, netplane::kTaskMetadataIp, port, 1024, true);
    if (!fd) {
      return network_error("failed to listen on " + std::string(netplane::kTaskMetadataIp) + ":" +
                           std::to_string(port) + " in " + vpc_id + ": " + fd.error().message);
    }
    listening_[vpc_id].push_back(options_.adopt_listener(fd->release(), label));
  }
  return {};
}

protocol::Result<void> Ec2TaskNetwork::adopt_vpc(const std::string& account,
                                                 const std::string& region,
                                                 const std::string& vpc_id) {
  return ensure_vpc(account, region, vpc_id);
}

protocol::Result<TaskNetwork> Ec2TaskNetwork::attach(
    const TaskRef& task, const std::vector<std::string>& subnets,
    const std::vector<std::string>& security_groups) {
  std::string id = name_from_ref(task.task_arn);
  std::filesystem::path record = record_of(id);
  if (std::filesystem::exists(record)) {
    // A previous attempt (before a crash) got this far: start over with a fresh ENI.
    plane_.detach(id);
    directory_.release_eni(read_file(record));
    std::filesystem::remove(record);
  }
  if (subnets.empty()) {
    return network_error("the task has no subnets");
  }
  ec2::EniRequest request;
  request.account = task.account;
  request.region = task.region;
  request.security_group_ids = security_groups;
  request.description = "arn:aws:ecs:" + task.region + ":" + task.account + ":attachment/" +
                        core::ids::uuid4();
  protocol::Result<ec2::EniAllocation> eni = protocol::AwsError{};
  for (const std::string& subnet : subnets) {
    request.subnet_id = subnet;
    eni = directory_.allocate_eni(request);
    if (eni || eni.error().code != "InsufficientFreeAddressesInSubnet") break;
  }
  if (!eni) {
    return network_error(eni.error().code + ": " + eni.error().message);
  }
  {
    std::ofstream out(record);
    out << eni->eni_id << "\n";
  }
  auto fail = [&](std::string message) -> protocol::Result<TaskNetwork> {
    plane_.detach(id);
    directory_.release_eni(eni->eni_id);
    std::filesystem::remove(record);
    return network_error(std::move(message));
  };
  directory_.set_eni_attachment(eni->eni_id, "attaching", "");
  if (auto r = ensure_vpc(task.account, task.region, eni->vpc_id); !r) {
    return fail(r.error().message);
  }
  netplane::EndpointSpec spec{id, eni->vpc_id, {services::ec2::to_interface_spec(*eni)}};
  auto attached = plane_.attach(spec);
  if (!attached) {
    return fail("failed to plumb the task's network: " + attached.error().message);
  }
  directory_.set_eni_attachment(eni->eni_id, "attached", "");
  core::log::info("task network attached", {{"task", task.task_arn},
                                            {"eni", eni->eni_id},
                                            {"ip", eni->private_ip},
                                            {"netns", attached->netns_path}});
  TaskNetwork out;
  out.eni_id = eni->eni_id;
  out.private_ip = eni->private_ip;
  out.mac = eni->mac;
  out.subnet_id = eni->subnet_id;
  out.vpc_id = eni->vpc_id;
  out.availability_zone = eni->availability_zone;
  out.netns_path = attached->netns_path;
  out.api_endpoint = "http://" + std::string(netplane::kTaskMetadataIp) + ":" +
                     std::to_string(options_.api_port);
  return out;
}

void Ec2TaskNetwork::reset() {
  std::lock_guard lock(mu_);
  for (const auto& [vpc, ids] : listening_) {
    for (uint64_t id : ids) {
      if (options_.close_listener) options_.close_listener(id);
    }
  }
  listening_.clear();
  std::error_code ec;
  std::filesystem::remove_all(options_.data_dir / "tasknet", ec);
  std::filesystem::create_directories(options_.data_dir / "tasknet", ec);
}

void Ec2TaskNetwork::detach(const TaskRef& task) {
  std::string id = name_from_ref(task.task_arn);
  if (auto r = plane_.detach(id); !r) {
    core::log::warn("task network detach failed",
                    {{"task", task.task_arn}, {"error", r.error().message}});
  }
  std::filesystem::path record = record_of(id);
  if (std::filesystem::exists(record)) {
    std::string eni = read_file(record);
    directory_.set_eni_attachment(eni, "detached", "");
    directory_.release_eni(eni);
    std::filesystem::remove(record);
  }
}

}  // namespace services::ecs

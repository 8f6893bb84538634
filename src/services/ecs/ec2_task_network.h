#pragma once
// The TaskNetworkPort of real tasks: an ENI from EC2 (NetworkDirectory) in the first subnet of
// the task's awsvpcConfiguration with free addresses, the VPC's namespace kept in step by
// services::ec2::NetplaneSync, and the task's own namespace plugged into its subnet's bridge by the
// netplane. Each VPC namespace also gets Gantry's listeners on 169.254.170.2: port 80 (task
// metadata, see metadata_plane.h) and 4566 (the AWS API: AWS_ENDPOINT_URL of every container).
//
// Crash-safe: the ENI of a task is recorded in <data_dir>/tasknet/<task id> before anything is
// plumbed, so a restart that attaches again releases the old ENI instead of leaking it, and
// detach finds it after a restart.

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "services/ec2/netplane_sync.h"
#include "netplane/netplane.h"
#include "services/ec2/network_directory.h"
#include "services/ecs/task_ports.h"

namespace services::ecs {

struct Ec2TaskNetworkOptions {
  std::filesystem::path data_dir;
  // Serves HTTP on a listening socket made in a VPC namespace (module::ModuleContext).
  std::function<uint64_t(int fd, std::string label)> adopt_listener;
  std::function<void(uint64_t id)> close_listener;
  uint16_t api_port = 4566;  // the in-VPC AWS endpoint's port
};

class Ec2TaskNetwork final : public TaskNetworkPort {
 public:
  Ec2TaskNetwork(ec2::NetworkDirectory& directory, netplane::Netplane& plane,
                 services::ec2::NetplaneSync& sync, Ec2TaskNetworkOptions options);

  protocol::Result<TaskNetwork> attach(const TaskRef& task, const std::vector<std::string>& subnets,
                                       const std::vector<std::string>& security_groups) override;
  void detach(const TaskRef& task) override;

  // After a restart: makes sure the VPC's namespace and Gantry's listeners in it exist again.
  protocol::Result<void> adopt_vpc(const std::string& account, const std::string& region,
                                   const std::string& vpc_id);
  // Closes Gantry's listeners in every VPC and forgets every task's ENI record (reset: the
  // namespaces and EC2's rows go next).
  void reset();

 private:
  protocol::Result<void> ensure_vpc(const std::string& account, const std::string& region,
                                    const std::string& vpc_id);
  std::filesystem::path record_of(const std::string& task_id) const;

  ec2::NetworkDirectory& directory_;
  netplane::Netplane& plane_;
  services::ec2::NetplaneSync& sync_;
  Ec2TaskNetworkOptions options_;
  std::mutex mu_;
  std::map<std::string, std::vector<uint64_t>> listening_;  // VPC id → Gantry's listener ids
};

}  // namespace services::ecs

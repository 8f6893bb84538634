#pragma once
// What the task controller needs from the world, as narrow ports. The real adapters (EC2's ENI
// directory plus the netplane's namespaces; ECR's image store plus the OCI runtime; CloudWatch
// Logs) implement them; unit tests use fakes. All methods may block (they run on the
// controller's worker threads, never on a request thread) and must be thread-safe.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/ecs/model.h"

namespace services::ecs {

// The elastic network interface of an awsvpc task and the namespace behind it.
struct TaskNetwork {
  std::string eni_id;
  std::string private_ip;
  std::string mac;
  std::string subnet_id;
  std::string vpc_id;
  std::string availability_zone;
  std::string netns_path;  // /run/netns/<name>; containers join it
  std::string api_endpoint;  // http://<address>:<port> of Gantry inside the VPC, or empty
};

class TaskNetworkPort {
 public:
  virtual ~TaskNetworkPort() = default;
  // Allocates an ENI in the first usable subnet of `subnets` with `security_groups` (the VPC's
  // default group when empty) and plumbs the task's namespace. Idempotent per task.
  virtual protocol::Result<TaskNetwork> attach(const TaskRef& task,
                                               const std::vector<std::string>& subnets,
                                               const std::vector<std::string>& security_groups) = 0;
  // Tears the namespace down and releases the ENI. Idempotent.
  virtual void detach(const TaskRef& task) = 0;
};

// One container as the controller asks the runtime to run it.
struct ContainerLaunch {
  std::string name;
  boost::json::object definition;  // the task definition's containerDefinition
  boost::json::object task_definition;
  std::string netns_path;
  std::vector<std::pair<std::string, std::string>> extra_environment;  // AWS_ENDPOINT_URL, ...
  // awsvpc: the ENI's private DNS name ("ip-10-0-1-5.ec2.internal") and address, which Fargate
  // makes the container's hostname and /etc/hosts entry.
  std::string hostname;
  std::string private_ip;
};

enum class ContainerPhase { Absent, Created, Running, Exited };

struct ContainerState {
  std::string name;
  ContainerPhase phase = ContainerPhase::Absent;
  std::optional<int> exit_code;
  bool oom_killed = false;
  std::string runtime_id;
  std::string health = "UNKNOWN";  // HEALTHY, UNHEALTHY, UNKNOWN
  std::string image_digest;
};

class ContainerPort {
 public:
  virtual ~ContainerPort() = default;
  // Resolves and prepares the image (layers unpacked). The error message is what ECS shows
  // after "CannotPullContainerError: ".
  virtual protocol::Result<std::string> pull(const TaskRef& task, const std::string& image) = 0;
  // Checks the container's log configuration (awslogs group exists or may be created). The
  // error message is ECS's ("ResourceInitializationError: ...").
  virtual protocol::Result<void> prepare_logging(const TaskRef& task,
                                                 const boost::json::object& definition) = 0;
  virtual protocol::Result<std::string> start(const TaskRef& task,
                                              const ContainerLaunch& launch) = 0;
  // Sends SIGTERM, then SIGKILL after `stop_timeout_seconds`. Returns at once.
  virtual void stop(const TaskRef& task, const std::string& container,
                    int stop_timeout_seconds) = 0;
  virtual std::vector<ContainerState> observe(const TaskRef& task) = 0;
  // Deletes every container of the task and its files. Idempotent.
  virtual void remove(const TaskRef& task) = 0;
  // The controller's wake-up: called with the task whenever one of its containers changes.
  virtual void on_change(std::function<void(const TaskRef&)> callback) = 0;
};

}  // namespace services::ecs

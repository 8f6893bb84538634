#pragma once
// In-memory TaskNetworkPort and ContainerPort for the task controller's tests: containers are
// entries in a map that the test moves between phases.

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "services/ecs/task_ports.h"

namespace services::ecs {

class FakeTaskNetwork final : public TaskNetworkPort {
 public:
  protocol::Result<TaskNetwork> attach(const TaskRef& task, const std::vector<std::string>& subnets,
                                       const std::vector<std::string>& groups) override {
    if (fail) return protocol::AwsError{"InvalidSubnetID.NotFound", "no such subnet"};
    attached.insert(task.task_arn);
    return TaskNetwork{"eni-0123456789abcdef0", "10.0.1.10", "02:00:0a:00:01:0a",
                       subnets.empty() ? "subnet-x" : subnets.front(), "vpc-1", "us-east-1a",
                       "/run/netns/gantry-task-x", "http://10.0.1.1:4566"};
  }
  void detach(const TaskRef& task) override {
    attached.erase(task.task_arn);
    detached.push_back(task.task_arn);
  }
  bool fail = false;
  std::set<std::string> attached;
  std::vector<std::string> detached;
};

class FakeContainers final : public ContainerPort {
 public:
  protocol::Result<std::string> pull(const TaskRef&, const std::string& image) override {
    if (missing_images.count(image)) {
      return protocol::AwsError{"CannotPull", "pull image manifest has been retried 1 time(s): "
                                              "failed to resolve ref " + image + ": not found"};
    }
    pulled.push_back(image);
    return std::string("sha256:abc");
  }
  protocol::Result<void> prepare_logging(const TaskRef&, const boost::json::object&) override {
    return {};
  }
  protocol::Result<std::string> start(const TaskRef& task, const ContainerLaunch& l) override {
    std::lock_guard lock(mu);
    started.push_back(l.name);
    launches.push_back(l);
    auto& s = state[task.task_arn][l.name];
    s = ContainerState{l.name, ContainerPhase::Running, std::nullopt, false, "rt-" + l.name};
    return s.runtime_id;
  }
  void stop(const TaskRef& task, const std::string& name, int timeout) override {
    std::lock_guard lock(mu);
    stops.push_back(name + ":" + std::to_string(timeout));
    if (stop_exits_at_once) exit(task.task_arn, name, 143);
  }
  std::vector<ContainerState> observe(const TaskRef& task) override {
    std::vector<ContainerState> out;
    for (auto& [n, s] : state[task.task_arn]) out.push_back(s);
    return out;
  }
  void remove(const TaskRef& task) override {
    state.erase(task.task_arn);
    removed.push_back(task.task_arn);
  }
  void on_change(std::function<void(const TaskRef&)> cb) override { callback = std::move(cb); }

  void exit(const std::string& task, const std::string& name, int code, bool oom = false) {
    auto& s = state[task][name];
    s.phase = ContainerPhase::Exited;
    s.exit_code = code;
    s.oom_killed = oom;
  }

  std::mutex mu;
  std::set<std::string> missing_images;
  std::map<std::string, std::map<std::string, ContainerState>> state;
  std::vector<std::string> pulled, started, stops, removed;
  std::vector<ContainerLaunch> launches;
  bool stop_exits_at_once = true;
  std::function<void(const TaskRef&)> callback;
};

}  // namespace services::ecs

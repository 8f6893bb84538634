#pragma once
// The composition root's wiring: every service module, built in dependency order with the ports
// it needs from the others, and the one host network that ECS tasks and ALB nodes share.
//
//   ec2 ──────── NetworkDirectory ─────────┬──> elbv2, ecs, host network
//   ecr ──────── ImageStore ───────────────┼──> ecs
//   logs ─────── LogSink ──────────────────┼──> ecs
//   host network (netplane + EC2 sync) ────┴──> ecs (tasks), elbv2 (load balancer nodes)
//
// STS is installed by the server itself: the API plane authenticates with its identities.

#include <memory>
#include <vector>

#include "module/module.h"

namespace server {

class Modules {
 public:
  // Builds every module; registers their operation tables and planes through `ctx`.
  explicit Modules(module::ModuleContext& ctx);
  ~Modules();
  Modules(const Modules&) = delete;
  Modules& operator=(const Modules&) = delete;

  // In dependency order, after the server listens; stop() in reverse, waiting for in-flight work.
  void start();
  void stop();

 private:
  struct Host;
  std::unique_ptr<Host> host_;  // null without a host network (not root, or GANTRY_TASKS=off)
  std::vector<std::unique_ptr<module::Module>> modules_;
  bool started_ = false;
};

}  // namespace server

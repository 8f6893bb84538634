#pragma once
// /_gantry/...: the emulator's own endpoints, not AWS's.
//   GET  /_gantry/health  version, uptime, models used (per model: source, API version and the
//                         protocols answered), and each service with its state
//   POST /_gantry/reset   wipes all state so that tests start clean (can be switched off)

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "http/message.h"
#include "protocol/service_registry.h"

namespace server {

class AdminPlane {
 public:
  using ResetHook = std::function<void()>;

  AdminPlane(const protocol::ServiceRegistry& registry, bool reset_enabled, std::string auth_mode);

  // Runs at reset, in registration order (stop tasks, then wipe tables, ...).
  void on_reset(ResetHook hook) { reset_hooks_.push_back(std::move(hook)); }

  static bool owns(const http::Request& req) { return req.path().starts_with("/_gantry/"); }
  void handle(const http::Request& req, http::Response& res);

 private:
  const protocol::ServiceRegistry& registry_;
  bool reset_enabled_;
  std::string auth_mode_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::vector<ResetHook> reset_hooks_;
};

}  // namespace server

#pragma once
// /_gantry/...: the emulator's own endpoints, not AWS's.
//   GET  /_gantry/health  version, uptime, models used (per model: source, API version and the
//                         protocols answered), and each service with its state
//   POST /_gantry/reset   wipes all state so that tests start clean (can be switched off)
// In strict mode every route that changes state wants a request SigV4-signed with one of the
// configured root keys (--credentials); anyone who reaches the port could otherwise destroy what
// signatures protect. Health stays public.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/message.h"
#include "protocol/identity.h"
#include "protocol/service_registry.h"

namespace server {

class AdminPlane {
 public:
  using ResetHook = std::function<void()>;

  AdminPlane(const protocol::ServiceRegistry& registry, bool reset_enabled, std::string auth_mode);

  // Runs at reset, in registration order (stop tasks, then wipe tables, ...).
  void on_reset(ResetHook hook) { reset_hooks_.push_back(std::move(hook)); }

  // Strict mode: state-changing routes are answered only for requests signed by a root key that
  // `identities` knows (long-term keys, not temporary credentials), checked at `clock`'s time.
  void require_root_signature(const protocol::IdentityResolver& identities,
                              const core::Clock& clock) {
    signer_check_ = SignerCheck{&identities, &clock};
  }

  static bool owns(const http::Request& req) { return req.path().starts_with("/_gantry/"); }
  void handle(const http::Request& req, http::Response& res);

 private:
  const protocol::ServiceRegistry& registry_;
  bool reset_enabled_;
  std::string auth_mode_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::vector<ResetHook> reset_hooks_;
  struct SignerCheck {
    const protocol::IdentityResolver* identities;
    const core::Clock* clock;
  };
  std::optional<SignerCheck> signer_check_;

  // Why `req` may not change state, or empty when it may.
  std::string refusal(const http::Request& req) const;
};

}  // namespace server

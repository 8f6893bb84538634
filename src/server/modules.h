#pragma once
// The composition root's wiring: every service module, built in dependency order with the ports
// it needs from the others, and the one host network that ECS tasks and ALB nodes share.
//
//   ec2 ──────── NetworkDirectory ─────────┬──> elbv2, ecs, host network
//   ecr ──────── ImageStore ───────────────┼──> ecs
//   logs ─────── LogSink ──────────────────┼──> ecs
//   host network (netplane + EC2 sync) ────┴──> ecs (tasks), elbv2 (load balancer nodes)
//
//   sts ──────── IdentityResolver ─────────────> the server's API plane (SigV4), authz
//   iam ──────── Directory ────────────────────> authz ── Authority, Authorizer ──> API plane

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "module/module.h"
#include "protocol/authorizer.h"
#include "protocol/identity.h"
#include "services/ecs/ecs_module.h"
#include "services/sts/identity_store.h"

namespace server {

class Modules {
 public:
  // Builds every module; registers their operation tables and planes through `ctx`.
  // `static_keys` are the --credentials key pairs, which STS resolves with its own; `ecs` says
  // what ECS keeps (stopped tasks, bundles, layers, captured output); `oidc_jwks` the JWKS files
  // of OpenID Connect issuers (--oidc-jwks).
  Modules(module::ModuleContext& ctx, std::vector<services::sts::StaticKey> static_keys,
          services::ecs::EcsOptions ecs = {},
          std::map<std::string, std::filesystem::path> oidc_jwks = {});
  ~Modules();
  Modules(const Modules&) = delete;
  Modules& operator=(const Modules&) = delete;

  // In dependency order, after the server listens; stop() in reverse, waiting for in-flight work.
  void start();
  void stop();

  // STS's identities, for the API plane's SigV4 checks.
  protocol::IdentityResolver& identities() { return *identities_; }
  // IAM policy evaluation for the API plane in --auth enforce mode.
  const protocol::Authorizer& authorizer() { return *authorizer_; }

 private:
  protocol::IdentityResolver* identities_ = nullptr;
  const protocol::Authorizer* authorizer_ = nullptr;
  struct Host;
  std::unique_ptr<Host> host_;  // null without a host network (not root, or GANTRY_TASKS=off)
  std::vector<std::unique_ptr<module::Module>> modules_;
  bool started_ = false;
};

}  // namespace server

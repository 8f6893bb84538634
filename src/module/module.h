#pragma once
// How a service plugs into the server: what a module gets (ModuleContext) and what it offers
// (Module, Plane). Services include this, never src/server/.
//
// A service folder src/services/<name>/ declares its factory in <name>_module.h, with the ports
// it needs from other modules as parameters:
//
//   std::unique_ptr<module::Module> services::<name>::make_<name>_module(
//       module::ModuleContext& ctx, <Name>Ports ports);
//
// and src/server/modules.cc calls it, in dependency order. The factory registers its operation
// table in ctx.registry, may add planes (the ECR registry under /v2/, ALB listeners) and reset
// hooks, and returns a Module whose start()/stop()
// run its reconcilers. Header-only (library gantry_module).

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/message.h"
#include "protocol/api_plane.h"
#include "protocol/service_registry.h"
#include "store/db.h"

namespace module {

// A request plane besides the AWS API: it claims requests by path, host or port.
class Plane {
 public:
  virtual ~Plane() = default;
  virtual std::string_view name() const = 0;
  virtual bool owns(const http::Request& head) const = 0;
  // For a request this plane owns, called once its headers are read: a non-null sink receives
  // the body as it streams in (no body limit), and handle() then finds it in req.body_sink.
  // Null (the default) buffers the body into req.body under the server's body limit.
  virtual std::shared_ptr<http::BodySink> stream_body(const http::Request& head) {
    (void)head;
    return nullptr;
  }
  // Fills `res`; may set res.body_file to send a file region without loading it.
  virtual void handle(http::Request& req, http::Response& res) = 0;
};

class Module {
 public:
  virtual ~Module() = default;
  // Background work (reconcilers). Called after every module is installed, before listening.
  virtual void start() {}
  // Waits for in-flight background work. Called in reverse order at shutdown.
  virtual void stop() {}
};

struct ModuleContext {
  store::Db& db;
  const core::Clock& clock;
  protocol::ServiceRegistry& registry;
  std::filesystem::path data_dir;
  std::string default_account;
  std::string default_region;
  std::string listen_address;  // as configured; the bound port is known only after listen()
  protocol::AuthMode auth_mode = protocol::AuthMode::Default;
  std::function<uint16_t()> bound_port;  // valid once the server listens
  std::function<void(std::shared_ptr<Plane>)> add_plane;
  std::function<void(std::function<void()>)> on_reset;  // run before the tables are wiped
  // Serves HTTP from a socket that already listens (made inside a VPC's namespace), with requests
  // labelled `label` (http::Request::listener); the server owns the fd. Returns an id for
  // close_listener. Both are thread-safe.
  std::function<uint64_t(int fd, std::string label)> adopt_listener;
  std::function<void(uint64_t id)> close_listener;
  // The host side of ALB listeners: port P of an internet-facing load balancer is served on
  // alb_address:(P + alb_port_offset).
  std::string alb_address = "127.0.0.1";
  int alb_port_offset = 0;
};

}  // namespace module

#include "server/gantry.h"

#include <chrono>
#include <exception>
#include <fstream>

#include "core/check.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/server.h"
#include "protocol/api_plane.h"
#include "protocol/service_registry.h"
#include "server/admin_plane.h"
#include "server/modules.h"
#include "services/sts/identity_store.h"
#include "store/db.h"

namespace server {
namespace {

std::string auth_name(protocol::AuthMode mode) {
  switch (mode) {
    case protocol::AuthMode::Strict:
      return "strict";
    case protocol::AuthMode::Enforce:
      return "enforce";
    case protocol::AuthMode::Default:
      break;
  }
  return "default";
}

}  // namespace

struct Gantry::Impl {
  Options options;
  core::SystemClock clock;
  store::Db db;
  protocol::ServiceRegistry registry;
  std::unique_ptr<protocol::ApiPlane> api;  // made after the modules: SigV4 uses STS's keys
  AdminPlane admin;
  http::Server http;
  uint16_t port = 0;
  std::vector<std::shared_ptr<module::Plane>> planes;
  std::unique_ptr<Modules> modules;

  static std::vector<services::sts::StaticKey> keys_of(const Options& o) {
    std::vector<services::sts::StaticKey> keys;
    for (const std::string& text : o.credentials) {
      services::sts::StaticKey k;
      if (!services::sts::parse_static_key(text, &k)) {
        throw std::invalid_argument("--credentials wants AKID:SECRET[:ACCOUNT], got '" + text +
                                    "'");
      }
      keys.push_back(std::move(k));
    }
    return keys;
  }

  explicit Impl(Options o)
      : options(std::move(o)),
        clock(options.time_scale),
        db(store::Db::open(options.data_dir / "gantry.db")),
        admin(registry, options.enable_reset, auth_name(options.auth_mode)),
        http(http::ServerOptions{.address = options.listen_address,
                                 .port = options.port,
                                 .body_limit = options.body_limit,
                                 .header_timeout = std::chrono::seconds(options.header_timeout),
                                 .max_connections = options.max_connections,
                                 .threads = options.threads},
             [this](http::Request& req, http::Response& res) { route(req, res); },
             [this](const http::Request& head) { return stream_body(head); }) {
    module::ModuleContext ctx{
        .db = db,
        .clock = clock,
        .registry = registry,
        .data_dir = options.data_dir,
        .default_account = options.account,
        .default_region = options.region,
        .listen_address = options.listen_address,
        .auth_mode = options.auth_mode,
        .bound_port = [this] { return port; },
        .add_plane = [this](std::shared_ptr<module::Plane> p) { planes.push_back(std::move(p)); },
        .on_reset = [this](std::function<void()> hook) { admin.on_reset(std::move(hook)); },
        .adopt_listener = [this](int fd, std::string label) {
          return http.adopt_listener(fd, std::move(label));
        },
        .close_listener = [this](uint64_t id) { http.close_listener(id); },
        .alb_address = options.alb_address,
        .alb_port_offset = options.alb_port_offset,
    };
    modules = std::make_unique<Modules>(ctx, keys_of(options), options.ecs, options.oidc_jwks);
    api = std::make_unique<protocol::ApiPlane>(
        registry, modules->identities(), clock,
        protocol::ApiOptions{options.account, options.region, options.auth_mode},
        &modules->authorizer());
    admin.on_reset([this] { db.wipe(); });
    if (options.auth_mode != protocol::AuthMode::Default) {
      admin.require_root_signature(modules->identities(), clock);
    }
  }

  ~Impl() {
    modules->stop();
  }

  // Before a body is read: the plane that will own the request may stream it (ECR blob uploads).
  std::shared_ptr<http::BodySink> stream_body(const http::Request& head) {
    if (AdminPlane::owns(head)) {
      return nullptr;
    }
    for (const std::shared_ptr<module::Plane>& plane : planes) {
      if (plane->owns(head)) {
        return plane->stream_body(head);
      }
    }
    return nullptr;
  }

  // The plane router (STYLE.md §2): /_gantry/ → admin; later /v2/ → ECR registry and ALB
  // listener hosts/ports → data plane; everything else → the AWS API plane.
  void route(http::Request& req, http::Response& res) {
    auto start = std::chrono::steady_clock::now();
    if (AdminPlane::owns(req)) {
      admin.handle(req, res);
      return;
    }
    for (const std::shared_ptr<module::Plane>& plane : planes) {
      if (plane->owns(req)) {
        plane->handle(req, res);
        return;
      }
    }
    protocol::CallSummary call;
    api->handle(req, res, call);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                          start)
                    .count();
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f", ms);
    core::log::info("request", {{"request_id", call.request_id},
                                {"service", call.service.empty() ? "-" : call.service},
                                {"operation", call.operation.empty() ? "-" : call.operation},
                                {"status", std::to_string(res.status)},
                                {"duration_ms", duration},
                                {"account", call.account.empty() ? "-" : call.account},
                                {"region", call.region.empty() ? "-" : call.region},
                                {"error", call.error_code.empty() ? "-" : call.error_code}});
  }
};

namespace {

Options checked(Options o) {
  CHECK(o.data_dir.is_absolute()) << "main() makes every path absolute: " << o.data_dir;
  CHECK(o.port_file.empty() || o.port_file.is_absolute())
      << "main() makes every path absolute: " << o.port_file;
  return o;
}

}  // namespace

Gantry::Gantry(Options options) : impl_(std::make_unique<Impl>(checked(std::move(options)))) {}

Gantry::~Gantry() = default;

int Gantry::run() {
  uint16_t port = 0;
  try {
    port = impl_->http.listen();
  } catch (const std::exception& e) {  // bind or listen failed: the port is taken
    core::log::error("cannot listen", {{"address", impl_->options.listen_address + ":" +
                                                       std::to_string(impl_->options.port)},
                                      {"error", e.what()}});
    return 1;
  }
  impl_->port = port;
  impl_->modules->start();
  const Options& o = impl_->options;
  if (!o.port_file.empty()) {
    // Write then rename, so that a reader never sees a partial number.
    std::filesystem::path tmp = o.port_file;
    tmp += ".tmp";
    {
      std::ofstream out(tmp);
      out << port << "\n";
    }
    std::filesystem::rename(tmp, o.port_file);
  }
  core::log::info("listening", {{"address", o.listen_address + ":" + std::to_string(port)},
                                {"data_dir", o.data_dir.string()},
                                {"auth", auth_name(o.auth_mode)},
                                {"models", std::string(protocol::models_source())}});
  impl_->http.run();
  core::log::info("stopped");
  return 0;
}

}  // namespace server

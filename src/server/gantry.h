#pragma once
// The whole server: state, services, planes and the HTTP edge, wired together.
// main.cc turns flags into Options and calls run(); nothing else lives there.

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "protocol/api_plane.h"
#include "services/ecs/ecs_module.h"

namespace server {

struct Options {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 4566;
  std::filesystem::path data_dir = ".gantry";
  std::string account = "000000000000";
  std::string region = "us-east-1";
  protocol::AuthMode auth_mode = protocol::AuthMode::Default;
  std::vector<std::string> credentials;  // "AKID:SECRET[:ACCOUNT]"
  std::map<std::string, std::filesystem::path> oidc_jwks;  // issuer URL -> JWKS file
  bool enable_reset = true;
  std::filesystem::path port_file;        // written once listening (tests use port 0)
  int threads = 2;
  std::size_t body_limit = 64 * 1024 * 1024;
  int header_timeout = 20;        // seconds for a request's whole head (http::ServerOptions)
  std::size_t max_connections = 0;  // 0: http::default_connection_limit()
  double time_scale = 1.0;
  // Where ALB listeners are served on the host: listener port P on alb_address:(P + offset).
  std::string alb_address = "127.0.0.1";
  int alb_port_offset = 0;
  // What the data directory keeps: stopped tasks, bundles, layers, captured output.
  services::ecs::EcsOptions ecs;
};

class Gantry {
 public:
  explicit Gantry(Options options);
  ~Gantry();
  Gantry(const Gantry&) = delete;
  Gantry& operator=(const Gantry&) = delete;

  // Listens, then serves until SIGTERM/SIGINT. Returns the process exit code.
  int run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace server

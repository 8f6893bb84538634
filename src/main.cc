// gantry: AWS ECS on Fargate behind an ALB, for real, on one machine.
// Flags (and GANTRY_* environment variables) → server::Options → Gantry::run().

#include <boost/program_options.hpp>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "runtime/image/oci_layout_source.h"
#include "server/gantry.h"
#include "services/sts/oidc_keys.h"

namespace po = boost::program_options;

namespace {

// Paths are made absolute once, here (STYLE.md §1): runc resolves a relative rootfs against its
// bundle, and a module may change directory, so nothing below main() may see a relative path.
// The data directory is created and canonicalised (symlinks resolved); a file path is made
// absolute against the working directory at start-up.
std::filesystem::path absolute_dir(const std::string& dir) {
  std::filesystem::create_directories(dir);
  return std::filesystem::canonical(dir);
}

std::filesystem::path absolute_file(const std::string& file) {
  if (file.empty()) return {};
  return std::filesystem::weakly_canonical(std::filesystem::absolute(file));
}

// gantry image load [--data-dir DIR] ARCHIVE...: imports OCI layouts (directories or tars) and
// `docker save` tars into <data-dir>/images, where tasks whose image is not in Gantry's ECR find
// them (this machine may have no registry to pull from). Works with the server running or not.
int image_load(int argc, char** argv) {
  std::string data_dir = std::getenv("GANTRY_DATA_DIR") ? std::getenv("GANTRY_DATA_DIR") : ".gantry";
  std::vector<std::string> archives;
  po::options_description desc("gantry image load [--data-dir DIR] ARCHIVE...\n\nOptions");
  desc.add_options()("help,h", "print this help")(
      "data-dir", po::value(&data_dir)->default_value(data_dir), "the server's data directory")(
      "archive", po::value(&archives)->composing(), "OCI layout (dir or tar) or docker save tar");
  po::positional_options_description pos;
  pos.add("archive", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "gantry image load: " << e.what() << "\n\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help") || archives.empty()) {
    std::cout << desc << "\n";
    return archives.empty() && !vm.count("help") ? 2 : 0;
  }
  std::filesystem::path dir;
  try {
    dir = absolute_dir(data_dir);
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "gantry image load: --data-dir " << data_dir << ": " << e.code().message() << "\n";
    return 2;
  }
  runtime::image::OciLayoutSource images(dir / "images");
  int status = 0;
  for (const std::string& a : archives) {
    auto refs = images.import_archive(a);
    if (!refs) {
      std::cerr << "gantry image load: " << a << ": " << refs.error().message << "\n";
      status = 1;
      continue;
    }
    for (const std::string& r : *refs) std::cout << "Loaded image: " << r << "\n";
  }
  return status;
}

// Flags that main() turns into server::Options after parsing.
struct Flags {
  std::string listen = "127.0.0.1:4566";
  std::string log_level = "info";
  std::string auth = "default";
  std::string data_dir;
  std::string port_file;
  std::vector<std::string> oidc_jwks;  // ISSUER_URL=PATH
  // Growth limits, turned into server::Options::ecs (services/ecs/ecs_module.h).
  int64_t stopped_task_ttl = 3600;
  int64_t stopped_bundle_ttl = 0;
  int64_t stopped_bundle_max_mb = 1024;
  int64_t layer_cache_max_mb = 10240;
  int64_t layer_max_idle = 86400;
  int64_t prune_interval = 30;
  int64_t log_segment_kb = 8192;
  int64_t log_max_segments = 4;
  int64_t ecs_metrics_period = 60;
};

po::options_description server_flags(Flags& f, server::Options& o) {
  po::options_description desc(
      "gantry: AWS ECS/ECR/ALB for real on one machine.\n"
      "Every flag can also be set as an environment variable GANTRY_<FLAG> "
      "(upper case, '-' as '_').\n\nOptions");
  desc.add_options()
      ("help,h", "print this help")
      ("listen", po::value(&f.listen)->default_value(f.listen), "address:port to serve on (port 0: any free port)")
      ("data-dir", po::value(&f.data_dir)->default_value(f.data_dir), "directory for state (SQLite) and blobs")
      ("log-level", po::value(&f.log_level)->default_value(f.log_level), "debug, info, warn or error")
      ("account", po::value(&o.account)->default_value(o.account), "default 12-digit account id")
      ("region", po::value(&o.region)->default_value(o.region), "default region")
      ("auth", po::value(&f.auth)->default_value(f.auth),
       "default: accept any credentials (a 12-digit access key id selects that account); "
       "strict: verify SigV4 against --credentials and STS-issued keys; "
       "enforce: strict, and allow IAM users and roles only what their policies allow")
      ("credentials", po::value(&o.credentials)->composing(),
       "AKID:SECRET[:ACCOUNT] key pair for strict auth; repeatable, or comma-separated in the env")
      ("oidc-jwks", po::value(&f.oidc_jwks)->composing(),
       "ISSUER_URL=PATH: the JWKS file that verifies web identity tokens of that OpenID Connect "
       "issuer (AssumeRoleWithWebIdentity); repeatable, or comma-separated in the env")
      ("disable-reset", po::bool_switch(), "refuse POST /_gantry/reset")
      ("port-file", po::value(&f.port_file), "write the bound port here once listening")
      ("threads", po::value(&o.threads)->default_value(o.threads), "I/O threads")
      ("body-limit", po::value(&o.body_limit)->default_value(o.body_limit), "largest API request body, bytes (413 above)")
      ("header-timeout", po::value(&o.header_timeout)->default_value(o.header_timeout),
       "seconds a request's whole head may take to arrive; slower clients are cut off")
      ("max-connections", po::value(&o.max_connections)->default_value(o.max_connections),
       "open client connections at most (0: half of RLIMIT_NOFILE, at most 10000)")
      ("time-scale", po::value(&o.time_scale)->default_value(o.time_scale),
       "speed-up factor for AWS timers (health checks, cooldowns, delays)")
      ("alb-address", po::value(&o.alb_address)->default_value(o.alb_address),
       "host address where internet-facing load balancers' listeners are served")
      ("alb-port-offset", po::value(&o.alb_port_offset)->default_value(o.alb_port_offset),
       "listener port P is served on P + offset (e.g. 10000: port 80 on 10080)")
      ("stopped-task-ttl", po::value(&f.stopped_task_ttl)->default_value(f.stopped_task_ttl),
       "seconds (AWS time, time-scaled) a STOPPED task stays in DescribeTasks/ListTasks")
      ("stopped-bundle-ttl", po::value(&f.stopped_bundle_ttl)->default_value(f.stopped_bundle_ttl),
       "seconds a stopped task's container bundles are kept (0: removed with the task)")
      ("stopped-bundle-max-mb", po::value(&f.stopped_bundle_max_mb)->default_value(f.stopped_bundle_max_mb),
       "MiB of kept stopped bundles at most; the oldest go first")
      ("layer-cache-max-mb", po::value(&f.layer_cache_max_mb)->default_value(f.layer_cache_max_mb),
       "MiB of unpacked image layers at most; unused layers go, least recently used first")
      ("layer-max-idle", po::value(&f.layer_max_idle)->default_value(f.layer_max_idle),
       "seconds after which an unused unpacked layer is removed")
      ("prune-interval", po::value(&f.prune_interval)->default_value(f.prune_interval),
       "seconds between passes of the bundle and layer pruner")
      ("log-segment-kb", po::value(&f.log_segment_kb)->default_value(f.log_segment_kb),
       "KiB per segment of a container's captured output")
      ("log-max-segments", po::value(&f.log_max_segments)->default_value(f.log_max_segments),
       "segments of captured output kept per container (the oldest unforwarded go beyond it)")
      ("ecs-metrics-period", po::value(&f.ecs_metrics_period)->default_value(f.ecs_metrics_period),
       "seconds (AWS time, time-scaled) between AWS/ECS metric publications (ECS: 60)");
  return desc;
}

// Command line first, then GANTRY_<FLAG> variables for flags the command line left out.
void parse_flags(int argc, char** argv, const po::options_description& desc,
                 po::variables_map& vm) {
  po::store(po::parse_command_line(argc, argv, desc), vm);
  po::store(po::parse_environment(desc,
                                  [&desc](const std::string& env) -> std::string {
                                    if (!env.starts_with("GANTRY_")) return {};
                                    std::string name = env.substr(7);
                                    for (char& c : name) {
                                      c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
                                    }
                                    return desc.find_nothrow(name, false) ? name : std::string();
                                  }),
            vm);
  po::notify(vm);
}

// The environment form of --credentials is one comma-separated value.
std::vector<std::string> split_commas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    std::size_t start = 0;
    while (start <= v.size()) {
      std::size_t comma = v.find(',', start);
      std::string part = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

// The growth limits' flags; an error message for a value out of range.
std::string apply_limits(const Flags& f, services::ecs::EcsOptions& ecs) {
  if (f.stopped_task_ttl < 0 || f.stopped_bundle_ttl < 0 || f.stopped_bundle_max_mb < 0 ||
      f.layer_cache_max_mb < 0 || f.layer_max_idle < 0) {
    return "--stopped-task-ttl, --stopped-bundle-*, --layer-* must not be negative";
  }
  if (f.prune_interval < 1 || f.log_segment_kb < 1 || f.log_max_segments < 1 ||
      f.ecs_metrics_period < 1) {
    return "--prune-interval, --log-segment-kb, --log-max-segments and --ecs-metrics-period "
           "must be at least 1";
  }
  constexpr uint64_t kMiB = 1 << 20;
  ecs.stopped_task_ttl = std::chrono::seconds(f.stopped_task_ttl);
  ecs.prune.stopped_bundle_ttl = std::chrono::seconds(f.stopped_bundle_ttl);
  ecs.prune.stopped_bundle_max_bytes = static_cast<uint64_t>(f.stopped_bundle_max_mb) * kMiB;
  ecs.prune.layer_cache_max_bytes = static_cast<uint64_t>(f.layer_cache_max_mb) * kMiB;
  ecs.prune.layer_max_idle = std::chrono::seconds(f.layer_max_idle);
  ecs.prune.layer_min_idle = std::min(ecs.prune.layer_min_idle, ecs.prune.layer_max_idle);
  ecs.prune_period = std::chrono::seconds(f.prune_interval);
  ecs.log_segment_bytes = static_cast<uint64_t>(f.log_segment_kb) * 1024;
  ecs.log_max_segments = static_cast<uint64_t>(f.log_max_segments);
  ecs.metrics_period = std::chrono::seconds(f.ecs_metrics_period);
  return {};
}

// Fills the rest of `o` from the parsed flags; an error message for a flag it cannot take.
std::string apply_flags(const Flags& f, const po::variables_map& vm, server::Options& o) {
  core::log::Level level;
  if (!core::log::parse_level(f.log_level, &level)) {
    return "unknown --log-level " + f.log_level;
  }
  core::log::set_level(level);
  auto colon = f.listen.rfind(':');
  unsigned port = 0;
  const char* port_end = f.listen.data() + f.listen.size();
  if (colon == std::string::npos ||
      std::from_chars(f.listen.data() + colon + 1, port_end, port).ptr != port_end ||
      port > 65535) {
    return "--listen wants address:port";
  }
  o.listen_address = f.listen.substr(0, colon);
  o.port = static_cast<uint16_t>(port);
  if (f.auth == "strict") {
    o.auth_mode = protocol::AuthMode::Strict;
  } else if (f.auth == "enforce") {
    o.auth_mode = protocol::AuthMode::Enforce;
  } else if (f.auth != "default") {
    return "--auth must be default, strict or enforce";
  }
  if (std::string error = apply_limits(f, o.ecs); !error.empty()) {
    return error;
  }
  if (o.header_timeout <= 0) {
    return "--header-timeout must be at least 1 second";
  }
  o.credentials = split_commas(o.credentials);
  for (const std::string& text : split_commas(f.oidc_jwks)) {
    std::string issuer, path;
    if (!services::sts::parse_oidc_jwks_flag(text, &issuer, &path)) {
      return "--oidc-jwks wants ISSUER_URL=PATH, got '" + text + "'";
    }
    o.oidc_jwks[issuer] = absolute_file(path);
  }
  o.enable_reset = !vm["disable-reset"].as<bool>();
  try {
    o.data_dir = absolute_dir(f.data_dir);
    o.port_file = absolute_file(f.port_file);
  } catch (const std::filesystem::filesystem_error& e) {
    return e.path1().string() + ": " + e.code().message();
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::string_view(argv[1]) == "image" && std::string_view(argv[2]) == "load") {
    return image_load(argc - 2, argv + 2);
  }
  server::Options o;
  Flags flags;
  flags.data_dir = o.data_dir.string();
  po::options_description desc = server_flags(flags, o);
  po::variables_map vm;
  try {
    parse_flags(argc, argv, desc, vm);
  } catch (const po::error& e) {
    std::cerr << "gantry: " << e.what() << "\n\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  if (std::string error = apply_flags(flags, vm, o); !error.empty()) {
    std::cerr << "gantry: " << error << "\n";
    return 2;
  }
  server::Gantry gantry(std::move(o));
  return gantry.run();
}

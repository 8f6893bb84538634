#include "services/ecs/ecs_container_spec.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <boost/json/array.hpp>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "core/json.h"

namespace services::ecs {
namespace {

// The runtime's vocabulary, which this adapter translates ECS definitions into.
using runtime::ContainerSpec;
using runtime::errc;
using runtime::Error;
using runtime::HealthCheckSpec;
using runtime::MountSpec;
using runtime::Result;
using runtime::Ulimit;
namespace image = runtime::image;

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char* kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr std::uint64_t kFargateNofile = 65535;

Error invalid(std::string message) { return Error(errc::invalid_spec, std::move(message)); }

std::optional<std::int64_t> integer(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) {
    return std::nullopt;
  }
  if (v->is_int64()) {
    return v->as_int64();
  }
  if (v->is_uint64()) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  if (v->is_string()) {  // task-level cpu and memory are strings ("256", "0.25 vCPU" not handled)
    std::int64_t n = 0;
    std::string_view s = v->as_string();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc()) {
      return n;
    }
  }
  return std::nullopt;
}

bool boolean(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

std::optional<std::vector<std::string>> strings(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_array() || v->as_array().empty()) {
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const json::value& e : v->as_array()) {
    if (e.is_string()) {
      out.emplace_back(e.as_string());
    }
  }
  return out;
}

const json::array& array(const json::object& o, std::string_view key) {
  static const json::array empty;
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array() : empty;
}

const json::object& object(const json::object& o, std::string_view key) {
  static const json::object empty;
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? v->as_object() : empty;
}

// The file at `relative` in the merged rootfs: the top-most layer that has it, unless a layer
// above whiteouts it.
std::optional<std::string> read_from_layers(const std::vector<fs::path>& layers,
                                            const std::string& relative) {
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    fs::path p = *it / relative;
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0) {
      continue;
    }
    if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
      return std::nullopt;  // whiteout
    }
    if (!S_ISREG(st.st_mode)) {
      return std::nullopt;
    }
    std::ifstream in(p);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  return std::nullopt;
}

std::vector<std::vector<std::string>> colon_records(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::vector<std::string> fields;
    std::size_t pos = 0;
    for (;;) {
      std::size_t colon = line.find(':', pos);
      fields.push_back(
          line.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos));
      if (colon == std::string::npos) {
        break;
      }
      pos = colon + 1;
    }
    out.push_back(std::move(fields));
  }
  return out;
}

std::optional<std::uint32_t> number(const std::string& s) {
  std::uint32_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return n;
}

struct ResolvedUser {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::vector<std::uint32_t> additional_gids;
  std::string home = "/";
};

// Docker's user resolution (github.com/moby/sys/user GetExecUser).
Result<ResolvedUser> resolve_user(const std::string& spec, const std::vector<fs::path>& layers) {
  std::string user_part = spec.substr(0, spec.find(':'));
  std::string group_part =
      spec.find(':') == std::string::npos ? "" : spec.substr(spec.find(':') + 1);
  if (user_part.empty()) {
    user_part = "0";
  }
  auto passwd = colon_records(read_from_layers(layers, "etc/passwd").value_or(""));
  auto groups = colon_records(read_from_layers(layers, "etc/group").value_or(""));
  ResolvedUser out;
  std::string name;
  std::optional<std::uint32_t> uid = number(user_part);
  bool found = false;
  for (const auto& f : passwd) {
    if (f.size() < 6) {
      continue;
    }
    if ((uid && number(f[2]) == uid) || (!uid && f[0] == user_part)) {
      out.uid = number(f[2]).value_or(0);
      out.gid = number(f[3]).value_or(0);
      out.home = f[5].empty() ? "/" : f[5];
      name = f[0];
      found = true;
      break;
    }
  }
  if (!found) {
    if (!uid) {
      return invalid("unable to find user " + user_part + ": no matching entries in passwd file");
    }
    out.uid = *uid;
  }
  if (!group_part.empty()) {
    std::optional<std::uint32_t> gid = number(group_part);
    if (!gid) {
      for (const auto& f : groups) {
        if (f.size() >= 3 && f[0] == group_part) {
          gid = number(f[2]);
        }
      }
      if (!gid) {
        return invalid("unable to find group " + group_part +
                       ": no matching entries in group file");
      }
    }
    out.gid = *gid;
  }
  if (!name.empty()) {
    for (const auto& f : groups) {
      if (f.size() < 4) {
        continue;
      }
      std::istringstream members(f[3]);
      std::string m;
      while (std::getline(members, m, ',')) {
        std::optional<std::uint32_t> g = number(f[2]);
        if (m == name && g && *g != out.gid) {
          out.additional_gids.push_back(*g);
        }
      }
    }
  }
  return out;
}

int rlimit_resource(const std::string& name) {
  static const std::map<std::string, int> kResources = {
      {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
      {"data", RLIMIT_DATA},         {"fsize", RLIMIT_FSIZE},
      {"locks", RLIMIT_LOCKS},       {"memlock", RLIMIT_MEMLOCK},
      {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
      {"nofile", RLIMIT_NOFILE},     {"nproc", RLIMIT_NPROC},
      {"rss", RLIMIT_RSS},           {"rtprio", RLIMIT_RTPRIO},
      {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
      {"stack", RLIMIT_STACK},
  };
  auto it = kResources.find(name);
  return it == kResources.end() ? -1 : it->second;
}

// Caps to this host's hard limit: a container cannot get more than runc itself may set.
Ulimit capped(std::string name, std::uint64_t soft, std::uint64_t hard) {
  int resource = rlimit_resource(name);
  rlimit host{};
  if (resource >= 0 && ::getrlimit(resource, &host) == 0 && host.rlim_max != RLIM_INFINITY) {
    hard = std::min<std::uint64_t>(hard, host.rlim_max);
  }
  return {std::move(name), std::min(soft, hard), hard};
}

void set_env(std::vector<std::string>& env, std::map<std::string, std::size_t>& index,
             const std::string& key, const std::string& value) {
  auto it = index.find(key);
  if (it != index.end()) {
    env[it->second] = key + "=" + value;
  } else {
    index[key] = env.size();
    env.push_back(key + "=" + value);
  }
}

void set_env_line(std::vector<std::string>& env, std::map<std::string, std::size_t>& index,
                  const std::string& line) {
  std::size_t eq = line.find('=');
  if (eq == std::string::npos || eq == 0) {
    return;
  }
  set_env(env, index, line.substr(0, eq), line.substr(eq + 1));
}

Result<void> read_environment_file(const std::string& value, std::vector<std::string>& env,
                                   std::map<std::string, std::size_t>& index) {
  if (value.starts_with("arn:")) {
    return invalid("environment file " + value +
                   ": only file paths on this host are supported, not S3 objects");
  }
  std::ifstream in(value);
  if (!in) {
    return invalid("cannot read environment file " + value);
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    set_env_line(env, index, line);
  }
  return {};
}

std::vector<std::string> merge_args(const json::object& def, const image::ImageConfig& image) {
  std::optional<std::vector<std::string>> entry_point = strings(def, "entryPoint");
  std::optional<std::vector<std::string>> command = strings(def, "command");
  std::vector<std::string> args;
  if (entry_point) {
    args = *entry_point;
    if (command) {
      args.insert(args.end(), command->begin(), command->end());
    }
    return args;
  }
  args = image.entrypoint.value_or(std::vector<std::string>{});
  std::vector<std::string> cmd =
      command ? *command : image.cmd.value_or(std::vector<std::string>{});
  args.insert(args.end(), cmd.begin(), cmd.end());
  return args;
}

Result<void> add_mounts(const EcsContainerInput& in, ContainerSpec& spec) {
  std::map<std::string, const json::object*> volumes;
  for (const json::value& v : array(in.task_definition, "volumes")) {
    if (v.is_object()) {
      volumes[core::str(v.as_object(), "name")] = &v.as_object();
    }
  }
  for (const json::value& v : array(in.definition, "mountPoints")) {
    if (!v.is_object()) {
      continue;
    }
    const json::object& mp = v.as_object();
    std::string source = core::str(mp, "sourceVolume");
    auto it = volumes.find(source);
    if (it == volumes.end()) {
      return invalid("mount point references unknown volume " + source);
    }
    MountSpec m;
    m.destination = core::str(mp, "containerPath");
    m.read_only = boolean(mp, "readOnly");
    std::string host_path = core::str(object(*it->second, "host"), "sourcePath");
    if (it->second->contains("efsVolumeConfiguration") ||
        it->second->contains("fsxWindowsFileServerVolumeConfiguration")) {
      return invalid("volume " + source + ": EFS and FSx volumes are not supported");
    }
    if (!host_path.empty()) {
      m.kind = MountSpec::Kind::Bind;
      m.source = host_path;
    } else {
      m.kind = MountSpec::Kind::TaskVolume;
      m.source = source;
    }
    spec.mounts.push_back(std::move(m));
  }
  for (const json::value& v : array(object(in.definition, "linuxParameters"), "tmpfs")) {
    if (v.is_object()) {
      MountSpec m;
      m.kind = MountSpec::Kind::Tmpfs;
      m.destination = core::str(v.as_object(), "containerPath");
      m.tmpfs_size_mib = static_cast<std::uint64_t>(integer(v.as_object(), "size").value_or(0));
      spec.mounts.push_back(std::move(m));
    }
  }
  return {};
}

std::optional<HealthCheckSpec> health_check(const json::object& def) {
  const json::object& hc = object(def, "healthCheck");
  std::vector<std::string> command = strings(hc, "command").value_or(std::vector<std::string>{});
  if (command.empty() || command[0] == "NONE") {
    return std::nullopt;
  }
  HealthCheckSpec out;
  if (command[0] == "CMD-SHELL") {
    std::string script;
    for (std::size_t i = 1; i < command.size(); ++i) {
      script += (i > 1 ? " " : "") + command[i];
    }
    out.command = {"/bin/sh", "-c", script};
  } else if (command[0] == "CMD") {
    out.command.assign(command.begin() + 1, command.end());
  } else {
    out.command = command;
  }
  out.interval = std::chrono::seconds(integer(hc, "interval").value_or(30));
  out.timeout = std::chrono::seconds(integer(hc, "timeout").value_or(5));
  out.retries = static_cast<int>(integer(hc, "retries").value_or(3));
  out.start_period = std::chrono::seconds(integer(hc, "startPeriod").value_or(0));
  return out;
}

// The environment, lowest first: image Env, extra_environment, environmentFiles, environment;
// then PATH, HOSTNAME and HOME where none of those set them, as Docker does.
Result<void> build_environment(const EcsContainerInput& in, const std::string& home,
                               ContainerSpec& spec) {
  const json::object& def = in.definition;
  std::map<std::string, std::size_t> index;
  for (const std::string& e : in.image_config.env) {
    set_env_line(spec.env, index, e);
  }
  for (const auto& [k, v] : in.extra_environment) {
    set_env(spec.env, index, k, v);
  }
  for (const json::value& f : array(def, "environmentFiles")) {
    if (f.is_object()) {
      if (Result<void> r =
              read_environment_file(core::str(f.as_object(), "value"), spec.env, index);
          !r) {
        return r;
      }
    }
  }
  for (const json::value& e : array(def, "environment")) {
    if (e.is_object()) {
      set_env(spec.env, index, core::str(e.as_object(), "name"), core::str(e.as_object(), "value"));
    }
  }
  if (!index.contains("PATH")) {
    set_env_line(spec.env, index, kDefaultPath);
  }
  if (!spec.hostname.empty() && !index.contains("HOSTNAME")) {
    set_env(spec.env, index, "HOSTNAME", spec.hostname);
  }
  if (!index.contains("HOME")) {
    set_env(spec.env, index, "HOME", home);
  }
  return {};
}

// The definition's ulimits, capped to the host's, with Fargate's nofile when it sets none.
Result<void> add_ulimits(const json::object& def, ContainerSpec& spec) {
  bool nofile_set = false;
  for (const json::value& u : array(def, "ulimits")) {
    if (!u.is_object()) {
      continue;
    }
    std::string name = core::str(u.as_object(), "name");
    if (rlimit_resource(name) < 0) {
      return invalid("unknown ulimit " + name);
    }
    nofile_set = nofile_set || name == "nofile";
    spec.ulimits.push_back(
        capped(name, static_cast<std::uint64_t>(integer(u.as_object(), "softLimit").value_or(0)),
               static_cast<std::uint64_t>(integer(u.as_object(), "hardLimit").value_or(0))));
  }
  if (!nofile_set) {
    spec.ulimits.push_back(capped("nofile", kFargateNofile, kFargateNofile));
  }
  return {};
}

// /etc/hosts (the task's own name and address, then extraHosts) and resolv.conf.
void add_name_resolution(const EcsContainerInput& in, ContainerSpec& spec) {
  const json::object& def = in.definition;
  if (!in.private_ip.empty() && !spec.hostname.empty()) {
    spec.hosts.emplace_back(in.private_ip, spec.hostname);
  }
  for (const json::value& h : array(def, "extraHosts")) {
    if (h.is_object()) {
      spec.hosts.emplace_back(core::str(h.as_object(), "ipAddress"),
                              core::str(h.as_object(), "hostname"));
    }
  }
  spec.dns_servers = strings(def, "dnsServers").value_or(in.dns_servers);
  spec.dns_search = strings(def, "dnsSearchDomains").value_or(std::vector<std::string>{});
}

// Memory limits (the container's memory, else the task's) and CPU quota and shares.
void set_resources(const EcsContainerInput& in, ContainerSpec& spec) {
  const json::object& def = in.definition;
  constexpr std::int64_t kMiB = 1 << 20;
  std::optional<std::int64_t> memory = integer(def, "memory");
  if (!memory || *memory <= 0) {
    memory = integer(in.task_definition, "memory");
  }
  if (memory && *memory > 0) {
    spec.memory_limit_bytes = *memory * kMiB;
  }
  if (std::optional<std::int64_t> reservation = integer(def, "memoryReservation");
      reservation && *reservation > 0) {
    spec.memory_reservation_bytes = *reservation * kMiB;
  }
  // 1024 cpu units are one CPU: 256 units → 25000 µs per 100000 µs period.
  if (std::optional<std::int64_t> task_cpu = integer(in.task_definition, "cpu");
      task_cpu && *task_cpu > 0) {
    spec.cpu_quota_us = *task_cpu * spec.cpu_period_us / 1024;
  }
  if (std::optional<std::int64_t> cpu = integer(def, "cpu"); cpu && *cpu > 0) {
    spec.cpu_shares = static_cast<std::uint64_t>(std::max<std::int64_t>(*cpu, 2));
  }
}

}  // namespace

Result<ContainerSpec> build_ecs_container_spec(const EcsContainerInput& in) {
  const json::object& def = in.definition;
  ContainerSpec spec;
  spec.group = in.group;
  spec.name = core::str(def, "name");
  spec.image_digest = in.image_digest;
  spec.layers = in.layers;
  spec.netns_path = in.netns_path;
  spec.args = merge_args(def, in.image_config);
  if (spec.args.empty()) {
    return invalid("No command specified");
  }
  spec.hostname = core::str(def, "hostname").empty() ? in.hostname : core::str(def, "hostname");

  std::string user = core::str(def, "user").empty() ? in.image_config.user : core::str(def, "user");
  Result<ResolvedUser> resolved = resolve_user(user, in.layers);
  if (!resolved) {
    return resolved.error();
  }
  spec.uid = resolved->uid;
  spec.gid = resolved->gid;
  spec.additional_gids = resolved->additional_gids;
  if (Result<void> r = build_environment(in, resolved->home, spec); !r) {
    return r.error();
  }

  std::string cwd = core::str(def, "workingDirectory");
  spec.cwd = !cwd.empty()                           ? cwd
             : !in.image_config.working_dir.empty() ? in.image_config.working_dir
                                                    : "/";
  spec.readonly_rootfs = boolean(def, "readonlyRootFilesystem");
  if (Result<void> r = add_ulimits(def, spec); !r) {
    return r.error();
  }

  const json::object& linux_parameters = object(def, "linuxParameters");
  spec.init = boolean(linux_parameters, "initProcessEnabled");
  const json::object& caps = object(linux_parameters, "capabilities");
  spec.cap_add = strings(caps, "add").value_or(std::vector<std::string>{});
  spec.cap_drop = strings(caps, "drop").value_or(std::vector<std::string>{});
  if (Result<void> r = add_mounts(in, spec); !r) {
    return r.error();
  }
  add_name_resolution(in, spec);
  set_resources(in, spec);
  spec.pids_limit = in.pids_limit;
  spec.health_check = health_check(def);
  return spec;
}

}  // namespace services::ecs

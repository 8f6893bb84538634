#include "runtime/oci_bundle.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <fstream>
#include <set>

namespace runtime {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// Docker's default capability set.
const std::vector<std::string> kDefaultCaps = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",    "CAP_AUDIT_WRITE",
};

std::string cap_name(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name.starts_with("CAP_") ? name : "CAP_" + name;
}

json::array strings(const std::vector<std::string>& v) {
  json::array out;
  for (const std::string& s : v) {
    out.emplace_back(s);
  }
  return out;
}

json::object mount(std::string destination, std::string type, std::string source,
                   std::vector<std::string> options) {
  return {{"destination", std::move(destination)},
          {"type", std::move(type)},
          {"source", std::move(source)},
          {"options", strings(options)}};
}

json::array capabilities(const ContainerSpec& spec) {
  std::set<std::string> caps;
  bool drop_all = false;
  for (const std::string& d : spec.cap_drop) {
    drop_all = drop_all || cap_name(d) == "CAP_ALL";
  }
  if (!drop_all) {
    caps.insert(kDefaultCaps.begin(), kDefaultCaps.end());
  }
  for (const std::string& d : spec.cap_drop) {
    caps.erase(cap_name(d));
  }
  for (const std::string& a : spec.cap_add) {
    caps.insert(cap_name(a));
  }
  json::array out;
  for (const std::string& c : caps) {
    out.emplace_back(c);
  }
  return out;
}

std::string rlimit_type(const std::string& ecs_name) {
  std::string upper = ecs_name;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return "RLIMIT_" + upper;
}

json::array mounts(const ContainerSpec& spec, const fs::path& dir, const BundleOptions& options) {
  json::array out{
      mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      mount("/dev/pts", "devpts", "devpts",
            {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
      mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
      mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}),
      mount("/etc/hosts", "bind", (dir / "hosts").string(), {"rbind", "rprivate"}),
      mount("/etc/resolv.conf", "bind", (dir / "resolv.conf").string(), {"rbind", "rprivate"}),
      mount("/etc/hostname", "bind", (dir / "hostname").string(), {"rbind", "rprivate"}),
  };
  if (spec.init && !options.init_path.empty()) {
    out.push_back(mount("/sbin/gantry-init", "bind", options.init_path.string(),
                        {"rbind", "ro", "rprivate"}));
  }
  for (const MountSpec& m : spec.mounts) {
    std::vector<std::string> opts;
    switch (m.kind) {
      case MountSpec::Kind::Tmpfs:
        opts = {"nosuid", "nodev", "mode=1777"};
        if (m.tmpfs_size_mib > 0) {
          opts.push_back("size=" + std::to_string(m.tmpfs_size_mib) + "m");
        }
        if (m.read_only) {
          opts.push_back("ro");
        }
        out.push_back(mount(m.destination, "tmpfs", "tmpfs", opts));
        continue;
      case MountSpec::Kind::Bind:
        opts = {"rbind", "rprivate", m.read_only ? "ro" : "rw"};
        out.push_back(mount(m.destination, "bind", m.source, opts));
        continue;
      case MountSpec::Kind::TaskVolume:
        opts = {"rbind", "rprivate", m.read_only ? "ro" : "rw"};
        out.push_back(
            mount(m.destination, "bind", (options.task_volume_dir / m.source).string(), opts));
        continue;
    }
  }
  return out;
}

json::object resources(const ContainerSpec& spec, const CgroupControllers& runc) {
  json::object r{{"devices", json::array{json::object{{"allow", false}, {"access", "rwm"}}}}};
  CgroupLimits limits = cgroup_limits(spec);
  json::object memory;
  if (limits.memory_limit_bytes > 0) {
    memory["limit"] = limits.memory_limit_bytes;
    memory["swap"] = limits.memory_limit_bytes;  // no swap: over the limit means OOM, as on Fargate
  }
  if (limits.memory_reservation_bytes > 0) {
    memory["reservation"] = limits.memory_reservation_bytes;
  }
  if (!memory.empty() && runc.memory) {
    r["memory"] = std::move(memory);
  }
  json::object cpu;
  if (limits.cpu_shares > 0) {
    cpu["shares"] = limits.cpu_shares;
  }
  if (limits.cpu_quota_us > 0) {
    cpu["quota"] = limits.cpu_quota_us;
    cpu["period"] = limits.cpu_period_us;
  }
  if (!cpu.empty() && runc.cpu) {
    r["cpu"] = std::move(cpu);
  }
  if (limits.pids_limit > 0 && runc.pids) {
    r["pids"] = json::object{{"limit", limits.pids_limit}};
  }
  return r;
}

Result<void> write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) {
    return Error::from_errno(errno, "write " + path.string());
  }
  return {};
}

std::string hosts_file(const ContainerSpec& spec) {
  std::string out = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
  for (const auto& [ip, names] : spec.hosts) {
    out += ip + "\t" + names + "\n";
  }
  return out;
}

std::string resolv_file(const ContainerSpec& spec) {
  std::string out;
  for (const std::string& s : spec.dns_servers) {
    out += "nameserver " + s + "\n";
  }
  if (!spec.dns_search.empty()) {
    out += "search";
    for (const std::string& s : spec.dns_search) {
      out += " " + s;
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string cgroup_path(const BundleOptions& options, const std::string& id) {
  return "/" + options.cgroup_parent + "/" + id;
}

CgroupLimits cgroup_limits(const ContainerSpec& spec) {
  return {.cpu_quota_us = spec.cpu_quota_us,
          .cpu_period_us = spec.cpu_period_us,
          .cpu_shares = spec.cpu_shares,
          .memory_limit_bytes = spec.memory_limit_bytes,
          .memory_reservation_bytes = spec.memory_reservation_bytes,
          .pids_limit = spec.pids_limit};
}

json::object oci_config(const ContainerSpec& spec, const std::string& id, const fs::path& dir,
                        const BundleOptions& options) {
  std::vector<std::string> args = spec.args;
  if (spec.init && !options.init_path.empty()) {
    args.insert(args.begin(), {"/sbin/gantry-init", "--"});
  }
  json::array gids;
  for (std::uint32_t g : spec.additional_gids) {
    gids.emplace_back(g);
  }
  json::object user{{"uid", spec.uid}, {"gid", spec.gid}};
  if (!gids.empty()) {
    user["additionalGids"] = std::move(gids);
  }
  json::array rlimits;
  for (const Ulimit& u : spec.ulimits) {
    rlimits.push_back(
        json::object{{"type", rlimit_type(u.name)}, {"hard", u.hard}, {"soft", u.soft}});
  }
  json::array caps = capabilities(spec);
  json::object process{
      {"terminal", false},
      {"user", std::move(user)},
      {"args", strings(args)},
      {"env", strings(spec.env)},
      {"cwd", spec.cwd.empty() ? "/" : spec.cwd},
      {"capabilities", json::object{{"bounding", caps}, {"effective", caps}, {"permitted", caps}}},
      {"rlimits", std::move(rlimits)},
      {"noNewPrivileges", false},
  };
  json::object network{{"type", "network"}};
  if (!spec.netns_path.empty()) {
    network["path"] = spec.netns_path;
  }
  json::object linux_section{
      {"namespaces", json::array{json::object{{"type", "pid"}}, json::object{{"type", "ipc"}},
                                 json::object{{"type", "uts"}}, json::object{{"type", "mount"}},
                                 std::move(network)}},
      {"cgroupsPath", cgroup_path(options, id)},
      {"resources", resources(spec, options.runc_controllers)},
      {"maskedPaths", strings({"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                               "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                               "/proc/sched_debug", "/sys/firmware", "/proc/scsi"})},
      {"readonlyPaths",
       strings({"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"})},
  };
  return {
      {"ociVersion", "1.0.2"},
      {"process", std::move(process)},
      {"root",
       json::object{{"path", (dir / "rootfs").string()}, {"readonly", spec.readonly_rootfs}}},
      {"hostname", spec.hostname},
      {"mounts", mounts(spec, dir, options)},
      {"linux", std::move(linux_section)},
  };
}

Result<void> write_bundle(const ContainerSpec& spec, const std::string& id, const fs::path& dir,
                          const BundleOptions& options) {
  std::error_code ec;
  for (const char* sub : {"rootfs", "upper", "work"}) {
    fs::create_directories(dir / sub, ec);
    if (ec) {
      return Error(ec, "mkdir " + (dir / sub).string());
    }
  }
  for (const MountSpec& m : spec.mounts) {
    if (m.kind == MountSpec::Kind::TaskVolume) {
      fs::create_directories(options.task_volume_dir / m.source, ec);
      if (ec) {
        return Error(ec, "mkdir volume " + m.source);
      }
    }
  }
  if (Result<void> r = write_text(dir / "hosts", hosts_file(spec)); !r) {
    return r;
  }
  if (Result<void> r = write_text(dir / "resolv.conf", resolv_file(spec)); !r) {
    return r;
  }
  if (Result<void> r = write_text(dir / "hostname", spec.hostname + "\n"); !r) {
    return r;
  }
  // config.json carries the process environment, which may hold resolved secrets (ECS
  // `secrets`): readable by root only, as the runtime's own state files are.
  fs::path config = dir / "config.json";
  {
    std::ofstream touch(config, std::ios::binary | std::ios::trunc);
  }
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write, ec);
  if (ec) {
    return Error(ec, "chmod " + config.string());
  }
  return write_text(config, json::serialize(oci_config(spec, id, dir, options)));
}

}  // namespace runtime

#include "runtime/container_manager.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/ids.h"
#include "core/json.h"
#include "core/log.h"
#include "runtime/container_entry.h"
#include "runtime/image/sha256.h"
#include "runtime/process.h"

namespace runtime {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using std::chrono::milliseconds;

constexpr milliseconds kRemoveWait{10000};  // for a killed container's shim to record it

json::object meta_json(const std::string& id, const ContainerSpec& spec) {
  json::object meta{
      {"id", id}, {"group", spec.group}, {"name", spec.name}, {"image_digest", spec.image_digest}};
  if (spec.health_check) {
    const HealthCheckSpec& h = *spec.health_check;
    json::array command;
    for (const std::string& c : h.command) {
      command.emplace_back(c);
    }
    meta["health_check"] = json::object{{"command", std::move(command)},
                                        {"interval", h.interval.count()},
                                        {"timeout", h.timeout.count()},
                                        {"start_period", h.start_period.count()},
                                        {"retries", h.retries}};
  }
  return meta;
}

std::optional<HealthCheckSpec> health_from_meta(const json::object& meta) {
  const json::value* h = meta.if_contains("health_check");
  if (!h || !h->is_object()) {
    return std::nullopt;
  }
  const json::object& o = h->as_object();
  HealthCheckSpec spec;
  if (const json::value* c = o.if_contains("command"); c && c->is_array()) {
    for (const json::value& e : c->as_array()) {
      if (e.is_string()) {
        spec.command.emplace_back(e.as_string());
      }
    }
  }
  auto seconds = [&](const char* key, std::int64_t fallback) {
    const json::value* v = o.if_contains(key);
    return std::chrono::seconds(v && v->is_int64() ? v->as_int64() : fallback);
  };
  spec.interval = seconds("interval", 30);
  spec.timeout = seconds("timeout", 5);
  spec.start_period = seconds("start_period", 0);
  const json::value* r = o.if_contains("retries");
  spec.retries = r && r->is_int64() ? static_cast<int>(r->as_int64()) : 3;
  return spec;
}

}  // namespace

ContainerManager::ContainerManager(ContainerManagerOptions options, const core::Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  fs::path base = options_.data_dir / "runtime";
  containers_dir_ = base / "containers";
  runc_root_ = base / "runc";
  if (options_.shim.empty()) {
    options_.shim = executable_dir() / "gantry-shim";
  }
  // The shim execs runc with execv: give it an absolute path.
  options_.runc = find_in_path(options_.runc).value_or(options_.runc);
  if (options_.init.empty()) {
    fs::path ours = options_.shim.parent_path() / "gantry-init";
    options_.init = fs::exists(ours)                     ? ours
                    : fs::exists("/usr/bin/tini-static") ? fs::path("/usr/bin/tini-static")
                                                         : fs::path();
  }
  cgroups_ = detect_cgroups(options_.cgroup_root);
  bundle_options_.cgroup_parent = options_.cgroup_parent;
  bundle_options_.runc_controllers = cgroups_->runc_controllers();
  bundle_options_.init_path = options_.init;
  std::error_code ec;
  fs::create_directories(containers_dir_, ec);
  fs::create_directories(runc_root_, ec);
  fs::create_directories(base / "volumes", ec);
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

ContainerManager::~ContainerManager() {
  stop();
  ::close(inotify_fd_);
  ::close(wake_fd_);
}

fs::path ContainerManager::container_dir(const std::string& id) const {
  return containers_dir_ / id;
}

std::string ContainerManager::cgroup_of(const std::string& id) const {
  return cgroup_path(bundle_options_, id);
}

fs::path ContainerManager::volume_dir(const std::string& group) const {
  std::string digest = image::sha256_digest(group.data(), group.size());
  return options_.data_dir / "runtime" / "volumes" / digest.substr(7, 24);
}

void ContainerManager::start() {
  adopt();
  std::lock_guard lock(mu_);
  stopping_ = false;
  watcher_ = std::thread([this] { watch_loop(); });
}

void ContainerManager::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  std::uint64_t one = 1;
  (void)::write(wake_fd_, &one, sizeof one);
  if (watcher_.joinable()) {
    watcher_.join();
  }
  // The parent cgroup goes once empty; while containers run (they outlive the server) the
  // kernel refuses (EBUSY) and it stays for them.
  (void)cgroups_->remove("/" + options_.cgroup_parent);
}

void ContainerManager::on_change(std::function<void(const ContainerStatus&)> callback) {
  std::lock_guard lock(mu_);
  callbacks_.push_back(std::move(callback));
}

void ContainerManager::add_watch(Entry& e) {
  e.watch = ::inotify_add_watch(inotify_fd_, container_dir(e.status.id).c_str(),
                                IN_MOVED_TO | IN_CLOSE_WRITE);
  if (e.watch >= 0) {
    watches_[e.watch] = e.status.id;
  }
}

void ContainerManager::adopt() {
  std::error_code ec;
  std::vector<std::string> ids;
  for (const fs::directory_entry& d : fs::directory_iterator(containers_dir_, ec)) {
    ids.push_back(d.path().filename().string());
  }
  for (const std::string& id : ids) {
    fs::path dir = container_dir(id);
    std::optional<json::object> meta = core::read_json_object(dir / "meta.json");
    std::optional<ShimStatus> shim = read_shim_status(dir / "status.json");
    if (!meta || !shim) {
      // Half-created by a server that died before the shim ran: nothing to keep.
      core::log::info("removing half-created container", {{"id", id}});
      (void)cleanup(id, meta ? core::str(*meta, "group") : std::string());
      continue;
    }
    auto e = std::make_unique<Entry>();
    e->status.id = id;
    e->status.group = core::str(*meta, "group");
    e->status.name = core::str(*meta, "name");
    e->status.image_digest = core::str(*meta, "image_digest");
    e->health_spec = health_from_meta(*meta);
    e->status.has_health_check = e->health_spec.has_value();
    std::lock_guard lock(mu_);
    add_watch(*e);
    refresh(*e);
    core::log::info("re-adopted container", {{"id", id}, {"name", e->status.name}});
    entries_[id] = std::move(e);
  }
  // runc state without a container directory (a crash during remove): delete it.
  for (const fs::directory_entry& d : fs::directory_iterator(runc_root_, ec)) {
    std::string id = d.path().filename().string();
    if (!fs::exists(container_dir(id))) {
      (void)cleanup(id, "");
    }
  }
}

Result<std::string> ContainerManager::run(const ContainerSpec& spec) {
  if (spec.args.empty()) {
    return Error(errc::invalid_spec, "no command specified");
  }
  if (spec.init && options_.init.empty()) {
    return Error(errc::invalid_spec, "initProcessEnabled: no init binary (gantry-init) found");
  }
  Result<std::string> id = add_entry(spec);
  if (!id) {
    return id;
  }
  fs::path dir = container_dir(*id);
  if (Result<void> r = write_container(*id, spec, dir); !r) {
    return mark_failed(*id, spec.name, r.error());
  }
  {
    std::lock_guard lock(mu_);
    add_watch(*entries_.at(*id));
  }
  pid_t pid = spawn_process({options_.shim.string(), dir.string()}, dir / "shim.log");
  if (pid < 0) {
    return mark_failed(*id, spec.name, Error::from_errno(errno, "start " + options_.shim.string()));
  }
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  return wait_started(*id, spec.name);
}

Result<std::string> ContainerManager::add_entry(const ContainerSpec& spec) {
  std::string id = core::ids::random_hex(32);
  std::lock_guard lock(mu_);
  for (const auto& [other_id, e] : entries_) {
    if (e->status.group == spec.group && e->status.name == spec.name) {
      return Error(errc::container_exists, "container " + spec.name + " already exists");
    }
  }
  auto e = std::make_unique<Entry>();
  e->status.id = id;
  e->status.group = spec.group;
  e->status.name = spec.name;
  e->status.image_digest = spec.image_digest;
  e->health_spec = spec.health_check;
  e->status.has_health_check = spec.health_check.has_value();
  entries_[id] = std::move(e);
  return id;
}

Error ContainerManager::mark_failed(const std::string& id, const std::string& name, Error error) {
  core::log::warn("container failed to start",
                  {{"id", id}, {"name", name}, {"error", error.message}});
  std::lock_guard lock(mu_);
  Entry& e = *entries_.at(id);
  e.status.phase = ContainerPhase::Exited;
  e.status.error = error.message;
  return error;
}

Result<void> ContainerManager::write_container(const std::string& id, const ContainerSpec& spec,
                                               const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  BundleOptions bundle = bundle_options_;
  bundle.task_volume_dir = volume_dir(spec.group);
  {
    std::ofstream meta(dir / "meta.json");
    meta << json::serialize(meta_json(id, spec));
  }
  if (Result<void> r = write_bundle(spec, id, dir, bundle); !r) {
    return r;
  }
  // runc joins the cgroup we made; it sets the limits of runc_controllers() again, the same.
  if (Result<void> r = cgroups_->create(cgroup_of(id)); !r) {
    return r;
  }
  if (Result<void> r = cgroups_->apply(cgroup_of(id), cgroup_limits(spec)); !r) {
    return r;
  }
  if (!write_shim_config(dir / "shim.json", shim_config(id, spec, dir))) {
    return Error::from_errno(errno, "write shim.json");
  }
  return {};
}

ShimConfig ContainerManager::shim_config(const std::string& id, const ContainerSpec& spec,
                                         const fs::path& dir) const {
  ShimConfig shim;
  shim.id = id;
  shim.runc = options_.runc.string();
  shim.runc_root = runc_root_.string();
  shim.cgroup = cgroup_of(id);
  shim.log_segment_bytes = options_.log_segment_bytes;
  shim.log_max_segments = options_.log_max_segments;
  shim.log_blocking = spec.log_blocking;
  std::vector<fs::path> layers = spec.layers;
  if (layers.empty()) {
    std::error_code ec;
    fs::create_directories(dir / "empty", ec);
    layers.push_back(dir / "empty");
  }
  // Layers under one directory (the layer cache) are named relative to it, which keeps the
  // overlay mount options short.
  fs::path parent = layers.front().parent_path();
  bool same_parent = std::all_of(layers.begin(), layers.end(),
                                 [&](const fs::path& l) { return l.parent_path() == parent; });
  shim.lower_base = same_parent ? parent.string() : std::string();
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    shim.lower.push_back(same_parent ? it->filename().string() : it->string());
  }
  return shim;
}

Result<std::string> ContainerManager::wait_started(const std::string& id, const std::string& name) {
  std::unique_lock lock(mu_);
  Entry& e = *entries_.at(id);
  // The watcher thread sees status.json change (inotify) and wakes us; we never refresh here,
  // so that the watcher also reports the change to on_change callbacks.
  bool settled = changed_.wait_for(lock, options_.start_timeout,
                                   [&] { return e.status.phase != ContainerPhase::Created; });
  if (!settled) {
    lock.unlock();
    return mark_failed(id, name,
                       Error(errc::runc_failed, "timed out waiting for the container to start"));
  }
  if (e.status.phase == ContainerPhase::Exited && !e.status.error.empty()) {
    return Error(errc::runc_failed, e.status.error);
  }
  core::log::debug("container started", {{"id", id}, {"name", name}});
  return id;
}

void ContainerManager::kill(const std::string& id, std::chrono::milliseconds timeout) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    return;
  }
  Entry& e = *it->second;
  if (e.status.phase == ContainerPhase::Exited) {
    return;
  }
  if (e.status.phase == ContainerPhase::Running && e.status.pid > 0) {
    ::kill(e.status.pid, SIGTERM);
  } else {
    e.term_pending = true;
  }
  core::TimePoint deadline = clock_.now() + timeout;
  if (!e.kill_at || deadline < *e.kill_at) {
    e.kill_at = deadline;
  }
  std::uint64_t one = 1;
  (void)::write(wake_fd_, &one, sizeof one);
}

Result<void> ContainerManager::remove(const std::string& id) {
  std::string group;
  {
    std::unique_lock lock(mu_);
    auto it = entries_.find(id);
    if (it != entries_.end()) {
      Entry& e = *it->second;
      group = e.status.group;
      if (e.status.phase != ContainerPhase::Exited) {
        if (e.status.pid > 0) {
          ::kill(e.status.pid, SIGKILL);
        }
        changed_.wait_for(lock, kRemoveWait, [&] {
          if (e.status.phase == ContainerPhase::Running && e.status.pid > 0) {
            ::kill(e.status.pid, SIGKILL);
          }
          return e.status.phase == ContainerPhase::Exited;
        });
      }
      if (e.check_pid > 0) {
        ::kill(e.check_pid, SIGKILL);
        ::waitpid(e.check_pid, nullptr, 0);
      }
      if (e.watch >= 0) {
        ::inotify_rm_watch(inotify_fd_, e.watch);
        watches_.erase(e.watch);
      }
      entries_.erase(it);
    }
  }
  return cleanup(id, group);
}

Result<void> ContainerManager::cleanup(const std::string& id, const std::string& group) {
  fs::path dir = container_dir(id);
  std::string output;
  std::optional<int> rc = run_process(
      {options_.runc.string(), "--root", runc_root_.string(), "delete", "--force", id}, &output);
  if (rc && *rc != 0 && output.find("does not exist") == std::string::npos &&
      output.find("not exist") == std::string::npos) {
    core::log::warn("runc delete failed", {{"id", id}, {"output", output}});
  }
  while (::umount2((dir / "rootfs").c_str(), MNT_DETACH) == 0) {
  }
  // Cgroups runc did not remove (a container that never started, or ours in hierarchies runc
  // does not know).
  if (Result<void> r = cgroups_->remove(cgroup_of(id)); !r) {
    core::log::warn("cgroup remove failed", {{"id", id}, {"error", r.error().message}});
  }
  std::error_code ec;
  fs::remove_all(runc_root_ / id, ec);
  fs::remove_all(dir, ec);
  if (ec) {
    return Error(ec, "remove " + dir.string());
  }
  if (!group.empty()) {
    std::lock_guard lock(mu_);
    bool last = std::none_of(entries_.begin(), entries_.end(),
                             [&](const auto& kv) { return kv.second->status.group == group; });
    if (last) {
      fs::remove_all(volume_dir(group), ec);
    }
  }
  return {};
}

std::optional<ContainerStatus> ContainerManager::status(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return it->second->status;
}

std::optional<CgroupStats> ContainerManager::stats(const std::string& id) const {
  {
    std::lock_guard lock(mu_);
    if (!entries_.contains(id)) {
      return std::nullopt;
    }
  }
  return cgroups_->stats(cgroup_of(id));
}

std::vector<ContainerStatus> ContainerManager::list(const std::string& group) const {
  std::lock_guard lock(mu_);
  std::vector<ContainerStatus> out;
  for (const auto& [id, e] : entries_) {
    if (e->status.group == group) {
      out.push_back(e->status);
    }
  }
  return out;
}

std::vector<ContainerStatus> ContainerManager::list_all() const {
  std::lock_guard lock(mu_);
  std::vector<ContainerStatus> out;
  for (const auto& [id, e] : entries_) {
    out.push_back(e->status);
  }
  return out;
}

Result<LogChunk> ContainerManager::read_logs(const std::string& id, LogPosition from,
                                             LogReadLimits limits) const {
  {
    std::lock_guard lock(mu_);
    if (!entries_.contains(id)) {
      return Error(errc::container_not_found, "container " + id + " not found");
    }
  }
  return read_log(container_dir(id), from, limits);
}

void ContainerManager::release_logs(const std::string& id, LogPosition forwarded) const {
  release_log_segments(container_dir(id), forwarded);
}

}  // namespace runtime

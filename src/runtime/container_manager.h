#pragma once
// Runs containers with runc through one gantry-shim each, under <data_dir>/runtime:
//   containers/<id>/   bundle (config.json, rootfs, upper, work, hosts, ...), shim.json,
//                      meta.json (group, name, image, health check), status.json, log
//   volumes/<group-hash>/<name>/   task-scoped volumes, removed with the group's last container
//   runc/              runc's state root (--root), private to Gantry
// Containers survive the server: start() of a new manager on the same directory re-adopts the
// running ones (their shims keep capturing output and exit codes) and cleans up what a crash left
// half-created. Cgroups live under /<cgroup_parent>/<id> in every hierarchy (v1 or v2, see
// cgroup.h): created with the container's limits before runc runs, removed with the container;
// the parent goes at stop() when empty (containers still running keep it).
//
// Thread-safe. Callbacks run on the manager's watcher thread with no lock held; they must not
// block for long (the ECS adapter enqueues a reconcile).

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "runtime/cgroup.h"
#include "runtime/container_spec.h"
#include "runtime/health_tracker.h"
#include "runtime/log_reader.h"
#include "runtime/log_segments.h"
#include "runtime/oci_bundle.h"
#include "runtime/result.h"
#include "runtime/shim_status.h"

namespace runtime {

struct ContainerManagerOptions {
  std::filesystem::path data_dir;       // the server's data directory
  std::filesystem::path runc = "runc";  // resolved through PATH when relative
  std::filesystem::path shim;           // default: gantry-shim next to /proc/self/exe
  std::filesystem::path init;           // default: gantry-init next to the shim, else tini-static
  std::string cgroup_parent = "gantry";
  std::filesystem::path cgroup_root = "/sys/fs/cgroup";  // where the host mounts cgroupfs
  std::chrono::milliseconds start_timeout{60000};  // start() gives up waiting for the shim
  // Captured output on disk per container: segments of this size, at most this many (the shim
  // drops the oldest beyond it; see log_segments.h).
  std::uint64_t log_segment_bytes = kDefaultLogSegmentBytes;
  std::uint64_t log_max_segments = kDefaultLogMaxSegments;
};

enum class ContainerPhase { Created, Running, Exited };

struct ContainerStatus {
  std::string id;  // the runc id; ECS's runtimeId
  std::string group;
  std::string name;
  std::string image_digest;
  ContainerPhase phase = ContainerPhase::Created;
  std::optional<int> exit_code;  // 128+signal when killed (137 after SIGKILL)
  bool oom_killed = false;
  std::string error;  // why it never ran (runc's message), with phase Exited and no exit_code
  HealthStatus health = HealthStatus::Unknown;
  bool has_health_check = false;
  int pid = 0;
  core::TimePoint started_at{};
  core::TimePoint finished_at{};
};

class ContainerManager {
 public:
  ContainerManager(ContainerManagerOptions options, const core::Clock& clock);
  ~ContainerManager();  // calls stop(); containers keep running

  // Re-adopts containers on disk, then starts the watcher thread. Call once.
  void start();
  // Stops watching and health checking; containers and shims keep running.
  void stop();

  // Writes the bundle and starts the container's shim; returns when the container runs (its id)
  // or failed to start (errc::runc_failed with runc's message; the container stays listed as
  // Exited with `error` until removed). A (group, name) already present is container_exists.
  Result<std::string> run(const ContainerSpec& spec);

  // SIGTERM now, SIGKILL after `timeout` unless it has exited by then. Returns at once.
  void kill(const std::string& id, std::chrono::milliseconds timeout);

  // Kills (SIGKILL) a container still running, waits for its shim to record the exit, then
  // deletes the runc container, unmounts the rootfs and removes its directory and cgroups. The
  // group's task volumes go with its last container. Idempotent; the log is gone afterwards.
  Result<void> remove(const std::string& id);

  std::optional<ContainerStatus> status(const std::string& id) const;
  std::vector<ContainerStatus> list(const std::string& group) const;
  std::vector<ContainerStatus> list_all() const;

  // Records the container's shim appended from `from` on (see log_reader.h), and deleting the
  // log segments before `forwarded` once their records are stored.
  Result<LogChunk> read_logs(const std::string& id, LogPosition from,
                             LogReadLimits limits = {}) const;
  void release_logs(const std::string& id, LogPosition forwarded) const;

  // Called after any container's phase or health changes.
  void on_change(std::function<void(const ContainerStatus&)> callback);

  // The container's cgroup usage and limits; nullopt for an unknown id.
  std::optional<CgroupStats> stats(const std::string& id) const;

  // Where things live (tests assert cleanup with these).
  std::filesystem::path container_dir(const std::string& id) const;
  std::string cgroup_of(const std::string& id) const;
  const Cgroups& cgroups() const { return *cgroups_; }

 private:
  struct Entry;

  // run()'s steps: list the container (Created), write its directory, start its shim, wait.
  Result<std::string> add_entry(const ContainerSpec& spec);
  Result<void> write_container(const std::string& id, const ContainerSpec& spec,
                               const std::filesystem::path& dir);
  ShimConfig shim_config(const std::string& id, const ContainerSpec& spec,
                         const std::filesystem::path& dir) const;
  Result<std::string> wait_started(const std::string& id, const std::string& name);
  // Records why the container never ran (phase Exited, `error`) and returns the error.
  Error mark_failed(const std::string& id, const std::string& name, Error error);

  void adopt();
  // container_watcher.cc
  void watch_loop();
  bool refresh(Entry& e);  // re-reads status.json; true when the status changed
  void run_due_work(std::vector<ContainerStatus>& changed);
  Result<void> cleanup(const std::string& id, const std::string& group);
  std::filesystem::path volume_dir(const std::string& group) const;
  void notify(const std::vector<ContainerStatus>& changed);
  void add_watch(Entry& e);

  ContainerManagerOptions options_;
  const core::Clock& clock_;
  std::unique_ptr<Cgroups> cgroups_;
  BundleOptions bundle_options_;
  std::filesystem::path containers_dir_;
  std::filesystem::path runc_root_;

  mutable std::mutex mu_;
  std::condition_variable changed_;  // any status change; run() and remove() wait on it
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  std::map<int, std::string> watches_;  // inotify watch descriptor → id
  std::vector<std::function<void(const ContainerStatus&)>> callbacks_;
  int inotify_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: kill() and run() wake the watcher
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace runtime

#pragma once
// ContainerManager's record of one container, shared by container_manager.cc (run, kill, remove)
// and container_watcher.cc (the watcher thread). Internal to the runtime; guarded by the
// manager's mu_.

#include <sys/types.h>

#include <optional>

#include "runtime/container_manager.h"

namespace runtime {

struct ContainerManager::Entry {
  ContainerStatus status;
  std::optional<HealthCheckSpec> health_spec;
  std::optional<HealthTracker> health;
  std::optional<core::TimePoint> kill_at;
  bool term_pending = false;  // kill() came while the container was still starting
  pid_t check_pid = 0;
  core::TimePoint check_deadline{};
  int shim_pid = 0;
  int watch = -1;
};

}  // namespace runtime

#pragma once
// What the data directory keeps of the runtime, and the pure decisions that keep it bounded:
// which unpacked layers (image/layer_cache.h) and which stopped containers' bundles to delete,
// given what exists, the time and the limits. The caller (ECS's RuntimePruner) gathers the
// entries, marks what is in use, and deletes what these return.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.h"

namespace runtime {

struct PruneLimits {
  // Unpacked layers: at most this much in total (GiB-sized by default); an unused layer idle
  // for layer_max_idle goes whatever the total; none goes within layer_min_idle of its last
  // use (a pull that has not started its container yet).
  std::uint64_t layer_cache_max_bytes = std::uint64_t{10} << 30;
  std::chrono::seconds layer_max_idle{std::chrono::hours(24)};
  std::chrono::seconds layer_min_idle{std::chrono::minutes(10)};
  // Bundles of containers whose task has stopped: kept this long after they exited (0: removed
  // with the task), and at most this much in total, oldest first.
  std::chrono::seconds stopped_bundle_ttl{0};
  std::uint64_t stopped_bundle_max_bytes = std::uint64_t{1} << 30;
};

struct LayerEntry {
  std::string name;  // the directory's name in the cache
  std::uint64_t bytes = 0;
  core::TimePoint last_used{};
  bool in_use = false;  // a container's lower layer, or pulled for a container not yet started
};

// Unused layers idle for layer_max_idle, then least recently used ones until the whole cache
// (layers in use included) fits in layer_cache_max_bytes. Never a layer in use or used within
// layer_min_idle: the cache may stay over its cap when those alone exceed it.
std::vector<std::string> plan_layer_prune(std::vector<LayerEntry> entries, core::TimePoint now,
                                          const PruneLimits& limits);

struct BundleEntry {
  std::string id;  // the container id
  std::uint64_t bytes = 0;
  core::TimePoint finished_at{};  // when the container exited
};

// `stopped`: exited containers whose task is over. Those that exited stopped_bundle_ttl ago or
// more, then the oldest until the rest fit in stopped_bundle_max_bytes.
std::vector<std::string> plan_bundle_prune(std::vector<BundleEntry> stopped, core::TimePoint now,
                                           const PruneLimits& limits);

// Bytes of the files under `dir`, without crossing into a directory named `skip` (a container's
// mounted rootfs) or other mounts. 0 when it does not exist.
std::uint64_t directory_bytes(const std::filesystem::path& dir, const std::string& skip = "");

}  // namespace runtime

#include "services/ecs/runtime_pruner.h"

#include <set>
#include <string>
#include <vector>

#include "core/log.h"
#include "runtime/shim_status.h"
#include "services/ecs/ecs_store.h"

namespace services::ecs {

namespace fs = std::filesystem;

namespace {

// The overlay lower directories a container's shim mounts (shim.json), as absolute paths.
std::vector<fs::path> container_layers(const fs::path& container_dir) {
  std::vector<fs::path> out;
  std::optional<runtime::ShimConfig> config = runtime::read_shim_config(container_dir / "shim.json");
  if (!config) return out;
  for (const std::string& l : config->lower) {
    fs::path p(l);
    out.push_back(p.is_absolute() || config->lower_base.empty() ? p : config->lower_base / p);
  }
  return out;
}

}  // namespace

RuntimePruner::RuntimePruner(store::Db& db, const core::Clock& clock,
                             runtime::ContainerManager& manager, RuntimeContainers& containers,
                             runtime::image::LayerCache& layers, runtime::PruneLimits limits,
                             core::Duration period)
    : db_(db),
      clock_(clock),
      manager_(manager),
      containers_(containers),
      layers_(layers),
      limits_(limits),
      controller_("runtime-pruner", clock,
                  [this](const std::string&) {
                    prune();
                    return reconcile::ReconcileResult::done();
                  },
                  {.workers = 1, .resync_period = period, .list_keys = [] {
                     return std::vector<std::string>{"prune"};
                   }}) {}

PruneReport RuntimePruner::prune() {
  PruneReport report;
  report.bundles = prune_bundles();
  report.layers = prune_layers();
  if (report.bundles > 0 || report.layers > 0) {
    core::log::info("runtime pruned", {{"bundles", std::to_string(report.bundles)},
                                       {"layers", std::to_string(report.layers)}});
  }
  return report;
}

std::size_t RuntimePruner::prune_bundles() {
  std::vector<std::string> live = unstopped_task_arns(db_);
  std::set<std::string> live_tasks(live.begin(), live.end());
  std::vector<runtime::BundleEntry> stopped;
  for (const runtime::ContainerStatus& s : manager_.list_all()) {
    // Only exited containers of tasks that are over: a task still running may restart nothing,
    // but its exited containers are part of what DescribeTasks reports until it stops.
    if (s.phase != runtime::ContainerPhase::Exited || live_tasks.contains(s.group)) continue;
    stopped.push_back(
        {s.id, runtime::directory_bytes(manager_.container_dir(s.id), "rootfs"), s.finished_at});
  }
  std::vector<std::string> doomed = runtime::plan_bundle_prune(stopped, clock_.now(), limits_);
  for (const std::string& id : doomed) containers_.discard(id);
  return doomed.size();
}

std::size_t RuntimePruner::prune_layers() {
  // The time is read before the layers in use: a pull after this point marks its layers used
  // later than `now`, which remove() then refuses.
  core::TimePoint now = clock_.now();
  std::set<fs::path> in_use;
  for (const runtime::ContainerStatus& s : manager_.list_all()) {
    for (fs::path& p : container_layers(manager_.container_dir(s.id))) in_use.insert(p);
  }
  for (fs::path& p : containers_.pulled_layers()) in_use.insert(p);
  std::vector<runtime::LayerEntry> entries;
  for (runtime::image::LayerCache::Entry& e : layers_.entries()) {
    bool used = in_use.contains(layers_.dir() / e.name);
    entries.push_back({e.name, e.bytes, e.last_used, used});
  }
  std::size_t removed = 0;
  for (const std::string& name : runtime::plan_layer_prune(entries, now, limits_)) {
    if (layers_.remove(name, now - limits_.layer_min_idle)) ++removed;
  }
  return removed;
}

}  // namespace services::ecs

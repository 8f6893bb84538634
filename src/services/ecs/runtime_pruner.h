#pragma once
// Keeps the runtime's part of the data directory bounded (runtime/prune_plan.h): deletes the
// bundles of containers whose task is over (stopped, expired or gone) once they are older than
// the limits allow, and unpacked layers that no container uses, by age and by the cache's total
// size. Layers in use are those of every container the manager still has (running or not) and
// those pulled for tasks not yet started.
//
// A reconcile::Controller with one key, resynced every `period` of real time (housekeeping, not
// an AWS timer). Threads: start()/stop() from the module; prune() from tests.

#include <chrono>
#include <cstddef>

#include "core/clock.h"
#include "reconcile/controller.h"
#include "runtime/container_manager.h"
#include "runtime/image/layer_cache.h"
#include "runtime/prune_plan.h"
#include "services/ecs/runtime_containers.h"
#include "store/db.h"

namespace services::ecs {

struct PruneReport {
  std::size_t bundles = 0;  // containers deleted
  std::size_t layers = 0;   // layers deleted
};

class RuntimePruner {
 public:
  RuntimePruner(store::Db& db, const core::Clock& clock, runtime::ContainerManager& manager,
                RuntimeContainers& containers, runtime::image::LayerCache& layers,
                runtime::PruneLimits limits, core::Duration period = std::chrono::seconds(30));

  void start() { controller_.start(); }
  void stop() { controller_.stop(); }

  // One pass: stopped bundles first (their layers may then be unused), then layers.
  PruneReport prune();

 private:
  std::size_t prune_bundles();
  std::size_t prune_layers();

  store::Db& db_;
  const core::Clock& clock_;
  runtime::ContainerManager& manager_;
  RuntimeContainers& containers_;
  runtime::image::LayerCache& layers_;
  runtime::PruneLimits limits_;
  reconcile::Controller controller_;
};

}  // namespace services::ecs

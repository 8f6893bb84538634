#pragma once
// Changes a scalable target's capacity and tells the story as scaling activities, in AWS's
// words: "Setting desired count to 3." caused by "monitor alarm <name> in state ALARM triggered
// policy <name>", InProgress while ECS is asked, then Successful ("Successfully set desired count
// to 3. Change successfully fulfilled by ecs.") or Failed with ECS's error.
//
// Threads: any; call with no transaction open.

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/clock.h"
#include "protocol/aws_error.h"
#include "services/autoscaling/autoscaling_store.h"
#include "services/autoscaling/ports.h"
#include "store/db.h"

namespace services::autoscaling {

class Scaler {
 public:
  Scaler(store::Db& db, const core::Clock& clock, ServiceCapacity& capacity)
      : db_(db), clock_(clock), capacity_(capacity) {}

  // Sets desiredCount to `desired` (already clamped) with one activity; `out` says which
  // cooldown it starts (nullopt: none, e.g. a scheduled action).
  protocol::Result<void> set_desired(const TargetRow& target, int64_t desired,
                                     const std::string& cause, std::optional<bool> out);

  // Records an activity that is already over.
  void record(const TargetKey& key, const std::string& description, const std::string& cause,
              const std::string& status, const std::string& message);

 private:
  boost::json::object activity(const TargetKey& key, const std::string& description,
                               const std::string& cause) const;
  double now_s() const { return static_cast<double>(core::to_epoch_millis(clock_.now())) / 1e3; }

  store::Db& db_;
  const core::Clock& clock_;
  ServiceCapacity& capacity_;
};

}  // namespace services::autoscaling

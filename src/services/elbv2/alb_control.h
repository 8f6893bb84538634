#pragma once
// How the data plane (and anyone else in process) finds the ELBv2 control plane: the module
// publishes one AlbControl when it is installed.
//
//   services::elbv2::AlbControl* alb = services::elbv2::alb_control_instance();
//   auto snapshot = alb->snapshots->current();
//   alb->snapshots->subscribe([](std::shared_ptr<const AlbSnapshot> s) { ... });
//   alb->health->report_health({{{tg_arn, "10.0.1.4", 8080}, TargetState::Healthy, "", ""}});

#include "services/elbv2/alb_snapshot.h"

namespace services::elbv2 {

struct AlbControl {
  AlbSnapshotSource* snapshots = nullptr;
  TargetHealthReporter* health = nullptr;
};

// nullptr before make_elbv2_module() ran (or in builds without the ELBv2 module).
AlbControl* alb_control_instance();

}  // namespace services::elbv2

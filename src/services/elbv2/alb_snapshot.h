#pragma once
// ELBv2's names for the data plane's configuration (dataplane/alb_config.h): the control plane
// builds AlbSnapshots, publishes them and implements the TargetHealthReporter.

#include "dataplane/alb_config.h"

namespace services::elbv2 {

using dataplane::TargetState;
using dataplane::target_state_name;
using dataplane::SnapshotTarget;
using dataplane::HealthCheckSettings;
using dataplane::SnapshotTargetGroup;
using dataplane::ConditionField;
using dataplane::RuleCondition;
using dataplane::ActionType;
using dataplane::WeightedTargetGroup;
using dataplane::ForwardAction;
using dataplane::RedirectAction;
using dataplane::FixedResponseAction;
using dataplane::RuleAction;
using dataplane::SnapshotRule;
using dataplane::SnapshotListener;
using dataplane::LoadBalancerAddress;
using dataplane::SnapshotLoadBalancer;
using dataplane::AlbSnapshot;
using dataplane::AlbSnapshotSource;
using dataplane::TargetKey;
using dataplane::TargetHealthReport;
using dataplane::TargetHealthReporter;

}  // namespace services::elbv2

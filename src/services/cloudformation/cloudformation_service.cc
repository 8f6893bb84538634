// CloudFormation's operation table (cloudformation_service.h).

#include "services/cloudformation/cloudformation_service.h"

namespace services::cloudformation {

void CloudFormationService::register_operations(protocol::ServiceRegistry& registry) {
  using S = CloudFormationService;
  registry.add(
      "cloudformation",
      {
          {"CreateStack", protocol::method(this, &S::create_stack)},
          {"UpdateStack", protocol::method(this, &S::update_stack)},
          {"DeleteStack", protocol::method(this, &S::delete_stack)},
          {"DescribeStacks", protocol::method(this, &S::describe_stacks)},
          {"ListStacks", protocol::method(this, &S::list_stacks)},
          {"UpdateTerminationProtection", protocol::method(this, &S::update_termination_protection)},
          {"CancelUpdateStack", protocol::method(this, &S::cancel_update_stack)},
          {"ContinueUpdateRollback", protocol::method(this, &S::continue_update_rollback)},
          {"SignalResource", protocol::method(this, &S::signal_resource)},
          {"DescribeStackEvents", protocol::method(this, &S::describe_stack_events)},
          {"DescribeStackResource", protocol::method(this, &S::describe_stack_resource)},
          {"DescribeStackResources", protocol::method(this, &S::describe_stack_resources)},
          {"ListStackResources", protocol::method(this, &S::list_stack_resources)},
          {"ListExports", protocol::method(this, &S::list_exports)},
          {"ListImports", protocol::method(this, &S::list_imports)},
          {"GetTemplate", protocol::method(this, &S::get_template)},
          {"GetTemplateSummary", protocol::method(this, &S::get_template_summary)},
          {"ValidateTemplate", protocol::method(this, &S::validate_template)},
          {"CreateChangeSet", protocol::method(this, &S::create_change_set)},
          {"DescribeChangeSet", protocol::method(this, &S::describe_change_set)},
          {"ExecuteChangeSet", protocol::method(this, &S::execute_change_set)},
          {"DeleteChangeSet", protocol::method(this, &S::delete_change_set)},
          {"ListChangeSets", protocol::method(this, &S::list_change_sets)},
          {"DetectStackDrift", protocol::method(this, &S::detect_stack_drift)},
          {"DescribeStackDriftDetectionStatus",
           protocol::method(this, &S::describe_stack_drift_detection_status)},
          {"DescribeStackResourceDrifts", protocol::method(this, &S::describe_stack_resource_drifts)},
          {"DetectStackResourceDrift", protocol::method(this, &S::detect_stack_resource_drift)},
      });
}

}  // namespace services::cloudformation

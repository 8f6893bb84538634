#pragma once
// CloudFormation's operation table (query protocol). Handlers validate, write the stack's
// desired state and its first event in one transaction, and hand the work to the StackWorker;
// they never create resources themselves.

#include <boost/json/object.hpp>
#include <mutex>
#include <set>
#include <optional>
#include <string>

#include "core/clock.h"
#include "protocol/aws_error.h"
#include "protocol/request_context.h"
#include "protocol/service_registry.h"
#include "services/cloudformation/engine/stack_plan.h"
#include "services/cloudformation/model.h"
#include "services/cloudformation/stack_worker.h"
#include "store/db.h"

namespace services::cloudformation {

using Input = boost::json::object;
using Output = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

// A template and its parameters, checked as CreateStack/UpdateStack/CreateChangeSet check them.
struct CheckedTemplate {
  std::string body;
  engine::StackPlan plan;
  boost::json::array parameters;  // [{ParameterKey, ParameterValue}], every declared one
};

// The capabilities a template needs: CAPABILITY_IAM or CAPABILITY_NAMED_IAM ("" for none) for
// its IAM resources (their types, for CapabilitiesReason), CAPABILITY_AUTO_EXPAND for a transform.
struct NeededCapabilities {
  std::string iam;
  std::set<std::string> iam_types;
  bool auto_expand = false;
};
NeededCapabilities needed_capabilities(const engine::Template& t);

class CloudFormationService {
 public:
  CloudFormationService(store::Db& db, const core::Clock& clock, StackWorker& worker)
      : db_(db), clock_(clock), worker_(worker) {}

  void register_operations(protocol::ServiceRegistry& registry);

  // stack_handlers.cc
  Output create_stack(const Ctx& ctx, const Input& in);
  Output update_stack(const Ctx& ctx, const Input& in);
  Output delete_stack(const Ctx& ctx, const Input& in);
  Output describe_stacks(const Ctx& ctx, const Input& in);
  Output list_stacks(const Ctx& ctx, const Input& in);
  Output update_termination_protection(const Ctx& ctx, const Input& in);
  Output cancel_update_stack(const Ctx& ctx, const Input& in);
  Output continue_update_rollback(const Ctx& ctx, const Input& in);
  Output signal_resource(const Ctx& ctx, const Input& in);
  // resource_handlers.cc
  Output describe_stack_events(const Ctx& ctx, const Input& in);
  Output describe_stack_resource(const Ctx& ctx, const Input& in);
  Output describe_stack_resources(const Ctx& ctx, const Input& in);
  Output list_stack_resources(const Ctx& ctx, const Input& in);
  Output list_exports(const Ctx& ctx, const Input& in);
  Output list_imports(const Ctx& ctx, const Input& in);
  // template_handlers.cc
  Output get_template(const Ctx& ctx, const Input& in);
  Output get_template_summary(const Ctx& ctx, const Input& in);
  Output validate_template(const Ctx& ctx, const Input& in);
  // change_set_handlers.cc
  Output create_change_set(const Ctx& ctx, const Input& in);
  Output describe_change_set(const Ctx& ctx, const Input& in);
  Output execute_change_set(const Ctx& ctx, const Input& in);
  Output delete_change_set(const Ctx& ctx, const Input& in);
  Output list_change_sets(const Ctx& ctx, const Input& in);
  // drift_handlers.cc
  Output detect_stack_drift(const Ctx& ctx, const Input& in);
  Output describe_stack_drift_detection_status(const Ctx& ctx, const Input& in);
  Output describe_stack_resource_drifts(const Ctx& ctx, const Input& in);
  Output detect_stack_resource_drift(const Ctx& ctx, const Input& in);

 private:
  // template_checks.cc: the template of a request (TemplateBody, UsePreviousTemplate,
  // TemplateURL refused) and its parameters (UsePreviousValue) checked against `previous`.
  protocol::Result<CheckedTemplate> check_template(const Ctx& ctx, const Input& in,
                                                   const std::string& stack_name,
                                                   const std::string& stack_id,
                                                   const Stack* previous) const;
  // The capability a template needs (IAM resources), checked against the request's.
  static std::optional<protocol::AwsError> check_capabilities(const engine::Template& t,
                                                              const Input& in);
  std::optional<protocol::AwsError> check_imports(const Ctx& ctx, const engine::StackPlan& plan,
                                                  const engine::StackIdentity& id) const;
  Stack find_stack(store::Transaction& tx, const Ctx& ctx, const std::string& name_or_id) const;
  void begin_operation(store::Transaction& tx, Stack& s, const std::string& status) const;
  int64_t now_ms() const { return core::to_epoch_millis(clock_.now()); }

  store::Db& db_;
  const core::Clock& clock_;
  StackWorker& worker_;
  mutable std::mutex drift_mu_;
  std::map<std::string, std::string> drift_detections_;  // detection id → stack id
};

// Stack ids and change-set ids: arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>.
std::string new_stack_id(const Ctx& ctx, const std::string& name);
std::string new_change_set_id(const Ctx& ctx, const std::string& name);

}  // namespace services::cloudformation

// Stack operations (cloudformation_service.h): CreateStack, UpdateStack, DeleteStack,
// DescribeStacks, ListStacks, UpdateTerminationProtection, CancelUpdateStack,
// ContinueUpdateRollback, SignalResource.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/cloudformation_json.h"
#include "services/cloudformation/cloudformation_service.h"
#include "services/cloudformation/errors.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;

namespace {

// The statuses from which UpdateStack (and an UPDATE change set) may start.
bool updatable(const std::string& s) {
  return s == status::kCreateComplete || s == status::kUpdateComplete ||
         s == status::kUpdateRollbackComplete;
}

}  // namespace

// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
Output CloudFormationService::create_stack(const Ctx& ctx, const Input& in) {
  std::string name = core::str(in, "StackName");
  std::string stack_id = new_stack_id(ctx, name);
  auto checked = check_template(ctx, in, name, stack_id, nullptr);
  if (!checked) return checked.error();
  store::Transaction tx = db_.begin();
  StackStore store(tx);
  if (std::optional<Stack> existing = store.find(ctx.account, ctx.region, name)) {
    return errors::already_exists("Stack [" + name + "]");
  }
  Stack s;
  s.stack_id = stack_id;
  s.account = ctx.account;
  s.region = ctx.region;
  s.name = name;
  s.status = status::kCreateInProgress;
  s.description = checked->plan.tpl.description;
  s.template_body = checked->body;
  s.parameters = checked->parameters;
  s.capabilities = list_of(in, "Capabilities");
  s.notification_arns = list_of(in, "NotificationARNs");
  s.tags = list_of(in, "Tags");
  s.role_arn = core::str(in, "RoleARN");
  s.timeout_minutes = core::opt_int(in, "TimeoutInMinutes").value_or(0);
  std::string on_failure = core::str(in, "OnFailure", "ROLLBACK");
  s.disable_rollback = core::opt_bool(in, "DisableRollback").value_or(false) || on_failure == "DO_NOTHING";
  s.termination_protection = core::opt_bool(in, "EnableTerminationProtection").value_or(false);
  s.created_ms = now_ms();
  store.insert(s);
  begin_operation(tx, s, status::kCreateInProgress);
  tx.commit();
  worker_.start(OperationKind::Create, s.stack_id);
  worker_.wait_for(s.stack_id, worker_.settle_wait);
  return json::object{{"StackId", s.stack_id}};
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStack.html
Output CloudFormationService::update_stack(const Ctx& ctx, const Input& in) {
  Stack s;
  {
    store::Transaction tx = db_.read();
    s = find_stack(tx, ctx, core::str(in, "StackName"));
  }
  if (!updatable(s.status)) throw errors::wrong_state(s.stack_id, s.status, "updated");
  auto checked = check_template(ctx, in, s.name, s.stack_id, &s);
  if (!checked) return checked.error();
  json::array tags = in.contains("Tags") ? list_of(in, "Tags") : s.tags;
  if (checked->body == s.template_body && checked->parameters == s.parameters && tags == s.tags) {
    return errors::validation("No updates are to be performed.");
  }
  store::Transaction tx = db_.begin();
  Stack fresh = find_stack(tx, ctx, s.stack_id);
  if (!updatable(fresh.status)) throw errors::wrong_state(s.stack_id, fresh.status, "updated");
  fresh.previous_template = fresh.template_body;
  fresh.previous_parameters = fresh.parameters;
  fresh.template_body = checked->body;
  fresh.parameters = checked->parameters;
  fresh.description = checked->plan.tpl.description;
  fresh.tags = tags;
  if (in.contains("Capabilities")) fresh.capabilities = list_of(in, "Capabilities");
  if (in.contains("NotificationARNs")) fresh.notification_arns = list_of(in, "NotificationARNs");
  if (auto d = core::opt_bool(in, "DisableRollback")) fresh.disable_rollback = *d;
  begin_operation(tx, fresh, status::kUpdateInProgress);
  tx.commit();
  worker_.start(OperationKind::Update, fresh.stack_id);
  worker_.wait_for(fresh.stack_id, worker_.settle_wait);
  return json::object{{"StackId", fresh.stack_id}};
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html
Output CloudFormationService::delete_stack(const Ctx& ctx, const Input& in) {
  std::string name = core::str(in, "StackName");
  store::Transaction tx = db_.begin();
  std::optional<Stack> s = StackStore(tx).find(ctx.account, ctx.region, name);
  // Deleting a stack that does not exist, or is deleted or being deleted, succeeds.
  if (!s || s->status == status::kDeleteComplete || s->status == status::kDeleteInProgress) {
    return json::object{};
  }
  if (s->termination_protection) {
    return errors::validation("Stack [" + s->name +
                              "] cannot be deleted while TerminationProtection is enabled");
  }
  if (!is_settled(s->status) && s->status != status::kReviewInProgress) {
    return errors::validation("Stack [" + s->name + "] cannot be deleted while in status " +
                              s->status);
  }
  begin_operation(tx, *s, status::kDeleteInProgress);
  tx.commit();
  worker_.start(OperationKind::Delete, s->stack_id);
  worker_.wait_for(s->stack_id, worker_.settle_wait);
  return json::object{};
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
Output CloudFormationService::describe_stacks(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.read();
  json::array stacks;
  if (auto name = core::opt_str(in, "StackName")) {
    stacks.push_back(stack_json(find_stack(tx, ctx, *name)));
  } else {
    std::vector<Stack> all = StackStore(tx).list(ctx.account, ctx.region);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (it->status != status::kDeleteComplete) stacks.push_back(stack_json(*it));
    }
  }
  return json::object{{"Stacks", std::move(stacks)}};
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStacks.html
Output CloudFormationService::list_stacks(const Ctx& ctx, const Input& in) {
  std::vector<std::string> filter = core::strings(in, "StackStatusFilter");
  store::Transaction tx = db_.read();
  std::vector<Stack> all = StackStore(tx).list(ctx.account, ctx.region);
  json::array out;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (!filter.empty() && std::find(filter.begin(), filter.end(), it->status) == filter.end()) {
      continue;
    }
    out.push_back(stack_summary_json(*it));
  }
  return json::object{{"StackSummaries", std::move(out)}};
}

Output CloudFormationService::update_termination_protection(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.begin();
  Stack s = find_stack(tx, ctx, core::str(in, "StackName"));
  s.termination_protection = core::opt_bool(in, "EnableTerminationProtection").value_or(false);
  StackStore(tx).update(s);
  tx.commit();
  return json::object{{"StackId", s.stack_id}};
}

Output CloudFormationService::cancel_update_stack(const Ctx& ctx, const Input& in) {
  Stack s;
  {
    store::Transaction tx = db_.read();
    s = find_stack(tx, ctx, core::str(in, "StackName"));
  }
  if (s.status != status::kUpdateInProgress || !worker_.cancel(s.stack_id)) {
    return errors::validation("CancelUpdateStack cannot be called from current stack status");
  }
  return json::object{};
}

// From UPDATE_ROLLBACK_FAILED: the resources that could not be rolled back are skipped (kept
// as they are), the stack returns to its previous template.
Output CloudFormationService::continue_update_rollback(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.begin();
  Stack s = find_stack(tx, ctx, core::str(in, "StackName"));
  if (s.status != status::kUpdateRollbackFailed) {
    return errors::validation("Stack " + s.stack_id + " is in " + s.status +
                              " state and can not continue update rollback.");
  }
  StackStore store(tx);
  for (StackResource r : store.resources(s.stack_id)) {
    if (r.status != status::kUpdateFailed) continue;
    r.status = status::kUpdateComplete;
    r.status_reason = "Resource skipped during rollback";
    store.put_resource(r);
  }
  begin_operation(tx, s, status::kUpdateRollbackInProgress);
  s.status = status::kUpdateRollbackComplete;
  s.status_reason.clear();
  store.update(s);
  tx.commit();
  return json::object{};
}

Output CloudFormationService::signal_resource(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.begin();
  Stack s = find_stack(tx, ctx, core::str(in, "StackName"));
  std::string logical = core::str(in, "LogicalResourceId");
  StackStore store(tx);
  if (!store.resource(s.stack_id, logical)) {
    return errors::validation("Resource " + logical + " does not exist for stack " + s.name);
  }
  store.put_signal(s.stack_id, logical, core::str(in, "UniqueId"), core::str(in, "Status"),
                   now_ms());
  tx.commit();
  return json::object{};
}

}  // namespace services::cloudformation

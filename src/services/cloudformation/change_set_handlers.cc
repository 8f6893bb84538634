// Change sets (cloudformation_service.h): what an update would do, previewed and executed later;
// `aws cloudformation deploy` is built on them.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/change_set_preview.h"
#include "services/cloudformation/cloudformation_json.h"
#include "services/cloudformation/cloudformation_service.h"
#include "services/cloudformation/errors.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;

namespace {

constexpr const char* kNoChanges =
    "The submitted information didn't contain changes. Submit different information to create a "
    "change set.";

protocol::AwsError invalid_status(const ChangeSet& c, const std::string& status) {
  return {"InvalidChangeSetStatus", "ChangeSet [" + c.change_set_id +
                                        "] cannot be executed in its current status of [" +
                                        status + "]"};
}

}  // namespace

// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html
Output CloudFormationService::create_change_set(const Ctx& ctx, const Input& in) {
  std::string stack_name = core::str(in, "StackName");
  std::string name = core::str(in, "ChangeSetName");
  std::string type = core::str(in, "ChangeSetType", "UPDATE");
  if (type == "IMPORT") return errors::validation("ChangeSetType IMPORT is not supported by Gantry");
  std::optional<Stack> existing;
  {
    store::Transaction tx = db_.read();
    existing = StackStore(tx).find(ctx.account, ctx.region, stack_name);
  }
  const bool reviewing = existing && existing->status == status::kReviewInProgress;
  if (type == "CREATE" && existing && !reviewing) {
    return errors::validation("Stack [" + stack_name +
                              "] already exists and cannot be created again with the changeSet [" +
                              name + "].");
  }
  if (type == "UPDATE" && !existing) {
    return errors::validation("Stack [" + stack_name + "] does not exist");
  }
  if (type == "UPDATE" && reviewing) {
    throw errors::wrong_state(existing->stack_id, existing->status, "updated");
  }
  std::string stack_id = existing ? existing->stack_id : new_stack_id(ctx, stack_name);
  const Stack* previous = type == "UPDATE" ? &*existing : nullptr;
  auto checked = check_template(ctx, in, stack_name, stack_id, previous);
  if (!checked) return checked.error();

  ChangeSet c;
  c.change_set_id = new_change_set_id(ctx, name);
  c.account = ctx.account;
  c.region = ctx.region;
  c.stack_id = stack_id;
  c.name = name;
  c.type = type;
  c.description = core::str(in, "Description");
  c.template_body = checked->body;
  c.parameters = checked->parameters;
  c.capabilities = list_of(in, "Capabilities");
  c.notification_arns = list_of(in, "NotificationARNs");
  c.tags = in.contains("Tags") ? list_of(in, "Tags") : (existing ? existing->tags : json::array{});
  c.created_ms = now_ms();
  {
    store::Transaction tx = db_.read();
    c.changes = preview_changes(tx, ctx, *checked, previous, worker_);
  }
  bool same = previous && c.changes.empty() && checked->body == previous->template_body &&
              checked->parameters == previous->parameters && c.tags == previous->tags;
  c.status = same ? "FAILED" : "CREATE_COMPLETE";
  c.status_reason = same ? kNoChanges : "";
  c.execution_status = same ? "UNAVAILABLE" : "AVAILABLE";

  store::Transaction tx = db_.begin();
  StackStore store(tx);
  if (store.find_change_set(name, stack_id)) {
    return errors::already_exists("ChangeSet [" + name + "]");
  }
  if (!existing) {
    Stack s;
    s.stack_id = stack_id;
    s.account = ctx.account;
    s.region = ctx.region;
    s.name = stack_name;
    s.status = status::kReviewInProgress;
    s.template_body = checked->body;
    s.created_ms = now_ms();
    store.insert(s);
    begin_operation(tx, s, status::kReviewInProgress);
  }
  store.put_change_set(c);
  tx.commit();
  return json::object{{"Id", c.change_set_id}, {"StackId", stack_id}};
}

namespace {

ChangeSet find_change_set(StackStore& store, const Ctx& ctx, const Input& in,
                          std::optional<Stack>& stack) {
  std::string name = core::str(in, "ChangeSetName");
  std::string stack_name = core::str(in, "StackName");
  std::optional<ChangeSet> c;
  if (name.starts_with("arn:")) {
    c = store.find_change_set(name);
    if (c && (c->account != ctx.account || c->region != ctx.region)) c.reset();
  } else {
    if (stack_name.empty()) {
      throw errors::validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
    }
    stack = store.find(ctx.account, ctx.region, stack_name);
    if (!stack) throw errors::stack_not_found(stack_name);
    c = store.find_change_set(name, stack->stack_id);
  }
  if (!c) throw errors::change_set_not_found(name);
  if (!stack) stack = store.find_by_id(c->stack_id);
  if (!stack) throw errors::change_set_not_found(name);
  return *c;
}

}  // namespace

Output CloudFormationService::describe_change_set(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.read();
  StackStore store(tx);
  std::optional<Stack> s;
  ChangeSet c = find_change_set(store, ctx, in, s);
  return change_set_json(*s, c);
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ExecuteChangeSet.html
Output CloudFormationService::execute_change_set(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.begin();
  StackStore store(tx);
  std::optional<Stack> s;
  ChangeSet c = find_change_set(store, ctx, in, s);
  if (c.execution_status != "AVAILABLE") throw invalid_status(c, c.execution_status);
  const bool create = c.type == "CREATE";
  if (create ? s->status != status::kReviewInProgress
             : s->status != status::kCreateComplete && s->status != status::kUpdateComplete &&
                   s->status != status::kUpdateRollbackComplete) {
    throw errors::wrong_state(s->stack_id, s->status, "updated");
  }
  if (!create) {
    s->previous_template = s->template_body;
    s->previous_parameters = s->parameters;
  }
  auto checked = engine::parse_template(c.template_body);
  if (checked) s->description = checked->description;
  s->template_body = c.template_body;
  s->parameters = c.parameters;
  s->capabilities = c.capabilities;
  s->notification_arns = c.notification_arns;
  s->tags = c.tags;
  s->change_set_id = c.change_set_id;
  if (auto d = core::opt_bool(in, "DisableRollback")) s->disable_rollback = *d;
  begin_operation(tx, *s, create ? status::kCreateInProgress : status::kUpdateInProgress);
  // Executing a change set deletes the stack's other change sets, as on AWS.
  for (const ChangeSet& other : store.change_sets(s->stack_id)) {
    if (other.change_set_id != c.change_set_id) store.erase_change_set(other.change_set_id);
  }
  c.execution_status = "EXECUTE_COMPLETE";
  store.put_change_set(c);
  tx.commit();
  worker_.start(create ? OperationKind::Create : OperationKind::Update, s->stack_id);
  worker_.wait_for(s->stack_id, worker_.settle_wait);
  return json::object{};
}

Output CloudFormationService::delete_change_set(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.begin();
  StackStore store(tx);
  std::optional<Stack> s;
  ChangeSet c = find_change_set(store, ctx, in, s);
  if (c.execution_status == "EXECUTE_IN_PROGRESS") {
    return protocol::AwsError{"InvalidChangeSetStatus",
                              "Cannot delete ChangeSet in status " + c.execution_status};
  }
  store.erase_change_set(c.change_set_id);
  tx.commit();
  return json::object{};
}

Output CloudFormationService::list_change_sets(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.read();
  Stack s = find_stack(tx, ctx, core::str(in, "StackName"));
  json::array out;
  for (const ChangeSet& c : StackStore(tx).change_sets(s.stack_id)) {
    out.push_back(change_set_summary_json(s, c));
  }
  return json::object{{"Summaries", std::move(out)}};
}

}  // namespace services::cloudformation

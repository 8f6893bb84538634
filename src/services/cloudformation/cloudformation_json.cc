// Wire shapes (cloudformation_json.h).

#include "services/cloudformation/cloudformation_json.h"

#include <boost/json.hpp>

namespace services::cloudformation {

namespace json = boost::json;

double seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

json::array list_of(const json::object& in, std::string_view key) {
  const json::value* v = in.if_contains(key);
  return v && v->is_array() ? v->get_array() : json::array{};
}

json::array shown_parameters(const json::array& stored) {
  json::array out;
  for (const json::value& v : stored) {
    json::object p = v.as_object();
    if (const json::value* ne = p.if_contains("NoEcho"); ne && ne->is_bool() && ne->as_bool()) {
      p["ParameterValue"] = "****";
      p.erase("ResolvedValue");
    }
    p.erase("NoEcho");
    out.push_back(std::move(p));
  }
  return out;
}

json::object stack_json(const Stack& s) {
  json::object o{{"StackId", s.stack_id},
                 {"StackName", s.name},
                 {"CreationTime", seconds(s.created_ms)},
                 {"StackStatus", s.status},
                 {"DisableRollback", s.disable_rollback},
                 {"NotificationARNs", s.notification_arns},
                 {"Parameters", shown_parameters(s.parameters)},
                 {"Capabilities", s.capabilities},
                 {"Tags", s.tags},
                 {"EnableTerminationProtection", s.termination_protection},
                 {"RollbackConfiguration", json::object{}},
                 {"DriftInformation", json::object{{"StackDriftStatus", s.drift_status}}}};
  if (!s.change_set_id.empty()) o["ChangeSetId"] = s.change_set_id;
  if (!s.description.empty()) o["Description"] = s.description;
  if (!s.status_reason.empty()) o["StackStatusReason"] = s.status_reason;
  if (s.updated_ms) o["LastUpdatedTime"] = seconds(s.updated_ms);
  if (s.deleted_ms) o["DeletionTime"] = seconds(s.deleted_ms);
  if (!s.outputs.empty()) o["Outputs"] = s.outputs;
  if (!s.role_arn.empty()) o["RoleARN"] = s.role_arn;
  if (s.timeout_minutes) o["TimeoutInMinutes"] = s.timeout_minutes;
  if (s.drift_checked_ms) {
    o["DriftInformation"].as_object()["LastCheckTimestamp"] = seconds(s.drift_checked_ms);
  }
  return o;
}

json::object stack_summary_json(const Stack& s) {
  json::object o{{"StackId", s.stack_id},
                 {"StackName", s.name},
                 {"CreationTime", seconds(s.created_ms)},
                 {"StackStatus", s.status},
                 {"DriftInformation", json::object{{"StackDriftStatus", s.drift_status}}}};
  if (!s.description.empty()) o["TemplateDescription"] = s.description;
  if (!s.status_reason.empty()) o["StackStatusReason"] = s.status_reason;
  if (s.updated_ms) o["LastUpdatedTime"] = seconds(s.updated_ms);
  if (s.deleted_ms) o["DeletionTime"] = seconds(s.deleted_ms);
  return o;
}

json::object event_json(const Stack& s, const StackEvent& e) {
  json::object o{{"StackId", s.stack_id},
                 {"EventId", e.event_id},
                 {"StackName", s.name},
                 {"LogicalResourceId", e.logical_id},
                 {"ResourceType", e.type},
                 {"Timestamp", seconds(e.timestamp_ms)},
                 {"ResourceStatus", e.status}};
  if (!e.physical_id.empty()) o["PhysicalResourceId"] = e.physical_id;
  if (!e.status_reason.empty()) o["ResourceStatusReason"] = e.status_reason;
  if (!e.properties.empty()) o["ResourceProperties"] = e.properties;
  return o;
}

namespace {

json::object drift_information(const StackResource& r, const char* key) {
  json::object d{{key, r.drift_status}};
  if (r.drift_checked_ms) d["LastCheckTimestamp"] = seconds(r.drift_checked_ms);
  return d;
}

}  // namespace

json::object resource_json(const Stack& s, const StackResource& r) {
  json::object o{{"StackName", s.name},
                 {"StackId", s.stack_id},
                 {"LogicalResourceId", r.logical_id},
                 {"ResourceType", r.type},
                 {"Timestamp", seconds(r.updated_ms)},
                 {"ResourceStatus", r.status},
                 {"DriftInformation", drift_information(r, "StackResourceDriftStatus")}};
  if (!r.physical_id.empty()) o["PhysicalResourceId"] = r.physical_id;
  if (!r.status_reason.empty()) o["ResourceStatusReason"] = r.status_reason;
  return o;
}

json::object resource_detail_json(const Stack& s, const StackResource& r) {
  json::object o = resource_json(s, r);
  o.erase("Timestamp");
  o["LastUpdatedTimestamp"] = seconds(r.updated_ms);
  if (!r.metadata.is_null()) o["Metadata"] = json::serialize(r.metadata);
  return o;
}

json::object resource_summary_json(const StackResource& r) {
  json::object o{{"LogicalResourceId", r.logical_id},
                 {"ResourceType", r.type},
                 {"LastUpdatedTimestamp", seconds(r.updated_ms)},
                 {"ResourceStatus", r.status},
                 {"DriftInformation", drift_information(r, "StackResourceDriftStatus")}};
  if (!r.physical_id.empty()) o["PhysicalResourceId"] = r.physical_id;
  if (!r.status_reason.empty()) o["ResourceStatusReason"] = r.status_reason;
  return o;
}

json::object change_set_summary_json(const Stack& s, const ChangeSet& c) {
  json::object o{{"StackId", s.stack_id},
                 {"StackName", s.name},
                 {"ChangeSetId", c.change_set_id},
                 {"ChangeSetName", c.name},
                 {"ExecutionStatus", c.execution_status},
                 {"Status", c.status},
                 {"CreationTime", seconds(c.created_ms)},
                 {"IncludeNestedStacks", false}};
  if (!c.status_reason.empty()) o["StatusReason"] = c.status_reason;
  if (!c.description.empty()) o["Description"] = c.description;
  return o;
}

json::object change_set_json(const Stack& s, const ChangeSet& c) {
  json::object o = change_set_summary_json(s, c);
  o["Parameters"] = shown_parameters(c.parameters);
  o["NotificationARNs"] = c.notification_arns;
  o["Capabilities"] = c.capabilities;
  o["Tags"] = c.tags;
  o["Changes"] = c.changes;
  o["RollbackConfiguration"] = json::object{};
  return o;
}

}  // namespace services::cloudformation

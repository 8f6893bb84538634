// Drift detection (cloudformation_service.h): each resource's live properties, read through its
// provider, against the properties the stack last applied. Detection runs synchronously; its id
// answers DescribeStackDriftDetectionStatus.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/cloudformation/cloudformation_json.h"
#include "services/cloudformation/cloudformation_service.h"
#include "services/cloudformation/errors.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;

namespace {

bool gone(const protocol::AwsError& e) {
  return e.code.find("NotFound") != std::string::npos ||
         e.message.find("does not exist") != std::string::npos ||
         e.message.find("not found") != std::string::npos;
}

// Differences between what the template set and what is live, per property the provider reads.
json::array differences(const json::object& expected, const json::object& actual) {
  json::array out;
  for (const auto& kv : expected) {
    const json::value* live = actual.if_contains(kv.key());
    if (!live || *live == kv.value()) continue;
    out.push_back(json::object{{"PropertyPath", "/" + std::string(kv.key())},
                               {"ExpectedValue", json::serialize(kv.value())},
                               {"ActualValue", json::serialize(*live)},
                               {"DifferenceType", "NOT_EQUAL"}});
  }
  return out;
}

}  // namespace

// One resource: its drift row (status, details) written back into `r`.
static void check_resource(const StackWorker& worker, const Stack& s, StackResource& r,
                           int64_t now) {
  engine::StackIdentity id{s.account, s.region, s.name, s.stack_id};
  engine::ResourceProvider* p = worker.providers().find(r.type);
  r.drift_checked_ms = now;
  if (!p || r.physical_id.empty()) {
    r.drift_status = "NOT_CHECKED";
    return;
  }
  engine::ResourceRequest req{&id, r.logical_id, r.type, r.properties, json::value(), r.physical_id};
  auto live = p->read(req);
  const json::object expected = r.properties.is_object() ? r.properties.as_object() : json::object{};
  if (!live) {
    r.drift_status = gone(live.error()) ? "DELETED" : "NOT_CHECKED";
    r.drift_details = json::object{{"expected", expected}};
    return;
  }
  const json::object& actual = live->properties.empty() ? live->attributes : live->properties;
  json::array diffs = differences(expected, actual);
  r.drift_status = diffs.empty() ? "IN_SYNC" : "MODIFIED";
  json::object shown = expected;
  for (const auto& kv : actual) {
    if (expected.contains(kv.key())) shown[kv.key()] = kv.value();
  }
  r.drift_details = json::object{{"expected", expected}, {"actual", shown}, {"differences", diffs}};
}

Output CloudFormationService::detect_stack_drift(const Ctx& ctx, const Input& in) {
  Stack s;
  std::vector<StackResource> rows;
  {
    store::Transaction tx = db_.read();
    s = find_stack(tx, ctx, core::str(in, "StackName"));
    rows = StackStore(tx).resources(s.stack_id);
  }
  if (!is_settled(s.status) || s.status == status::kDeleteComplete) {
    return errors::validation("Drift detection cannot be performed on stack " + s.stack_id +
                              " in status " + s.status);
  }
  std::vector<std::string> only = core::strings(in, "LogicalResourceIds");
  bool drifted = false;
  for (StackResource& r : rows) {
    if (!only.empty() && std::find(only.begin(), only.end(), r.logical_id) == only.end()) continue;
    check_resource(worker_, s, r, now_ms());
    drifted = drifted || r.drift_status == "MODIFIED" || r.drift_status == "DELETED";
  }
  std::string detection = core::ids::uuid4();
  store::Transaction tx = db_.begin();
  StackStore store(tx);
  for (const StackResource& r : rows) store.put_resource(r);
  Stack fresh = find_stack(tx, ctx, s.stack_id);
  fresh.drift_status = drifted ? "DRIFTED" : "IN_SYNC";
  fresh.drift_checked_ms = now_ms();
  store.update(fresh);
  tx.commit();
  std::lock_guard lock(drift_mu_);
  drift_detections_[detection] = s.stack_id;
  return json::object{{"StackDriftDetectionId", detection}};
}

Output CloudFormationService::describe_stack_drift_detection_status(const Ctx& ctx,
                                                                    const Input& in) {
  std::string detection = core::str(in, "StackDriftDetectionId");
  std::string stack_id;
  {
    std::lock_guard lock(drift_mu_);
    auto it = drift_detections_.find(detection);
    if (it == drift_detections_.end()) {
      return errors::validation("Stack drift detection with id " + detection + " does not exist");
    }
    stack_id = it->second;
  }
  store::Transaction tx = db_.read();
  Stack s = find_stack(tx, ctx, stack_id);
  int64_t drifted = 0;
  for (const StackResource& r : StackStore(tx).resources(stack_id)) {
    if (r.drift_status == "MODIFIED" || r.drift_status == "DELETED") ++drifted;
  }
  return json::object{{"StackId", stack_id},
                      {"StackDriftDetectionId", detection},
                      {"StackDriftStatus", s.drift_status},
                      {"DetectionStatus", "DETECTION_COMPLETE"},
                      {"DriftedStackResourceCount", drifted},
                      {"Timestamp", seconds(s.drift_checked_ms)}};
}

namespace {

json::object drift_json(const Stack& s, const StackResource& r) {
  json::object o{{"StackId", s.stack_id},
                 {"LogicalResourceId", r.logical_id},
                 {"PhysicalResourceId", r.physical_id},
                 {"ResourceType", r.type},
                 {"StackResourceDriftStatus", r.drift_status},
                 {"Timestamp", seconds(r.drift_checked_ms)},
                 {"PropertyDifferences", json::array{}}};
  if (r.drift_details.is_object()) {
    const json::object& d = r.drift_details.as_object();
    if (const json::value* e = d.if_contains("expected")) o["ExpectedProperties"] = json::serialize(*e);
    if (const json::value* a = d.if_contains("actual")) o["ActualProperties"] = json::serialize(*a);
    if (const json::value* x = d.if_contains("differences")) o["PropertyDifferences"] = *x;
  }
  return o;
}

}  // namespace

Output CloudFormationService::describe_stack_resource_drifts(const Ctx& ctx, const Input& in) {
  store::Transaction tx = db_.read();
  Stack s = find_stack(tx, ctx, core::str(in, "StackName"));
  std::vector<std::string> filter = core::strings(in, "StackResourceDriftStatusFilters");
  json::array out;
  for (const StackResource& r : StackStore(tx).resources(s.stack_id)) {
    if (!r.drift_checked_ms) continue;
    if (!filter.empty() && std::find(filter.begin(), filter.end(), r.drift_status) == filter.end()) {
      continue;
    }
    out.push_back(drift_json(s, r));
  }
  return json::object{{"StackResourceDrifts", std::move(out)}};
}

Output CloudFormationService::detect_stack_resource_drift(const Ctx& ctx, const Input& in) {
  Stack s;
  std::optional<StackResource> r;
  std::string logical = core::str(in, "LogicalResourceId");
  {
    store::Transaction tx = db_.read();
    s = find_stack(tx, ctx, core::str(in, "StackName"));
    r = StackStore(tx).resource(s.stack_id, logical);
  }
  if (!r) return errors::validation("Resource " + logical + " does not exist for stack " + s.name);
  check_resource(worker_, s, *r, now_ms());
  store::Transaction tx = db_.begin();
  StackStore(tx).put_resource(*r);
  tx.commit();
  return json::object{{"StackResourceDrift", drift_json(s, *r)}};
}

}  // namespace services::cloudformation

#include "services/autoscaling/scaler.h"

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/log.h"
#include "services/autoscaling/autoscaling_service.h"

namespace services::autoscaling {

namespace json = boost::json;

json::object Scaler::activity(const TargetKey& key, const std::string& description,
                              const std::string& cause) const {
  return json::object{{"ActivityId", core::ids::uuid4()},
                      {"ServiceNamespace", key.ns},
                      {"ResourceId", key.resource_id},
                      {"ScalableDimension", key.dimension},
                      {"Description", description},
                      {"Cause", cause},
                      {"StartTime", now_s()},
                      {"StatusCode", "InProgress"}};
}

void Scaler::record(const TargetKey& key, const std::string& description, const std::string& cause,
                    const std::string& status, const std::string& message) {
  json::object a = activity(key, description, cause);
  a["StatusCode"] = status;
  a["StatusMessage"] = message;
  a["EndTime"] = a["StartTime"];
  store::Transaction tx = db_.begin();
  AutoscalingStore(tx).add_activity(
      {0, key, std::string(a["ActivityId"].as_string()), std::move(a)});
  tx.commit();
}

protocol::Result<void> Scaler::set_desired(const TargetRow& target, int64_t desired,
                                           const std::string& cause, std::optional<bool> out) {
  const TargetKey& key = target.key;
  std::string n = std::to_string(desired);
  json::object a = activity(key, "Setting desired count to " + n + ".", cause);
  std::string id(a["ActivityId"].as_string());
  {
    store::Transaction tx = db_.begin();
    AutoscalingStore st(tx);
    st.add_activity({0, key, id, a});
    if (out) st.mark_scaled(target.id, *out, core::to_epoch_millis(clock_.now()));
    tx.commit();
  }
  std::string cluster;
  std::string service;
  split_service_id(key.resource_id, &cluster, &service);
  protocol::Result<void> r =
      capacity_.set_desired(key.account, key.region, cluster, service, desired);
  a["EndTime"] = now_s();
  if (r) {
    a["StatusCode"] = "Successful";
    a["StatusMessage"] =
        "Successfully set desired count to " + n + ". Change successfully fulfilled by ecs.";
  } else {
    a["StatusCode"] = "Failed";
    a["StatusMessage"] = "Failed to set desired count to " + n + ". Reason: " + r.error().message;
  }
  core::log::info("application-autoscaling: scaling activity",
                  {{"resource", key.resource_id},
                   {"desired", n},
                   {"status", std::string(a["StatusCode"].as_string())}});
  store::Transaction tx = db_.begin();
  AutoscalingStore(tx).update_activity(id, a);
  tx.commit();
  return r;
}

}  // namespace services::autoscaling

#pragma once
// Application Auto Scaling rows <-> SQL (tables of migrations/0008_autoscaling.sql), inside a
// caller's Transaction. Targets, policies, scheduled actions and activities are kept as their
// wire documents; the columns beside them are what the store looks them up by.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.h"

namespace services::autoscaling {

// A scalable target's identity.
struct TargetKey {
  std::string account;
  std::string region;
  std::string ns;           // ServiceNamespace
  std::string resource_id;  // service/<cluster>/<service>
  std::string dimension;    // ecs:service:DesiredCount
  bool operator==(const TargetKey&) const = default;
};

struct TargetRow {
  int64_t id = 0;
  TargetKey key;
  std::string arn;
  boost::json::object doc;   // ScalableTarget
  boost::json::object tags;  // key -> value
  int64_t last_out_ms = 0;
  int64_t last_in_ms = 0;
};

// A scaling policy or a scheduled action.
struct NamedRow {
  int64_t id = 0;
  TargetKey key;
  std::string name;
  std::string arn;
  boost::json::object doc;             // ScalingPolicy or ScheduledAction
  std::optional<int64_t> next_run_ms;  // scheduled actions only
};

struct ActivityRow {
  int64_t id = 0;
  TargetKey key;
  std::string activity_id;
  boost::json::object doc;  // ScalingActivity
};

class AutoscalingStore {
 public:
  explicit AutoscalingStore(store::Transaction& tx) : tx_(tx) {}

  // Targets of an account and region in one namespace, by resource id.
  std::vector<TargetRow> targets(std::string_view account, std::string_view region,
                                 std::string_view ns);
  std::optional<TargetRow> target(const TargetKey& key);
  std::optional<TargetRow> target_by_arn(std::string_view arn);
  // Inserts the target or replaces the document of the one with its key.
  void put_target(const TargetRow& t);
  void delete_target(const TargetKey& key);
  void set_tags(int64_t target_id, const boost::json::object& tags);
  // Records a scale-out (or scale-in) at now_ms, for the cooldowns.
  void mark_scaled(int64_t target_id, bool out, int64_t now_ms);

  // Policies ("aas_policies") and scheduled actions ("aas_scheduled_actions") share one shape.
  enum class Kind { Policy, Scheduled };
  std::vector<NamedRow> named(Kind kind, std::string_view account, std::string_view region,
                              std::string_view ns);
  std::vector<NamedRow> named_for(Kind kind, const TargetKey& key);
  std::optional<NamedRow> named_one(Kind kind, const TargetKey& key, std::string_view name);
  std::optional<NamedRow> policy_by_arn(std::string_view arn);
  // Inserts or replaces (by key and name); returns the id.
  int64_t put_named(Kind kind, const NamedRow& row);
  void delete_named(Kind kind, int64_t id);
  int64_t count_named(Kind kind, const TargetKey& key);
  // Scheduled actions with next_run_ms <= now_ms.
  std::vector<NamedRow> due_scheduled(int64_t now_ms);
  void set_next_run(int64_t id, std::optional<int64_t> next_run_ms);

  void add_activity(const ActivityRow& a);
  void update_activity(std::string_view activity_id, const boost::json::object& doc);
  // Activities of an account, region and namespace (and resource id and dimension, when given),
  // newest first, with id below before_id.
  std::vector<ActivityRow> activities(std::string_view account, std::string_view region,
                                      std::string_view ns,
                                      const std::optional<std::string>& resource_id,
                                      const std::optional<std::string>& dimension,
                                      int64_t before_id, int64_t limit);

 private:
  store::Transaction& tx_;
};

}  // namespace services::autoscaling

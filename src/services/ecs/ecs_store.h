#pragma once
// ECS rows in SQLite (migration 0002_ecs.sql): model documents in, model documents out.
//
// An EcsStore borrows one Transaction and is scoped to one account and region, so that no query
// can see another account's or region's rows. The filter columns of each table are derived from
// the document in put_*(), which is the only place that maps documents to SQL.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/ecs/records.h"
#include "store/db.h"
#include "store/transaction.h"

namespace services::ecs {

enum class Table { Clusters, TaskDefinitions, Services, Tasks, CapacityProviders };

struct TaskDefinitionKey {
  std::string family;
  int64_t revision = 0;
  std::string arn;
};

struct TaskFilter {
  std::string cluster_arn;
  std::optional<std::string> family;
  std::optional<std::string> service_name;
  std::optional<std::string> started_by;
  std::string desired_status = "RUNNING";
  std::optional<std::string> launch_type;
};

class EcsStore {
 public:
  EcsStore(store::Transaction& tx, std::string account, std::string region);

  store::Transaction& tx() { return tx_; }

  std::optional<boost::json::object> get(Table table, std::string_view arn);

  // Clusters.
  void put_cluster(const boost::json::object& doc);
  std::optional<boost::json::object> cluster_by_name(std::string_view name);
  // ARNs after `after` (exclusive) in ARN order, ACTIVE clusters only, at most `limit`.
  std::vector<std::string> cluster_arns(std::string_view after, int64_t limit);

  // Task definitions.
  void put_task_definition(const boost::json::object& doc);
  int64_t max_revision(std::string_view family);
  std::optional<boost::json::object> task_definition(std::string_view family, int64_t revision);
  std::optional<boost::json::object> latest_active_task_definition(std::string_view family);
  // Every revision with `status` (all families, or one), family then revision ascending.
  std::vector<TaskDefinitionKey> task_definition_keys(std::optional<std::string_view> family,
                                                      std::string_view status);
  // Distinct families with at least one revision in `status` ("" = any), name ascending.
  std::vector<std::string> families(std::string_view prefix, std::string_view status);

  // Services.
  void put_service(const boost::json::object& doc, std::string_view client_token);
  std::optional<Service> service(std::string_view arn);
  // Keeps the stored client token.
  void put_service(const Service& service);
  std::optional<std::string> service_client_token(std::string_view arn);
  std::vector<std::string> service_arns(std::string_view cluster_arn,
                                        std::optional<std::string_view> launch_type,
                                        std::optional<std::string_view> scheduling_strategy,
                                        std::string_view after, int64_t limit);
  // ACTIVE and DRAINING services of every cluster whose doc names `namespace_arn`... in
  // practice: services whose serviceConnectConfiguration.namespace equals `ns`.
  std::vector<std::string> service_arns_in_namespace(std::string_view ns);
  int64_t count_services(std::string_view cluster_arn, std::string_view status);

  // Tasks.
  void put_task(const boost::json::object& doc);
  std::optional<Task> task(std::string_view arn);
  void put_task(const Task& task);
  // The tasks of a service the scheduler still reads: not STOPPED, or STOPPED and not yet
  // accounted for; oldest first.
  std::vector<Task> service_tasks(std::string_view cluster_arn, std::string_view service_name);
  std::vector<std::string> task_arns(const TaskFilter& filter, std::string_view after,
                                     int64_t limit);
  int64_t count_tasks(std::string_view cluster_arn, std::string_view last_status);
  int64_t count_unstopped_tasks(std::string_view cluster_arn);

  // Capacity providers.
  void put_capacity_provider(const boost::json::object& doc);
  std::optional<boost::json::object> capacity_provider_by_name(std::string_view name);
  std::vector<std::string> capacity_provider_arns();

  // Tags, as [{key, value}] in the order they were first set.
  boost::json::array tags(std::string_view resource_arn);
  void add_tags(std::string_view resource_arn, const boost::json::array& tags);
  void remove_tags(std::string_view resource_arn, const std::vector<std::string>& keys);
  void clear_tags(std::string_view resource_arn);

  // Account settings; principal "" is the account default.
  std::optional<std::string> setting(std::string_view principal, std::string_view name);
  void put_setting(std::string_view principal, std::string_view name, std::string_view value);
  void delete_setting(std::string_view principal, std::string_view name);
  // (principal, name, value) rows, principal then name.
  struct SettingRow {
    std::string principal, name, value;
  };
  std::vector<SettingRow> settings();

  // The stored document text of a row, unparsed (for WireDocCache); nullopt when absent.
  std::optional<std::string> doc_text(Table table, std::string_view arn);

 private:
  store::Transaction& tx_;
  std::string account_;
  std::string region_;
};

// The keys the ECS controllers resync (every account and region): tasks that are not STOPPED,
// services that are ACTIVE or DRAINING.
std::vector<std::string> unstopped_task_arns(store::Db& db);
std::vector<std::string> live_service_arns(store::Db& db);

// A task that is not STOPPED, with the account and region of its row (crash recovery).
struct UnstoppedTask {
  std::string account;
  std::string region;
  Task task;
};
std::vector<UnstoppedTask> unstopped_tasks(store::Db& db);

// An ACTIVE cluster's document with the account and region of its row (the metrics publisher).
struct ClusterRow {
  std::string account;
  std::string region;
  boost::json::object doc;
};
std::vector<ClusterRow> active_clusters(store::Transaction& tx);

// A STOPPED task as the stopped-task sweeper sees it (stopped_task_sweeper.h), every account and
// region.
struct StoppedTaskRow {
  std::string account;
  std::string region;
  std::string arn;
  double stopped_at = 0;  // epoch seconds: stoppedAt, else the latest lifecycle time recorded
  // A live service's task its scheduler has not accounted for yet: it still reads the row.
  bool scheduler_pending = false;
};
std::vector<StoppedTaskRow> stopped_tasks(store::Transaction& tx);
// Deletes the task's row and its tags.
void delete_task(store::Transaction& tx, const StoppedTaskRow& task);

}  // namespace services::ecs

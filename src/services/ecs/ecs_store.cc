#include "services/ecs/ecs_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/check.h"
#include "services/ecs/ecs_json.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

std::string_view table_name(Table t) {
  switch (t) {
    case Table::Clusters:
      return "ecs_clusters";
    case Table::TaskDefinitions:
      return "ecs_task_definitions";
    case Table::Services:
      return "ecs_services";
    case Table::Tasks:
      return "ecs_tasks";
    case Table::CapacityProviders:
      return "ecs_capacity_providers";
  }
  return "";
}

json::object parse_doc(const std::string& text) {
  json::value v = json::parse(text);
  CHECK(v.is_object()) << "ecs docs are stored as JSON objects";
  return std::move(v.get_object());
}

int64_t millis_of(const json::object& doc, std::string_view key) {
  const json::value* v = doc.if_contains(key);
  if (v && v->is_double()) {
    return static_cast<int64_t>(v->get_double() * 1000.0);
  }
  if (v && v->is_int64()) {
    return v->get_int64() * 1000;
  }
  return 0;
}

}  // namespace

EcsStore::EcsStore(store::Transaction& tx, std::string account, std::string region)
    : tx_(tx), account_(std::move(account)), region_(std::move(region)) {}

std::optional<json::object> EcsStore::get(Table table, std::string_view arn) {
  std::string sql = "SELECT doc FROM " + std::string(table_name(table)) +
                    " WHERE account = ?1 AND region = ?2 AND arn = ?3";
  std::optional<json::object> out;
  tx_.query(sql, [&](const store::Statement& row) { out = parse_doc(row.text(0)); }, account_,
            region_, arn);
  return out;
}

// Clusters.

void EcsStore::put_cluster(const json::object& doc) {
  tx_.execute(
      "INSERT INTO ecs_clusters (account, region, arn, name, status, created_at_ms, doc) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (account, region, arn) DO UPDATE SET "
      "name = excluded.name, status = excluded.status, doc = excluded.doc",
      account_, region_, str(doc, "clusterArn"), str(doc, "clusterName"), str(doc, "status"),
      millis_of(doc, "createdAt"), json::serialize(doc));
}

std::optional<json::object> EcsStore::cluster_by_name(std::string_view name) {
  std::optional<json::object> out;
  tx_.query("SELECT doc FROM ecs_clusters WHERE account = ?1 AND region = ?2 AND name = ?3",
            [&](const store::Statement& row) { out = parse_doc(row.text(0)); }, account_, region_,
            name);
  return out;
}

std::vector<std::string> EcsStore::cluster_arns(std::string_view after, int64_t limit) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT arn FROM ecs_clusters WHERE account = ?1 AND region = ?2 AND status = 'ACTIVE' "
      "AND arn > ?3 ORDER BY arn LIMIT ?4",
      [&](const store::Statement& row) { out.push_back(row.text(0)); }, account_, region_, after,
      limit);
  return out;
}

// Task definitions.

void EcsStore::put_task_definition(const json::object& doc) {
  tx_.execute(
      "INSERT INTO ecs_task_definitions (account, region, arn, family, revision, status, "
      "registered_at_ms, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (account, region, arn) DO UPDATE SET status = excluded.status, "
      "doc = excluded.doc",
      account_, region_, str(doc, "taskDefinitionArn"), str(doc, "family"),
      opt_int(doc, "revision").value_or(0), str(doc, "status"), millis_of(doc, "registeredAt"),
      json::serialize(doc));
}

int64_t EcsStore::max_revision(std::string_view family) {
  int64_t out = 0;
  tx_.query(
      "SELECT COALESCE(MAX(revision), 0) FROM ecs_task_definitions WHERE account = ?1 AND "
      "region = ?2 AND family = ?3",
      [&](const store::Statement& row) { out = row.int64(0); }, account_, region_, family);
  return out;
}

std::optional<json::object> EcsStore::task_definition(std::string_view family, int64_t revision) {
  std::optional<json::object> out;
  tx_.query(
      "SELECT doc FROM ecs_task_definitions WHERE account = ?1 AND region = ?2 AND family = ?3 "
      "AND revision = ?4",
      [&](const store::Statement& row) { out = parse_doc(row.text(0)); }, account_, region_,
      family, revision);
  return out;
}

std::optional<json::object> EcsStore::latest_active_task_definition(std::string_view family) {
  std::optional<json::object> out;
  tx_.query(
      "SELECT doc FROM ecs_task_definitions WHERE account = ?1 AND region = ?2 AND family = ?3 "
      "AND status = 'ACTIVE' ORDER BY revision DESC LIMIT 1",
      [&](const store::Statement& row) { out = parse_doc(row.text(0)); }, account_, region_,
      family);
  return out;
}

std::vector<TaskDefinitionKey> EcsStore::task_definition_keys(
    std::optional<std::string_view> family, std::string_view status) {
  std::vector<TaskDefinitionKey> out;
  auto add = [&](const store::Statement& row) {
    out.push_back({row.text(0), row.int64(1), row.text(2)});
  };
  if (family) {
    tx_.query(
        "SELECT family, revision, arn FROM ecs_task_definitions WHERE account = ?1 AND "
        "region = ?2 AND status = ?3 AND family = ?4 ORDER BY family, revision",
        add, account_, region_, status, *family);
  } else {
    tx_.query(
        "SELECT family, revision, arn FROM ecs_task_definitions WHERE account = ?1 AND "
        "region = ?2 AND status = ?3 ORDER BY family, revision",
        add, account_, region_, status);
  }
  return out;
}

std::vector<std::string> EcsStore::families(std::string_view prefix, std::string_view status) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT DISTINCT family FROM ecs_task_definitions WHERE account = ?1 AND region = ?2 AND "
      "(?3 = '' OR status = ?3) AND substr(family, 1, length(?4)) = ?4 ORDER BY family",
      [&](const store::Statement& row) { out.push_back(row.text(0)); }, account_, region_, status,
      prefix);
  return out;
}

// Services.

void EcsStore::put_service(const json::object& doc, std::string_view client_token) {
  tx_.execute(
      "INSERT INTO ecs_services (account, region, arn, cluster_arn, name, status, launch_type, "
      "scheduling_strategy, client_token, created_at_ms, doc) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT (account, region, arn) DO UPDATE SET status = excluded.status, "
      "launch_type = excluded.launch_type, scheduling_strategy = excluded.scheduling_strategy, "
      "client_token = CASE WHEN excluded.client_token = '' THEN client_token "
      "ELSE excluded.client_token END, created_at_ms = excluded.created_at_ms, doc = excluded.doc",
      account_, region_, str(doc, "serviceArn"), str(doc, "clusterArn"), str(doc, "serviceName"),
      str(doc, "status"), str(doc, "launchType"), str(doc, "schedulingStrategy", "REPLICA"),
      client_token, millis_of(doc, "createdAt"), json::serialize(doc));
}

std::optional<Service> EcsStore::service(std::string_view arn) {
  std::optional<json::object> doc = get(Table::Services, arn);
  if (!doc) return std::nullopt;
  return service_from_json(std::move(*doc));
}

void EcsStore::put_service(const Service& service) { put_service(to_json(service), ""); }

std::optional<std::string> EcsStore::service_client_token(std::string_view arn) {
  std::optional<std::string> out;
  tx_.query(
      "SELECT client_token FROM ecs_services WHERE account = ?1 AND region = ?2 AND arn = ?3",
      [&](const store::Statement& row) { out = row.text(0); }, account_, region_, arn);
  return out;
}

std::vector<std::string> EcsStore::service_arns(std::string_view cluster_arn,
                                                std::optional<std::string_view> launch_type,
                                                std::optional<std::string_view> scheduling_strategy,
                                                std::string_view after, int64_t limit) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT arn FROM ecs_services WHERE account = ?1 AND region = ?2 AND cluster_arn = ?3 AND "
      "status IN ('ACTIVE', 'DRAINING') AND (?4 IS NULL OR launch_type = ?4) AND "
      "(?5 IS NULL OR scheduling_strategy = ?5) AND arn > ?6 ORDER BY arn LIMIT ?7",
      [&](const store::Statement& row) { out.push_back(row.text(0)); }, account_, region_,
      cluster_arn, launch_type, scheduling_strategy, after, limit);
  return out;
}

std::vector<std::string> EcsStore::service_arns_in_namespace(std::string_view ns) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT arn FROM ecs_services WHERE account = ?1 AND region = ?2 AND status = 'ACTIVE' AND "
      "json_extract(doc, '$.serviceConnectConfiguration.namespace') = ?3 ORDER BY arn",
      [&](const store::Statement& row) { out.push_back(row.text(0)); }, account_, region_, ns);
  return out;
}

int64_t EcsStore::count_services(std::string_view cluster_arn, std::string_view status) {
  int64_t out = 0;
  tx_.query(
      "SELECT COUNT(*) FROM ecs_services WHERE account = ?1 AND region = ?2 AND cluster_arn = ?3 "
      "AND status = ?4",
      [&](const store::Statement& row) { out = row.int64(0); }, account_, region_, cluster_arn,
      status);
  return out;
}

// Tasks.

void EcsStore::put_task(const json::object& doc) {
  std::string group = str(doc, "group");
  std::string service_name = group.starts_with("service:") ? group.substr(8) : std::string();
  std::string family = name_from_ref(str(doc, "taskDefinitionArn"));
  family = family.substr(0, family.rfind(':'));
  tx_.execute(
      "INSERT INTO ecs_tasks (account, region, arn, cluster_arn, family, service_name, "
      "started_by, desired_status, last_status, launch_type, created_at_ms, doc) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
      "ON CONFLICT (account, region, arn) DO UPDATE SET desired_status = excluded.desired_status, "
      "last_status = excluded.last_status, doc = excluded.doc",
      account_, region_, str(doc, "taskArn"), str(doc, "clusterArn"), family, service_name,
      str(doc, "startedBy"), str(doc, "desiredStatus"), str(doc, "lastStatus"),
      str(doc, "launchType"), millis_of(doc, "createdAt"), json::serialize(doc));
}

std::optional<Task> EcsStore::task(std::string_view arn) {
  std::optional<json::object> doc = get(Table::Tasks, arn);
  if (!doc) return std::nullopt;
  return task_from_json(std::move(*doc));
}

void EcsStore::put_task(const Task& task) { put_task(to_json(task)); }

std::vector<Task> EcsStore::service_tasks(std::string_view cluster_arn,
                                          std::string_view service_name) {
  std::vector<Task> out;
  tx_.query(
      "SELECT doc FROM ecs_tasks WHERE account = ?1 AND region = ?2 AND cluster_arn = ?3 AND "
      "service_name = ?4 AND (last_status != 'STOPPED' OR "
      "json_extract(doc, '$._scheduler.accounted') IS NULL) ORDER BY created_at_ms, arn",
      [&](const store::Statement& row) { out.push_back(task_from_json(parse_doc(row.text(0)))); },
      account_, region_, cluster_arn, service_name);
  return out;
}

std::vector<std::string> EcsStore::task_arns(const TaskFilter& f, std::string_view after,
                                             int64_t limit) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT arn FROM ecs_tasks WHERE account = ?1 AND region = ?2 AND cluster_arn = ?3 AND "
      "desired_status = ?4 AND (?5 IS NULL OR family = ?5) AND (?6 IS NULL OR service_name = ?6) "
      "AND (?7 IS NULL OR started_by = ?7) AND (?8 IS NULL OR launch_type = ?8) AND arn > ?9 "
      "ORDER BY arn LIMIT ?10",
      [&](const store::Statement& row) { out.push_back(row.text(0)); }, account_, region_,
      f.cluster_arn, f.desired_status, f.family, f.service_name, f.started_by, f.launch_type,
      after, limit);
  return out;
}

int64_t EcsStore::count_tasks(std::string_view cluster_arn, std::string_view last_status) {
  int64_t out = 0;
  tx_.query(
      "SELECT COUNT(*) FROM ecs_tasks WHERE account = ?1 AND region = ?2 AND cluster_arn = ?3 AND "
      "last_status = ?4",
      [&](const store::Statement& row) { out = row.int64(0); }, account_, region_, cluster_arn,
      last_status);
  return out;
}

int64_t EcsStore::count_unstopped_tasks(std::string_view cluster_arn) {
  int64_t out = 0;
  tx_.query(
      "SELECT COUNT(*) FROM ecs_tasks WHERE account = ?1 AND region = ?2 AND cluster_arn = ?3 AND "
      "last_status != 'STOPPED'",
      [&](const store::Statement& row) { out = row.int64(0); }, account_, region_, cluster_arn);
  return out;
}

// Capacity providers.

void EcsStore::put_capacity_provider(const json::object& doc) {
  tx_.execute(
      "INSERT INTO ecs_capacity_providers (account, region, arn, name, status, doc) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account, region, arn) DO UPDATE SET "
      "status = excluded.status, doc = excluded.doc",
      account_, region_, str(doc, "capacityProviderArn"), str(doc, "name"), str(doc, "status"),
      json::serialize(doc));
}

std::optional<json::object> EcsStore::capacity_provider_by_name(std::string_view name) {
  std::optional<json::object> out;
  tx_.query(
      "SELECT doc FROM ecs_capacity_providers WHERE account = ?1 AND region = ?2 AND name = ?3",
      [&](const store::Statement& row) { out = parse_doc(row.text(0)); }, account_, region_, name);
  return out;
}

std::vector<std::string> EcsStore::capacity_provider_arns() {
  std::vector<std::string> out;
  tx_.query(
      "SELECT arn FROM ecs_capacity_providers WHERE account = ?1 AND region = ?2 AND "
      "status = 'ACTIVE' ORDER BY name",
      [&](const store::Statement& row) { out.push_back(row.text(0)); }, account_, region_);
  return out;
}

// Tags.

json::array EcsStore::tags(std::string_view resource_arn) {
  json::array out;
  tx_.query(
      "SELECT key, value FROM ecs_tags WHERE account = ?1 AND region = ?2 AND resource_arn = ?3 "
      "ORDER BY position",
      [&](const store::Statement& row) {
        out.push_back(json::object{{"key", row.text(0)}, {"value", row.text(1)}});
      },
      account_, region_, resource_arn);
  return out;
}

void EcsStore::add_tags(std::string_view resource_arn, const json::array& tags) {
  for (const json::value& t : tags) {
    if (!t.is_object()) {
      continue;
    }
    tx_.execute(
        "INSERT INTO ecs_tags (account, region, resource_arn, key, value, position) VALUES "
        "(?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(MAX(position), 0) + 1 FROM ecs_tags WHERE "
        "account = ?1 AND region = ?2 AND resource_arn = ?3)) "
        "ON CONFLICT (account, region, resource_arn, key) DO UPDATE SET value = excluded.value",
        account_, region_, resource_arn, str(t.get_object(), "key"), str(t.get_object(), "value"));
  }
}

void EcsStore::remove_tags(std::string_view resource_arn, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    tx_.execute(
        "DELETE FROM ecs_tags WHERE account = ?1 AND region = ?2 AND resource_arn = ?3 AND "
        "key = ?4",
        account_, region_, resource_arn, key);
  }
}

void EcsStore::clear_tags(std::string_view resource_arn) {
  tx_.execute("DELETE FROM ecs_tags WHERE account = ?1 AND region = ?2 AND resource_arn = ?3",
              account_, region_, resource_arn);
}

// Account settings.

std::optional<std::string> EcsStore::setting(std::string_view principal, std::string_view name) {
  std::optional<std::string> out;
  tx_.query(
      "SELECT value FROM ecs_account_settings WHERE account = ?1 AND region = ?2 AND "
      "principal_arn = ?3 AND name = ?4",
      [&](const store::Statement& row) { out = row.text(0); }, account_, region_, principal,
      name);
  return out;
}

void EcsStore::put_setting(std::string_view principal, std::string_view name,
                           std::string_view value) {
  tx_.execute(
      "INSERT INTO ecs_account_settings (account, region, principal_arn, name, value) VALUES "
      "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (account, region, principal_arn, name) DO UPDATE SET "
      "value = excluded.value",
      account_, region_, principal, name, value);
}

void EcsStore::delete_setting(std::string_view principal, std::string_view name) {
  tx_.execute(
      "DELETE FROM ecs_account_settings WHERE account = ?1 AND region = ?2 AND "
      "principal_arn = ?3 AND name = ?4",
      account_, region_, principal, name);
}

std::vector<EcsStore::SettingRow> EcsStore::settings() {
  std::vector<SettingRow> out;
  tx_.query(
      "SELECT principal_arn, name, value FROM ecs_account_settings WHERE account = ?1 AND "
      "region = ?2 ORDER BY principal_arn, name",
      [&](const store::Statement& row) {
        out.push_back({row.text(0), row.text(1), row.text(2)});
      },
      account_, region_);
  return out;
}

std::vector<UnstoppedTask> unstopped_tasks(store::Db& db) {
  std::vector<UnstoppedTask> out;
  store::Transaction tx = db.read();
  tx.query("SELECT account, region, doc FROM ecs_tasks WHERE last_status != 'STOPPED'",
           [&](const store::Statement& row) {
             out.push_back({row.text(0), row.text(1), task_from_json(parse_doc(row.text(2)))});
           });
  return out;
}

std::vector<ClusterRow> active_clusters(store::Transaction& tx) {
  std::vector<ClusterRow> out;
  tx.query("SELECT account, region, doc FROM ecs_clusters WHERE status = 'ACTIVE'",
           [&](const store::Statement& row) {
             out.push_back({row.text(0), row.text(1), parse_doc(row.text(2))});
           });
  return out;
}

std::vector<StoppedTaskRow> stopped_tasks(store::Transaction& tx) {
  std::vector<StoppedTaskRow> out;
  tx.query(
      "SELECT t.account, t.region, t.arn, "
      "COALESCE(json_extract(t.doc, '$.stoppedAt'), json_extract(t.doc, '$.executionStoppedAt'), "
      "json_extract(t.doc, '$.stoppingAt'), t.created_at_ms / 1000.0), "
      "t.service_name != '' AND json_extract(t.doc, '$._scheduler.accounted') IS NULL AND "
      "EXISTS (SELECT 1 FROM ecs_services s WHERE s.account = t.account AND "
      "s.region = t.region AND s.cluster_arn = t.cluster_arn AND s.name = t.service_name AND "
      "s.status IN ('ACTIVE', 'DRAINING')) "
      "FROM ecs_tasks t WHERE t.last_status = 'STOPPED'",
      [&](const store::Statement& row) {
        out.push_back({row.text(0), row.text(1), row.text(2), row.real(3), row.int64(4) != 0});
      });
  return out;
}

void delete_task(store::Transaction& tx, const StoppedTaskRow& task) {
  tx.execute("DELETE FROM ecs_tasks WHERE account = ?1 AND region = ?2 AND arn = ?3",
             task.account, task.region, task.arn);
  tx.execute("DELETE FROM ecs_tags WHERE account = ?1 AND region = ?2 AND resource_arn = ?3",
             task.account, task.region, task.arn);
}

namespace {

std::vector<std::string> arns_where(store::Db& db, const char* sql) {
  std::vector<std::string> arns;
  store::Transaction tx = db.read();
  tx.query(sql, [&](const store::Statement& row) { arns.push_back(row.text(0)); });
  return arns;
}

}  // namespace

std::vector<std::string> unstopped_task_arns(store::Db& db) {
  return arns_where(db, "SELECT arn FROM ecs_tasks WHERE last_status != 'STOPPED'");
}

std::vector<std::string> live_service_arns(store::Db& db) {
  return arns_where(db, "SELECT arn FROM ecs_services WHERE status IN ('ACTIVE', 'DRAINING')");
}

std::optional<std::string> EcsStore::doc_text(Table table, std::string_view arn) {
  std::string sql = "SELECT doc FROM " + std::string(table_name(table)) +
                    " WHERE account = ?1 AND region = ?2 AND arn = ?3";
  std::optional<std::string> out;
  tx_.query(sql, [&](const store::Statement& row) { out = row.text(0); }, account_, region_, arn);
  return out;
}

}  // namespace services::ecs

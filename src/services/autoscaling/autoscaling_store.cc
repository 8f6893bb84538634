// AutoscalingStore (autoscaling_store.h).

#include "services/autoscaling/autoscaling_store.h"

#include <boost/json.hpp>

#include "store/statement.h"

namespace services::autoscaling {

namespace json = boost::json;

namespace {

json::object parse_object(const std::string& text) {
  json::value v = json::parse(text);
  return v.is_object() ? std::move(v.as_object()) : json::object{};
}

TargetKey read_key(const store::Statement& row, int first) {
  return {row.text(first), row.text(first + 1), row.text(first + 2), row.text(first + 3),
          row.text(first + 4)};
}

constexpr std::string_view kTargetColumns =
    "SELECT id, account, region, namespace, resource_id, dimension, arn, doc, tags, last_out_ms, "
    "last_in_ms FROM aas_targets ";

TargetRow read_target(const store::Statement& row) {
  TargetRow t;
  t.id = row.int64(0);
  t.key = read_key(row, 1);
  t.arn = row.text(6);
  t.doc = parse_object(row.text(7));
  t.tags = parse_object(row.text(8));
  t.last_out_ms = row.int64(9);
  t.last_in_ms = row.int64(10);
  return t;
}

NamedRow read_named(const store::Statement& row) {
  NamedRow n;
  n.id = row.int64(0);
  n.key = read_key(row, 1);
  n.name = row.text(6);
  n.arn = row.text(7);
  n.doc = parse_object(row.text(8));
  n.next_run_ms = row.optional_int64(9);
  return n;
}

// The SQL of one query over policies or scheduled actions.
std::string named_sql(AutoscalingStore::Kind kind, std::string_view where) {
  std::string s = "SELECT id, account, region, namespace, resource_id, dimension, name, arn, doc, ";
  s += kind == AutoscalingStore::Kind::Policy ? "NULL FROM aas_policies "
                                              : "next_run_ms FROM aas_scheduled_actions ";
  s += where;
  return s;
}

const std::string& cached(AutoscalingStore::Kind kind, const std::string& policy_sql,
                          const std::string& scheduled_sql) {
  return kind == AutoscalingStore::Kind::Policy ? policy_sql : scheduled_sql;
}

constexpr std::string_view kKeyWhere =
    "WHERE account = ?1 AND region = ?2 AND namespace = ?3 AND resource_id = ?4 AND "
    "dimension = ?5 ";

}  // namespace

std::vector<TargetRow> AutoscalingStore::targets(std::string_view account, std::string_view region,
                                                 std::string_view ns) {
  static const std::string q = std::string(kTargetColumns) +
                               "WHERE account = ?1 AND region = ?2 AND namespace = ?3 "
                               "ORDER BY resource_id, dimension";
  std::vector<TargetRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_target(row)); }, account, region,
      ns);
  return out;
}

std::optional<TargetRow> AutoscalingStore::target(const TargetKey& k) {
  static const std::string q = std::string(kTargetColumns) + std::string(kKeyWhere);
  std::optional<TargetRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_target(row); }, k.account, k.region, k.ns,
      k.resource_id, k.dimension);
  return out;
}

std::optional<TargetRow> AutoscalingStore::target_by_arn(std::string_view arn) {
  static const std::string q = std::string(kTargetColumns) + "WHERE arn = ?1";
  std::optional<TargetRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_target(row); }, arn);
  return out;
}

void AutoscalingStore::put_target(const TargetRow& t) {
  const TargetKey& k = t.key;
  tx_.execute(
      "INSERT INTO aas_targets (account, region, namespace, resource_id, dimension, arn, doc, "
      "tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (account, region, namespace, resource_id, dimension) DO UPDATE SET doc = ?7",
      k.account, k.region, k.ns, k.resource_id, k.dimension, t.arn, json::serialize(t.doc),
      json::serialize(t.tags));
}

void AutoscalingStore::delete_target(const TargetKey& k) {
  static const std::string q = "DELETE FROM aas_targets " + std::string(kKeyWhere);
  tx_.execute(q, k.account, k.region, k.ns, k.resource_id, k.dimension);
}

void AutoscalingStore::set_tags(int64_t target_id, const json::object& tags) {
  tx_.execute("UPDATE aas_targets SET tags = ?2 WHERE id = ?1", target_id, json::serialize(tags));
}

void AutoscalingStore::mark_scaled(int64_t target_id, bool out, int64_t now_ms) {
  tx_.execute(out ? "UPDATE aas_targets SET last_out_ms = ?2 WHERE id = ?1"
                  : "UPDATE aas_targets SET last_in_ms = ?2 WHERE id = ?1",
              target_id, now_ms);
}

std::vector<NamedRow> AutoscalingStore::named(Kind kind, std::string_view account,
                                              std::string_view region, std::string_view ns) {
  static const std::string where =
      "WHERE account = ?1 AND region = ?2 AND namespace = ?3 ORDER BY resource_id, name";
  static const std::string p = named_sql(Kind::Policy, where);
  static const std::string s = named_sql(Kind::Scheduled, where);
  std::vector<NamedRow> out;
  tx_.query(
      cached(kind, p, s), [&](const store::Statement& row) { out.push_back(read_named(row)); },
      account, region, ns);
  return out;
}

std::vector<NamedRow> AutoscalingStore::named_for(Kind kind, const TargetKey& k) {
  static const std::string p = named_sql(Kind::Policy, std::string(kKeyWhere) + "ORDER BY name");
  static const std::string s = named_sql(Kind::Scheduled, std::string(kKeyWhere) + "ORDER BY name");
  std::vector<NamedRow> out;
  tx_.query(
      cached(kind, p, s), [&](const store::Statement& row) { out.push_back(read_named(row)); },
      k.account, k.region, k.ns, k.resource_id, k.dimension);
  return out;
}

std::optional<NamedRow> AutoscalingStore::named_one(Kind kind, const TargetKey& k,
                                                    std::string_view name) {
  static const std::string p = named_sql(Kind::Policy, std::string(kKeyWhere) + "AND name = ?6");
  static const std::string s = named_sql(Kind::Scheduled, std::string(kKeyWhere) + "AND name = ?6");
  std::optional<NamedRow> out;
  tx_.query(
      cached(kind, p, s), [&](const store::Statement& row) { out = read_named(row); }, k.account,
      k.region, k.ns, k.resource_id, k.dimension, name);
  return out;
}

std::optional<NamedRow> AutoscalingStore::policy_by_arn(std::string_view arn) {
  static const std::string q = named_sql(Kind::Policy, "WHERE arn = ?1");
  std::optional<NamedRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_named(row); }, arn);
  return out;
}

int64_t AutoscalingStore::put_named(Kind kind, const NamedRow& r) {
  const TargetKey& k = r.key;
  std::string doc = json::serialize(r.doc);
  if (kind == Kind::Policy) {
    tx_.execute(
        "INSERT INTO aas_policies (account, region, namespace, resource_id, dimension, name, arn, "
        "doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (account, region, namespace, "
        "resource_id, dimension, name) DO UPDATE SET doc = ?8",
        k.account, k.region, k.ns, k.resource_id, k.dimension, r.name, r.arn, doc);
  } else {
    tx_.execute(
        "INSERT INTO aas_scheduled_actions (account, region, namespace, resource_id, dimension, "
        "name, arn, doc, next_run_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT "
        "(account, region, namespace, resource_id, dimension, name) DO UPDATE SET doc = ?8, "
        "next_run_ms = ?9",
        k.account, k.region, k.ns, k.resource_id, k.dimension, r.name, r.arn, doc, r.next_run_ms);
  }
  return named_one(kind, k, r.name)->id;
}

void AutoscalingStore::delete_named(Kind kind, int64_t id) {
  tx_.execute(kind == Kind::Policy ? "DELETE FROM aas_policies WHERE id = ?1"
                                   : "DELETE FROM aas_scheduled_actions WHERE id = ?1",
              id);
}

int64_t AutoscalingStore::count_named(Kind kind, const TargetKey& k) {
  return static_cast<int64_t>(named_for(kind, k).size());
}

std::vector<NamedRow> AutoscalingStore::due_scheduled(int64_t now_ms) {
  static const std::string q =
      named_sql(Kind::Scheduled, "WHERE next_run_ms IS NOT NULL AND next_run_ms <= ?1");
  std::vector<NamedRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_named(row)); }, now_ms);
  return out;
}

void AutoscalingStore::set_next_run(int64_t id, std::optional<int64_t> next_run_ms) {
  tx_.execute("UPDATE aas_scheduled_actions SET next_run_ms = ?2 WHERE id = ?1", id, next_run_ms);
}

void AutoscalingStore::add_activity(const ActivityRow& a) {
  const TargetKey& k = a.key;
  tx_.execute(
      "INSERT INTO aas_activities (account, region, namespace, resource_id, dimension, "
      "activity_id, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      k.account, k.region, k.ns, k.resource_id, k.dimension, a.activity_id, json::serialize(a.doc));
}

void AutoscalingStore::update_activity(std::string_view activity_id, const json::object& doc) {
  tx_.execute("UPDATE aas_activities SET doc = ?2 WHERE activity_id = ?1", activity_id,
              json::serialize(doc));
}

std::vector<ActivityRow> AutoscalingStore::activities(std::string_view account,
                                                      std::string_view region, std::string_view ns,
                                                      const std::optional<std::string>& resource_id,
                                                      const std::optional<std::string>& dimension,
                                                      int64_t before_id, int64_t limit) {
  std::vector<ActivityRow> out;
  tx_.query(
      "SELECT id, account, region, namespace, resource_id, dimension, activity_id, doc "
      "FROM aas_activities WHERE account = ?1 AND region = ?2 AND namespace = ?3 AND "
      "(?4 IS NULL OR resource_id = ?4) AND (?5 IS NULL OR dimension = ?5) AND id < ?6 "
      "ORDER BY id DESC LIMIT ?7",
      [&](const store::Statement& row) {
        out.push_back({row.int64(0), read_key(row, 1), row.text(6), parse_object(row.text(7))});
      },
      account, region, ns, resource_id, dimension, before_id, limit);
  return out;
}

}  // namespace services::autoscaling

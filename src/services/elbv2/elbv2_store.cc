#include "services/elbv2/elbv2_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/check.h"
#include "services/elbv2/elbv2_json.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

json::value parse(const std::string& text) { return json::parse(text); }

json::object parse_object(const std::string& text) {
  json::value v = parse(text);
  CHECK(v.is_object()) << "elbv2 documents are stored as JSON objects";
  return std::move(v.get_object());
}

json::array parse_array(const std::string& text) {
  json::value v = parse(text);
  CHECK(v.is_array()) << "elbv2 interface lists are stored as JSON arrays";
  return std::move(v.get_array());
}

constexpr std::string_view kLbColumns = "doc, state, active_at_ms, created_at_ms, attributes, enis";

LoadBalancerRow lb_row(const store::Statement& row, int first) {
  LoadBalancerRow out;
  out.doc = parse_object(row.text(first));
  out.state = row.text(first + 1);
  out.active_at_ms = row.int64(first + 2);
  out.created_at_ms = row.int64(first + 3);
  out.attributes = parse_object(row.text(first + 4));
  out.interfaces = parse_array(row.text(first + 5));
  return out;
}

TargetGroupRow tg_row(const store::Statement& row, int first) {
  return {parse_object(row.text(first)), row.int64(first + 1), parse_object(row.text(first + 2))};
}

ListenerRow listener_row(const store::Statement& row, int first) {
  return {parse_object(row.text(first)), row.int64(first + 1), parse_object(row.text(first + 2))};
}

RuleRow rule_row(const store::Statement& row, int first) {
  return {parse_object(row.text(first)), row.text(first + 1), row.optional_int64(first + 2)};
}

TargetRow target_row(const store::Statement& row, int first) {
  TargetRow out;
  out.tg_arn = row.text(first);
  out.id = row.text(first + 1);
  out.port = row.int64(first + 2);
  out.availability_zone = row.text(first + 3);
  out.state = row.text(first + 4);
  out.reason = row.text(first + 5);
  out.description = row.text(first + 6);
  out.registered_at_ms = row.int64(first + 7);
  out.drain_until_ms = row.int64(first + 8);
  return out;
}

constexpr std::string_view kTargetColumns =
    "tg_arn, target_id, port, availability_zone, state, reason, description, registered_at_ms, "
    "drain_until_ms";

std::string sql(std::string_view a, std::string_view b, std::string_view c = "") {
  return std::string(a) + std::string(b) + std::string(c);
}

}  // namespace

Elbv2Store::Elbv2Store(store::Transaction& tx, std::string account, std::string region)
    : tx_(tx), account_(std::move(account)), region_(std::move(region)) {}

// Load balancers.

void Elbv2Store::put_load_balancer(const LoadBalancerRow& row) {
  tx_.execute(
      "INSERT INTO elbv2_load_balancers (account, region, arn, name, state, active_at_ms, "
      "created_at_ms, doc, attributes, enis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT (account, region, arn) DO UPDATE SET state = excluded.state, "
      "active_at_ms = excluded.active_at_ms, doc = excluded.doc, "
      "attributes = excluded.attributes, enis = excluded.enis",
      account_, region_, str(row.doc, "LoadBalancerArn"), str(row.doc, "LoadBalancerName"),
      row.state, row.active_at_ms, row.created_at_ms, json::serialize(row.doc),
      json::serialize(row.attributes), json::serialize(row.interfaces));
}

std::optional<LoadBalancerRow> Elbv2Store::load_balancer(std::string_view arn) {
  std::optional<LoadBalancerRow> out;
  tx_.query(
      sql("SELECT ", kLbColumns,
          " FROM elbv2_load_balancers WHERE account = ?1 AND region = ?2 AND arn = ?3"),
      [&](const store::Statement& row) { out = lb_row(row, 0); }, account_, region_, arn);
  return out;
}

std::optional<LoadBalancerRow> Elbv2Store::load_balancer_by_name(std::string_view name) {
  std::optional<LoadBalancerRow> out;
  tx_.query(
      sql("SELECT ", kLbColumns,
          " FROM elbv2_load_balancers WHERE account = ?1 AND region = ?2 AND name = ?3"),
      [&](const store::Statement& row) { out = lb_row(row, 0); }, account_, region_, name);
  return out;
}

std::vector<std::pair<std::string, std::string>> Elbv2Store::load_balancer_names(
    std::string_view after_name, int64_t limit) {
  std::vector<std::pair<std::string, std::string>> out;
  tx_.query(
      "SELECT name, arn FROM elbv2_load_balancers WHERE account = ?1 AND region = ?2 AND "
      "name > ?3 ORDER BY name LIMIT ?4",
      [&](const store::Statement& row) { out.emplace_back(row.text(0), row.text(1)); }, account_,
      region_, after_name, limit);
  return out;
}

int64_t Elbv2Store::count_load_balancers() {
  int64_t n = 0;
  tx_.query(
      "SELECT COUNT(*) FROM elbv2_load_balancers WHERE account = ?1 AND region = ?2",
      [&](const store::Statement& row) { n = row.int64(0); }, account_, region_);
  return n;
}

void Elbv2Store::delete_load_balancer(std::string_view arn) {
  for (const ListenerRow& l : listeners_of(arn)) {
    delete_listener(str(l.doc, "ListenerArn"));
  }
  tx_.execute("DELETE FROM elbv2_load_balancers WHERE account = ?1 AND region = ?2 AND arn = ?3",
              account_, region_, arn);
  clear_tags(arn);
}

// Target groups.

void Elbv2Store::put_target_group(const TargetGroupRow& row) {
  tx_.execute(
      "INSERT INTO elbv2_target_groups (account, region, arn, name, created_at_ms, doc, "
      "attributes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (account, region, arn) DO "
      "UPDATE SET doc = excluded.doc, attributes = excluded.attributes",
      account_, region_, str(row.doc, "TargetGroupArn"), str(row.doc, "TargetGroupName"),
      row.created_at_ms, json::serialize(row.doc), json::serialize(row.attributes));
}

std::optional<TargetGroupRow> Elbv2Store::target_group(std::string_view arn) {
  std::optional<TargetGroupRow> out;
  tx_.query(
      "SELECT doc, created_at_ms, attributes FROM elbv2_target_groups WHERE account = ?1 AND "
      "region = ?2 AND arn = ?3",
      [&](const store::Statement& row) { out = tg_row(row, 0); }, account_, region_, arn);
  return out;
}

std::optional<TargetGroupRow> Elbv2Store::target_group_by_name(std::string_view name) {
  std::optional<TargetGroupRow> out;
  tx_.query(
      "SELECT doc, created_at_ms, attributes FROM elbv2_target_groups WHERE account = ?1 AND "
      "region = ?2 AND name = ?3",
      [&](const store::Statement& row) { out = tg_row(row, 0); }, account_, region_, name);
  return out;
}

std::vector<std::pair<std::string, std::string>> Elbv2Store::target_group_names(
    std::string_view after_name, int64_t limit) {
  std::vector<std::pair<std::string, std::string>> out;
  tx_.query(
      "SELECT name, arn FROM elbv2_target_groups WHERE account = ?1 AND region = ?2 AND "
      "name > ?3 ORDER BY name LIMIT ?4",
      [&](const store::Statement& row) { out.emplace_back(row.text(0), row.text(1)); }, account_,
      region_, after_name, limit);
  return out;
}

int64_t Elbv2Store::count_target_groups() {
  int64_t n = 0;
  tx_.query(
      "SELECT COUNT(*) FROM elbv2_target_groups WHERE account = ?1 AND region = ?2",
      [&](const store::Statement& row) { n = row.int64(0); }, account_, region_);
  return n;
}

void Elbv2Store::delete_target_group(std::string_view arn) {
  tx_.execute("DELETE FROM elbv2_target_groups WHERE account = ?1 AND region = ?2 AND arn = ?3",
              account_, region_, arn);
  delete_targets_of(arn);
  clear_tags(arn);
}

std::vector<std::string> Elbv2Store::load_balancers_using(std::string_view tg_arn) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT DISTINCT lb_arn FROM elbv2_rule_target_groups WHERE account = ?1 AND region = ?2 "
      "AND tg_arn = ?3 ORDER BY lb_arn",
      [&](const store::Statement& row) { out.push_back(row.text(0)); }, account_, region_, tg_arn);
  return out;
}

std::vector<std::string> Elbv2Store::target_groups_of(std::string_view lb_arn) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT DISTINCT tg_arn FROM elbv2_rule_target_groups WHERE account = ?1 AND region = ?2 "
      "AND lb_arn = ?3 ORDER BY tg_arn",
      [&](const store::Statement& row) { out.push_back(row.text(0)); }, account_, region_, lb_arn);
  return out;
}

// Listeners.

void Elbv2Store::put_listener(const ListenerRow& row) {
  tx_.execute(
      "INSERT INTO elbv2_listeners (account, region, arn, lb_arn, port, created_at_ms, doc, "
      "attributes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (account, region, arn) "
      "DO UPDATE SET port = excluded.port, doc = excluded.doc, attributes = excluded.attributes",
      account_, region_, str(row.doc, "ListenerArn"), str(row.doc, "LoadBalancerArn"),
      opt_int(row.doc, "Port").value_or(0), row.created_at_ms, json::serialize(row.doc),
      json::serialize(row.attributes));
}

std::optional<ListenerRow> Elbv2Store::listener(std::string_view arn) {
  std::optional<ListenerRow> out;
  tx_.query(
      "SELECT doc, created_at_ms, attributes FROM elbv2_listeners WHERE account = ?1 AND "
      "region = ?2 AND arn = ?3",
      [&](const store::Statement& row) { out = listener_row(row, 0); }, account_, region_, arn);
  return out;
}

std::optional<ListenerRow> Elbv2Store::listener_on_port(std::string_view lb_arn, int64_t port) {
  std::optional<ListenerRow> out;
  tx_.query(
      "SELECT doc, created_at_ms, attributes FROM elbv2_listeners WHERE account = ?1 AND "
      "region = ?2 AND lb_arn = ?3 AND port = ?4",
      [&](const store::Statement& row) { out = listener_row(row, 0); }, account_, region_, lb_arn,
      port);
  return out;
}

std::vector<ListenerRow> Elbv2Store::listeners_of(std::string_view lb_arn) {
  std::vector<ListenerRow> out;
  tx_.query(
      "SELECT doc, created_at_ms, attributes FROM elbv2_listeners WHERE account = ?1 AND "
      "region = ?2 AND lb_arn = ?3 ORDER BY port",
      [&](const store::Statement& row) { out.push_back(listener_row(row, 0)); }, account_, region_,
      lb_arn);
  return out;
}

void Elbv2Store::add_listener_certificate(std::string_view listener_arn,
                                          std::string_view certificate_arn) {
  tx_.execute(
      "INSERT OR IGNORE INTO elbv2_listener_certificates (account, region, listener_arn, "
      "certificate_arn) VALUES (?1, ?2, ?3, ?4)",
      account_, region_, listener_arn, certificate_arn);
}

void Elbv2Store::remove_listener_certificate(std::string_view listener_arn,
                                             std::string_view certificate_arn) {
  tx_.execute(
      "DELETE FROM elbv2_listener_certificates WHERE account = ?1 AND region = ?2 AND "
      "listener_arn = ?3 AND certificate_arn = ?4",
      account_, region_, listener_arn, certificate_arn);
}

std::vector<std::string> Elbv2Store::listener_certificates(std::string_view listener_arn) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT certificate_arn FROM elbv2_listener_certificates WHERE account = ?1 AND "
      "region = ?2 AND listener_arn = ?3 ORDER BY rowid",
      [&](const store::Statement& row) { out.push_back(row.text(0)); }, account_, region_,
      listener_arn);
  return out;
}

void Elbv2Store::delete_listener(std::string_view arn) {
  for (const RuleRow& r : rules_of(arn)) {
    delete_rule(str(r.doc, "RuleArn"));
  }
  tx_.execute(
      "DELETE FROM elbv2_listener_certificates WHERE account = ?1 AND region = ?2 AND "
      "listener_arn = ?3",
      account_, region_, arn);
  tx_.execute("DELETE FROM elbv2_listeners WHERE account = ?1 AND region = ?2 AND arn = ?3",
              account_, region_, arn);
  clear_tags(arn);
}

// Rules.

void Elbv2Store::put_rule(const RuleRow& row, const std::vector<std::string>& tg_arns) {
  std::string arn = str(row.doc, "RuleArn");
  std::string lb_arn = load_balancer_arn_of(row.listener_arn);
  tx_.execute(
      "INSERT INTO elbv2_rules (account, region, arn, listener_arn, lb_arn, priority, doc) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (account, region, arn) DO UPDATE SET "
      "priority = excluded.priority, doc = excluded.doc",
      account_, region_, arn, row.listener_arn, lb_arn, row.priority, json::serialize(row.doc));
  tx_.execute(
      "DELETE FROM elbv2_rule_target_groups WHERE account = ?1 AND region = ?2 AND rule_arn = ?3",
      account_, region_, arn);
  for (const std::string& tg : tg_arns) {
    tx_.execute(
        "INSERT OR IGNORE INTO elbv2_rule_target_groups (account, region, rule_arn, lb_arn, "
        "tg_arn) VALUES (?1, ?2, ?3, ?4, ?5)",
        account_, region_, arn, lb_arn, tg);
  }
}

std::optional<RuleRow> Elbv2Store::rule(std::string_view arn) {
  std::optional<RuleRow> out;
  tx_.query(
      "SELECT doc, listener_arn, priority FROM elbv2_rules WHERE account = ?1 AND region = ?2 "
      "AND arn = ?3",
      [&](const store::Statement& row) { out = rule_row(row, 0); }, account_, region_, arn);
  return out;
}

std::optional<RuleRow> Elbv2Store::rule_with_priority(std::string_view listener_arn,
                                                      int64_t priority) {
  std::optional<RuleRow> out;
  tx_.query(
      "SELECT doc, listener_arn, priority FROM elbv2_rules WHERE account = ?1 AND region = ?2 "
      "AND listener_arn = ?3 AND priority = ?4",
      [&](const store::Statement& row) { out = rule_row(row, 0); }, account_, region_, listener_arn,
      priority);
  return out;
}

std::vector<RuleRow> Elbv2Store::rules_of(std::string_view listener_arn) {
  std::vector<RuleRow> out;
  tx_.query(
      "SELECT doc, listener_arn, priority FROM elbv2_rules WHERE account = ?1 AND region = ?2 "
      "AND listener_arn = ?3 ORDER BY priority IS NULL, priority",
      [&](const store::Statement& row) { out.push_back(rule_row(row, 0)); }, account_, region_,
      listener_arn);
  return out;
}

int64_t Elbv2Store::count_rules_of_load_balancer(std::string_view lb_arn) {
  int64_t n = 0;
  tx_.query(
      "SELECT COUNT(*) FROM elbv2_rules WHERE account = ?1 AND region = ?2 AND lb_arn = ?3 AND "
      "priority IS NOT NULL",
      [&](const store::Statement& row) { n = row.int64(0); }, account_, region_, lb_arn);
  return n;
}

void Elbv2Store::delete_rule(std::string_view arn) {
  tx_.execute("DELETE FROM elbv2_rules WHERE account = ?1 AND region = ?2 AND arn = ?3", account_,
              region_, arn);
  tx_.execute(
      "DELETE FROM elbv2_rule_target_groups WHERE account = ?1 AND region = ?2 AND rule_arn = ?3",
      account_, region_, arn);
  clear_tags(arn);
}

// Targets.

void Elbv2Store::put_target(const TargetRow& row) {
  tx_.execute(
      "INSERT INTO elbv2_targets (account, region, tg_arn, target_id, port, availability_zone, "
      "state, reason, description, registered_at_ms, drain_until_ms) VALUES (?1, ?2, ?3, ?4, ?5, "
      "?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (account, region, tg_arn, target_id, port) DO "
      "UPDATE SET availability_zone = excluded.availability_zone, state = excluded.state, "
      "reason = excluded.reason, description = excluded.description, "
      "registered_at_ms = excluded.registered_at_ms, drain_until_ms = excluded.drain_until_ms",
      account_, region_, row.tg_arn, row.id, row.port, row.availability_zone, row.state, row.reason,
      row.description, row.registered_at_ms, row.drain_until_ms);
}

std::optional<TargetRow> Elbv2Store::target(std::string_view tg_arn, std::string_view id,
                                            int64_t port) {
  std::optional<TargetRow> out;
  tx_.query(
      sql("SELECT ", kTargetColumns,
          " FROM elbv2_targets WHERE account = ?1 AND region = ?2 AND tg_arn = ?3 AND "
          "target_id = ?4 AND port = ?5"),
      [&](const store::Statement& row) { out = target_row(row, 0); }, account_, region_, tg_arn, id,
      port);
  return out;
}

std::vector<TargetRow> Elbv2Store::targets_of(std::string_view tg_arn) {
  std::vector<TargetRow> out;
  tx_.query(
      sql("SELECT ", kTargetColumns,
          " FROM elbv2_targets WHERE account = ?1 AND region = ?2 AND tg_arn = ?3 "
          "ORDER BY registered_at_ms, rowid"),
      [&](const store::Statement& row) { out.push_back(target_row(row, 0)); }, account_, region_,
      tg_arn);
  return out;
}

void Elbv2Store::delete_target(std::string_view tg_arn, std::string_view id, int64_t port) {
  tx_.execute(
      "DELETE FROM elbv2_targets WHERE account = ?1 AND region = ?2 AND tg_arn = ?3 AND "
      "target_id = ?4 AND port = ?5",
      account_, region_, tg_arn, id, port);
}

void Elbv2Store::delete_targets_of(std::string_view tg_arn) {
  tx_.execute("DELETE FROM elbv2_targets WHERE account = ?1 AND region = ?2 AND tg_arn = ?3",
              account_, region_, tg_arn);
}

// Tags.

json::array Elbv2Store::tags(std::string_view arn) {
  json::array out;
  tx_.query(
      "SELECT key, value FROM elbv2_tags WHERE account = ?1 AND region = ?2 AND arn = ?3 "
      "ORDER BY seq",
      [&](const store::Statement& row) {
        out.push_back(json::object{{"Key", row.text(0)}, {"Value", row.text(1)}});
      },
      account_, region_, arn);
  return out;
}

void Elbv2Store::add_tags(std::string_view arn, const json::array& tags) {
  int64_t seq = 0;
  tx_.query(
      "SELECT COALESCE(MAX(seq), 0) FROM elbv2_tags WHERE account = ?1 AND region = ?2",
      [&](const store::Statement& row) { seq = row.int64(0); }, account_, region_);
  for (const json::value& v : tags) {
    if (!v.is_object()) {
      continue;
    }
    tx_.execute(
        "INSERT INTO elbv2_tags (account, region, arn, key, value, seq) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6) ON CONFLICT (account, region, arn, key) DO UPDATE SET value = excluded.value",
        account_, region_, arn, str(v.get_object(), "Key"), str(v.get_object(), "Value"), ++seq);
  }
}

void Elbv2Store::remove_tags(std::string_view arn, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    tx_.execute(
        "DELETE FROM elbv2_tags WHERE account = ?1 AND region = ?2 AND arn = ?3 AND key = ?4",
        account_, region_, arn, key);
  }
}

void Elbv2Store::clear_tags(std::string_view arn) {
  tx_.execute("DELETE FROM elbv2_tags WHERE account = ?1 AND region = ?2 AND arn = ?3", account_,
              region_, arn);
}

// Every account and region.

std::vector<std::pair<Elbv2Store::Scoped, LoadBalancerRow>> Elbv2Store::all_load_balancers(
    store::Transaction& tx) {
  std::vector<std::pair<Scoped, LoadBalancerRow>> out;
  tx.query(sql("SELECT account, region, ", kLbColumns, " FROM elbv2_load_balancers ORDER BY arn"),
           [&](const store::Statement& row) {
             out.emplace_back(Scoped{row.text(0), row.text(1)}, lb_row(row, 2));
           });
  return out;
}

std::vector<std::pair<Elbv2Store::Scoped, TargetGroupRow>> Elbv2Store::all_target_groups(
    store::Transaction& tx) {
  std::vector<std::pair<Scoped, TargetGroupRow>> out;
  tx.query(
      "SELECT account, region, doc, created_at_ms, attributes FROM elbv2_target_groups "
      "ORDER BY arn",
      [&](const store::Statement& row) {
        out.emplace_back(Scoped{row.text(0), row.text(1)}, tg_row(row, 2));
      });
  return out;
}

std::vector<std::pair<Elbv2Store::Scoped, ListenerRow>> Elbv2Store::all_listeners(
    store::Transaction& tx) {
  std::vector<std::pair<Scoped, ListenerRow>> out;
  tx.query(
      "SELECT account, region, doc, created_at_ms, attributes FROM elbv2_listeners "
      "ORDER BY lb_arn, port",
      [&](const store::Statement& row) {
        out.emplace_back(Scoped{row.text(0), row.text(1)}, listener_row(row, 2));
      });
  return out;
}

std::vector<std::pair<Elbv2Store::Scoped, RuleRow>> Elbv2Store::all_rules(store::Transaction& tx) {
  std::vector<std::pair<Scoped, RuleRow>> out;
  tx.query(
      "SELECT account, region, doc, listener_arn, priority FROM elbv2_rules "
      "ORDER BY listener_arn, priority IS NULL, priority",
      [&](const store::Statement& row) {
        out.emplace_back(Scoped{row.text(0), row.text(1)}, rule_row(row, 2));
      });
  return out;
}

std::vector<std::pair<Elbv2Store::Scoped, TargetRow>> Elbv2Store::all_targets(
    store::Transaction& tx) {
  std::vector<std::pair<Scoped, TargetRow>> out;
  tx.query(sql("SELECT account, region, ", kTargetColumns,
               " FROM elbv2_targets ORDER BY tg_arn, registered_at_ms, rowid"),
           [&](const store::Statement& row) {
             out.emplace_back(Scoped{row.text(0), row.text(1)}, target_row(row, 2));
           });
  return out;
}

std::vector<Elbv2Store::Usage> Elbv2Store::all_usages(store::Transaction& tx) {
  std::vector<Usage> out;
  tx.query("SELECT DISTINCT lb_arn, tg_arn FROM elbv2_rule_target_groups ORDER BY tg_arn, lb_arn",
           [&](const store::Statement& row) {
             out.push_back({row.text(0), row.text(1)});
           });
  return out;
}

}  // namespace services::elbv2

// StackStore (stack_store.h).

#include "services/cloudformation/stack_store.h"

#include <algorithm>
#include <boost/json.hpp>

#include "store/statement.h"

namespace services::cloudformation {

namespace json = boost::json;

namespace {

json::array array_of(const std::string& text) {
  if (text.empty()) return {};
  json::value v = json::parse(text);
  return v.is_array() ? std::move(v.as_array()) : json::array{};
}
json::value value_of(const std::string& text) { return text.empty() ? json::value() : json::parse(text); }
json::object object_of(const std::string& text) {
  json::value v = value_of(text);
  return v.is_object() ? std::move(v.as_object()) : json::object{};
}

constexpr const char* kStackColumns =
    "stack_id, account, region, name, status, status_reason, description, template_body, "
    "parameters, previous_template, previous_parameters, capabilities, notification_arns, tags, "
    "outputs, role_arn, timeout_minutes, disable_rollback, termination_protection, change_set_id, "
    "created_ms, updated_ms, deleted_ms, drift_status, drift_checked_ms";

Stack read_stack(const store::Statement& r) {
  Stack s;
  s.stack_id = r.text(0);
  s.account = r.text(1);
  s.region = r.text(2);
  s.name = r.text(3);
  s.status = r.text(4);
  s.status_reason = r.text(5);
  s.description = r.text(6);
  s.template_body = r.text(7);
  s.parameters = array_of(r.text(8));
  s.previous_template = r.text(9);
  s.previous_parameters = array_of(r.text(10));
  s.capabilities = array_of(r.text(11));
  s.notification_arns = array_of(r.text(12));
  s.tags = array_of(r.text(13));
  s.outputs = array_of(r.text(14));
  s.role_arn = r.text(15);
  s.timeout_minutes = r.int64(16);
  s.disable_rollback = r.int64(17) != 0;
  s.termination_protection = r.int64(18) != 0;
  s.change_set_id = r.text(19);
  s.created_ms = r.int64(20);
  s.updated_ms = r.int64(21);
  s.deleted_ms = r.int64(22);
  s.drift_status = r.text(23);
  s.drift_checked_ms = r.int64(24);
  return s;
}

constexpr const char* kResourceColumns =
    "stack_id, logical_id, type, physical_id, status, status_reason, properties, attributes, "
    "metadata, updated_ms, drift_status, drift_details, drift_checked_ms";

StackResource read_resource(const store::Statement& r) {
  StackResource s;
  s.stack_id = r.text(0);
  s.logical_id = r.text(1);
  s.type = r.text(2);
  s.physical_id = r.text(3);
  s.status = r.text(4);
  s.status_reason = r.text(5);
  s.properties = value_of(r.text(6));
  s.attributes = object_of(r.text(7));
  s.metadata = value_of(r.text(8));
  s.updated_ms = r.int64(9);
  s.drift_status = r.text(10);
  s.drift_details = value_of(r.text(11));
  s.drift_checked_ms = r.int64(12);
  return s;
}

constexpr const char* kChangeSetColumns =
    "change_set_id, account, region, stack_id, name, type, status, status_reason, "
    "execution_status, description, template_body, parameters, capabilities, notification_arns, "
    "tags, changes, created_ms";

ChangeSet read_change_set(const store::Statement& r) {
  ChangeSet c;
  c.change_set_id = r.text(0);
  c.account = r.text(1);
  c.region = r.text(2);
  c.stack_id = r.text(3);
  c.name = r.text(4);
  c.type = r.text(5);
  c.status = r.text(6);
  c.status_reason = r.text(7);
  c.execution_status = r.text(8);
  c.description = r.text(9);
  c.template_body = r.text(10);
  c.parameters = array_of(r.text(11));
  c.capabilities = array_of(r.text(12));
  c.notification_arns = array_of(r.text(13));
  c.tags = array_of(r.text(14));
  c.changes = array_of(r.text(15));
  c.created_ms = r.int64(16);
  return c;
}

Export read_export(const store::Statement& r) {
  return Export{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4)};
}

}  // namespace

std::optional<Stack> StackStore::find(std::string_view account, std::string_view region,
                                      std::string_view name_or_id) {
  std::optional<Stack> out;
  auto keep = [&](const store::Statement& r) { out = read_stack(r); };
  if (name_or_id.starts_with("arn:")) {
    tx_.query(std::string("SELECT ") + kStackColumns +
                  " FROM cfn_stacks WHERE stack_id = ?1 AND account = ?2 AND region = ?3",
              keep, name_or_id, account, region);
  } else {
    tx_.query(std::string("SELECT ") + kStackColumns +
                  " FROM cfn_stacks WHERE account = ?1 AND region = ?2 AND name = ?3 AND "
                  "status != 'DELETE_COMPLETE' ORDER BY created_ms DESC LIMIT 1",
              keep, account, region, name_or_id);
  }
  return out;
}

std::optional<Stack> StackStore::find_by_id(std::string_view stack_id) {
  std::optional<Stack> out;
  tx_.query(std::string("SELECT ") + kStackColumns + " FROM cfn_stacks WHERE stack_id = ?1",
            [&](const store::Statement& r) { out = read_stack(r); }, stack_id);
  return out;
}

std::vector<Stack> StackStore::list(std::string_view account, std::string_view region) {
  std::vector<Stack> out;
  tx_.query(std::string("SELECT ") + kStackColumns +
                " FROM cfn_stacks WHERE account = ?1 AND region = ?2 ORDER BY created_ms, rowid",
            [&](const store::Statement& r) { out.push_back(read_stack(r)); }, account, region);
  return out;
}

void StackStore::insert(const Stack& s) {
  tx_.execute(
      "INSERT INTO cfn_stacks (stack_id, account, region, name, status, created_ms, "
      "template_body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      s.stack_id, s.account, s.region, s.name, s.status, s.created_ms, s.template_body);
  update(s);
}

void StackStore::update(const Stack& s) {
  tx_.execute(
      "UPDATE cfn_stacks SET status = ?2, status_reason = ?3, description = ?4, "
      "template_body = ?5, parameters = ?6, previous_template = ?7, previous_parameters = ?8, "
      "capabilities = ?9, notification_arns = ?10, tags = ?11, outputs = ?12, role_arn = ?13, "
      "timeout_minutes = ?14, disable_rollback = ?15, termination_protection = ?16, "
      "change_set_id = ?17, updated_ms = ?18, deleted_ms = ?19, drift_status = ?20, "
      "drift_checked_ms = ?21 WHERE stack_id = ?1",
      s.stack_id, s.status, s.status_reason, s.description, s.template_body,
      json::serialize(s.parameters), s.previous_template, json::serialize(s.previous_parameters),
      json::serialize(s.capabilities), json::serialize(s.notification_arns),
      json::serialize(s.tags), json::serialize(s.outputs), s.role_arn, s.timeout_minutes,
      int64_t{s.disable_rollback}, int64_t{s.termination_protection}, s.change_set_id,
      s.updated_ms, s.deleted_ms, s.drift_status, s.drift_checked_ms);
}

std::vector<StackResource> StackStore::resources(std::string_view stack_id) {
  std::vector<StackResource> out;
  tx_.query(std::string("SELECT ") + kResourceColumns +
                " FROM cfn_resources WHERE stack_id = ?1 ORDER BY rowid",
            [&](const store::Statement& r) { out.push_back(read_resource(r)); }, stack_id);
  return out;
}

std::optional<StackResource> StackStore::resource(std::string_view stack_id,
                                                  std::string_view logical_id) {
  std::optional<StackResource> out;
  tx_.query(std::string("SELECT ") + kResourceColumns +
                " FROM cfn_resources WHERE stack_id = ?1 AND logical_id = ?2",
            [&](const store::Statement& r) { out = read_resource(r); }, stack_id, logical_id);
  return out;
}

void StackStore::put_resource(const StackResource& r) {
  // An UPSERT keeps the row (and its rowid: the listing order) of a resource already there.
  tx_.execute(
      "INSERT INTO cfn_resources (stack_id, logical_id, type, physical_id, status, "
      "status_reason, properties, attributes, metadata, updated_ms, drift_status, drift_details, "
      "drift_checked_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
      "ON CONFLICT (stack_id, logical_id) DO UPDATE SET type = ?3, physical_id = ?4, "
      "status = ?5, status_reason = ?6, properties = ?7, attributes = ?8, metadata = ?9, "
      "updated_ms = ?10, drift_status = ?11, drift_details = ?12, drift_checked_ms = ?13",
      r.stack_id, r.logical_id, r.type, r.physical_id, r.status, r.status_reason,
      json::serialize(r.properties), json::serialize(r.attributes), json::serialize(r.metadata),
      r.updated_ms, r.drift_status, json::serialize(r.drift_details), r.drift_checked_ms);
}

void StackStore::erase_resource(std::string_view stack_id, std::string_view logical_id) {
  tx_.execute("DELETE FROM cfn_resources WHERE stack_id = ?1 AND logical_id = ?2", stack_id,
              logical_id);
}

StackEvent StackStore::append_event(StackEvent e) {
  // Resource threads stamp their events before they take the store: an event is never older
  // than the one before it, so DescribeStackEvents' newest-first order is also its time order.
  tx_.query(
      "SELECT COALESCE(MAX(seq), 0) + 1, COALESCE(MAX(timestamp_ms), 0) FROM cfn_events "
      "WHERE stack_id = ?1",
      [&](const store::Statement& r) {
        e.seq = r.int64(0);
        e.timestamp_ms = std::max(e.timestamp_ms, r.int64(1));
      },
      e.stack_id);
  tx_.execute(
      "INSERT INTO cfn_events (stack_id, seq, event_id, logical_id, physical_id, type, status, "
      "status_reason, properties, timestamp_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
      e.stack_id, e.seq, e.event_id, e.logical_id, e.physical_id, e.type, e.status,
      e.status_reason, e.properties, e.timestamp_ms);
  return e;
}

std::vector<StackEvent> StackStore::events(std::string_view stack_id) {
  std::vector<StackEvent> out;
  tx_.query(
      "SELECT stack_id, seq, event_id, logical_id, physical_id, type, status, status_reason, "
      "properties, timestamp_ms FROM cfn_events WHERE stack_id = ?1 ORDER BY seq DESC",
      [&](const store::Statement& r) {
        out.push_back(StackEvent{r.text(0), r.int64(1), r.text(2), r.text(3), r.text(4),
                                 r.text(5), r.text(6), r.text(7), r.text(8), r.int64(9)});
      },
      stack_id);
  return out;
}

std::optional<Export> StackStore::find_export(std::string_view account, std::string_view region,
                                              std::string_view name) {
  std::optional<Export> out;
  tx_.query(
      "SELECT account, region, name, value, stack_id FROM cfn_exports WHERE account = ?1 AND "
      "region = ?2 AND name = ?3",
      [&](const store::Statement& r) { out = read_export(r); }, account, region, name);
  return out;
}

std::vector<Export> StackStore::exports(std::string_view account, std::string_view region) {
  std::vector<Export> out;
  tx_.query(
      "SELECT account, region, name, value, stack_id FROM cfn_exports WHERE account = ?1 AND "
      "region = ?2 ORDER BY name",
      [&](const store::Statement& r) { out.push_back(read_export(r)); }, account, region);
  return out;
}

std::vector<Export> StackStore::exports_of(std::string_view stack_id) {
  std::vector<Export> out;
  tx_.query(
      "SELECT account, region, name, value, stack_id FROM cfn_exports WHERE stack_id = ?1 "
      "ORDER BY name",
      [&](const store::Statement& r) { out.push_back(read_export(r)); }, stack_id);
  return out;
}

void StackStore::put_export(const Export& e) {
  tx_.execute(
      "INSERT OR REPLACE INTO cfn_exports (account, region, name, value, stack_id) VALUES "
      "(?1, ?2, ?3, ?4, ?5)",
      e.account, e.region, e.name, e.value, e.stack_id);
}

void StackStore::erase_exports(std::string_view stack_id) {
  tx_.execute("DELETE FROM cfn_exports WHERE stack_id = ?1", stack_id);
}

std::vector<std::string> StackStore::importers(std::string_view account, std::string_view region,
                                               std::string_view export_name) {
  std::vector<std::string> out;
  tx_.query(
      "SELECT stack_id FROM cfn_imports WHERE account = ?1 AND region = ?2 AND export_name = ?3 "
      "ORDER BY stack_id",
      [&](const store::Statement& r) { out.push_back(r.text(0)); }, account, region, export_name);
  return out;
}

void StackStore::set_imports(const Stack& s, const std::vector<std::string>& export_names) {
  tx_.execute("DELETE FROM cfn_imports WHERE stack_id = ?1", s.stack_id);
  for (const std::string& name : export_names) {
    tx_.execute(
        "INSERT OR IGNORE INTO cfn_imports (account, region, export_name, stack_id) VALUES "
        "(?1, ?2, ?3, ?4)",
        s.account, s.region, name, s.stack_id);
  }
}

std::optional<ChangeSet> StackStore::find_change_set(std::string_view id_or_name,
                                                     std::string_view stack_id) {
  std::optional<ChangeSet> out;
  auto keep = [&](const store::Statement& r) { out = read_change_set(r); };
  if (id_or_name.starts_with("arn:")) {
    tx_.query(std::string("SELECT ") + kChangeSetColumns +
                  " FROM cfn_change_sets WHERE change_set_id = ?1",
              keep, id_or_name);
  } else {
    tx_.query(std::string("SELECT ") + kChangeSetColumns +
                  " FROM cfn_change_sets WHERE stack_id = ?1 AND name = ?2 AND "
                  "execution_status != 'EXECUTE_COMPLETE'",
              keep, stack_id, id_or_name);
  }
  return out;
}

std::vector<ChangeSet> StackStore::change_sets(std::string_view stack_id) {
  std::vector<ChangeSet> out;
  tx_.query(std::string("SELECT ") + kChangeSetColumns +
                " FROM cfn_change_sets WHERE stack_id = ?1 AND "
                "execution_status != 'EXECUTE_COMPLETE' ORDER BY created_ms, rowid",
            [&](const store::Statement& r) { out.push_back(read_change_set(r)); }, stack_id);
  return out;
}

void StackStore::put_change_set(const ChangeSet& c) {
  tx_.execute(
      "INSERT OR REPLACE INTO cfn_change_sets (change_set_id, account, region, stack_id, name, "
      "type, status, status_reason, execution_status, description, template_body, parameters, "
      "capabilities, notification_arns, tags, changes, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, "
      "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
      c.change_set_id, c.account, c.region, c.stack_id, c.name, c.type, c.status,
      c.status_reason, c.execution_status, c.description, c.template_body,
      json::serialize(c.parameters), json::serialize(c.capabilities),
      json::serialize(c.notification_arns), json::serialize(c.tags), json::serialize(c.changes),
      c.created_ms);
}

void StackStore::erase_change_set(std::string_view change_set_id) {
  tx_.execute("DELETE FROM cfn_change_sets WHERE change_set_id = ?1", change_set_id);
}

void StackStore::erase_change_sets(std::string_view stack_id) {
  tx_.execute("DELETE FROM cfn_change_sets WHERE stack_id = ?1", stack_id);
}

void StackStore::put_signal(std::string_view stack_id, std::string_view logical_id,
                            std::string_view unique_id, std::string_view status, int64_t at_ms) {
  tx_.execute(
      "INSERT OR REPLACE INTO cfn_signals (stack_id, logical_id, unique_id, status, created_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      stack_id, logical_id, unique_id, status, at_ms);
}

int64_t StackStore::count_signals(std::string_view stack_id, std::string_view logical_id,
                                  std::string_view status) {
  int64_t n = 0;
  tx_.query(
      "SELECT COUNT(*) FROM cfn_signals WHERE stack_id = ?1 AND logical_id = ?2 AND status = ?3",
      [&](const store::Statement& r) { n = r.int64(0); }, stack_id, logical_id, status);
  return n;
}

bool is_settled(const std::string& s) {
  return !s.ends_with("_IN_PROGRESS");
}

}  // namespace services::cloudformation

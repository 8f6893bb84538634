// CreateTable, DescribeTable, DeleteTable, ListTables and UpdateTable.

#include <boost/json/array.hpp>

#include "core/json.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/item_writer.h"
#include "services/dynamodb/streams/stream_writer.h"
#include "services/dynamodb/table_json.h"
#include "services/dynamodb/table_updates.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

// The live figures of a table's indexes: status (a GSI added by UpdateTable is CREATING and
// backfilling until its transition ends) and exact counts.
json::object index_figures(DdbStore& st, const Table& table, bool table_creating,
                           int64_t now_ms, int64_t transition_ms) {
  json::object out;
  const json::array* gsis = core::arr(table.description, "GlobalSecondaryIndexes");
  for (const Index& index : table.indexes) {
    auto [count, bytes] = st.space_figures(table.space() + index.slot);
    json::object f{{"ItemCount", count}, {"IndexSizeBytes", bytes}};
    if (index.global) {
      int64_t created = table.created_ms;
      for (const json::value& v : gsis ? *gsis : json::array()) {
        if (core::str(v.as_object(), "IndexName") == index.name) {
          created = core::opt_int(v.as_object(), "CreatedMs").value_or(created);
        }
      }
      bool creating = table_creating || now_ms < created + transition_ms;
      f["IndexStatus"] = creating ? "CREATING" : "ACTIVE";
      if (creating && created != table.created_ms) f["Backfilling"] = true;
    }
    out[index.name] = std::move(f);
  }
  return out;
}

}  // namespace

std::string table_status(const Table& table, int64_t now_ms, int64_t transition_ms) {
  if (now_ms < table.created_ms + transition_ms) return "CREATING";
  std::optional<int64_t> updated = core::opt_int(table.description, "UpdatedMs");
  if (updated && now_ms < *updated + transition_ms) return "UPDATING";
  return "ACTIVE";
}

json::object DynamoDbService::describe_row(DdbStore& st, const TableRow& row) {
  std::shared_ptr<const Table> table = catalog_.find(st, row.account, row.region, row.name);
  int64_t now = core::to_epoch_millis(clock_.now());
  int64_t transition =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.scaled(kTableTransition))
          .count();
  LiveFigures live;
  live.status = table_status(*table, now, transition);
  live.item_count = row.item_count;
  live.size_bytes = row.size_bytes;
  live.indexes = index_figures(st, *table, live.status == "CREATING", now, transition);
  json::object d = live_description(*table, live);
  for (std::string_view m : kInternalMembers) d.erase(m);
  return d;
}

Reply DynamoDbService::with_table_row(const Ctx& ctx, const Doc& in, const TableStep& step) {
  store::Transaction tx = db_.begin();
  DdbStore st(tx);
  std::string name = core::str(in, "TableName");
  std::optional<TableRow> row = st.table(ctx.account, ctx.region, name);
  if (!row) return errors::table_not_found(name);
  Reply out = step(st, *row);
  if (out) tx.commit();
  return out;
}

std::shared_ptr<const Table> DynamoDbService::active_table(DdbStore& st, const Ctx& ctx,
                                                           std::string_view name) {
  std::shared_ptr<const Table> table = catalog_.find(st, ctx.account, ctx.region, name);
  if (!table) throw errors::table_not_found();
  int64_t now = core::to_epoch_millis(clock_.now());
  int64_t transition =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.scaled(kTableTransition))
          .count();
  if (now < table->created_ms + transition) throw errors::table_not_found();
  return table;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
Reply DynamoDbService::create_table(const Ctx& ctx, const Doc& in) {
  int64_t now = core::to_epoch_millis(clock_.now());
  protocol::Result<json::object> description =
      describe_new_table({ctx.account, ctx.region, now}, in);
  if (!description) return description.error();
  if (core::obj(*description, "StreamSpecification")) {
    std::string label = stream_label(now);
    (*description)["LatestStreamLabel"] = label;
    (*description)["LatestStreamArn"] = core::str(*description, "TableArn") + "/stream/" + label;
  }
  store::Transaction tx = db_.begin();
  DdbStore st(tx);
  TableRow row;
  row.account = ctx.account;
  row.region = ctx.region;
  row.name = core::str(in, "TableName");
  row.description = *description;
  if (const json::array* tags = core::arr(in, "Tags")) row.tags = *tags;
  row.created_ms = now;
  auto id = [&]() -> std::optional<int64_t> {
    try {
      return st.insert_table(row);
    } catch (const std::system_error& e) {
      if (e.code() == store::errc::unique_constraint) return std::nullopt;
      throw;
    }
  }();
  if (!id) return errors::resource_in_use("Table already exists: " + row.name);
  row.id = *id;
  if (std::optional<std::string> policy = core::opt_str(in, "ResourcePolicy")) {
    store_resource_policy(st, row.id, *policy);
  }
  streams::sync_streams(tx, {row.id, ctx.account, ctx.region, row.name}, row.description, now);
  catalog_.forget(ctx.account, ctx.region, row.name);
  json::object out{{"TableDescription", describe_row(st, row)}};
  tx.commit();
  return out;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html
Reply DynamoDbService::describe_table(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  DdbStore st(tx);
  std::string name = core::str(in, "TableName");
  std::optional<TableRow> row = st.table(ctx.account, ctx.region, name);
  if (!row) return errors::table_not_found(name);
  return json::object{{"Table", describe_row(st, *row)}};
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
Reply DynamoDbService::delete_table(const Ctx& ctx, const Doc& in) {
  return with_table_row(ctx, in, [&](DdbStore& st, TableRow& row) -> Reply {
    json::object d = describe_row(st, row);
    if (core::opt_bool(d, "DeletionProtectionEnabled").value_or(false)) {
      return errors::validation(
          "Resource cannot be deleted as it is currently protected against deletion. Disable "
          "deletion protection first.");
    }
    if (core::str(d, "TableStatus") == "CREATING") {
      return errors::resource_in_use(
          "Attempt to change a resource which is still in use: Table is being created: " +
          row.name);
    }
    st.delete_table(row.id);
    streams::table_deleted(st.transaction(), row.id, core::to_epoch_millis(clock_.now()));
    catalog_.forget(ctx.account, ctx.region, row.name);
    d["TableStatus"] = "DELETING";
    return json::object{{"TableDescription", std::move(d)}};
  });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
Reply DynamoDbService::list_tables(const Ctx& ctx, const Doc& in) {
  int64_t limit = core::opt_int(in, "Limit").value_or(100);
  store::Transaction tx = db_.read();
  DdbStore st(tx);
  std::vector<std::string> names =
      st.names_after(ctx.account, ctx.region, core::str(in, "ExclusiveStartTableName"), limit + 1);
  json::object out;
  bool more = static_cast<int64_t>(names.size()) > limit;
  if (more) names.resize(static_cast<std::size_t>(limit));
  json::array list;
  for (const std::string& n : names) list.emplace_back(n);
  out["TableNames"] = std::move(list);
  if (more && !names.empty()) out["LastEvaluatedTableName"] = names.back();
  return out;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
Reply DynamoDbService::update_table(const Ctx& ctx, const Doc& in) {
  return with_table_row(ctx, in, [&](DdbStore& st, TableRow& row) -> Reply {
    json::object live = describe_row(st, row);
    std::string status = core::str(live, "TableStatus");
    if (status != "ACTIVE") {
      return errors::resource_in_use(
          "Attempt to change a resource which is still in use: Table is being " +
          std::string(status == "CREATING" ? "created" : "updated") + ": " + row.name);
    }
    int64_t now = core::to_epoch_millis(clock_.now());
    protocol::Result<TableChange> change = plan_table_update(row.description, in, now);
    if (!change) return change.error();
    row.description = std::move(change->description);
    st.update_description(row.id, row.description);
    streams::sync_streams(st.transaction(), {row.id, ctx.account, ctx.region, row.name},
                          row.description, now);
    catalog_.forget(ctx.account, ctx.region, row.name);
    std::shared_ptr<const Table> table = catalog_.find(st, ctx.account, ctx.region, row.name);
    for (int slot : change->dropped_slots) st.delete_space(table->space() + slot);
    for (const std::string& name : change->created_indexes) {
      backfill_index(st, *table, *table->index(name));
    }
    return json::object{{"TableDescription", describe_row(st, row)}};
  });
}

}  // namespace services::dynamodb

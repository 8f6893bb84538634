// CreateBackup, DescribeBackup, ListBackups, DeleteBackup and RestoreTableFromBackup: on-demand
// backups are real copies of a table's items (backup_store.h); a restore writes them into a new
// table, rebuilding its indexes and figures.

#include <boost/json/array.hpp>
#include <cstdio>

#include "core/ids.h"
#include "core/json.h"
#include "services/dynamodb/backup_store.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/item_keys.h"
#include "services/dynamodb/item_writer.h"
#include "services/dynamodb/table_json.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

protocol::AwsError backup_not_found(std::string_view arn) {
  return {"BackupNotFoundException", "Backup not found for arn " + std::string(arn)};
}

std::string billing_mode(const json::object& description) {
  const json::object* s = core::obj(description, "BillingModeSummary");
  return s ? core::str(*s, "BillingMode", "PROVISIONED") : "PROVISIONED";
}

json::object details(const BackupRow& b, std::string_view status = "AVAILABLE") {
  return json::object{{"BackupArn", b.arn},
                      {"BackupName", b.name},
                      {"BackupSizeBytes", b.size_bytes},
                      {"BackupStatus", status},
                      {"BackupType", "USER"},
                      {"BackupCreationDateTime", static_cast<double>(b.created_ms) / 1000.0}};
}

json::object summary(const BackupRow& b) {
  json::object s = details(b);
  s["TableName"] = b.table_name;
  s["TableArn"] = core::str(b.source, "TableArn");
  s["TableId"] = core::str(b.source, "TableId");
  return s;
}

json::object description(const BackupRow& b, std::string_view status = "AVAILABLE") {
  const json::object& src = b.source;
  json::object table{{"TableName", b.table_name},
                     {"TableId", core::str(src, "TableId")},
                     {"TableArn", core::str(src, "TableArn")},
                     {"TableSizeBytes", b.size_bytes},
                     {"ItemCount", b.item_count},
                     {"KeySchema", src.at("KeySchema")},
                     {"TableCreationDateTime", src.at("CreationDateTime")},
                     {"ProvisionedThroughput", src.at("ProvisionedThroughput")},
                     {"BillingMode", billing_mode(src)}};
  json::object features;
  for (std::string_view list : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    if (const json::array* indexes = core::arr(src, list)) {
      json::array out;
      for (const json::value& v : *indexes) {
        const json::object& i = v.as_object();
        out.push_back(json::object{{"IndexName", i.at("IndexName")},
                                   {"KeySchema", i.at("KeySchema")},
                                   {"Projection", i.at("Projection")}});
      }
      features[list] = std::move(out);
    }
  }
  return json::object{{"BackupDetails", details(b, status)},
                      {"SourceTableDetails", std::move(table)},
                      {"SourceTableFeatureDetails", std::move(features)}};
}

// The source description renamed for a restored table: new name, ARN, id and creation time.
json::object restored_description(const BackupRow& b, const std::string& name,
                                  const std::string& arn, int64_t now_ms) {
  json::object d = b.source;
  d["TableName"] = name;
  d["TableArn"] = arn;
  d["TableId"] = core::ids::uuid4();
  d["CreationDateTime"] = static_cast<double>(now_ms) / 1000.0;
  d.erase("UpdatedMs");
  // "You must manually set up the following on the restored table: ... Stream settings".
  for (std::string_view m : {"StreamSpecification", "LatestStreamArn", "LatestStreamLabel"}) {
    d.erase(m);
  }
  for (std::string_view list : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    json::array* indexes = d.contains(list) ? d[list].if_array() : nullptr;
    for (json::value& v : indexes ? *indexes : json::array()) {
      json::object& i = v.as_object();
      i["IndexArn"] = arn + "/index/" + core::str(i, "IndexName");
      i.erase("CreatedMs");
    }
  }
  d["RestoreSummary"] = json::object{{"SourceBackupArn", b.arn},
                                     {"SourceTableArn", core::str(b.source, "TableArn")},
                                     {"RestoreDateTime", static_cast<double>(now_ms) / 1000.0},
                                     {"RestoreInProgress", false}};
  return d;
}

}  // namespace

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateBackup.html
Reply DynamoDbService::create_backup(const Ctx& ctx, const Doc& in) {
  return with_table_row(ctx, in, [&](DdbStore& st, TableRow& row) -> Reply {
    std::shared_ptr<const Table> table = active_table(st, ctx, row.name);
    int64_t now = core::to_epoch_millis(clock_.now());
    BackupRow b;
    b.account = ctx.account;
    b.region = ctx.region;
    b.name = core::str(in, "BackupName");
    b.table_name = row.name;
    b.source = row.description;
    b.created_ms = now;
    b.item_count = row.item_count;
    b.size_bytes = row.size_bytes;
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%014lld", static_cast<long long>(now));
    b.arn = table->arn + "/backup/" + stamp + "-" + core::ids::random_hex(8);
    BackupStore backups(st.transaction());
    b.id = backups.insert(b, table->space());
    return json::object{{"BackupDetails", details(b)}};
  });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeBackup.html
Reply DynamoDbService::describe_backup(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  std::string arn = core::str(in, "BackupArn");
  std::optional<BackupRow> b = BackupStore(tx).find(ctx.account, ctx.region, arn);
  if (!b) return backup_not_found(arn);
  return json::object{{"BackupDescription", description(*b)}};
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListBackups.html
Reply DynamoDbService::list_backups(const Ctx& ctx, const Doc& in) {
  int64_t limit = core::opt_int(in, "Limit").value_or(100);
  store::Transaction tx = db_.read();
  std::vector<BackupRow> rows =
      BackupStore(tx).list(ctx.account, ctx.region, core::str(in, "TableName"),
                           core::str(in, "ExclusiveStartBackupArn"), limit + 1);
  bool more = static_cast<int64_t>(rows.size()) > limit;
  if (more) rows.resize(static_cast<std::size_t>(limit));
  json::array summaries;
  for (const BackupRow& b : rows) summaries.push_back(summary(b));
  json::object out{{"BackupSummaries", std::move(summaries)}};
  if (more && !rows.empty()) out["LastEvaluatedBackupArn"] = rows.back().arn;
  return out;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteBackup.html
Reply DynamoDbService::delete_backup(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  BackupStore backups(tx);
  std::string arn = core::str(in, "BackupArn");
  std::optional<BackupRow> b = backups.find(ctx.account, ctx.region, arn);
  if (!b) return backup_not_found(arn);
  backups.erase(b->id);
  tx.commit();
  return json::object{{"BackupDescription", description(*b, "DELETED")}};
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_RestoreTableFromBackup.html
Reply DynamoDbService::restore_table_from_backup(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  DdbStore st(tx);
  std::string arn = core::str(in, "BackupArn");
  std::optional<BackupRow> b = BackupStore(tx).find(ctx.account, ctx.region, arn);
  if (!b) return backup_not_found(arn);
  std::string name = core::str(in, "TargetTableName");
  if (st.table(ctx.account, ctx.region, name)) {
    return protocol::AwsError("TableAlreadyExistsException", "Table already exists: " + name);
  }
  int64_t now = core::to_epoch_millis(clock_.now());
  TableRow row;
  row.account = ctx.account;
  row.region = ctx.region;
  row.name = name;
  row.created_ms = now;
  row.description = restored_description(
      *b, name, core::ids::arn("dynamodb", ctx.region, ctx.account, "table/" + name), now);
  row.id = st.insert_table(row);
  catalog_.forget(ctx.account, ctx.region, name);
  std::shared_ptr<const Table> table = catalog_.find(st, ctx.account, ctx.region, name);
  RowRange all;
  all.space = backup_space(b->id);
  std::vector<std::pair<RowKey, std::string>> rows;
  st.scan_rows(all, [&](const RowKey& key, const std::string& item) {
    rows.emplace_back(key, item);
    return true;
  });
  // Each key is computed again: a backup made before the partition hash changed
  // (partition_rekey.h) keeps its rows under the old one.
  for (auto& [key, text] : rows) {
    json::object item = parse_stored_item(text);
    write_item(st, *table, item_row_key(*table, item), nullptr, &item, {now});
  }
  std::optional<TableRow> stored = st.table(ctx.account, ctx.region, name);
  json::object d = describe_row(st, *stored);
  d["RestoreSummary"].as_object()["RestoreInProgress"] = true;
  tx.commit();
  return json::object{{"TableDescription", std::move(d)}};
}

}  // namespace services::dynamodb

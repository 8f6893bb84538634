#pragma once
// Amazon DynamoDB: tables and their indexes, items, queries and scans, batches and transactions,
// on the one SQLite store.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/Welcome.html
//
// Handlers validate, run one transaction and return. Tables are parsed once (TableCatalog); item
// writes keep the table's indexes and figures in the same transaction (item_writer.h), so every
// acknowledged write is committed and indexes are never behind their table. Items are in the
// core's wire form (wire_values.h) from the moment a request is decoded until the reply.
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <string_view>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/dynamodb/table_catalog.h"
#include "services/dynamodb/transaction_tokens.h"
#include "store/db.h"

namespace services::dynamodb {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

// How long a table stays CREATING (and a changed one UPDATING, a new index CREATING), in AWS
// time; the clock's time scale shortens it.
inline constexpr std::chrono::milliseconds kTableTransition{1000};

class DynamoDbService {
 public:
  DynamoDbService(store::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  void register_operations(protocol::ServiceRegistry& registry);
  // Forgets cached tables (POST /_gantry/reset wipes the rows).
  void reset();

  // table_handlers.cc
  Reply create_table(const Ctx& ctx, const Doc& in);
  Reply describe_table(const Ctx& ctx, const Doc& in);
  Reply delete_table(const Ctx& ctx, const Doc& in);
  Reply list_tables(const Ctx& ctx, const Doc& in);
  Reply update_table(const Ctx& ctx, const Doc& in);

  // tag_handlers.cc: tags and the settings that only store what they are given
  Reply tag_resource(const Ctx& ctx, const Doc& in);
  Reply untag_resource(const Ctx& ctx, const Doc& in);
  Reply list_tags_of_resource(const Ctx& ctx, const Doc& in);

  // resource_policy_handlers.cc
  Reply put_resource_policy(const Ctx& ctx, const Doc& in);
  Reply get_resource_policy(const Ctx& ctx, const Doc& in);
  Reply delete_resource_policy(const Ctx& ctx, const Doc& in);
  Reply describe_limits(const Ctx& ctx, const Doc& in);
  Reply describe_endpoints(const Ctx& ctx, const Doc& in);
  Reply update_time_to_live(const Ctx& ctx, const Doc& in);
  Reply describe_time_to_live(const Ctx& ctx, const Doc& in);
  Reply describe_continuous_backups(const Ctx& ctx, const Doc& in);
  Reply update_continuous_backups(const Ctx& ctx, const Doc& in);

  // backup_handlers.cc
  Reply create_backup(const Ctx& ctx, const Doc& in);
  Reply describe_backup(const Ctx& ctx, const Doc& in);
  Reply list_backups(const Ctx& ctx, const Doc& in);
  Reply delete_backup(const Ctx& ctx, const Doc& in);
  Reply restore_table_from_backup(const Ctx& ctx, const Doc& in);

  // item_handlers.cc
  Reply put_item(const Ctx& ctx, const Doc& in);
  Reply get_item(const Ctx& ctx, const Doc& in);
  Reply delete_item(const Ctx& ctx, const Doc& in);
  Reply update_item(const Ctx& ctx, const Doc& in);

  // query_handlers.cc
  Reply query(const Ctx& ctx, const Doc& in);
  Reply scan(const Ctx& ctx, const Doc& in);

  // batch_handlers.cc
  Reply batch_get_item(const Ctx& ctx, const Doc& in);
  Reply batch_write_item(const Ctx& ctx, const Doc& in);

  // transact_handlers.cc
  Reply transact_get_items(const Ctx& ctx, const Doc& in);
  Reply transact_write_items(const Ctx& ctx, const Doc& in);

  // partiql/partiql_handlers.cc: PartiQL, run as the item operations above
  Reply execute_statement(const Ctx& ctx, const Doc& in);
  Reply batch_execute_statement(const Ctx& ctx, const Doc& in);
  Reply execute_transaction(const Ctx& ctx, const Doc& in);

  // The table a request names, which must be ACTIVE or UPDATING (items), inside `st`'s
  // transaction; ResourceNotFoundException otherwise.
  std::shared_ptr<const Table> active_table(DdbStore& st, const Ctx& ctx, std::string_view name);
  store::Db& db() { return db_; }
  const core::Clock& clock() const { return clock_; }

 private:
  // Runs `step` on the table in["TableName"] (which must exist) in one write transaction that
  // commits when the step succeeds.
  using TableStep = std::function<Reply(DdbStore&, TableRow&)>;
  Reply with_table_row(const Ctx& ctx, const Doc& in, const TableStep& step);
  Reply with_table_arn(const Ctx& ctx, std::string_view arn, const TableStep& step);
  // Stores `policy` as the table's resource policy (a new revision only for a new text) and
  // returns its revision id; throws ValidationException for text that is not a policy.
  std::string store_resource_policy(DdbStore& st, int64_t table_id, const std::string& policy);
  // TableStatus and the index figures DescribeTable shows for a row, now.
  boost::json::object describe_row(DdbStore& st, const TableRow& row);

  store::Db& db_;
  const core::Clock& clock_;
  TableCatalog catalog_;
  TransactionTokens tokens_;
};

}  // namespace services::dynamodb

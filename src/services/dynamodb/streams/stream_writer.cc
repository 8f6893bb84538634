#include "services/dynamodb/streams/stream_writer.h"

#include <boost/json/serialize.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/streams/shard_iterator.h"
#include "services/dynamodb/streams/stream_store.h"

namespace services::dynamodb::streams {
namespace {

namespace json = boost::json;

bool stream_enabled(const json::object& description) {
  const json::object* spec = core::obj(description, "StreamSpecification");
  return spec && core::opt_bool(*spec, "StreamEnabled").value_or(false);
}

json::object key_of(const Table& table, const json::object& item) {
  json::object keys;
  if (const json::value* h = item.if_contains(table.keys.hash.name)) {
    keys[table.keys.hash.name] = *h;
  }
  if (table.keys.range) {
    if (const json::value* r = item.if_contains(table.keys.range->name)) {
      keys[table.keys.range->name] = *r;
    }
  }
  return keys;
}

// The record without SequenceNumber and ApproximateCreationDateTime (the store adds them).
json::object make_record(const Table& table, std::string_view view_type,
                         const json::object* old_item, const json::object* new_item, bool ttl) {
  json::object body;
  json::object keys = key_of(table, new_item ? *new_item : *old_item);
  std::size_t size = item_size(keys);
  body["Keys"] = std::move(keys);
  bool new_image = view_type == "NEW_IMAGE" || view_type == "NEW_AND_OLD_IMAGES";
  bool old_image = view_type == "OLD_IMAGE" || view_type == "NEW_AND_OLD_IMAGES";
  if (new_image && new_item) {
    size += item_size(*new_item);
    body["NewImage"] = *new_item;
  }
  if (old_image && old_item) {
    size += item_size(*old_item);
    body["OldImage"] = *old_item;
  }
  body["SizeBytes"] = size;
  body["StreamViewType"] = view_type;
  json::object record{{"eventID", core::ids::random_hex(32)},
                      {"eventName", !old_item  ? "INSERT"
                                    : new_item ? "MODIFY"
                                               : "REMOVE"},
                      {"eventVersion", "1.1"},
                      {"eventSource", "aws:dynamodb"},
                      {"awsRegion", table.region},
                      {"dynamodb", std::move(body)}};
  if (ttl) {
    // "Items that are deleted by the Time to Live process after expiration have the following
    // fields: Records[<index>].userIdentity.type "Service", ...principalId
    // "dynamodb.amazonaws.com"" (API_streams_Record).
    record["userIdentity"] =
        json::object{{"PrincipalId", "dynamodb.amazonaws.com"}, {"Type", "Service"}};
  }
  return record;
}

}  // namespace

void record_change(store::Transaction& tx, const Table& table, const json::object* old_item,
                   const json::object* new_item, const ChangeOrigin& origin) {
  if (!stream_enabled(table.description) || (!old_item && !new_item)) return;
  if (old_item && new_item && items_equal(*old_item, *new_item)) return;
  StreamStore store(tx);
  std::optional<std::pair<int64_t, std::string>> stream = store.enabled_stream(table.id);
  if (!stream) return;
  json::object record = make_record(table, stream->second, old_item, new_item, origin.ttl);
  store.append(stream->first, origin.now_ms, json::serialize(record));
}

void sync_streams(store::Transaction& tx, const StreamOwner& owner, const json::object& description,
                  int64_t now_ms) {
  StreamStore store(tx);
  std::string arn = core::str(description, "LatestStreamArn");
  if (!stream_enabled(description)) {
    store.disable_for_table(owner.table_id, now_ms, false);
    return;
  }
  if (store.by_arn(arn)) return;
  store.disable_for_table(owner.table_id, now_ms, false);
  StreamRow row;
  row.arn = arn;
  row.account = owner.account;
  row.region = owner.region;
  row.table_name = owner.name;
  row.table_id = owner.table_id;
  row.label = core::str(description, "LatestStreamLabel");
  row.view_type = core::str(*core::obj(description, "StreamSpecification"), "StreamViewType");
  if (const json::array* keys = core::arr(description, "KeySchema")) row.key_schema = *keys;
  row.status = "ENABLED";
  row.created_ms = now_ms;
  row.shard_id = make_shard_id(now_ms);
  row.start_seq = store.last_seq() + 1;
  store.insert(row);
}

void table_deleted(store::Transaction& tx, int64_t table_id, int64_t now_ms) {
  StreamStore(tx).disable_for_table(table_id, now_ms, true);
}

}  // namespace services::dynamodb::streams

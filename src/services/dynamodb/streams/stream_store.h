#pragma once
// DynamoDB Streams rows <-> SQL (migrations/0018_dynamodb_streams.sql), inside a caller's
// Transaction: the streams tables have had and the records of each. Records are JSON text in the
// wire form; their sequence numbers are ddb_stream_records.seq, one counter for every stream.

#include <boost/json/array.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.h"

namespace services::dynamodb::streams {

struct StreamRow {
  int64_t id = 0;
  std::string arn;
  std::string account;
  std::string region;
  std::string table_name;
  std::optional<int64_t> table_id;  // unset once the table is deleted
  std::string label;
  std::string view_type;  // KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES
  boost::json::array key_schema;
  std::string status;  // ENABLED or DISABLED
  int64_t created_ms = 0;
  std::optional<int64_t> disabled_ms;
  std::string shard_id;
  int64_t start_seq = 0;
  std::optional<int64_t> end_seq;  // set when the shard closed (the stream was disabled)
  int64_t trimmed_seq = 0;         // the highest sequence number trimmed away
};

struct StoredRecord {
  int64_t seq = 0;
  int64_t created_ms = 0;
  std::string record;
};

class StreamStore {
 public:
  explicit StreamStore(store::Transaction& tx) : tx_(tx) {}

  std::optional<StreamRow> by_arn(std::string_view arn);
  // The ENABLED stream of a table: its id and view type.
  std::optional<std::pair<int64_t, std::string>> enabled_stream(int64_t table_id);
  // Throws std::system_error(store::errc::unique_constraint) when the ARN is taken.
  void insert(const StreamRow& row);
  // Closes every ENABLED stream of the table at now_ms; `table_gone` also detaches them from it.
  void disable_for_table(int64_t table_id, int64_t now_ms, bool table_gone);
  // Up to `limit` streams of an account and region (of one table when `table_name` is set) with
  // ids above `after_id`, by id.
  std::vector<StreamRow> list(std::string_view account, std::string_view region,
                              const std::optional<std::string>& table_name, int64_t after_id,
                              int64_t limit);

  // The highest sequence number ever issued (0 before the first record).
  int64_t last_seq();
  // The highest sequence number of a stream's records still kept, 0 when none are.
  int64_t last_seq_of(int64_t stream_id);
  // Appends a record; returns its sequence number.
  int64_t append(int64_t stream_id, int64_t created_ms, std::string_view record);
  // Up to `limit` records of a stream after sequence number `after`, in order.
  std::vector<StoredRecord> records_after(int64_t stream_id, int64_t after, int64_t limit);

  // Removes records created before `cutoff_ms` (advancing each stream's trimmed_seq) and the
  // streams disabled before it, with their records. Returns the records removed.
  int64_t trim(int64_t cutoff_ms);

 private:
  store::Transaction& tx_;
};

}  // namespace services::dynamodb::streams

#include "services/dynamodb/streams/streams_service.h"

#include <boost/json/parse.hpp>
#include <ctime>

#include "core/ids.h"
#include "core/json.h"
#include "services/dynamodb/streams/shard_iterator.h"
#include "services/dynamodb/streams/stream_errors.h"
#include "services/dynamodb/streams/stream_store.h"
#include "services/dynamodb/wire_values.h"

namespace services::dynamodb::streams {
namespace {

namespace json = boost::json;

// arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL
bool is_stream_arn(std::string_view text) {
  core::ids::ParsedArn arn;
  if (!core::ids::parse_arn(text, &arn) || arn.service != "dynamodb") return false;
  std::string_view r = arn.resource;
  std::size_t mark = r.find("/stream/");
  return r.starts_with("table/") && mark != std::string_view::npos && mark > 6 &&
         mark + 8 < r.size();
}

// The stream `arn` names, of the caller's account and region.
StreamRow find_stream(StreamStore& st, const Ctx& ctx, const std::string& arn) {
  if (!is_stream_arn(arn)) throw errors::invalid_stream_arn();
  std::optional<StreamRow> row = st.by_arn(arn);
  if (!row || row->account != ctx.account || row->region != ctx.region) {
    throw errors::stream_not_found(arn);
  }
  return std::move(*row);
}

int64_t limit_of(const Doc& in, int64_t max) {
  int64_t limit = core::opt_int(in, "Limit").value_or(max);
  if (limit > max) throw errors::limit_above(limit, max);
  return limit;
}

// "Mon Dec 07 20:00:00 UTC 2026", as the expired-iterator message prints times.
std::string amz_time(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

json::object shard_json(const StreamRow& row) {
  json::object range{{"StartingSequenceNumber", format_sequence(row.start_seq)}};
  if (row.end_seq) range["EndingSequenceNumber"] = format_sequence(*row.end_seq);
  return json::object{{"ShardId", row.shard_id}, {"SequenceNumberRange", std::move(range)}};
}

// The sequence number after which an iterator of `type` starts reading.
int64_t start_after(StreamStore& st, const StreamRow& row, const std::string& type,
                    const std::optional<std::string>& sequence) {
  int64_t horizon = std::max(row.trimmed_seq, row.start_seq - 1);
  if (type == "TRIM_HORIZON") return horizon;
  if (type == "LATEST") {
    return row.end_seq ? *row.end_seq : std::max(st.last_seq_of(row.id), horizon);
  }
  std::optional<int64_t> n = parse_sequence(*sequence);
  int64_t highest = row.end_seq ? *row.end_seq : std::max(st.last_seq(), row.start_seq);
  if (!n || *n < row.start_seq || *n > highest) {
    throw errors::validation("Invalid SequenceNumber: " + *sequence +
                             " for ShardId: " + row.shard_id);
  }
  if (*n <= row.trimmed_seq) throw errors::trimmed();
  return type == "AT_SEQUENCE_NUMBER" ? *n - 1 : *n;
}

json::object record_json(const StoredRecord& stored) {
  json::value v = json::parse(stored.record);
  json::object& record = v.as_object();
  json::object& body = record["dynamodb"].as_object();
  for (std::string_view image : {"Keys", "NewImage", "OldImage"}) {
    if (json::object* item = body.contains(image) ? body[image].if_object() : nullptr) {
      item_from_wire(*item);
    }
  }
  // "ApproximateCreationDateTime: The approximate date and time when the stream record was
  // created, in UNIX epoch time format and rounded down to the closest second."
  body["ApproximateCreationDateTime"] = static_cast<double>(stored.created_ms / 1000);
  body["SequenceNumber"] = format_sequence(stored.seq);
  return std::move(record);
}

}  // namespace

void StreamsService::register_operations(protocol::ServiceRegistry& registry) {
  using S = StreamsService;
  registry.add("dynamodbstreams",
               {
                   {"ListStreams", protocol::method(this, &S::list_streams)},
                   {"DescribeStream", protocol::method(this, &S::describe_stream)},
                   {"GetShardIterator", protocol::method(this, &S::get_shard_iterator)},
                   {"GetRecords", protocol::method(this, &S::get_records)},
               });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html
Reply StreamsService::list_streams(const Ctx& ctx, const Doc& in) {
  int64_t limit = limit_of(in, 100);
  store::Transaction tx = db_.read();
  StreamStore st(tx);
  int64_t after_id = 0;
  if (std::optional<std::string> start = core::opt_str(in, "ExclusiveStartStreamArn")) {
    after_id = find_stream(st, ctx, *start).id;
  }
  std::vector<StreamRow> rows =
      st.list(ctx.account, ctx.region, core::opt_str(in, "TableName"), after_id, limit + 1);
  bool more = static_cast<int64_t>(rows.size()) > limit;
  if (more) rows.resize(static_cast<std::size_t>(limit));
  json::array streams;
  for (const StreamRow& r : rows) {
    streams.push_back(
        json::object{{"StreamArn", r.arn}, {"TableName", r.table_name}, {"StreamLabel", r.label}});
  }
  json::object out{{"Streams", std::move(streams)}};
  if (more) out["LastEvaluatedStreamArn"] = rows.back().arn;
  return out;
}

// ENABLING for a moment after the stream is turned on and DISABLING after it is turned off, as
// DynamoDB shows them ("The stream is being enabled"); as long as a new table is CREATING.
std::string StreamsService::shown_status(const StreamRow& row) const {
  int64_t now = core::to_epoch_millis(clock_.now());
  int64_t transition =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.scaled(kStreamTransition))
          .count();
  if (row.status == "ENABLED" && now < row.created_ms + transition) return "ENABLING";
  if (row.status == "DISABLED" && row.disabled_ms && now < *row.disabled_ms + transition) {
    return "DISABLING";
  }
  return row.status;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html
Reply StreamsService::describe_stream(const Ctx& ctx, const Doc& in) {
  limit_of(in, 100);
  store::Transaction tx = db_.read();
  StreamStore st(tx);
  StreamRow row = find_stream(st, ctx, core::str(in, "StreamArn"));
  // One shard, listed unless the page starts at or after it; it has no child shards.
  json::array shards;
  std::string start = core::str(in, "ExclusiveStartShardId");
  if (!core::obj(in, "ShardFilter") && (start.empty() || start < row.shard_id)) {
    shards.push_back(shard_json(row));
  }
  json::object d{{"StreamArn", row.arn},
                 {"StreamLabel", row.label},
                 {"StreamStatus", shown_status(row)},
                 {"StreamViewType", row.view_type},
                 {"CreationRequestDateTime", static_cast<double>(row.created_ms) / 1000.0},
                 {"TableName", row.table_name},
                 {"KeySchema", row.key_schema},
                 {"Shards", std::move(shards)}};
  return json::object{{"StreamDescription", std::move(d)}};
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
Reply StreamsService::get_shard_iterator(const Ctx& ctx, const Doc& in) {
  std::string type = core::str(in, "ShardIteratorType");
  std::optional<std::string> sequence = core::opt_str(in, "SequenceNumber");
  bool needs_sequence = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
  if (needs_sequence && !sequence) {
    return errors::validation("SequenceNumber must be specified for ShardIteratorType " + type);
  }
  if (!needs_sequence && sequence) {
    return errors::validation("SequenceNumber cannot be specified for ShardIteratorType " + type);
  }
  store::Transaction tx = db_.read();
  StreamStore st(tx);
  StreamRow row = find_stream(st, ctx, core::str(in, "StreamArn"));
  if (core::str(in, "ShardId") != row.shard_id) return errors::shard_not_found();
  ShardIterator it{row.arn, row.shard_id, start_after(st, row, type, sequence),
                   core::to_epoch_millis(clock_.now())};
  return json::object{{"ShardIterator", encode_iterator(it)}};
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
Reply StreamsService::get_records(const Ctx& ctx, const Doc& in) {
  int64_t limit = limit_of(in, kMaxRecords);
  std::optional<ShardIterator> it = decode_iterator(core::str(in, "ShardIterator"));
  if (!it) return errors::invalid_iterator();
  store::Transaction tx = db_.read();
  StreamStore st(tx);
  StreamRow row = find_stream(st, ctx, it->stream_arn);
  if (it->shard_id != row.shard_id) return errors::iterator_shard_not_found();
  int64_t now = core::to_epoch_millis(clock_.now());
  auto lifetime =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.scaled(kIteratorLifetime));
  if (now - it->issued_ms > lifetime.count()) {
    return errors::expired(amz_time(it->issued_ms), amz_time(now));
  }
  if (it->after < row.trimmed_seq) return errors::trimmed();
  json::array records;
  std::size_t bytes = 0;
  int64_t last = it->after;
  for (const StoredRecord& r : st.records_after(row.id, it->after, limit)) {
    if (!records.empty() && bytes + r.record.size() > kMaxRecordBytes) break;
    bytes += r.record.size();
    records.push_back(record_json(r));
    last = r.seq;
  }
  json::object out{{"Records", std::move(records)}};
  // A closed shard read to its end has no next iterator: "If set to null, the shard has been
  // closed and the requested iterator will not return any more data."
  if (!row.end_seq || last < *row.end_seq) {
    out["NextShardIterator"] = encode_iterator({row.arn, row.shard_id, last, now});
  }
  return out;
}

}  // namespace services::dynamodb::streams

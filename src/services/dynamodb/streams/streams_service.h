#pragma once
// Amazon DynamoDB Streams (DynamoDBStreams_20120810): ListStreams, DescribeStream,
// GetShardIterator and GetRecords over the streams and records that item writes keep in the
// store (stream_writer.h). Each stream has one shard, open while the stream is ENABLED and
// closed when it is disabled; AWS splits a stream into many shards over time, which readers
// that follow DescribeStream handle the same way.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <chrono>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "store/db.h"

namespace services::dynamodb::streams {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

// "A shard iterator expires 15 minutes after it is retrieved using the GetShardIterator action."
inline constexpr std::chrono::minutes kIteratorLifetime{15};
// "GetRecords can retrieve a maximum of 1 MB of data or 1000 stream records".
inline constexpr int64_t kMaxRecords = 1000;
inline constexpr std::size_t kMaxRecordBytes = 1024 * 1024;

class StreamsService {
 public:
  StreamsService(store::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  void register_operations(protocol::ServiceRegistry& registry);

  Reply list_streams(const Ctx& ctx, const Doc& in);
  Reply describe_stream(const Ctx& ctx, const Doc& in);
  Reply get_shard_iterator(const Ctx& ctx, const Doc& in);
  Reply get_records(const Ctx& ctx, const Doc& in);

 private:
  // How long a stream shows ENABLING or DISABLING (AWS seconds; the table's CREATING lasts as
  // long).
  static constexpr std::chrono::milliseconds kStreamTransition{1000};
  std::string shown_status(const struct StreamRow& row) const;

  store::Db& db_;
  const core::Clock& clock_;
};

}  // namespace services::dynamodb::streams

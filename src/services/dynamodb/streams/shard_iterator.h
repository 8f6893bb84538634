#pragma once
// The identifiers of DynamoDB Streams as AWS shapes them: sequence numbers (decimal strings of 21
// digits that grow with every record), shard ids ("shardId-<20 digits>-<8 hex>") and shard
// iterators (the stream ARN, "|1|", then an opaque token), which are positions in one shard
// valid for 15 minutes.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace services::dynamodb::streams {

// Sequence number `seq` (1, 2, ...) as the wire shows it: "100000000000000000001".
std::string format_sequence(int64_t seq);
// The inverse; nullopt for text format_sequence() cannot have made.
std::optional<int64_t> parse_sequence(std::string_view text);

// "shardId-00000001607212800000-1a2b3c4d": the shard's creation time and 8 random hex digits.
std::string make_shard_id(int64_t created_ms);

struct ShardIterator {
  std::string stream_arn;
  std::string shard_id;
  int64_t after = 0;      // the sequence number after which the next GetRecords reads
  int64_t issued_ms = 0;  // when GetShardIterator (or GetRecords) made it
};

std::string encode_iterator(const ShardIterator& it);
// nullopt when `text` is not an iterator encode_iterator() made.
std::optional<ShardIterator> decode_iterator(std::string_view text);

}  // namespace services::dynamodb::streams

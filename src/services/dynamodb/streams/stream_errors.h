#pragma once
// DynamoDB Streams errors: codes from the botocore model (dynamodbstreams), messages in the
// service's wording. The JSON encoder qualifies the type as DynamoDB does.

#include <cstdint>
#include <string>

#include "protocol/aws_error.h"

namespace services::dynamodb::streams::errors {

inline protocol::AwsError validation(std::string m) {
  return {"ValidationException", std::move(m)};
}
inline protocol::AwsError invalid_stream_arn() { return validation("Invalid StreamArn"); }
inline protocol::AwsError invalid_iterator() { return validation("Invalid ShardIterator"); }
// "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member
// must have value less than or equal to 100": the model has no upper bound, the service does.
inline protocol::AwsError limit_above(int64_t value, int64_t max) {
  return validation("1 validation error detected: Value '" + std::to_string(value) +
                    "' at 'limit' failed to satisfy constraint: Member must have value less than "
                    "or equal to " +
                    std::to_string(max));
}
inline protocol::AwsError stream_not_found(const std::string& arn) {
  return {"ResourceNotFoundException",
          "Requested resource not found: Stream: " + arn + " not found"};
}
inline protocol::AwsError shard_not_found() {
  return {"ResourceNotFoundException", "Requested resource not found: Shard does not exist"};
}
inline protocol::AwsError iterator_shard_not_found() {
  return {"ResourceNotFoundException", "Invalid ShardId in ShardIterator"};
}
inline protocol::AwsError trimmed() {
  return {"TrimmedDataAccessException",
          "The operation attempted to read past the oldest stream record in a shard."};
}
inline protocol::AwsError expired(const std::string& created, const std::string& now) {
  return {"ExpiredIteratorException",
          "Iterator expired. The iterator was created at time " + created +
              " while right now it is " + now +
              " which is further in the future than the tolerated delay of 900000 milliseconds."};
}

}  // namespace services::dynamodb::streams::errors

#pragma once
// CloudWatch Logs wire shapes: rows -> LogGroup/LogStream objects, ARNs, event ids, paging
// tokens, name rules and input accessors. The only place that spells the wire names of rows.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "protocol/aws_error.h"
#include "services/logs/logs_store.h"

namespace services::logs {

// arn:aws:logs:<region>:<account>:log-group:<name>; LogGroup.arn adds ":*", logGroupArn not.
std::string group_arn(std::string_view account, std::string_view region, std::string_view name);
// The group name of a log-group ARN of this account and region (with or without ":*").
std::optional<std::string> group_name_from_arn(std::string_view arn, std::string_view account,
                                               std::string_view region);

boost::json::object group_json(const GroupRow& g);
boost::json::object stream_json(const GroupRow& g, const StreamRow& s);

// The retention cutoff of a group at `now`: events with an earlier timestamp have expired.
// Retention is an AWS duration, so it follows the clock's time scale.
std::optional<int64_t> retention_cutoff_ms(const GroupRow& g, const core::Clock& clock);

// CloudWatch's valid retention periods, in days.
bool valid_retention_days(int64_t days);
std::string retention_days_list();  // "[1, 3, 5, ...]" for error messages

// Name rules beyond the model's lengths: CreateLogGroup's [\.\-_/#A-Za-z0-9]+, and a log stream
// name may contain neither ':' nor '*'.
protocol::Result<void> check_group_name(std::string_view name, std::string_view field);
protocol::Result<void> check_stream_name(std::string_view name, std::string_view field);
// No "aws:" keys unless `allow_reserved` (CloudFormation's in-process calls).
protocol::Result<void> check_tags(const boost::json::object& tags, bool allow_reserved = false);

// A FilteredLogEvent's eventId: the event's key as a decimal string, stable across calls (the
// AWS CLI's `logs tail --follow` de-duplicates by it).
std::string event_id(const EventKey& key);

// GetLogEvents tokens: "f/<key>" (forward: events after key) and "b/<key>" (backward: events
// before key), the key as 40 decimal digits.
std::string event_token(char direction, const EventKey& key);
struct EventToken {
  char direction = 'f';
  EventKey key;
};
std::optional<EventToken> parse_event_token(std::string_view token);

// Opaque nextToken for list calls: base64 of the last item's sort key.
std::string list_token(std::string_view last_key);
std::optional<std::string> parse_list_token(std::string_view token);

protocol::AwsError invalid_next_token();

// Input accessors on validated model documents (types already checked).
std::optional<std::string> opt_string(const boost::json::object& in, std::string_view key);
std::optional<int64_t> opt_int(const boost::json::object& in, std::string_view key);
bool opt_bool(const boost::json::object& in, std::string_view key, bool fallback);

}  // namespace services::logs

#include "services/logs/logs_json.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "core/base64.h"
#include "core/ids.h"
#include "services/logs/errors.h"

namespace services::logs {

namespace json = boost::json;

namespace {

constexpr std::array<int64_t, 22> kRetentionDays = {1,    3,    5,    7,    14,   30,  60,  90,
                                                    120,  150,  180,  365,  400,  545, 731, 1096,
                                                    1827, 2192, 2557, 2922, 3288, 3653};

bool group_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == '/' || c == '#';
}

// Parses exactly `n` decimal digits.
std::optional<int64_t> digits(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() || s.front() == '-') {
    return std::nullopt;
  }
  return v;
}

std::string pad20(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(v));
  return buf;
}

}  // namespace

std::string group_arn(std::string_view account, std::string_view region, std::string_view name) {
  return core::ids::arn("logs", region, account, "log-group:" + std::string(name));
}

std::optional<std::string> group_name_from_arn(std::string_view arn, std::string_view account,
                                               std::string_view region) {
  core::ids::ParsedArn p;
  if (!core::ids::parse_arn(arn, &p) || p.service != "logs" || p.account != account ||
      p.region != region) {
    return std::nullopt;
  }
  std::string_view r = p.resource;
  constexpr std::string_view kPrefix = "log-group:";
  if (!r.starts_with(kPrefix)) {
    return std::nullopt;
  }
  r.remove_prefix(kPrefix.size());
  if (r.ends_with(":*")) {
    r.remove_suffix(2);
  }
  if (r.empty() || r.find(':') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(r);
}

json::object group_json(const GroupRow& g) {
  std::string arn = group_arn(g.account, g.region, g.name);
  json::object o;
  o["logGroupName"] = g.name;
  o["creationTime"] = g.created_at_ms;
  if (g.retention_days) {
    o["retentionInDays"] = *g.retention_days;
  }
  o["metricFilterCount"] = 0;
  o["arn"] = arn + ":*";
  o["storedBytes"] = g.stored_bytes;
  if (g.kms_key_id) {
    o["kmsKeyId"] = *g.kms_key_id;
  }
  o["logGroupClass"] = g.log_group_class;
  o["logGroupArn"] = arn;
  o["deletionProtectionEnabled"] = g.deletion_protection;
  return o;
}

json::object stream_json(const GroupRow& g, const StreamRow& s) {
  json::object o;
  o["logStreamName"] = s.name;
  o["creationTime"] = s.created_at_ms;
  if (s.first_event_ms) {
    o["firstEventTimestamp"] = *s.first_event_ms;
  }
  if (s.last_event_ms) {
    o["lastEventTimestamp"] = *s.last_event_ms;
  }
  if (s.last_ingestion_ms) {
    o["lastIngestionTime"] = *s.last_ingestion_ms;
    // Sequence tokens are accepted and ignored by PutLogEvents; this one merely changes with
    // every upload, as AWS's did.
    o["uploadSequenceToken"] = "49" + pad20(s.id) + pad20(*s.last_ingestion_ms);
  }
  o["arn"] = group_arn(g.account, g.region, g.name) + ":log-stream:" + s.name;
  // "As of June 17, 2019, this parameter is no longer supported for log streams, and is always
  // reported as zero."
  o["storedBytes"] = 0;
  return o;
}

std::optional<int64_t> retention_cutoff_ms(const GroupRow& g, const core::Clock& clock) {
  if (!g.retention_days) {
    return std::nullopt;
  }
  core::Duration keep = clock.scaled(std::chrono::hours(24) * *g.retention_days);
  return core::to_epoch_millis(clock.now() - keep);
}

bool valid_retention_days(int64_t days) {
  for (int64_t d : kRetentionDays) {
    if (d == days) {
      return true;
    }
  }
  return false;
}

std::string retention_days_list() {
  std::string out = "[";
  for (size_t i = 0; i < kRetentionDays.size(); ++i) {
    out += (i ? ", " : "") + std::to_string(kRetentionDays[i]);
  }
  return out + "]";
}

protocol::Result<void> check_group_name(std::string_view name, std::string_view field) {
  for (char c : name) {
    if (!group_name_char(c)) {
      return errors::constraint(std::string(field), std::string(name),
                                "Member must satisfy regular expression pattern: "
                                "[\\.\\-_/#A-Za-z0-9]+");
    }
  }
  return {};
}

protocol::Result<void> check_stream_name(std::string_view name, std::string_view field) {
  if (name.find_first_of(":*") != std::string_view::npos) {
    return errors::constraint(std::string(field), std::string(name),
                              "Member must satisfy regular expression pattern: [^:*]*");
  }
  return {};
}

protocol::Result<void> check_tags(const json::object& tags, bool allow_reserved) {
  for (const auto& [key, value] : tags) {
    if (key.starts_with("aws:") && !allow_reserved) {
      return errors::invalid_parameter("Tag keys prefixed with 'aws:' are reserved for AWS use.");
    }
    (void)value;
  }
  return {};
}

std::string event_id(const EventKey& key) { return pad20(key.timestamp_ms) + pad20(key.id); }

std::string event_token(char direction, const EventKey& key) {
  std::string out(1, direction);
  out += '/';
  out += pad20(std::max<int64_t>(key.timestamp_ms, 0));
  out += pad20(std::max<int64_t>(key.id, 0));
  return out;
}

std::optional<EventToken> parse_event_token(std::string_view token) {
  if (token.size() != 42 || (token[0] != 'f' && token[0] != 'b') || token[1] != '/') {
    return std::nullopt;
  }
  std::optional<int64_t> ts = digits(token.substr(2, 20));
  std::optional<int64_t> id = digits(token.substr(22, 20));
  if (!ts || !id) {
    return std::nullopt;
  }
  return EventToken{token[0], EventKey{*ts, *id}};
}

std::string list_token(std::string_view last_key) {
  return core::base64_encode("v1:" + std::string(last_key));
}

std::optional<std::string> parse_list_token(std::string_view token) {
  std::optional<std::string> raw = core::base64_decode(token);
  if (!raw || !raw->starts_with("v1:")) {
    return std::nullopt;
  }
  return raw->substr(3);
}

protocol::AwsError invalid_next_token() {
  return errors::invalid_parameter("The specified nextToken is invalid.");
}

std::optional<std::string> opt_string(const json::object& in, std::string_view key) {
  const json::value* v = in.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<int64_t> opt_int(const json::object& in, std::string_view key) {
  const json::value* v = in.if_contains(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_int64()) {
    return v->as_int64();
  }
  if (v->is_uint64()) {
    return static_cast<int64_t>(v->as_uint64());
  }
  if (v->is_double()) {
    return static_cast<int64_t>(v->as_double());
  }
  return std::nullopt;
}

bool opt_bool(const json::object& in, std::string_view key, bool fallback) {
  const json::value* v = in.if_contains(key);
  return v != nullptr && v->is_bool() ? v->as_bool() : fallback;
}

}  // namespace services::logs

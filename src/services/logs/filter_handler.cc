// FilterLogEvents: one ordered scan over a group's events, filtered by stream and pattern.

#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <set>

#include "services/logs/errors.h"
#include "services/logs/filter_pattern.h"
#include "services/logs/logs_json.h"
#include "services/logs/logs_service.h"

namespace services::logs {

namespace json = boost::json;

namespace {

constexpr int64_t kDefaultFilterLimit = 10000;
constexpr int64_t kMaxResponseBytes = 1048576;
constexpr int64_t kChunk = 2000;
// Events looked at per call. Past this a call returns what it found with a nextToken, as AWS
// does ("This operation can return empty results while there are more log events available").
constexpr int64_t kScanBudget = 200000;

std::string key_text(const EventKey& k) {
  return std::to_string(k.timestamp_ms) + ":" + std::to_string(k.id);
}

std::optional<EventKey> parse_key(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  EventKey k;
  auto parse = [](std::string_view s, int64_t* out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
  };
  if (!parse(text.substr(0, colon), &k.timestamp_ms) || !parse(text.substr(colon + 1), &k.id)) {
    return std::nullopt;
  }
  return k;
}

}  // namespace

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
//
// "Lists log events from the specified log group. You can list all the log events or filter the
//  results using one or more of the following: A filter pattern, A time range, The log stream
//  name, or a log stream name prefix that matches multiple log streams."
// startTime is inclusive; "Events with a timestamp later than this time [endTime] are not
// returned", so endTime is inclusive too. Results are interleaved across streams in timestamp
// order (interleaved is deprecated and always true). "By default, this operation returns as
// many log events as can fit in 1 MB (up to 10,000 log events)".
Reply LogsService::filter_log_events(const Ctx& ctx, const Doc& in) {
  std::optional<std::string> prefix = opt_string(in, "logStreamNamePrefix");
  std::set<std::string, std::less<>> names;
  if (const json::value* v = in.if_contains("logStreamNames"); v && v->is_array()) {
    for (const json::value& n : v->as_array()) {
      names.insert(std::string(n.as_string()));
    }
    if (prefix) {
      return errors::invalid_parameter(
          "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
    }
  }
  std::string parse_error;
  std::optional<FilterPattern> pattern =
      FilterPattern::parse(opt_string(in, "filterPattern").value_or(""), &parse_error);
  if (!pattern) {
    return errors::invalid_parameter("Invalid filter pattern: " + parse_error);
  }
  int64_t limit = opt_int(in, "limit").value_or(kDefaultFilterLimit);
  TimeRange range;
  if (std::optional<int64_t> start = opt_int(in, "startTime")) {
    range.start_ms = *start;
  }
  if (std::optional<int64_t> end = opt_int(in, "endTime")) {
    range.end_ms = *end == std::numeric_limits<int64_t>::max() ? *end : *end + 1;
  }
  if (range.end_ms <= range.start_ms) {
    return errors::invalid_parameter("endTime must be greater than or equal to startTime.");
  }
  EventKey after = EventKey::min();
  if (std::optional<std::string> token = opt_string(in, "nextToken")) {
    std::optional<std::string> raw = parse_list_token(*token);
    std::optional<EventKey> key = raw ? parse_key(*raw) : std::nullopt;
    if (!key) {
      return invalid_next_token();
    }
    after = *key;
  }

  json::array events;
  std::map<int64_t, std::string> selected;  // stream id -> name
  bool more = false;
  {
    store::Transaction tx = db_.read();
    LogsStore st(tx);
    protocol::Result<GroupRow> g = named_group(st, ctx, in);
    if (!g) {
      return g.error();
    }
    for (const StreamRow& s : st.streams(g->id)) {
      if ((names.empty() || names.contains(s.name)) && (!prefix || s.name.starts_with(*prefix))) {
        selected.emplace(s.id, s.name);
      }
    }
    int64_t scanned = 0;
    int64_t bytes = 0;
    bool full = false;
    while (!selected.empty() && !full) {
      std::vector<EventRow> chunk = st.group_events_after(g->id, range, after, kChunk);
      for (size_t i = 0; i < chunk.size() && !full; ++i) {
        const EventRow& e = chunk[i];
        after = e.key;
        ++scanned;
        if (selected.contains(e.stream_id) && pattern->matches(e.message)) {
          json::object o{{"logStreamName", e.stream_name},
                         {"timestamp", e.key.timestamp_ms},
                         {"message", e.message},
                         {"ingestionTime", e.ingestion_ms},
                         {"eventId", event_id(e.key)}};
          events.push_back(std::move(o));
          bytes += event_size(e.message);
        }
        full = static_cast<int64_t>(events.size()) >= limit || bytes >= kMaxResponseBytes ||
               scanned >= kScanBudget;
        // Stopping on the very last row of a short chunk leaves nothing for a next page.
        more = full && !(i + 1 == chunk.size() && static_cast<int64_t>(chunk.size()) < kChunk);
      }
      if (static_cast<int64_t>(chunk.size()) < kChunk) {
        break;
      }
    }
    tx.commit();
  }

  json::array searched;
  for (const auto& [id, name] : selected) {
    searched.push_back(json::object{{"logStreamName", name}, {"searchedCompletely", !more}});
  }
  Doc reply{{"events", std::move(events)}, {"searchedLogStreams", std::move(searched)}};
  if (more) {
    reply["nextToken"] = list_token(key_text(after));
  }
  return reply;
}

}  // namespace services::logs

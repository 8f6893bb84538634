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

// A decoded FilterLogEvents request.
struct FilterQuery {
  std::set<std::string, std::less<>> names;  // logStreamNames; empty: every stream
  std::optional<std::string> prefix;         // logStreamNamePrefix
  FilterPattern pattern;
  int64_t limit = kDefaultFilterLimit;
  TimeRange range;                   // end exclusive
  EventKey after = EventKey::min();  // from nextToken
};

protocol::Result<FilterQuery> decode_filter_query(const Doc& in) {
  FilterQuery q;
  q.prefix = opt_string(in, "logStreamNamePrefix");
  if (const json::value* v = in.if_contains("logStreamNames"); v && v->is_array()) {
    for (const json::value& n : v->as_array()) {
      q.names.insert(std::string(n.as_string()));
    }
    if (q.prefix) {
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
  q.pattern = std::move(*pattern);
  q.limit = opt_int(in, "limit").value_or(kDefaultFilterLimit);
  if (std::optional<int64_t> start = opt_int(in, "startTime")) {
    q.range.start_ms = *start;
  }
  if (std::optional<int64_t> end = opt_int(in, "endTime")) {
    q.range.end_ms = *end == std::numeric_limits<int64_t>::max() ? *end : *end + 1;
  }
  if (q.range.end_ms <= q.range.start_ms) {
    return errors::invalid_parameter("endTime must be greater than or equal to startTime.");
  }
  if (std::optional<std::string> token = opt_string(in, "nextToken")) {
    std::optional<std::string> raw = parse_list_token(*token);
    std::optional<EventKey> key = raw ? parse_key(*raw) : std::nullopt;
    if (!key) {
      return invalid_next_token();
    }
    q.after = *key;
  }
  return q;
}

// What one call found: matching events in order, the streams searched, and where to resume.
struct FilterScan {
  json::array events;
  std::map<int64_t, std::string> selected;  // stream id -> name
  bool more = false;
  EventKey after;
};

// The group's streams that the query names (all of them when it names none).
std::map<int64_t, std::string> select_streams(LogsStore& st, int64_t group_id,
                                              const FilterQuery& q) {
  std::map<int64_t, std::string> selected;
  for (const StreamRow& s : st.streams(group_id)) {
    if ((q.names.empty() || q.names.contains(s.name)) &&
        (!q.prefix || s.name.starts_with(*q.prefix))) {
      selected.emplace(s.id, s.name);
    }
  }
  return selected;
}

// Reads the group's events in key order, chunk by chunk, until the limit, the response size or
// the scan budget is reached.
FilterScan scan_events(LogsStore& st, int64_t group_id, const FilterQuery& q) {
  FilterScan out;
  out.after = q.after;
  out.selected = select_streams(st, group_id, q);
  int64_t scanned = 0;
  int64_t bytes = 0;
  bool full = false;
  while (!out.selected.empty() && !full) {
    std::vector<EventRow> chunk = st.group_events_after(group_id, q.range, out.after, kChunk);
    for (size_t i = 0; i < chunk.size() && !full; ++i) {
      const EventRow& e = chunk[i];
      out.after = e.key;
      ++scanned;
      if (out.selected.contains(e.stream_id) && q.pattern.matches(e.message)) {
        json::object o{{"logStreamName", e.stream_name},
                       {"timestamp", e.key.timestamp_ms},
                       {"message", e.message},
                       {"ingestionTime", e.ingestion_ms},
                       {"eventId", event_id(e.key)}};
        out.events.push_back(std::move(o));
        bytes += event_size(e.message);
      }
      full = static_cast<int64_t>(out.events.size()) >= q.limit || bytes >= kMaxResponseBytes ||
             scanned >= kScanBudget;
      // Stopping on the very last row of a short chunk leaves nothing for a next page.
      out.more = full && !(i + 1 == chunk.size() && static_cast<int64_t>(chunk.size()) < kChunk);
    }
    if (static_cast<int64_t>(chunk.size()) < kChunk) {
      break;
    }
  }
  return out;
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
  protocol::Result<FilterQuery> q = decode_filter_query(in);
  if (!q) {
    return q.error();
  }
  FilterScan scan;
  {
    store::Transaction tx = db_.read();
    LogsStore st(tx);
    protocol::Result<GroupRow> g = named_group(st, ctx, in);
    if (!g) {
      return g.error();
    }
    scan = scan_events(st, g->id, *q);
    tx.commit();
  }

  json::array searched;
  for (const auto& [id, name] : scan.selected) {
    searched.push_back(json::object{{"logStreamName", name}, {"searchedCompletely", !scan.more}});
  }
  Doc reply{{"events", std::move(scan.events)}, {"searchedLogStreams", std::move(searched)}};
  if (scan.more) {
    reply["nextToken"] = list_token(key_text(scan.after));
  }
  return reply;
}

}  // namespace services::logs

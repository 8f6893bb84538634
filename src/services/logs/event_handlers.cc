// PutLogEvents and GetLogEvents.

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "services/logs/errors.h"
#include "services/logs/logs_json.h"
#include "services/logs/logs_service.h"

namespace services::logs {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxBatchBytes = 1048576;
constexpr int64_t kMaxResponseBytes = 1048576;
constexpr int64_t kDefaultGetLimit = 10000;
constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

json::object output_event(const EventRow& e) {
  return json::object{
      {"timestamp", e.key.timestamp_ms}, {"message", e.message}, {"ingestionTime", e.ingestion_ms}};
}

// Keeps the leading events that fit in a response.
void cap_bytes(std::vector<EventRow>& events) {
  int64_t bytes = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    bytes += event_size(events[i].message);
    if (bytes > kMaxResponseBytes && i > 0) {
      events.resize(i);
      return;
    }
  }
}

// Where PutLogEvents' rejected events end and start. Events are chronological, so the rejected
// ones are a prefix (too old or expired) and a suffix (too new).
struct Admission {
  size_t too_old_end = 0;
  size_t expired_end = 0;
  size_t too_new_start = 0;
};

Admission admit(const std::vector<LogEvent>& events, int64_t now,
                std::optional<int64_t> retention_cutoff) {
  auto end_before = [&](int64_t cutoff) {
    return static_cast<size_t>(
        std::partition_point(events.begin(), events.end(),
                             [&](const LogEvent& e) { return e.timestamp_ms < cutoff; }) -
        events.begin());
  };
  Admission a;
  a.too_old_end = end_before(now - 14 * kDayMs);
  a.expired_end = retention_cutoff ? end_before(*retention_cutoff) : 0;
  a.too_new_start = static_cast<size_t>(
      std::partition_point(events.begin(), events.end(),
                           [&](const LogEvent& e) { return e.timestamp_ms <= now + 2 * kHourMs; }) -
      events.begin());
  return a;
}

}  // namespace

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
//
// "The log events in the batch must be in chronological order by their timestamp."
// "None of the log events in the batch can be more than 2 hours in the future."
// "None of the log events in the batch can be more than 14 days in the past. Also, none of the
//  log events can be from earlier than the retention period of the log group."
// "The maximum batch size is 1,048,576 bytes. This size is calculated as the sum of all event
//  messages in UTF-8, plus 26 bytes for each log event."
// "A batch of log events in a single request must be in a chronological order. Otherwise, the
//  operation fails." / "cannot span more than 24 hours"
// Sequence tokens are ignored: "PutLogEvents actions are always accepted and never return
// InvalidSequenceTokenException or DataAlreadyAcceptedException even if the sequence token is
// not valid."
Reply LogsService::put_log_events(const Ctx& ctx, const Doc& in) {
  const json::array& input = in.at("logEvents").as_array();
  std::vector<LogEvent> events;
  events.reserve(input.size());
  int64_t bytes = 0;
  for (const json::value& v : input) {
    const json::object& e = v.as_object();
    LogEvent ev{*opt_int(e, "timestamp"), std::string(e.at("message").as_string())};
    if (!events.empty() && ev.timestamp_ms < events.back().timestamp_ms) {
      return errors::invalid_parameter(
          "Log events in a single PutLogEvents request must be in chronological order.");
    }
    bytes += event_size(ev.message);
    events.push_back(std::move(ev));
  }
  if (bytes > kMaxBatchBytes) {
    return errors::invalid_parameter("Upload too large: " + std::to_string(bytes) +
                                     " bytes exceeds limit of " + std::to_string(kMaxBatchBytes));
  }
  if (!events.empty() && events.back().timestamp_ms - events.front().timestamp_ms > kDayMs) {
    return errors::invalid_parameter(
        "The batch of log events in a single PutLogEvents request cannot span more than 24 "
        "hours.");
  }

  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  protocol::Result<GroupRow> g = named_group(st, ctx, in);
  if (!g) {
    return g.error();
  }
  protocol::Result<StreamRow> s = named_stream(st, *g, in);
  if (!s) {
    return s.error();
  }
  int64_t now = now_ms();
  auto [too_old_end, expired_end, too_new_start] =
      admit(events, now, retention_cutoff_ms(*g, clock_));
  size_t first = std::max(too_old_end, expired_end);
  std::span<const LogEvent> accepted;
  if (first < too_new_start) {
    accepted = std::span<const LogEvent>(events).subspan(first, too_new_start - first);
    st.append(*s, accepted, now);
  }
  std::optional<StreamRow> updated = st.stream(g->id, s->name);
  std::shared_ptr<const GroupMetricFilters> filters =
      metric_filters_ != nullptr && !accepted.empty() ? metric_filters_->filters(tx, *g)
                                                      : nullptr;
  tx.commit();
  if (filters) {
    metric_filters_->publish(ctx.account, ctx.region, *filters, accepted);
  }

  Doc reply;
  json::object stream_doc = stream_json(*g, updated ? *updated : *s);
  if (const json::value* token = stream_doc.if_contains("uploadSequenceToken")) {
    reply["nextSequenceToken"] = *token;
  }
  json::object rejected;
  if (too_old_end > 0) {
    rejected["tooOldLogEventEndIndex"] = static_cast<int64_t>(too_old_end);
  }
  if (expired_end > 0) {
    rejected["expiredLogEventEndIndex"] = static_cast<int64_t>(expired_end);
  }
  if (too_new_start < events.size()) {
    rejected["tooNewLogEventStartIndex"] = static_cast<int64_t>(too_new_start);
  }
  if (!rejected.empty()) {
    reply["rejectedLogEventsInfo"] = std::move(rejected);
  }
  return reply;
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
//
// "By default, this operation returns as many log events as can fit in a response size of 1MB
//  (up to 10,000 log events)." Events always come oldest first. Without a token, startFromHead
// picks the oldest events (true) or the newest (false, the default). nextForwardToken continues
// after the newest event returned, nextBackwardToken before the oldest; "If you have reached the
// end of the stream, it returns the same token you passed in", which is how SDK loops stop.
Reply LogsService::get_log_events(const Ctx& ctx, const Doc& in) {
  int64_t limit = opt_int(in, "limit").value_or(kDefaultGetLimit);
  TimeRange range;
  if (std::optional<int64_t> start = opt_int(in, "startTime")) {
    range.start_ms = *start;
  }
  if (std::optional<int64_t> end = opt_int(in, "endTime")) {
    range.end_ms = *end;
  }
  bool have_token = false;
  EventToken token{opt_bool(in, "startFromHead", false) ? 'f' : 'b',
                   opt_bool(in, "startFromHead", false) ? EventKey{0, 0} : EventKey::max()};
  if (std::optional<std::string> text = opt_string(in, "nextToken")) {
    std::optional<EventToken> parsed = parse_event_token(*text);
    if (!parsed) {
      return invalid_next_token();
    }
    token = *parsed;
    have_token = true;
  }

  std::vector<EventRow> events;
  {
    store::Transaction tx = db_.read();
    LogsStore st(tx);
    protocol::Result<GroupRow> g = named_group(st, ctx, in);
    if (!g) {
      return g.error();
    }
    protocol::Result<StreamRow> s = named_stream(st, *g, in);
    if (!s) {
      return s.error();
    }
    events = token.direction == 'f' ? st.stream_events_after(s->id, range, token.key, limit)
                                    : st.stream_events_before(s->id, range, token.key, limit);
    tx.commit();
  }
  cap_bytes(events);  // newest first when going backward: keeps those nearest the token
  if (token.direction == 'b') {
    std::reverse(events.begin(), events.end());
  }

  std::string forward;
  std::string backward;
  if (!events.empty()) {
    forward = event_token('f', events.back().key);
    backward = event_token('b', events.front().key);
  } else if (token.direction == 'f') {
    // Nothing after K: go back from just past K (events up to and including K).
    forward = event_token('f', token.key);
    backward = event_token('b', EventKey{token.key.timestamp_ms, token.key.id + 1});
  } else {
    // Nothing before K: going forward from the very start returns what is at or after K.
    backward = have_token ? event_token('b', token.key) : event_token('b', EventKey{0, 0});
    forward = event_token('f', EventKey{0, 0});
  }
  json::array out;
  out.reserve(events.size());
  for (const EventRow& e : events) {
    out.push_back(output_event(e));
  }
  return Doc{
      {"events", std::move(out)}, {"nextForwardToken", forward}, {"nextBackwardToken", backward}};
}

}  // namespace services::logs

// Log streams.

#include <algorithm>
#include <boost/json.hpp>

#include "services/logs/describe_page.h"
#include "services/logs/errors.h"
#include "services/logs/logs_json.h"
#include "services/logs/logs_service.h"
#include "store/store_errors.h"

namespace services::logs {

namespace json = boost::json;

namespace {

constexpr int64_t kDefaultDescribeLimit = 50;

// A stream's place in DescribeLogStreams' order, as text that nextToken carries: the name, or
// for LastEventTime the zero-padded last event time (streams without events first) then the name.
std::string sort_key(const StreamRow& s, bool by_time) {
  if (!by_time) {
    return s.name;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(s.last_event_ms.value_or(0)));
  return std::string(buf) + "|" + s.name;
}

}  // namespace

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html
Reply LogsService::create_log_stream(const Ctx& ctx, const Doc& in) {
  std::string name = *opt_string(in, "logStreamName");
  if (auto r = check_stream_name(name, "logStreamName"); !r) {
    return r.error();
  }
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  std::optional<GroupRow> g = st.group(ctx.account, ctx.region, *opt_string(in, "logGroupName"));
  if (!g) {
    return errors::group_not_found();
  }
  try {
    st.insert_stream(g->id, name, now_ms());
  } catch (const std::system_error& e) {
    if (e.code() == store::errc::unique_constraint) {
      return errors::stream_already_exists();
    }
    throw;
  }
  tx.commit();
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogStream.html
Reply LogsService::delete_log_stream(const Ctx& ctx, const Doc& in) {
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
  st.delete_stream(s->id);
  tx.commit();
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
Reply LogsService::describe_log_streams(const Ctx& ctx, const Doc& in) {
  std::optional<std::string> prefix = opt_string(in, "logStreamNamePrefix");
  std::string order = opt_string(in, "orderBy").value_or("LogStreamName");
  bool by_time = order == "LastEventTime";
  bool descending = opt_bool(in, "descending", false);
  if (by_time && prefix) {
    return errors::invalid_parameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  protocol::Result<DescribePage> page = read_describe_page(in, kDefaultDescribeLimit);
  if (!page) {
    return page.error();
  }

  std::vector<StreamRow> streams;
  GroupRow group;
  {
    store::Transaction tx = db_.read();
    LogsStore st(tx);
    protocol::Result<GroupRow> g = named_group(st, ctx, in);
    if (!g) {
      return g.error();
    }
    group = std::move(*g);
    streams = st.streams(group.id);
    tx.commit();
  }
  std::vector<std::pair<std::string, const StreamRow*>> keyed;
  keyed.reserve(streams.size());
  for (const StreamRow& s : streams) {
    if (prefix && !s.name.starts_with(*prefix)) {
      continue;
    }
    keyed.emplace_back(sort_key(s, by_time), &s);
  }
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    return descending ? a.first > b.first : a.first < b.first;
  });

  return describe_page(keyed, *page, descending, "logStreams",
                       [&](const StreamRow* s) { return stream_json(group, *s); });
}

}  // namespace services::logs

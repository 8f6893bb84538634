// GetMetricData —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html

#include <boost/json.hpp>
#include <cmath>

#include "core/json.h"
#include "services/cloudwatch/cloudwatch_json.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "services/cloudwatch/errors.h"
#include "services/cloudwatch/metric_query.h"
#include "services/cloudwatch/statistics.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {
constexpr int64_t kDefaultMaxDatapoints = 100'800;
}  // namespace

Reply CloudWatchService::get_metric_data(const Ctx& ctx, const Doc& in) {
  CW_ASSIGN(std::vector<MetricQuery>, queries,
            parse_queries(*core::arr(in, "MetricDataQueries"), "MetricDataQueries"));
  int64_t now = now_ms();
  int64_t start = *opt_time_ms(in, "StartTime");
  int64_t end = *opt_time_ms(in, "EndTime");
  if (start >= end) {
    return errors::validation("The parameter StartTime must be less than the parameter EndTime.");
  }
  int64_t period = 60;
  for (const MetricQuery& q : queries) {
    if (!q.expression) period = std::min(period, q.period_s);
  }
  start = align_start_ms(start, period, now);
  bool ascending = opt_string(in, "ScanBy").value_or("TimestampDescending") == "TimestampAscending";
  int64_t max_points = opt_int(in, "MaxDatapoints").value_or(kDefaultMaxDatapoints);
  int64_t skip = 0;
  if (std::optional<std::string> token = opt_string(in, "NextToken")) {
    CW_ASSIGN(int64_t, position, read_number_token(*token));
    skip = position;
  }
  store::Transaction tx = db_.read();
  CloudWatchStore st(tx);
  SampleFetch fetch = [&](const MetricQuery& q, int64_t from, int64_t to) {
    std::optional<int64_t> id = st.metric_id(ctx.account, ctx.region, q.ns, q.name, q.dimensions);
    return id ? st.samples(*id, from, to) : std::vector<Sample>{};
  };
  protocol::Result<std::vector<QueryOutput>> outputs = run_queries(queries, start, end, fetch);
  tx.commit();
  if (!outputs) {
    return outputs.error();
  }
  // Datapoints are numbered across results in order; a page holds max_points of them.
  json::array results;
  int64_t index = 0;
  bool truncated = false;
  for (QueryOutput& o : *outputs) {
    json::array timestamps;
    json::array values;
    auto emit = [&](int64_t t, double v) {
      if (!std::isfinite(v)) return;
      if (index++ < skip) return;
      if (index - skip > max_points) {
        truncated = true;
        return;
      }
      timestamps.push_back(epoch_seconds(t));
      values.push_back(v);
    };
    if (ascending) {
      for (const auto& [t, v] : o.series.points) emit(t, v);
    } else {
      for (auto it = o.series.points.rbegin(); it != o.series.points.rend(); ++it) {
        emit(it->first, it->second);
      }
    }
    results.push_back(json::object{{"Id", o.query->id},
                                   {"Label", o.series.label},
                                   {"Timestamps", std::move(timestamps)},
                                   {"Values", std::move(values)},
                                   {"StatusCode", truncated ? "PartialData" : "Complete"},
                                   {"Messages", json::array{}}});
  }
  json::object out{{"MetricDataResults", std::move(results)}, {"Messages", json::array{}}};
  if (truncated) {
    out["NextToken"] = make_token(std::to_string(skip + max_points));
  }
  return out;
}

}  // namespace services::cloudwatch

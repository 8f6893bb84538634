// PutMetricData, GetMetricStatistics and ListMetrics.

#include <boost/json.hpp>
#include <cmath>

#include "core/json.h"
#include "services/cloudwatch/cloudwatch_json.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "services/cloudwatch/errors.h"
#include "services/cloudwatch/statistics.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr int kMaxDatapoints = 1440;
constexpr int64_t kListPage = 500;

// CloudWatch rejects values too small or too large to store (other than zero).
bool storable(double v) {
  double a = std::fabs(v);
  return std::isfinite(v) && (a == 0 || (a >= 8.515920e-109 && a <= 1.174271e+108));
}

std::string number_text(double v) {
  json::value j = v;
  return json::serialize(j);
}

// 1441 -> "1,441", as CloudWatch prints counts in messages.
std::string with_commas(int64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

protocol::Result<void> check_value(double v, const std::string& field) {
  if (!storable(v)) {
    return errors::invalid_value(field, number_text(v));
  }
  return {};
}

// Values with optional Counts (1 each when absent) into `s`.
protocol::Result<Sample> add_values(Sample s, const json::array& values_list,
                                    const json::array* counts, const std::string& at) {
  const json::array* values = &values_list;
  if (counts && counts->size() != values->size()) {
    return errors::invalid_value("The parameters " + at + ".Values and " + at +
                                 ".Counts must be of the same size.");
  }
  if (values->empty()) {
    return errors::missing(at + ".Values");
  }
  for (size_t i = 0; i < values->size(); ++i) {
    double v = (*values)[i].to_number<double>();
    double c = counts ? (*counts)[i].to_number<double>() : 1.0;
    CW_CHECK(check_value(v, at + ".Values.member." + std::to_string(i + 1)));
    if (c <= 0) continue;
    s.min = s.count == 0 ? v : std::min(s.min, v);
    s.max = s.count == 0 ? v : std::max(s.max, v);
    s.count += c;
    s.sum += v * c;
    s.values.emplace_back(v, c);
  }
  if (s.count == 0) {
    return errors::invalid_value("The parameter " + at + ".Counts must contain a positive count.");
  }
  return s;
}

// One MetricDatum as a Sample: exactly one of Value, Values (with Counts) or StatisticValues.
protocol::Result<Sample> parse_datum(const json::object& d, const std::string& at, int64_t now_ms) {
  Sample s;
  s.ts_ms = opt_time_ms(d, "Timestamp").value_or(now_ms);
  if (s.ts_ms < now_ms - 14 * kDayMs || s.ts_ms > now_ms + 2 * kHourMs) {
    return errors::invalid_value("The parameter " + at +
                                 ".Timestamp must specify a time no more than two weeks in the "
                                 "past and no more than two hours in the future.");
  }
  int64_t resolution = opt_int(d, "StorageResolution").value_or(60);
  if (resolution != 1 && resolution != 60) {
    return errors::invalid_value(at + ".StorageResolution", std::to_string(resolution));
  }
  s.resolution_s = static_cast<int>(resolution);
  s.unit = opt_string(d, "Unit").value_or("None");
  std::optional<double> value = opt_double(d, "Value");
  const json::array* values = core::arr(d, "Values");
  const json::object* stats = core::obj(d, "StatisticValues");
  int given = (value ? 1 : 0) + (values ? 1 : 0) + (stats ? 1 : 0);
  if (given > 1) {
    std::string a = value ? at + ".Value" : at + ".Values";
    std::string b = stats ? at + ".StatisticValues" : at + ".Values";
    return errors::combination("The parameters " + a + " and " + b +
                               " are mutually exclusive and you have specified both.");
  }
  if (given == 0) {
    return errors::missing(at + ".Value");
  }
  if (value) {
    CW_CHECK(check_value(*value, at + ".Value"));
    s.count = 1;
    s.sum = s.min = s.max = *value;
    s.values = {{*value, 1.0}};
    return s;
  }
  if (stats) {
    double count = opt_double(*stats, "SampleCount").value_or(0);
    double sum = opt_double(*stats, "Sum").value_or(0);
    double min = opt_double(*stats, "Minimum").value_or(0);
    double max = opt_double(*stats, "Maximum").value_or(0);
    for (auto [name, v] :
         {std::pair{"SampleCount", count}, {"Sum", sum}, {"Minimum", min}, {"Maximum", max}}) {
      CW_CHECK(check_value(v, at + ".StatisticValues." + name));
    }
    if (count <= 0) {
      return errors::invalid_value(at + ".StatisticValues.SampleCount", number_text(count));
    }
    if (min > max) {
      return errors::invalid_value("The parameter " + at +
                                   ".StatisticValues.Maximum must be greater than " + at +
                                   ".StatisticValues.Minimum.");
    }
    s.count = count;
    s.sum = sum;
    s.min = min;
    s.max = max;
    return s;
  }
  return add_values(s, *values, core::arr(d, "Counts"), at);
}

}  // namespace

// PutMetricData —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
Reply CloudWatchService::put_metric_data(const Ctx& ctx, const Doc& in) {
  std::string ns = *opt_string(in, "Namespace");
  if (ns.starts_with("AWS/")) {
    return errors::invalid_value("The value " + ns +
                                 " for parameter Namespace is invalid. Namespaces starting with "
                                 "AWS/ are reserved for use by Amazon Web Services.");
  }
  const json::array* data = core::arr(in, "MetricData");
  if (!data || data->empty()) {
    return errors::missing("MetricData");
  }
  struct Parsed {
    std::string name;
    Dimensions dims;
    Sample sample;
  };
  std::vector<Parsed> parsed;
  int64_t now = now_ms();
  for (size_t i = 0; i < data->size(); ++i) {
    const json::object& d = (*data)[i].as_object();
    std::string at = "MetricData.member." + std::to_string(i + 1);
    CW_ASSIGN(Dimensions, dims, parse_dimensions(d, "Dimensions", at + ".Dimensions"));
    CW_ASSIGN(Sample, s, parse_datum(d, at, now));
    parsed.push_back({core::str(d, "MetricName"), std::move(dims), std::move(s)});
  }
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  for (const Parsed& p : parsed) {
    int64_t id = st.upsert_metric(ctx.account, ctx.region, ns, p.name, p.dims, now);
    st.insert_sample(id, p.sample);
  }
  tx.commit();
  return json::object{};
}

// GetMetricStatistics —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
Reply CloudWatchService::get_metric_statistics(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> stats = core::strings(in, "Statistics");
  std::vector<std::string> extended = core::strings(in, "ExtendedStatistics");
  if (stats.empty() && extended.empty()) {
    return errors::missing("Statistics or ExtendedStatistics");
  }
  if (!stats.empty() && !extended.empty()) {
    return errors::combination(
        "The parameters Statistics and ExtendedStatistics are mutually exclusive and you have "
        "specified both.");
  }
  for (size_t i = 0; i < extended.size(); ++i) {
    if (!is_percentile(extended[i])) {
      return errors::invalid_value("ExtendedStatistics.member." + std::to_string(i + 1),
                                   extended[i]);
    }
  }
  int64_t period = *opt_int(in, "Period");
  if (period <= 0 || (period % 60 != 0 && period != 1 && period != 5 && period != 10 &&
                      period != 20 && period != 30)) {
    return errors::invalid_value("The parameter Period must be a multiple of 60.");
  }
  int64_t now = now_ms();
  int64_t start = *opt_time_ms(in, "StartTime");
  int64_t end = *opt_time_ms(in, "EndTime");
  if (start >= end) {
    return errors::invalid_value(
        "The parameter StartTime must be less than the parameter "
        "EndTime.");
  }
  start = align_start_ms(start, period, now);
  int64_t requested = (end - start + period * 1000 - 1) / (period * 1000);
  if (requested > kMaxDatapoints) {
    return errors::combination("You have requested up to " + with_commas(requested) +
                               " datapoints, which exceeds the limit of 1,440. You may reduce "
                               "the datapoints requested by increasing Period, or decreasing the "
                               "time range.");
  }
  CW_ASSIGN(Dimensions, dims, parse_dimensions(in, "Dimensions", "Dimensions"));
  std::string name = *opt_string(in, "MetricName");
  std::optional<std::string> unit = opt_string(in, "Unit");
  std::vector<Sample> samples;
  if (period_available(start, period, now)) {
    store::Transaction tx = db_.read();
    CloudWatchStore st(tx);
    if (std::optional<int64_t> id =
            st.metric_id(ctx.account, ctx.region, *opt_string(in, "Namespace"), name, dims)) {
      samples = st.samples(*id, start, end);
    }
    tx.commit();
  }
  json::array points;
  for (const auto& [key, agg] : bucket_samples(samples, start, end, period * 1000, unit, true)) {
    json::object p{{"Timestamp", epoch_seconds(key.first)}, {"Unit", agg.unit}};
    for (const std::string& s : stats) {
      if (std::optional<double> v = statistic(agg, s)) p[s] = *v;
    }
    if (!extended.empty()) {
      json::object ext;
      for (const std::string& s : extended) {
        if (std::optional<double> v = statistic(agg, s)) ext[s] = *v;
      }
      p["ExtendedStatistics"] = std::move(ext);
    }
    points.push_back(std::move(p));
  }
  return json::object{{"Label", name}, {"Datapoints", std::move(points)}};
}

// ListMetrics —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html
Reply CloudWatchService::list_metrics(const Ctx& ctx, const Doc& in) {
  int64_t after = 0;
  if (std::optional<std::string> token = opt_string(in, "NextToken")) {
    CW_ASSIGN(int64_t, position, read_number_token(*token));
    after = position;
  }
  int64_t active_since = 0;
  if (std::optional<std::string> recent = opt_string(in, "RecentlyActive")) {
    active_since = now_ms() - 3 * kHourMs;  // PT3H, the only value
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> filters;
  if (const json::array* dims = core::arr(in, "Dimensions")) {
    for (const json::value& v : *dims) {
      filters.emplace_back(core::str(v.as_object(), "Name"), opt_string(v.as_object(), "Value"));
    }
  }
  json::array metrics;
  std::optional<int64_t> last;
  store::Transaction tx = db_.read();
  CloudWatchStore st(tx);
  bool more = true;
  while (more && static_cast<int64_t>(metrics.size()) < kListPage) {
    std::vector<MetricRow> rows =
        st.metrics(ctx.account, ctx.region, opt_string(in, "Namespace"),
                   opt_string(in, "MetricName"), active_since, after, kListPage);
    more = static_cast<int64_t>(rows.size()) == kListPage;
    for (const MetricRow& m : rows) {
      after = m.id;
      bool match = std::all_of(filters.begin(), filters.end(), [&](const auto& f) {
        return std::any_of(m.dimensions.begin(), m.dimensions.end(), [&](const Dimension& d) {
          return d.name == f.first && (!f.second || d.value == *f.second);
        });
      });
      if (!match) continue;
      metrics.push_back(json::object{{"Namespace", m.ns},
                                     {"MetricName", m.name},
                                     {"Dimensions", dimensions_json(m.dimensions)}});
      last = m.id;
      if (static_cast<int64_t>(metrics.size()) == kListPage) break;
    }
  }
  tx.commit();
  json::object out{{"Metrics", std::move(metrics)}};
  if (last && out["Metrics"].as_array().size() == kListPage) {
    out["NextToken"] = make_token(std::to_string(*last));
  }
  return out;
}

}  // namespace services::cloudwatch

// PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter and TestMetricFilter. Applying the
// filters to ingested events is MetricFilterIndex's (metric_filter_index.h).

#include <boost/json.hpp>

#include "services/logs/describe_page.h"
#include "services/logs/errors.h"
#include "services/logs/filter_pattern.h"
#include "services/logs/filter_pattern_ast.h"
#include "services/logs/logs_json.h"
#include "services/logs/logs_service.h"
#include "services/logs/metric_filter_json.h"
#include "services/logs/metric_filter_store.h"

namespace services::logs {

namespace json = boost::json;

namespace {

// "The maximum number of metric filters that can be associated with a log group is 100."
constexpr int64_t kMaxFiltersPerGroup = 100;
// "One metric filter can include as many as three dimensions."
constexpr size_t kMaxDimensions = 3;
constexpr int64_t kDefaultDescribeLimit = 50;

protocol::Result<void> check_no_chars(const std::string& field, const std::string& value,
                                      std::string_view forbidden, const std::string& regex) {
  if (value.find_first_of(forbidden) != std::string::npos) {
    return errors::constraint(field, value,
                              "Member must satisfy regular expression pattern: " + regex);
  }
  return {};
}

protocol::Result<FilterPattern> parse_pattern(const std::string& text) {
  std::string error;
  std::optional<FilterPattern> p = FilterPattern::parse(text, &error);
  if (!p) {
    return errors::invalid_parameter("Invalid metric filter pattern");
  }
  return std::move(*p);
}

// A metricValue or dimension value: a field of the pattern ("$.x", "$name", "$3").
bool names_field(const FilterPattern& p, const std::string& ref) {
  return ref.starts_with("$") && p.has_field(ref);
}

protocol::Result<void> check_transformation(const FilterPattern& p, const MetricTransformation& t) {
  const std::string at = "metricTransformations.1.member.";
  if (auto r = check_no_chars(at + "metricName", t.metric_name, ":*$", "[^:*$]*"); !r) {
    return r;
  }
  if (auto r = check_no_chars(at + "metricNamespace", t.metric_namespace, ":*$", "[^:*$]*"); !r) {
    return r;
  }
  if (t.metric_value.starts_with("$") ? !names_field(p, t.metric_value)
                                      : !pattern::parse_number(t.metric_value)) {
    return errors::invalid_parameter(
        "Invalid metric value " + t.metric_value +
        ": it must be a number or a field of the filter pattern ($.selector, $name or $N)");
  }
  if (t.dimensions.empty()) {
    return {};
  }
  if (p.kind() == FilterPattern::Kind::Terms) {
    return errors::invalid_parameter("The specified filter pattern does not support dimensions");
  }
  if (t.dimensions.size() > kMaxDimensions) {
    return errors::invalid_parameter("A metric filter can have at most 3 dimensions");
  }
  if (t.default_value) {
    return errors::invalid_parameter(
        "A metric transformation with dimensions cannot have a default value");
  }
  for (const auto& [name, ref] : t.dimensions) {
    if (!names_field(p, ref)) {
      return errors::invalid_parameter("Invalid dimension value " + ref + " for dimension " +
                                       name + ": it must be a field of the filter pattern");
    }
  }
  return {};
}

}  // namespace

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
// "Creates or updates a metric filter and associates it with the specified log group."
Reply LogsService::put_metric_filter(const Ctx& ctx, const Doc& in) {
  MetricFilterRow row;
  row.name = *opt_string(in, "filterName");
  row.pattern = *opt_string(in, "filterPattern");
  row.apply_on_transformed_logs = opt_bool(in, "applyOnTransformedLogs", false);
  row.created_at_ms = now_ms();
  if (auto r = check_no_chars("filterName", row.name, ":*", "[^:*]*"); !r) {
    return r.error();
  }
  protocol::Result<FilterPattern> p = parse_pattern(row.pattern);
  if (!p) {
    return p.error();
  }
  row.transformations = transformations_from_json(in.at("metricTransformations").as_array());
  for (const MetricTransformation& t : row.transformations) {
    if (auto r = check_transformation(*p, t); !r) {
      return r.error();
    }
  }

  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  protocol::Result<GroupRow> g = named_group(st, ctx, in);
  if (!g) {
    return g.error();
  }
  row.group_id = g->id;
  MetricFilterStore filters(tx);
  if (!filters.find(g->id, row.name) && filters.count(g->id) >= kMaxFiltersPerGroup) {
    return errors::limit_exceeded();
  }
  filters.put(row);
  tx.commit();
  if (metric_filters_ != nullptr) {
    metric_filters_->invalidate(g->id);
  }
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeMetricFilters.html
// filterNamePrefix counts "only if you also include the logGroupName parameter"; metricName and
// metricNamespace go together. Filters come by group name, then filter name.
Reply LogsService::describe_metric_filters(const Ctx& ctx, const Doc& in) {
  std::optional<std::string> prefix = opt_string(in, "filterNamePrefix");
  std::optional<std::string> metric_name = opt_string(in, "metricName");
  std::optional<std::string> metric_namespace = opt_string(in, "metricNamespace");
  if (metric_name.has_value() != metric_namespace.has_value()) {
    return errors::invalid_parameter(
        "metricName and metricNamespace must both be specified, or neither.");
  }
  protocol::Result<DescribePage> page = read_describe_page(in, kDefaultDescribeLimit);
  if (!page) {
    return page.error();
  }
  std::vector<MetricFilterRow> rows;
  {
    store::Transaction tx = db_.read();
    if (in.contains("logGroupName")) {
      LogsStore st(tx);
      protocol::Result<GroupRow> g = named_group(st, ctx, in);
      if (!g) {
        return g.error();
      }
      rows = MetricFilterStore(tx).for_group(g->id);
    } else {
      rows = MetricFilterStore(tx).for_account(ctx.account, ctx.region);
      prefix.reset();
    }
    tx.commit();
  }
  std::vector<std::pair<std::string, MetricFilterRow>> keyed;
  for (MetricFilterRow& r : rows) {
    if (prefix && !r.name.starts_with(*prefix)) {
      continue;
    }
    if (metric_name &&
        std::none_of(r.transformations.begin(), r.transformations.end(), [&](const auto& t) {
          return t.metric_name == *metric_name && t.metric_namespace == *metric_namespace;
        })) {
      continue;
    }
    std::string key = r.group_name + '\x01' + r.name;
    keyed.emplace_back(std::move(key), std::move(r));
  }
  return describe_page(keyed, *page, false, "metricFilters", metric_filter_json);
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteMetricFilter.html
Reply LogsService::delete_metric_filter(const Ctx& ctx, const Doc& in) {
  std::string name = *opt_string(in, "filterName");
  if (auto r = check_no_chars("filterName", name, ":*", "[^:*]*"); !r) {
    return r.error();
  }
  store::Transaction tx = db_.begin();
  LogsStore st(tx);
  protocol::Result<GroupRow> g = named_group(st, ctx, in);
  if (!g) {
    return g.error();
  }
  if (!MetricFilterStore(tx).remove(g->id, name)) {
    return errors::metric_filter_not_found();
  }
  tx.commit();
  if (metric_filters_ != nullptr) {
    metric_filters_->invalidate(g->id);
  }
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html
// eventNumber is the message's index in logEventMessages, from 0, as in AWS's example.
Reply LogsService::test_metric_filter(const Ctx&, const Doc& in) {
  protocol::Result<FilterPattern> p = parse_pattern(*opt_string(in, "filterPattern"));
  if (!p) {
    return p.error();
  }
  json::array matches;
  int64_t number = 0;
  for (const json::value& v : in.at("logEventMessages").as_array()) {
    std::string_view message = v.as_string();
    if (std::optional<FilterMatch> m = p->match(message)) {
      json::object values;
      for (auto& [k, value] : m->extracted()) {
        values[k] = std::move(value);
      }
      matches.push_back(json::object{{"eventNumber", number},
                                     {"eventMessage", message},
                                     {"extractedValues", std::move(values)}});
    }
    ++number;
  }
  return Doc{{"matches", std::move(matches)}};
}

}  // namespace services::logs

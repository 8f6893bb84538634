#include "services/logs/metric_filter_json.h"

#include <boost/json.hpp>

namespace services::logs {

namespace json = boost::json;

json::array transformations_json(const std::vector<MetricTransformation>& ts) {
  json::array out;
  for (const MetricTransformation& t : ts) {
    json::object o{{"metricName", t.metric_name},
                   {"metricNamespace", t.metric_namespace},
                   {"metricValue", t.metric_value}};
    if (t.default_value) {
      o["defaultValue"] = *t.default_value;
    }
    if (!t.dimensions.empty()) {
      json::object dims;
      for (const auto& [k, v] : t.dimensions) {
        dims[k] = v;
      }
      o["dimensions"] = std::move(dims);
    }
    if (t.unit) {
      o["unit"] = *t.unit;
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<MetricTransformation> transformations_from_json(const json::array& in) {
  std::vector<MetricTransformation> out;
  for (const json::value& v : in) {
    const json::object& o = v.as_object();
    MetricTransformation t;
    t.metric_name = o.at("metricName").as_string();
    t.metric_namespace = o.at("metricNamespace").as_string();
    t.metric_value = o.at("metricValue").as_string();
    if (const json::value* d = o.if_contains("defaultValue"); d && d->is_number()) {
      t.default_value = d->to_number<double>();
    }
    if (const json::value* dims = o.if_contains("dimensions"); dims && dims->is_object()) {
      for (const auto& [k, dv] : dims->as_object()) {
        t.dimensions.emplace_back(std::string(k), std::string(dv.as_string()));
      }
    }
    if (const json::value* u = o.if_contains("unit"); u && u->is_string()) {
      t.unit = std::string(u->as_string());
    }
    out.push_back(std::move(t));
  }
  return out;
}

json::object metric_filter_json(const MetricFilterRow& row) {
  return json::object{{"filterName", row.name},
                      {"filterPattern", row.pattern},
                      {"metricTransformations", transformations_json(row.transformations)},
                      {"creationTime", row.created_at_ms},
                      {"logGroupName", row.group_name},
                      {"applyOnTransformedLogs", row.apply_on_transformed_logs}};
}

}  // namespace services::logs

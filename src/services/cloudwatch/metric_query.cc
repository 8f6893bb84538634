#include "services/cloudwatch/metric_query.h"

#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <set>

#include "core/json.h"
#include "services/cloudwatch/cloudwatch_json.h"
#include "services/cloudwatch/errors.h"
#include "services/cloudwatch/statistics.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

bool valid_id(const std::string& id) {
  if (id.empty() || !std::islower(static_cast<unsigned char>(id[0]))) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

Series stat_series(const MetricQuery& q, const std::vector<Sample>& samples, int64_t start_ms,
                   int64_t end_ms) {
  Series s{q.label.value_or(q.name), q.period_s, {}};
  for (const auto& [key, agg] :
       bucket_samples(samples, start_ms, end_ms, q.period_s * 1000, q.unit, false)) {
    if (std::optional<double> v = statistic(agg, q.stat)) s.points[key.first] = *v;
  }
  return s;
}

}  // namespace

protocol::Result<std::vector<MetricQuery>> parse_queries(const json::array& list,
                                                         const std::string& field) {
  std::vector<MetricQuery> out;
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const json::object& o = list[i].as_object();
    std::string at = field + ".member." + std::to_string(i + 1);
    MetricQuery q;
    q.id = core::str(o, "Id");
    if (!valid_id(q.id)) {
      return errors::validation("The value " + q.id + " for parameter " + at +
                                ".Id is invalid. It must start with a lowercase letter and "
                                "contain only letters, numbers and underscores.");
    }
    if (!ids.insert(q.id).second) {
      return errors::validation("The values for parameter id in " + field + " are not unique.");
    }
    q.label = opt_string(o, "Label");
    q.return_data = core::opt_bool(o, "ReturnData").value_or(true);
    q.expression = opt_string(o, "Expression");
    const json::object* stat = core::obj(o, "MetricStat");
    if ((stat != nullptr) == q.expression.has_value()) {
      return errors::validation("Exactly one of MetricStat and Expression must be set for " + at +
                                ".");
    }
    if (stat) {
      const json::object& metric = stat->at("Metric").as_object();
      q.ns = core::str(metric, "Namespace");
      q.name = core::str(metric, "MetricName");
      CW_ASSIGN(Dimensions, dims,
                parse_dimensions(metric, "Dimensions", at + ".MetricStat.Metric.Dimensions"));
      q.dimensions = std::move(dims);
      q.stat = core::str(*stat, "Stat");
      q.unit = opt_string(*stat, "Unit");
      q.period_s = opt_int(*stat, "Period").value_or(60);
      if (!is_basic_statistic(q.stat) && !is_percentile(q.stat)) {
        return errors::validation("The value " + q.stat + " for parameter " + at +
                                  ".MetricStat.Stat is invalid.");
      }
      if (q.period_s <= 0 || (q.period_s % 60 != 0 && 60 % q.period_s != 0)) {
        return errors::validation("The value " + std::to_string(q.period_s) + " for parameter " +
                                  at + ".MetricStat.Period is invalid.");
      }
    } else if (std::optional<int64_t> p = opt_int(o, "Period")) {
      q.period_s = *p;
    }
    out.push_back(std::move(q));
  }
  return out;
}

protocol::Result<std::vector<QueryOutput>> run_queries(const std::vector<MetricQuery>& queries,
                                                       int64_t start_ms, int64_t end_ms,
                                                       const SampleFetch& fetch) {
  std::map<std::string, const MetricQuery*, std::less<>> by_id;
  int64_t period = 60;
  for (const MetricQuery& q : queries) {
    by_id[q.id] = &q;
    if (!q.expression) period = q.period_s;
  }
  std::map<std::string, MathValue, std::less<>> done;
  std::set<std::string, std::less<>> running;
  std::function<MathValue(std::string_view)> value_of = [&](std::string_view id) -> MathValue {
    if (auto it = done.find(id); it != done.end()) return it->second;
    auto q = by_id.find(id);
    if (q == by_id.end()) throw MathError{"Unrecognized identifier " + std::string(id) + "."};
    if (!running.insert(std::string(id)).second) {
      throw MathError{"Circular dependency involving " + std::string(id) + "."};
    }
    MathValue v;
    if (!q->second->expression) {
      v = stat_series(*q->second, fetch(*q->second, start_ms, end_ms), start_ms, end_ms);
    } else {
      MathEnv env{start_ms, end_ms, value_of, [&](std::string_view filter) {
                    std::vector<Series> out;
                    for (const MetricQuery& m : queries) {
                      if (m.expression) continue;
                      Series s = std::get<Series>(value_of(m.id));
                      if (s.label.find(filter) != std::string::npos) out.push_back(s);
                    }
                    return out;
                  }};
      protocol::Result<MathValue> r = evaluate_expression(*q->second->expression, env);
      if (!r) throw MathError{r.error().message};
      v = std::move(*r);
    }
    running.erase(std::string(id));
    return done[std::string(id)] = std::move(v);
  };
  std::vector<QueryOutput> out;
  for (const MetricQuery& q : queries) {
    if (!q.return_data) continue;
    try {
      MathValue v = value_of(q.id);
      std::string label = q.label.value_or(q.expression ? q.id : q.name);
      bool array = std::holds_alternative<std::vector<Series>>(v);
      for (Series& s : as_series(v, start_ms, end_ms, period, label)) {
        if (!array || q.label) s.label = label;
        out.push_back({&q, std::move(s)});
      }
    } catch (const MathError& e) {
      return errors::validation("Error in expression " + q.id + ": " + e.message);
    }
  }
  return out;
}

}  // namespace services::cloudwatch

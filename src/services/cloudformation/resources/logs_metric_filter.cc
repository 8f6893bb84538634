// AWS::Logs::MetricFilter over CloudWatch Logs' PutMetricFilter.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-metricfilter.html
// Ref: the filter's name. FilterPattern, MetricTransformations and ApplyOnTransformedLogs are
// updated in place (PutMetricFilter replaces the filter of that name); FilterName and
// LogGroupName require replacement.

#include "services/cloudformation/resources/load_balancing_providers.h"
#include "services/cloudformation/resources/load_balancing_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using lb::typed_call;

constexpr std::size_t kMaxNameLength = 512;

// A template MetricTransformation ({MetricName, MetricNamespace, MetricValue, DefaultValue,
// Dimensions: [{Key, Value}], Unit}) as the API's metricTransformation.
json::object transformation(const json::object& t) {
  json::object out;
  lb::copy_renamed(t, out,
                   {{"MetricName", "metricName"},
                    {"MetricNamespace", "metricNamespace"},
                    {"MetricValue", "metricValue"},
                    {"DefaultValue", "defaultValue"},
                    {"Unit", "unit"}});
  if (const json::value* dims = t.if_contains("Dimensions"); dims && dims->is_array()) {
    json::object map;
    for (const json::value& d : dims->get_array()) {
      if (d.is_object()) {
        map[lb::text(d.get_object(), "Key").value_or("")] =
            lb::text(d.get_object(), "Value").value_or("");
      }
    }
    out["dimensions"] = std::move(map);
  }
  return out;
}

class MetricFilterProvider final : public engine::ResourceProvider {
 public:
  explicit MetricFilterProvider(const ServiceClient& client) : client_(client) {}

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    std::string name = lb::text(properties(req.properties), "FilterName")
                           .value_or(generated_name(*req.stack, req.logical_id, kMaxNameLength));
    return put(req, name);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    return put(req, req.physical_id);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    auto r = client_.call(*req.stack, "logs", "DeleteMetricFilter",
                          {{"logGroupName", group(req)}, {"filterName", req.physical_id}});
    return lb::gone_is_ok(r, "ResourceNotFoundException");
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto out = client_.call(*req.stack, "logs", "DescribeMetricFilters",
                            {{"logGroupName", group(req)}, {"filterNamePrefix", req.physical_id}});
    if (!out) {
      return out.error();
    }
    for (const json::value& f : out->at("metricFilters").as_array()) {
      if (lb::text(f.as_object(), "filterName") == req.physical_id) {
        engine::ProvisionResult res{req.physical_id, {}};
        json::object live{{"FilterName", req.physical_id}, {"LogGroupName", group(req)}};
        lb::copy_renamed(f.as_object(), live, {{"filterPattern", "FilterPattern"}});
        res.properties = lb::live_properties(req, std::move(live));
        return res;
      }
    }
    return protocol::AwsError{"ResourceNotFoundException",
                              "The specified metric filter does not exist."};
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    bool in_place = property == "FilterPattern" || property == "MetricTransformations" ||
                    property == "ApplyOnTransformedLogs";
    return in_place ? engine::UpdateBehavior::NoInterruption : engine::UpdateBehavior::Replacement;
  }

 private:
  static std::string group(const engine::ResourceRequest& req) {
    return lb::text(properties(req.properties), "LogGroupName").value_or("");
  }

  protocol::Result<engine::ProvisionResult> put(const engine::ResourceRequest& req,
                                                const std::string& name) const {
    const json::object& p = properties(req.properties);
    for (std::string_view required : {"FilterPattern", "LogGroupName", "MetricTransformations"}) {
      if (!p.contains(required)) {
        return missing_property(req, required);
      }
    }
    json::array transformations;
    if (const json::value* ts = p.if_contains("MetricTransformations"); ts->is_array()) {
      for (const json::value& t : ts->get_array()) {
        if (t.is_object()) transformations.push_back(transformation(t.get_object()));
      }
    }
    json::object in{{"logGroupName", p.at("LogGroupName")},
                    {"filterName", name},
                    {"filterPattern", p.at("FilterPattern")},
                    {"metricTransformations", std::move(transformations)}};
    lb::copy_renamed(p, in, {{"ApplyOnTransformedLogs", "applyOnTransformedLogs"}});
    if (auto r = typed_call(client_, req, "logs", "PutMetricFilter", in); !r) {
      return r.error();
    }
    return engine::ProvisionResult{name, {}};
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_logs_metric_filter(const ServiceClient& client) {
  return std::make_unique<MetricFilterProvider>(client);
}

}  // namespace services::cloudformation::resources

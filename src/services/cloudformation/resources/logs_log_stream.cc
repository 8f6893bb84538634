// AWS::Logs::LogStream over CloudWatch Logs' CreateLogStream.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-logstream.html
// Ref: the stream's name; no GetAtt attributes. Both properties require replacement.

#include "services/cloudformation/resources/load_balancing_providers.h"
#include "services/cloudformation/resources/load_balancing_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxNameLength = 512;

class LogStreamProvider final : public engine::ResourceProvider {
 public:
  explicit LogStreamProvider(const ServiceClient& client) : client_(client) {}

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    std::optional<std::string> group = lb::text(p, "LogGroupName");
    if (!group) {
      return missing_property(req, "LogGroupName");
    }
    std::string name = lb::text(p, "LogStreamName")
                           .value_or(generated_name(*req.stack, req.logical_id, kMaxNameLength));
    auto r = client_.call(*req.stack, "logs", "CreateLogStream",
                          {{"logGroupName", *group}, {"logStreamName", name}});
    if (!r) {
      return r.error();
    }
    return engine::ProvisionResult{name, {}};
  }

  // Nothing changes in place: every property requires replacement.
  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    return read(req);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    auto r = client_.call(*req.stack, "logs", "DeleteLogStream",
                          {{"logGroupName", group(req)}, {"logStreamName", req.physical_id}});
    return lb::gone_is_ok(r, "ResourceNotFoundException");
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    auto out =
        client_.call(*req.stack, "logs", "DescribeLogStreams",
                     {{"logGroupName", group(req)}, {"logStreamNamePrefix", req.physical_id}});
    if (!out) {
      return out.error();
    }
    for (const json::value& s : out->at("logStreams").as_array()) {
      if (lb::text(s.as_object(), "logStreamName") == req.physical_id) {
        engine::ProvisionResult res{req.physical_id, {}};
        res.properties = lb::live_properties(
            req, {{"LogGroupName", group(req)}, {"LogStreamName", req.physical_id}});
        return res;
      }
    }
    return protocol::AwsError{"ResourceNotFoundException",
                              "The specified log stream does not exist."};
  }

  engine::UpdateBehavior update_behavior(std::string_view) const override {
    return engine::UpdateBehavior::Replacement;
  }

 private:
  static std::string group(const engine::ResourceRequest& req) {
    return lb::text(properties(req.properties), "LogGroupName").value_or("");
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_logs_log_stream(const ServiceClient& client) {
  return std::make_unique<LogStreamProvider>(client);
}

}  // namespace services::cloudformation::resources

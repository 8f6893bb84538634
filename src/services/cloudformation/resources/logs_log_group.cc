// AWS::Logs::LogGroup over CloudWatch Logs' CreateLogGroup.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html
// Ref: the log group's name. GetAtt: Arn, the group's ARN with ":*" appended
// (arn:aws:logs:us-west-1:123456789012:log-group:/mystack-testgroup-12ABC1AB12A1:*).
// RetentionInDays, KmsKeyId and Tags are updated in place.

#include "services/cloudformation/resources/load_balancing_providers.h"
#include "services/cloudformation/resources/load_balancing_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using lb::typed_call;

constexpr std::size_t kMaxNameLength = 512;

class LogGroupProvider final : public engine::ResourceProvider {
 public:
  explicit LogGroupProvider(const ServiceClient& client) : client_(client) {}

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    std::string name = lb::text(p, "LogGroupName")
                           .value_or(generated_name(*req.stack, req.logical_id, kMaxNameLength));
    json::object in{{"logGroupName", name}};
    if (json::object tags = lb::tag_map(req); !tags.empty()) {
      in["tags"] = std::move(tags);
    }
    lb::copy_renamed(p, in, {{"KmsKeyId", "kmsKeyId"}, {"LogGroupClass", "logGroupClass"}});
    if (auto r = typed_call(client_, req, "logs", "CreateLogGroup", in); !r) {
      return r.error();
    }
    if (p.contains("RetentionInDays")) {
      if (auto r = put_retention(req, name); !r) {
        (void)client_.call(*req.stack, "logs", "DeleteLogGroup", {{"logGroupName", name}});
        return r.error();
      }
    }
    return describe(req, name);
  }

  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    const json::object& p = properties(req.properties);
    const std::string& name = req.physical_id;
    if (lb::changed(req, "RetentionInDays")) {
      auto r = p.contains("RetentionInDays")
                   ? put_retention(req, name)
                   : lb::no_output(client_.call(*req.stack, "logs", "DeleteRetentionPolicy",
                                                {{"logGroupName", name}}));
      if (!r) {
        return r.error();
      }
    }
    if (lb::changed(req, "KmsKeyId")) {
      auto r =
          p.contains("KmsKeyId")
              ? typed_call(client_, req, "logs", "AssociateKmsKey",
                           {{"logGroupName", name}, {"kmsKeyId", p.at("KmsKeyId")}})
              : client_.call(*req.stack, "logs", "DisassociateKmsKey", {{"logGroupName", name}});
      if (!r) {
        return r.error();
      }
    }
    if (lb::changed(req, "Tags")) {
      if (auto r = sync_tags(req, name); !r) {
        return r.error();
      }
    }
    return describe(req, name);
  }

  protocol::Result<void> remove(const engine::ResourceRequest& req) override {
    return lb::gone_is_ok(
        client_.call(*req.stack, "logs", "DeleteLogGroup", {{"logGroupName", req.physical_id}}),
        "ResourceNotFoundException");
  }

  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override {
    return describe(req, req.physical_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    bool in_place = property == "RetentionInDays" || property == "KmsKeyId" || property == "Tags";
    return in_place ? engine::UpdateBehavior::NoInterruption : engine::UpdateBehavior::Replacement;
  }

 private:
  protocol::Result<void> put_retention(const engine::ResourceRequest& req,
                                       const std::string& name) const {
    return lb::no_output(
        typed_call(client_, req, "logs", "PutRetentionPolicy",
                   {{"logGroupName", name},
                    {"retentionInDays", properties(req.properties).at("RetentionInDays")}}));
  }

  // The template's Tags now: the dropped keys untagged, the rest (re)tagged.
  protocol::Result<void> sync_tags(const engine::ResourceRequest& req,
                                   const std::string& name) const {
    json::array gone = lb::removed_keys(lb::template_tag_map(req.previous_properties),
                                        lb::template_tag_map(req.properties));
    if (!gone.empty()) {
      auto r = client_.call(*req.stack, "logs", "UntagLogGroup",
                            {{"logGroupName", name}, {"tags", gone}});
      if (!r) {
        return r.error();
      }
    }
    json::object tags = lb::tag_map(req);
    if (tags.empty()) {
      return {};
    }
    return lb::no_output(client_.call(*req.stack, "logs", "TagLogGroup",
                                      {{"logGroupName", name}, {"tags", std::move(tags)}}));
  }

  // The group named `name` exactly: its ARN; ResourceNotFoundException when there is none.
  protocol::Result<engine::ProvisionResult> describe(const engine::ResourceRequest& req,
                                                     const std::string& name) const {
    auto out =
        client_.call(*req.stack, "logs", "DescribeLogGroups", {{"logGroupNamePrefix", name}});
    if (!out) {
      return out.error();
    }
    for (const json::value& g : out->at("logGroups").as_array()) {
      if (lb::text(g.as_object(), "logGroupName") == name) {
        const json::object& doc = g.as_object();
        engine::ProvisionResult res{name, json::object{{"Arn", lb::text(doc, "arn").value_or("")}}};
        json::object live{{"LogGroupName", name}};
        lb::copy_renamed(doc, live,
                         {{"retentionInDays", "RetentionInDays"},
                          {"kmsKeyId", "KmsKeyId"},
                          {"logGroupClass", "LogGroupClass"}});
        res.properties = lb::live_properties(req, std::move(live));
        return res;
      }
    }
    return protocol::AwsError{"ResourceNotFoundException",
                              "The specified log group does not exist."};
  }

  const ServiceClient& client_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_logs_log_group(const ServiceClient& client) {
  return std::make_unique<LogGroupProvider>(client);
}

}  // namespace services::cloudformation::resources

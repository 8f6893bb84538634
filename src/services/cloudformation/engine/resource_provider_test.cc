#include "services/cloudformation/engine/resource_provider.h"

#include <gtest/gtest.h>

#include "services/cloudformation/engine/engine_test_support.h"
#include "services/cloudformation/engine/template.h"

namespace services::cloudformation::engine {
namespace {

class FakeLogGroup : public ResourceProvider {
 public:
  protocol::Result<ProvisionResult> create(const ResourceRequest& req) override {
    std::string name = req.stack->stack_name + "-" + req.logical_id;
    return ProvisionResult{name,
                           {{"Arn", "arn:aws:logs:" + req.stack->region + ":" + req.stack->account +
                                        ":log-group:" + name}}};
  }
  protocol::Result<ProvisionResult> update(const ResourceRequest& req) override {
    return ProvisionResult{req.physical_id, {}};
  }
  protocol::Result<void> remove(const ResourceRequest&) override { return {}; }
  protocol::Result<ProvisionResult> read(const ResourceRequest& req) override {
    return ProvisionResult{req.physical_id, {}};
  }
  UpdateBehavior update_behavior(std::string_view property) const override {
    return property == "LogGroupName" ? UpdateBehavior::Replacement
                                      : UpdateBehavior::NoInterruption;
  }
};

TEST(ResourceProvidersTest, TheRegistryDecidesWhichTypesATemplateMayUse) {
  ResourceProviders providers;
  providers.add("AWS::Logs::LogGroup", std::make_unique<FakeLogGroup>());
  Template t = ok(parse_template(
      "Resources: {L: {Type: AWS::Logs::LogGroup}, F: {Type: AWS::Lambda::Function}}"));
  auto supported = [&](std::string_view type) { return providers.supports(type); };
  EXPECT_EQ(error_of(check_resource_types(t, supported)),
            "ValidationError: Template format error: Unrecognized resource types: "
            "[AWS::Lambda::Function]");

  StackIdentity stack{"123456789012", "us-east-1", "app", "arn:s"};
  ResourceProvider* p = providers.find("AWS::Logs::LogGroup");
  ASSERT_NE(p, nullptr);
  ProvisionResult r = ok(p->create({&stack, "L", "AWS::Logs::LogGroup", nullptr, nullptr, ""}));
  EXPECT_EQ(r.physical_id, "app-L");
  EXPECT_EQ(r.attributes.at("Arn"), "arn:aws:logs:us-east-1:123456789012:log-group:app-L");
  EXPECT_EQ(ok(p->stabilize({&stack, "L", "AWS::Logs::LogGroup", nullptr, nullptr, "app-L"})),
            Progress::Done);
  EXPECT_EQ(p->update_behavior("LogGroupName"), UpdateBehavior::Replacement);
}

}  // namespace
}  // namespace services::cloudformation::engine

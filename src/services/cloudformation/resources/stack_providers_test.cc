// AWS::CDK::Metadata, AWS::CloudFormation::WaitConditionHandle and WaitCondition.

#include "services/cloudformation/resources/identity_test_support.h"

namespace services::cloudformation::resources {
namespace {

TEST_F(IdentityProvidersTest, CdkMetadataStoresNothingAndRefIsAGeneratedId) {
  ResourceRequest req =
      request("AWS::CDK::Metadata", "CDKMetadata", R"({"Analytics":"v2:deflate64:x"})");
  ProvisionResult a = create(req);
  ProvisionResult b = create(req);
  EXPECT_EQ(a.physical_id.size(), 36u);  // a UUID
  EXPECT_NE(a.physical_id, b.physical_id);
  EXPECT_EQ(provider(req.type).update_behavior("Analytics"), UpdateBehavior::NoInterruption);
  req.physical_id = a.physical_id;
  EXPECT_TRUE(provider(req.type).remove(req));
}

TEST_F(IdentityProvidersTest, WaitConditionHandleRefIsAPresignedUrl) {
  ProvisionResult made =
      create(request("AWS::CloudFormation::WaitConditionHandle", "Handle", "null"));
  EXPECT_TRUE(made.physical_id.starts_with(
      "https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/"
      "arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack%2Fapp%2F1b2c3d4e/Handle?"
      "AWSAccessKeyId="))
      << made.physical_id;
  EXPECT_NE(made.physical_id.find("&Expires="), std::string::npos);
  EXPECT_NE(made.physical_id.find("&Signature="), std::string::npos);
  EXPECT_EQ(provider("AWS::CloudFormation::WaitConditionHandle").update_behavior("Anything"),
            UpdateBehavior::Replacement);
}

TEST_F(IdentityProvidersTest, WaitConditionOfCountZeroCompletesWithEmptyData) {
  ResourceRequest req =
      request("AWS::CloudFormation::WaitCondition", "Wait", R"({"Count":"0","Timeout":"60"})");
  ProvisionResult made = create(req);
  EXPECT_EQ(made.attributes.at("Data"), "{}");
  EXPECT_EQ(provider(req.type).update_behavior("Count"), UpdateBehavior::Replacement);
}

TEST_F(IdentityProvidersTest, WaitConditionExpectingSignalsFailsWithAClearReason) {
  protocol::Result<ProvisionResult> r =
      provider("AWS::CloudFormation::WaitCondition")
          .create(request("AWS::CloudFormation::WaitCondition", "Wait",
                          R"({"Count":2,"Handle":"https://x","Timeout":"60"})"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("expecting 2"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("signals"), std::string::npos);
}

}  // namespace
}  // namespace services::cloudformation::resources

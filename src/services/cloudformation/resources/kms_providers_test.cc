// AWS::KMS::Key and AWS::KMS::Alias over the real KMS handlers.

#include "services/cloudformation/resources/identity_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::string_view kPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Sid":"root","Effect":"Allow",)"
    R"("Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]})";

TEST_F(IdentityProvidersTest, KeyRefIsItsIdAndGetAttGivesArnAndKeyId) {
  ResourceRequest req =
      request("AWS::KMS::Key", "Key",
              R"({"Description":"app","KeyPolicy":)" + std::string(kPolicy) +
                  R"(,"EnableKeyRotation":true,"Tags":[{"Key":"team","Value":"a"}]})");
  ProvisionResult made = create(req);
  EXPECT_EQ(made.attributes.at("KeyId"), made.physical_id);
  EXPECT_EQ(s(made.attributes.at("Arn")),
            "arn:aws:kms:us-east-1:123456789012:key/" + made.physical_id);
  req.physical_id = made.physical_id;
  json::object props = live(req);
  EXPECT_EQ(props.at("KeyPolicy"), json::parse(kPolicy));
  EXPECT_EQ(props.at("EnableKeyRotation"), true);
  EXPECT_EQ(props.at("Enabled"), true);
  EXPECT_EQ(props.at("Tags"), json::parse(R"([{"Key":"team","Value":"a"}])"));
}

TEST_F(IdentityProvidersTest, KeyDisablesAndStopsRotatingInPlace) {
  ResourceRequest req = request("AWS::KMS::Key", "Key", R"({"EnableKeyRotation":"true"})");
  ProvisionResult made = create(req);
  ResourceRequest next =
      updated(req, made.physical_id, R"({"Enabled":false,"Tags":[{"Key":"k","Value":"v"}]})");
  EXPECT_EQ(update(next).physical_id, made.physical_id);
  json::object props = live(next);
  EXPECT_EQ(props.at("Enabled"), false);
  EXPECT_EQ(props.at("EnableKeyRotation"), false);
  EXPECT_EQ(props.at("Tags"), json::parse(R"([{"Key":"k","Value":"v"}])"));
  EXPECT_EQ(provider(req.type).update_behavior("KeySpec"), UpdateBehavior::Replacement);
  EXPECT_EQ(provider(req.type).update_behavior("KeyUsage"), UpdateBehavior::Replacement);
  EXPECT_EQ(provider(req.type).update_behavior("Enabled"), UpdateBehavior::NoInterruption);
}

TEST_F(IdentityProvidersTest, KeyDeleteSchedulesDeletionAfterItsPendingWindow) {
  ResourceRequest req = request("AWS::KMS::Key", "Key", R"({"PendingWindowInDays":7})");
  ProvisionResult made = create(req);
  expect_removed(req, made.physical_id, "NotFoundException");
  json::object key =
      call("kms", "DescribeKey", {{"KeyId", made.physical_id}}).at("KeyMetadata").as_object();
  EXPECT_EQ(key.at("KeyState"), "PendingDeletion");
  // Seven days from now, as PendingWindowInDays asked (CloudFormation's default would be 30).
  double now = core::to_epoch_seconds(clock_.now());
  EXPECT_DOUBLE_EQ(key.at("DeletionDate").to_number<double>(), now + 7 * 86400);
}

TEST_F(IdentityProvidersTest, AliasRefIsItsNameAndRetargetsInPlace) {
  std::string a(create(request("AWS::KMS::Key", "A", "{}")).physical_id);
  std::string b(create(request("AWS::KMS::Key", "B", "{}")).physical_id);
  ResourceRequest req = request("AWS::KMS::Alias", "Alias",
                                R"({"AliasName":"alias/app","TargetKeyId":")" + a + R"("})");
  ProvisionResult made = create(req);
  EXPECT_EQ(made.physical_id, "alias/app");
  ResourceRequest next =
      updated(req, "alias/app", R"({"AliasName":"alias/app","TargetKeyId":")" + b + R"("})");
  update(next);
  EXPECT_EQ(live(next).at("TargetKeyId"), b);
  EXPECT_EQ(call("kms", "DescribeKey", {{"KeyId", "alias/app"}}).at("KeyMetadata").at("KeyId"), b);
  EXPECT_EQ(provider(req.type).update_behavior("AliasName"), UpdateBehavior::Replacement);
  EXPECT_EQ(provider(req.type).update_behavior("TargetKeyId"), UpdateBehavior::NoInterruption);
  expect_removed(next, "alias/app", "NotFoundException");
}

}  // namespace
}  // namespace services::cloudformation::resources

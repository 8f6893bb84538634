#include <gtest/gtest.h>

#include "services/kms/kms_test_support.h"

namespace services::kms {
namespace {

using boost::json::array;
using boost::json::object;

object tag(const char* k, const char* v) { return object{{"TagKey", k}, {"TagValue", v}}; }

TEST_F(KmsHandlersTest, TagsAreAddedReplacedRemovedAndListedInOrder) {
  std::string id = create_key();
  ok("TagResource", object{{"KeyId", id}, {"Tags", array{tag("b", "1"), tag("a", "2")}}});
  ok("TagResource", object{{"KeyId", id}, {"Tags", array{tag("b", "3")}}});
  EXPECT_EQ(ok("ListResourceTags", object{{"KeyId", id}}).at("Tags"),
            (array{tag("a", "2"), tag("b", "3")}));
  ok("UntagResource", object{{"KeyId", id}, {"TagKeys", array{"a", "missing"}}});
  EXPECT_EQ(ok("ListResourceTags", object{{"KeyId", id}}).at("Tags"), (array{tag("b", "3")}));
  EXPECT_EQ(
      err("TagResource", object{{"KeyId", id}, {"Tags", array{tag("x", "1"), tag("x", "2")}}}).code,
      "TagException");
}

TEST_F(KmsHandlersTest, ListResourceTagsPages) {
  std::string id = create_key();
  ok("TagResource",
     object{{"KeyId", id}, {"Tags", array{tag("a", ""), tag("b", ""), tag("c", "")}}});
  object p1 = ok("ListResourceTags", object{{"KeyId", id}, {"Limit", 2}});
  EXPECT_EQ(p1.at("Tags").as_array().size(), 2u);
  ASSERT_TRUE(p1.at("Truncated").as_bool());
  object p2 =
      ok("ListResourceTags", object{{"KeyId", id}, {"Limit", 2}, {"Marker", p1.at("NextMarker")}});
  EXPECT_EQ(p2.at("Tags"), (array{tag("c", "")}));
}

TEST_F(KmsHandlersTest, DefaultKeyPolicyIsAwsDocument) {
  std::string id = create_key();
  object out = ok("GetKeyPolicy", object{{"KeyId", id}});
  EXPECT_EQ(out.at("PolicyName"), "default");
  EXPECT_EQ(out.at("Policy"), R"({
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::123456789012:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
})");
}

TEST_F(KmsHandlersTest, PutKeyPolicyStoresAValidDocument) {
  std::string id = create_key();
  std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]})";
  ok("PutKeyPolicy", object{{"KeyId", id}, {"Policy", policy}});
  EXPECT_EQ(ok("GetKeyPolicy", object{{"KeyId", id}, {"PolicyName", "default"}}).at("Policy"),
            policy);
  EXPECT_EQ(err("PutKeyPolicy", object{{"KeyId", id}, {"Policy", "[]"}}).code,
            "MalformedPolicyDocumentException");
  EXPECT_EQ(err("GetKeyPolicy", object{{"KeyId", id}, {"PolicyName", "other"}}).code,
            "NotFoundException");
}

TEST_F(KmsHandlersTest, KeyRotationSettingsAreStored) {
  std::string id = create_key();
  object status = ok("GetKeyRotationStatus", object{{"KeyId", id}});
  EXPECT_EQ(status.at("KeyRotationEnabled"), false);
  EXPECT_EQ(status.at("KeyId"), arn_of(id));
  ok("EnableKeyRotation", object{{"KeyId", id}, {"RotationPeriodInDays", 90}});
  status = ok("GetKeyRotationStatus", object{{"KeyId", id}});
  EXPECT_EQ(status.at("KeyRotationEnabled"), true);
  EXPECT_EQ(status.at("RotationPeriodInDays"), 90);
  EXPECT_DOUBLE_EQ(status.at("NextRotationDate").as_double(), 1700000000.0 + 90 * 86400);
  EXPECT_EQ(err("EnableKeyRotation", object{{"KeyId", id}, {"RotationPeriodInDays", 89}}).code,
            "ValidationException");
  ok("DisableKeyRotation", object{{"KeyId", id}});
  EXPECT_EQ(ok("GetKeyRotationStatus", object{{"KeyId", id}}).at("KeyRotationEnabled"), false);
  ok("DisableKey", object{{"KeyId", id}});
  EXPECT_EQ(err("EnableKeyRotation", object{{"KeyId", id}}).code, "DisabledException");
}

}  // namespace
}  // namespace services::kms

#include "services/iam/policy_document.h"

#include <gtest/gtest.h>

namespace services::iam {
namespace {

std::string message(std::string_view text, PolicyKind kind) {
  protocol::Result<void> r = validate_policy(text, kind);
  if (r) return "ok";
  EXPECT_EQ(r.error().code, "MalformedPolicyDocument");
  return r.error().message;
}

TEST(PolicyDocumentTest, AcceptsTheEcsTaskTrustPolicyAndAnIdentityPolicy) {
  EXPECT_EQ(message(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":)"
                    R"({"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]})",
                    PolicyKind::Trust),
            "ok");
  EXPECT_EQ(message(R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"s3:*",)"
                    R"("NotResource":["arn:aws:s3:::b"],"Condition":{"Bool":{"aws:x":"true"}}}})",
                    PolicyKind::Identity),
            "ok");
}

TEST(PolicyDocumentTest, RejectsWithIamsMessages) {
  EXPECT_EQ(message("{not json", PolicyKind::Identity), "Syntax errors in policy.");
  EXPECT_EQ(message(R"({"Version":"2012-10-17"})", PolicyKind::Identity),
            "Syntax errors in policy.");
  EXPECT_EQ(message(R"({"Version":"2020-01-01","Statement":[]})", PolicyKind::Identity),
            "The policy failed legacy parsing");
  EXPECT_EQ(message(R"({"Statement":[{"Effect":"Allow","Resource":"*"}]})", PolicyKind::Identity),
            "Policy statement must contain actions.");
  EXPECT_EQ(
      message(R"({"Statement":[{"Effect":"Allow","Action":"s3:Get"}]})", PolicyKind::Identity),
      "Policy statement must contain resources.");
  EXPECT_EQ(message(R"({"Statement":[{"Effect":"Allow","Action":"s3:Get","Resource":"*",)"
                    R"("Principal":"*"}]})",
                    PolicyKind::Identity),
            "Policy document should not specify a principal.");
  EXPECT_EQ(
      message(R"({"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]})", PolicyKind::Trust),
      "Missing required field Principal");
  EXPECT_EQ(message(R"({"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",)"
                    R"("Principal":{"Service":"lambda"}}]})",
                    PolicyKind::Trust),
            "Invalid principal in policy: \"SERVICE\":\"lambda\"");
  EXPECT_EQ(message(R"({"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*",)"
                    R"("Principal":{"AWS":"123456789012"}}]})",
                    PolicyKind::Trust),
            "Has prohibited field Resource.");
  EXPECT_EQ(message(R"({"Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]})",
                    PolicyKind::Identity),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  EXPECT_EQ(message(R"({"Statement":[{"Action":"s3:Get","Resource":"*"}]})", PolicyKind::Identity),
            "Missing required field Effect");
}

}  // namespace
}  // namespace services::iam

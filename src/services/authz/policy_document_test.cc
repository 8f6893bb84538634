#include "services/authz/policy_document.h"

#include <gtest/gtest.h>

namespace services::authz {
namespace {

TEST(PolicyDocumentTest, ParsesAStatementArrayWithEveryElement) {
  auto doc = parse_policy(R"({
    "Version": "2012-10-17",
    "Statement": [
      {"Sid": "Read", "Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"], "Resource": "*",
       "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]},
                     "NumericLessThan": {"s3:max-keys": 10},
                     "Bool": {"aws:SecureTransport": false}}},
      {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:ecs:*:*:cluster/x"]}
    ]})");
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->version, "2012-10-17");
  ASSERT_EQ(doc->statements.size(), 2u);
  const Statement& a = doc->statements[0];
  EXPECT_EQ(a.sid, "Read");
  EXPECT_EQ(a.effect, Effect::Allow);
  EXPECT_EQ(a.actions, (std::vector<std::string>{"ecs:Describe*", "ecs:List*"}));
  EXPECT_FALSE(a.not_action);
  ASSERT_EQ(a.conditions.size(), 3u);
  bool saw_number = false, saw_bool = false;
  for (const ConditionClause& c : a.conditions) {
    if (c.op == ConditionOp::NumericLessThan) {
      saw_number = true;
      EXPECT_EQ(c.values, (std::vector<std::string>{"10"}));
    }
    if (c.op == ConditionOp::Bool) {
      saw_bool = true;
      EXPECT_EQ(c.values, (std::vector<std::string>{"false"}));
    }
  }
  EXPECT_TRUE(saw_number && saw_bool);
  const Statement& d = doc->statements[1];
  EXPECT_EQ(d.effect, Effect::Deny);
  EXPECT_TRUE(d.not_action);
  EXPECT_TRUE(d.not_resource);
  EXPECT_EQ(d.resources, (std::vector<std::string>{"arn:aws:ecs:*:*:cluster/x"}));
}

TEST(PolicyDocumentTest, ASingleStatementObjectIsAccepted) {
  auto doc = parse_policy(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->statements.size(), 1u);
}

TEST(PolicyDocumentTest, TrustPolicyPrincipals) {
  auto doc = parse_policy(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"},
      {"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:role/r"]},
       "Action":"sts:AssumeRole"},
      {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
      {"Effect":"Deny","NotPrincipal":{"Federated":"arn:aws:iam::1:oidc-provider/x"},"Action":"*"}]})",
                          PolicyKind::Trust);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->statements[0].principal->by_type.at("Service"),
            (std::vector<std::string>{"ecs-tasks.amazonaws.com"}));
  EXPECT_EQ(doc->statements[1].principal->by_type.at("AWS").size(), 2u);
  EXPECT_TRUE(doc->statements[2].principal->any);
  EXPECT_TRUE(doc->statements[3].not_principal);
}

TEST(PolicyDocumentTest, ConditionOperatorsSplitIntoQualifierOperatorAndIfExists) {
  ConditionClause c;
  ASSERT_TRUE(parse_condition_operator("ForAllValues:StringLikeIfExists", c));
  EXPECT_EQ(c.qualifier, SetQualifier::ForAllValues);
  EXPECT_EQ(c.op, ConditionOp::StringLike);
  EXPECT_TRUE(c.if_exists);
  ASSERT_TRUE(parse_condition_operator("NotIpAddress", c));
  EXPECT_EQ(c.op, ConditionOp::NotIpAddress);
  EXPECT_FALSE(c.if_exists);
  EXPECT_EQ(c.qualifier, SetQualifier::None);
  EXPECT_FALSE(parse_condition_operator("StringEqualz", c));
  // "You cannot use the Null condition operator with the ...IfExists suffix."
  EXPECT_FALSE(parse_condition_operator("NullIfExists", c));
}

struct Malformed {
  const char* text;
  PolicyKind kind;
  const char* message;
};

class MalformedPolicyTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedPolicyTest, IsAnErrorValueInIamWords) {
  auto doc = parse_policy(GetParam().text, GetParam().kind);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, MalformedPolicyTest,
    ::testing::Values(
        Malformed{"{not json", PolicyKind::Any, "Syntax errors in policy."},
        Malformed{R"({"Version":"2012-10-17"})", PolicyKind::Any, "Missing required field Statement"},
        Malformed{R"({"Statement":{"Action":"*","Resource":"*"}})", PolicyKind::Any,
                  "Missing required field Effect"},
        Malformed{R"({"Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}})",
                  PolicyKind::Any, "Invalid effect: Maybe"},
        Malformed{R"({"Statement":{"Effect":"Allow","Resource":"*"}})", PolicyKind::Any,
                  "Missing required field Action"},
        Malformed{R"({"Statement":{"Effect":"Allow","Action":"*"}})", PolicyKind::Identity,
                  "Policy statement must contain resources."},
        Malformed{R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}})",
                  PolicyKind::Identity, "Policy document should not specify a principal."},
        Malformed{R"({"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}})", PolicyKind::Trust,
                  "Missing required field Principal"},
        Malformed{R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}})",
                  PolicyKind::Trust, "Has prohibited field Resource"},
        Malformed{R"({"Version":"2012-10-18","Statement":[]})", PolicyKind::Any,
                  "The policy failed legacy parsing"},
        Malformed{R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
                     "Condition":{"StringEqualz":{"a":"b"}}}})",
                  PolicyKind::Any, "Invalid Condition type : StringEqualz"},
        Malformed{R"({"Statement":{"Effect":"Allow","Action":"*","NotAction":"x","Resource":"*"}})",
                  PolicyKind::Any, "Syntax errors in policy."}));

}  // namespace
}  // namespace services::authz

#include "services/authz/conditions.h"

#include <gtest/gtest.h>

namespace services::authz {
namespace {

ConditionClause clause(std::string_view op, std::string key, std::vector<std::string> values) {
  ConditionClause c;
  EXPECT_TRUE(parse_condition_operator(op, c)) << op;
  c.key = std::move(key);
  c.values = std::move(values);
  return c;
}

bool holds(std::string_view op, std::vector<std::string> policy, iam::ConditionKeys request,
           std::string key = "k") {
  return condition_holds(clause(op, key, std::move(policy)), KeyValues(request));
}

struct OpCase {
  const char* op;
  std::vector<std::string> policy;
  std::string request;
  bool expected;
};

class OperatorTest : public ::testing::TestWithParam<OpCase> {};

TEST_P(OperatorTest, MatchesOneRequestValue) {
  const OpCase& c = GetParam();
  EXPECT_EQ(holds(c.op, c.policy, {{"k", {c.request}}}), c.expected)
      << c.op << " " << c.policy.front() << " vs " << c.request;
}

INSTANTIATE_TEST_SUITE_P(
    EveryOperator, OperatorTest,
    ::testing::Values(
        OpCase{"StringEquals", {"Dev"}, "Dev", true}, OpCase{"StringEquals", {"Dev"}, "dev", false},
        OpCase{"StringNotEquals", {"Dev"}, "Prod", true},
        OpCase{"StringNotEquals", {"Dev"}, "Dev", false},
        OpCase{"StringEqualsIgnoreCase", {"Dev"}, "dEV", true},
        OpCase{"StringNotEqualsIgnoreCase", {"Dev"}, "dEV", false},
        OpCase{"StringLike", {"web-*"}, "web-api", true},
        OpCase{"StringLike", {"web-?"}, "web-ab", false},
        OpCase{"StringLike", {"Web-*"}, "web-api", false},  // case-sensitive
        OpCase{"StringNotLike", {"web-*"}, "db", true},
        OpCase{"NumericEquals", {"10"}, "10.0", true},
        OpCase{"NumericNotEquals", {"10"}, "11", true},
        OpCase{"NumericLessThan", {"10"}, "9", true},
        OpCase{"NumericLessThan", {"10"}, "10", false},
        OpCase{"NumericLessThanEquals", {"10"}, "10", true},
        OpCase{"NumericGreaterThan", {"10"}, "10.5", true},
        OpCase{"NumericGreaterThanEquals", {"10"}, "9", false},
        OpCase{"NumericEquals", {"10"}, "ten", false},
        OpCase{"DateEquals", {"2026-12-07T00:00:00Z"}, "2026-12-07", true},
        OpCase{"DateNotEquals", {"2026-12-07T00:00:00Z"}, "2026-12-08T00:00:00Z", true},
        OpCase{"DateLessThan", {"2026-12-07T12:00:00Z"}, "2026-12-07T11:59:59Z", true},
        OpCase{"DateLessThanEquals", {"2026-12-07T12:00:00Z"}, "2026-12-07T13:00:00+01:00", true},
        OpCase{"DateGreaterThan", {"2026-12-07T12:00:00Z"}, "1796644800", false},  // = 12:00
        OpCase{"DateGreaterThanEquals", {"2026-12-07T12:00:00Z"}, "1796644800", true},
        OpCase{"Bool", {"true"}, "true", true}, OpCase{"Bool", {"true"}, "false", false},
        OpCase{"Bool", {"false"}, "FALSE", true},
        OpCase{"BinaryEquals", {"QmluYXJ5VmFsdWU="}, "QmluYXJ5VmFsdWU=", true},
        OpCase{"BinaryEquals", {"QmluYXJ5VmFsdWU="}, "b3RoZXI=", false},
        OpCase{"IpAddress", {"203.0.113.0/24"}, "203.0.113.7", true},
        OpCase{"IpAddress", {"203.0.113.0/24"}, "203.0.114.7", false},
        OpCase{"IpAddress", {"10.1.2.3"}, "10.1.2.3", true},
        OpCase{"IpAddress", {"2001:db8::/32"}, "2001:db8:1::5", true},
        OpCase{"IpAddress", {"2001:db8::/32"}, "127.0.0.1", false},
        OpCase{"NotIpAddress", {"203.0.113.0/24"}, "127.0.0.1", true},
        OpCase{"NotIpAddress", {"127.0.0.0/8"}, "127.0.0.1", false},
        OpCase{"ArnEquals", {"arn:aws:iam::123456789012:role/*"}, "arn:aws:iam::123456789012:role/x",
               true},
        OpCase{"ArnLike", {"arn:aws:ecs:*:123456789012:service/web/*"},
               "arn:aws:ecs:eu-west-1:123456789012:service/web/api", true},
        OpCase{"ArnLike", {"arn:aws:ecs:*:123456789012:service/web/*"},
               "arn:aws:ecs:eu-west-1:210987654321:service/web/api", false},
        OpCase{"ArnNotEquals", {"arn:aws:iam::1:role/a"}, "arn:aws:iam::1:role/b", true},
        OpCase{"ArnNotLike", {"arn:aws:iam::*:role/a*"}, "arn:aws:iam::1:role/abc", false}));

// "If the key that you specify in a policy condition is not present in the request context, the
// values do not match and the condition is false. If the policy condition requires that the key
// is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the
// condition is true."
TEST(ConditionTest, AMissingKeyFailsPositiveOperatorsAndPassesNegatedOnes) {
  EXPECT_FALSE(holds("StringEquals", {"x"}, {}));
  EXPECT_FALSE(holds("NumericLessThan", {"1"}, {}));
  EXPECT_FALSE(holds("IpAddress", {"10.0.0.0/8"}, {}));
  EXPECT_TRUE(holds("StringNotLike", {"x*"}, {}));
  EXPECT_TRUE(holds("ArnNotLike", {"arn:*"}, {}));
  EXPECT_TRUE(holds("NotIpAddress", {"10.0.0.0/8"}, {}));
}

// "If the policy key is present in the context of the request, process the key as specified in
// the policy. If the key is not present, evaluate the condition element as true."
TEST(ConditionTest, IfExistsIsTrueWhenTheKeyIsAbsentAndCheckedWhenPresent) {
  EXPECT_TRUE(holds("StringEqualsIfExists", {"t3.micro"}, {}));
  EXPECT_TRUE(holds("StringEqualsIfExists", {"t3.micro"}, {{"k", {"t3.micro"}}}));
  EXPECT_FALSE(holds("StringEqualsIfExists", {"t3.micro"}, {{"k", {"m5.large"}}}));
  EXPECT_TRUE(holds("NumericLessThanIfExists", {"5"}, {}));
  EXPECT_FALSE(holds("IpAddressIfExists", {"10.0.0.0/8"}, {{"k", {"192.0.2.1"}}}));
}

TEST(ConditionTest, NullChecksPresence) {
  EXPECT_TRUE(holds("Null", {"true"}, {}));
  EXPECT_FALSE(holds("Null", {"true"}, {{"k", {"v"}}}));
  EXPECT_TRUE(holds("Null", {"false"}, {{"k", {"v"}}}));
  EXPECT_FALSE(holds("Null", {"false"}, {}));
}

// "If a single condition operator includes multiple values for a context key, those values are
// evaluated using a logical OR. If a single negated matching condition operator includes multiple
// values for a context key, those values are evaluated using a logical NOR."
TEST(ConditionTest, PolicyValuesOrAndNegatedOperatorsNor) {
  EXPECT_TRUE(holds("StringEquals", {"a", "b"}, {{"k", {"b"}}}));
  EXPECT_FALSE(holds("StringEquals", {"a", "b"}, {{"k", {"c"}}}));
  EXPECT_FALSE(holds("StringNotEquals", {"a", "b"}, {{"k", {"b"}}}));
  EXPECT_TRUE(holds("StringNotEquals", {"a", "b"}, {{"k", {"c"}}}));
}

// "ForAllValues – ... returns true if every context key value in the request matches at least
// one context key value in the policy. It also returns true if there are no context keys in the
// request." "ForAnyValue – ... returns true if any one of the context key values in the request
// matches any one of the context key values in the policy. For context keys in the request that
// do not exist, the condition returns false."
TEST(ConditionTest, SetQualifiers) {
  iam::ConditionKeys both{{"aws:TagKeys", {"env", "team"}}};
  iam::ConditionKeys extra{{"aws:TagKeys", {"env", "cost"}}};
  EXPECT_TRUE(holds("ForAllValues:StringEquals", {"env", "team"}, both, "aws:TagKeys"));
  EXPECT_FALSE(holds("ForAllValues:StringEquals", {"env", "team"}, extra, "aws:TagKeys"));
  EXPECT_TRUE(holds("ForAllValues:StringEquals", {"env", "team"}, {}, "aws:TagKeys"));
  EXPECT_TRUE(holds("ForAnyValue:StringEquals", {"cost"}, extra, "aws:TagKeys"));
  EXPECT_FALSE(holds("ForAnyValue:StringEquals", {"owner"}, extra, "aws:TagKeys"));
  EXPECT_FALSE(holds("ForAnyValue:StringEquals", {"owner"}, {}, "aws:TagKeys"));
  EXPECT_TRUE(holds("ForAllValues:StringLike", {"e*", "t*"}, both, "aws:TagKeys"));
  EXPECT_TRUE(holds("ForAnyValue:StringNotEquals", {"env"}, both, "aws:TagKeys"));
  EXPECT_FALSE(holds("ForAllValues:StringNotEquals", {"env"}, both, "aws:TagKeys"));
}

TEST(ConditionTest, KeyNamesAreCaseInsensitive) {
  EXPECT_TRUE(holds("StringEquals", {"ci"}, {{"AWS:PrincipalTag/Team", {"ci"}}},
                    "aws:principaltag/team"));
}

TEST(ConditionTest, PolicyVariablesInConditionValues) {
  iam::ConditionKeys keys{{"aws:username", {"alice"}}, {"k", {"home/alice/x"}}};
  EXPECT_TRUE(holds("StringLike", {"home/${aws:username}/*"}, keys));
  EXPECT_FALSE(holds("StringLike", {"home/${aws:username}/*"}, {{"k", {"home/alice/x"}}}));
}

TEST(PolicyVariablesTest, ExpandAndKeepSubstitutedTextLiteral) {
  KeyValues keys(iam::ConditionKeys{{"aws:username", {"a*b"}}, {"aws:PrincipalTag/team", {"ci"}}});
  auto p = expand("arn:aws:iam::1:user/${aws:username}", keys);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->text, "arn:aws:iam::1:user/a*b");
  // A '*' from a variable's value is a character, not a wildcard.
  EXPECT_TRUE(wildcard_match(*p, "arn:aws:iam::1:user/a*b"));
  EXPECT_FALSE(wildcard_match(*p, "arn:aws:iam::1:user/axxb"));
  EXPECT_EQ(expand("team-${aws:PrincipalTag/team}", keys)->text, "team-ci");
  // ${*}, ${?} and ${$} are the characters themselves.
  auto star = expand("a${*}b${?}${$}", keys);
  ASSERT_TRUE(star);
  EXPECT_EQ(star->text, "a*b?$");
  EXPECT_TRUE(wildcard_match(*star, "a*b?$"));
  EXPECT_FALSE(wildcard_match(*star, "aXXbY$"));
  // A missing key without a default: the element does not match; with one, the default.
  EXPECT_FALSE(expand("x/${aws:userid}", keys));
  EXPECT_EQ(expand("x/${aws:userid, 'nobody'}", keys)->text, "x/nobody");
}

TEST(ArnMatchTest, EachSegmentIsMatchedSeparately) {
  KeyValues none;
  auto pat = [&](std::string_view s) { return *expand(s, none); };
  EXPECT_TRUE(arn_match(pat("*"), "anything at all"));
  EXPECT_TRUE(arn_match(pat("arn:aws:ecs:*:*:service/web/*"),
                        "arn:aws:ecs:us-east-1:123456789012:service/web/api"));
  // A wildcard does not reach across the colons between segments.
  EXPECT_FALSE(arn_match(pat("arn:aws:ecs:*:123456789012:*"),
                         "arn:aws:ecs:us-east-1:000000000000:x:123456789012:y"));
  EXPECT_TRUE(arn_match(pat("arn:aws:ecs:*:000000000000:*"),
                        "arn:aws:ecs:us-east-1:000000000000:x:123456789012:y"));
  EXPECT_TRUE(arn_match(pat("arn:aws:logs:*:*:log-group:/ecs/web:*"),
                        "arn:aws:logs:us-east-1:1:log-group:/ecs/web:log-stream:a"));
  EXPECT_FALSE(arn_match(pat("arn:aws:ecs:*:*:service/Web/*"),
                         "arn:aws:ecs:us-east-1:1:service/web/api"));  // case-sensitive
  EXPECT_FALSE(arn_match(pat("arn:aws:ecs:*:*:cluster/*"), "*"));
}

TEST(IpTest, CidrEdges) {
  EXPECT_TRUE(ip_in_cidr("192.0.2.255", "192.0.2.128/25"));
  EXPECT_FALSE(ip_in_cidr("192.0.2.127", "192.0.2.128/25"));
  EXPECT_TRUE(ip_in_cidr("198.51.100.1", "0.0.0.0/0"));
  EXPECT_FALSE(ip_in_cidr("not-an-ip", "0.0.0.0/0"));
  EXPECT_FALSE(ip_in_cidr("1.2.3.4", "1.2.3.4/33"));
}

}  // namespace
}  // namespace services::authz

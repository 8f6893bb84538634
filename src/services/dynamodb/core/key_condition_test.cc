#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb {
namespace {
namespace json = boost::json;

const KeySchemaNames kSchema{"pk", std::string("sk")};

json::object values() {
  return json::parse(R"({":p": {"S": "user"}, ":a": {"S": "a"}, ":c": {"S": "c"},
                         ":n": {"N": "5"}, ":m": {"N": "10"}})")
      .as_object();
}

KeyCondition parse(std::string_view text) {
  json::object v = values();
  json::object names = json::parse(R"({"#s": "sk"})").as_object();
  ExpressionContext ctx(&names, &v);
  return parse_key_condition(text, ctx, kSchema);
}

std::string error_of(std::string_view text) {
  try {
    parse(text);
  } catch (const protocol::AwsError& e) {
    return e.message;
  }
  return "";
}

TEST(KeyConditionTest, SplitsThePartitionValueAndTheSortCondition) {
  KeyCondition k = parse("pk = :p");
  EXPECT_EQ(k.partition_name, "pk");
  EXPECT_EQ(k.partition_value, json::parse(R"({"S": "user"})"));
  EXPECT_FALSE(k.sort);

  k = parse("begins_with(sk, :a) AND pk = :p");
  ASSERT_TRUE(k.sort);
  EXPECT_EQ(k.sort->op, SortKeyCondition::Op::BeginsWith);
  EXPECT_TRUE(k.sort->matches(json::parse(R"({"S": "abc"})")));
  EXPECT_FALSE(k.sort->matches(json::parse(R"({"S": "bc"})")));

  k = parse("pk = :p AND #s BETWEEN :a AND :c");
  ASSERT_TRUE(k.sort);
  EXPECT_EQ(k.sort->name, "sk");
  EXPECT_TRUE(k.sort->matches(json::parse(R"({"S": "b"})")));
  EXPECT_TRUE(k.sort->matches(json::parse(R"({"S": "c"})")));
  EXPECT_FALSE(k.sort->matches(json::parse(R"({"S": "ca"})")));

  k = parse(":n < sk AND pk = :p");  // value first: the comparator is mirrored
  ASSERT_TRUE(k.sort);
  EXPECT_EQ(k.sort->op, SortKeyCondition::Op::Gt);
  EXPECT_TRUE(k.sort->matches(json::parse(R"({"N": "10"})")));
  EXPECT_FALSE(k.sort->matches(json::parse(R"({"N": "5.0"})")));
  EXPECT_FALSE(k.sort->matches(json::parse(R"({"S": "10"})")));
}

TEST(KeyConditionTest, MatchesEveryComparator) {
  struct Case {
    std::string expression;
    std::string sort_value;
    bool expected;
  };
  for (const Case& c : std::vector<Case>{
           {"pk = :p AND sk = :n", R"({"N": "5.00"})", true},
           {"pk = :p AND sk < :n", R"({"N": "4.99"})", true},
           {"pk = :p AND sk < :n", R"({"N": "5"})", false},
           {"pk = :p AND sk <= :n", R"({"N": "5"})", true},
           {"pk = :p AND sk > :n", R"({"N": "-6"})", false},
           {"pk = :p AND sk >= :n", R"({"N": "5"})", true},
           {"pk = :p AND sk BETWEEN :n AND :m", R"({"N": "10"})", true},
           {"pk = :p AND sk BETWEEN :n AND :m", R"({"N": "10.1"})", false},
       }) {
    KeyCondition k = parse(c.expression);
    ASSERT_TRUE(k.sort) << c.expression;
    EXPECT_EQ(k.sort->matches(json::parse(c.sort_value)), c.expected)
        << c.expression << " with " << c.sort_value;
  }
}

TEST(KeyConditionTest, RejectsConditionsQueryCannotServe) {
  const std::string k = "Invalid KeyConditionExpression: ";
  struct Case {
    std::string expression;
    std::string message;
  };
  for (const Case& t : std::vector<Case>{
           {"sk = :a", "Query condition missed key schema element: pk"},
           {"pk < :p", "Query key condition not supported"},
           {"pk = :p AND extra = :a", "Query key condition not supported"},
           {"pk = :p AND pk = :p",
            "KeyConditionExpressions must only contain one condition per key"},
           {"pk = :p AND sk > :a AND sk < :c",
            "KeyConditionExpressions must only contain one condition per key"},
           {"pk = :p OR sk = :a", k + "Invalid operator used in KeyConditionExpression: OR"},
           {"pk = :p AND NOT sk = :a", k + "Invalid operator used in KeyConditionExpression: NOT"},
           {"pk = :p AND sk <> :a", k + "Invalid operator used in KeyConditionExpression: <>"},
           {"pk = :p AND sk IN (:a, :c)",
            k + "Invalid operator used in KeyConditionExpression: IN"},
           {"pk = :p AND contains(sk, :a)",
            k + "Invalid operator used in KeyConditionExpression: contains"},
           {"pk = :p AND attribute_exists(sk)",
            k + "Invalid operator used in KeyConditionExpression: attribute_exists"},
           {"pk = ", k + "Syntax error; token: \"<EOF>\", near: \"=\""},
       }) {
    EXPECT_EQ(error_of(t.expression), t.message) << t.expression;
  }
}

// A multi-attribute key: partition g + h, sort s1, s2, s3.
TEST(KeyConditionTest, MultiAttributeKeysTakeALeadingRunOfSortConditions) {
  const KeySchemaNames schema{"g", std::string("s1"), {"h"}, {"s2", "s3"}};
  auto parse_multi = [&](std::string_view text) {
    json::object v = values();
    ExpressionContext ctx(nullptr, &v);
    return parse_key_condition(text, ctx, schema);
  };
  auto error_multi = [&](std::string_view text) {
    try {
      parse_multi(text);
    } catch (const protocol::AwsError& e) {
      return e.message;
    }
    return std::string();
  };
  KeyCondition k = parse_multi("h = :a AND s2 >= :n AND g = :p AND s1 = :c");
  EXPECT_EQ(k.partition_name, "g");
  ASSERT_EQ(k.more_partition_values.size(), 1u);
  EXPECT_EQ(k.more_partition_values[0], json::parse(R"({"S": "a"})"));
  ASSERT_EQ(k.sort_prefix.size(), 1u);
  EXPECT_EQ(k.sort_prefix[0].name, "s1");
  ASSERT_TRUE(k.sort);
  EXPECT_EQ(k.sort->name, "s2");
  EXPECT_EQ(k.sort->op, SortKeyCondition::Op::Ge);
  EXPECT_FALSE(parse_multi("g = :p AND h = :a").sort);
  EXPECT_EQ(error_multi("g = :p AND s1 = :a"), "Query condition missed key schema element: h");
  EXPECT_EQ(error_multi("g = :p AND h = :a AND s2 = :n"),
            "Query condition missed key schema element: s1");
  EXPECT_EQ(error_multi("g = :p AND h = :a AND s1 > :a AND s2 = :n"),
            "Query key condition not supported");
}

}  // namespace
}  // namespace services::dynamodb

#include "services/dynamodb/core/legacy.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"

namespace services::dynamodb {
namespace {
namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

const json::object kItem = obj(R"({
  "id": {"S": "user#1"}, "n": {"N": "15"}, "tags": {"SS": ["a", "b"]}, "l": {"L": [{"S": "x"}]}
})");

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const protocol::AwsError& e) {
    return e.message;
  }
  return "";
}

TEST(LegacyTest, ExpectedMapsToConditions) {
  struct Case {
    std::string expected;
    std::string conditional_operator;
    bool result;
  };
  for (
      const Case& c : std::vector<Case>{
          {R"({"id": {"Value": {"S": "user#1"}}})", "", true},
          {R"({"id": {"Value": {"S": "other"}, "Exists": true}})", "", false},
          {R"({"nope": {"Exists": false}})", "", true},
          {R"({"id": {"Exists": false}})", "", false},
          {R"({"n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "10"}]}})", "", true},
          {R"({"n": {"ComparisonOperator": "BETWEEN",
                      "AttributeValueList": [{"N": "1"}, {"N": "14.9"}]}})",
           "", false},
          {R"({"n": {"ComparisonOperator": "IN",
                      "AttributeValueList": [{"N": "1"}, {"N": "15.0"}]}})",
           "", true},
          {R"({"id": {"ComparisonOperator": "BEGINS_WITH", "Value": {"S": "user"}}})", "", true},
          {R"({"tags": {"ComparisonOperator": "CONTAINS", "Value": {"S": "a"}}})", "", true},
          {R"({"tags": {"ComparisonOperator": "NOT_CONTAINS", "Value": {"S": "a"}}})", "", false},
          {R"({"nope": {"ComparisonOperator": "NULL"}, "id": {"ComparisonOperator": "NOT_NULL"}})",
           "AND", true},
          {R"({"nope": {"ComparisonOperator": "NOT_NULL"}, "id": {"ComparisonOperator": "NOT_NULL"}})",
           "OR", true},
          {R"({"nope": {"ComparisonOperator": "NOT_NULL"}, "id": {"ComparisonOperator": "NOT_NULL"}})",
           "AND", false},
      }) {
    Condition cond = condition_from_expected(obj(c.expected), c.conditional_operator);
    EXPECT_EQ(cond.evaluate(kItem), c.result) << c.expected << " " << c.conditional_operator;
  }
}

TEST(LegacyTest, RejectsMalformedExpectedWithDynamoDbsMessages) {
  const std::string p = "One or more parameter values were invalid: ";
  struct Case {
    std::string expected;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"a": {}})", p + "Value must be provided when Exists is null for Attribute: a"},
           {R"({"a": {"Exists": true}})",
            p + "Value must be provided when Exists is true for Attribute: a"},
           {R"({"a": {"Exists": false, "Value": {"S": "x"}}})",
            p + "Value cannot be used when Exists is false for Attribute: a"},
           {R"({"a": {"Exists": true, "ComparisonOperator": "EQ"}})",
            p + "Exists and ComparisonOperator cannot be used together for Attribute: a"},
           {R"({"a": {"ComparisonOperator": "EQ", "Value": {"S": "x"}, "AttributeValueList": []}})",
            p + "Value and AttributeValueList cannot be used together for Attribute: a"},
           {R"({"a": {"AttributeValueList": [{"S": "x"}]}})",
            p + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"},
           {R"({"a": {"ComparisonOperator": "EQ"}})",
            p + "Invalid number of argument(s) for the EQ ComparisonOperator"},
           {R"({"a": {"ComparisonOperator": "NULL", "Value": {"S": "x"}}})",
            p + "Invalid number of argument(s) for the NULL ComparisonOperator"},
           {R"({"a": {"ComparisonOperator": "GT", "Value": {"SS": ["x"]}}})",
            p + "ComparisonOperator GT is not valid for SS AttributeValue type"},
       }) {
    EXPECT_EQ(error_of([&] { condition_from_expected(obj(c.expected), ""); }), c.message)
        << c.expected;
  }
}

TEST(LegacyTest, FiltersCheckArgumentCountsAndTypes) {
  EXPECT_TRUE(condition_from_filter(obj(R"({"n": {"ComparisonOperator": "LE",
      "AttributeValueList": [{"N": "15"}]}})"),
                                    "")
                  .evaluate(kItem));
  EXPECT_EQ(error_of([] {
              condition_from_filter(obj(R"({"n": {"ComparisonOperator": "BETWEEN",
                  "AttributeValueList": [{"N": "1"}]}})"),
                                    "");
            }),
            "The attempted filter operation is not supported for the provided filter argument "
            "count");
  EXPECT_EQ(error_of([] {
              condition_from_filter(obj(R"({"n": {"ComparisonOperator": "BEGINS_WITH",
                  "AttributeValueList": [{"N": "1"}]}})"),
                                    "");
            }),
            "The attempted filter operation is not supported for the provided type");
}

TEST(LegacyTest, KeyConditionsBecomeAKeyCondition) {
  KeySchemaNames schema{"pk", std::string("sk")};
  KeyCondition k = key_condition_from_legacy(
      obj(R"({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
              "sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "a"}]}})"),
      schema);
  EXPECT_EQ(k.partition_value, json::parse(R"({"S": "p"})"));
  ASSERT_TRUE(k.sort);
  EXPECT_EQ(k.sort->op, SortKeyCondition::Op::BeginsWith);
  EXPECT_EQ(error_of([&] {
              key_condition_from_legacy(obj(R"({"pk": {"ComparisonOperator": "GT",
                  "AttributeValueList": [{"S": "p"}]}})"),
                                        schema);
            }),
            "Query key condition not supported");
  EXPECT_EQ(error_of([&] {
              key_condition_from_legacy(obj(R"({"sk": {"ComparisonOperator": "EQ",
                  "AttributeValueList": [{"S": "p"}]}})"),
                                        schema);
            }),
            "Query condition missed key schema element: pk");
  EXPECT_EQ(error_of([&] {
              key_condition_from_legacy(obj(R"({"pk": {"ComparisonOperator": "EQ",
                  "AttributeValueList": [{"S": "p"}]}, "sk": {"ComparisonOperator": "NE",
                  "AttributeValueList": [{"S": "p"}]}})"),
                                        schema);
            }),
            "Attempted conditional constraint is not an indexable operation");
  EXPECT_EQ(error_of([&] { key_condition_from_legacy(json::object(), schema); }),
            "Conditions can be of length 1 or 2 only");
}

TEST(LegacyTest, AttributesToGetProjectsTopLevelNames) {
  Projection p = projection_from_attributes_to_get(json::parse(R"(["id", "l"])").as_array());
  EXPECT_EQ(p.apply(kItem), obj(R"({"id": {"S": "user#1"}, "l": {"L": [{"S": "x"}]}})"));
  EXPECT_EQ(
      error_of([] { projection_from_attributes_to_get(json::parse(R"(["a", "a"])").as_array()); }),
      "One or more parameter values were invalid: Duplicate value in attribute name: a");
}

TEST(LegacyTest, AttributeUpdatesApplyPutAddAndDelete) {
  Update u = update_from_attribute_updates(obj(R"({
    "n": {"Action": "ADD", "Value": {"N": "5"}},
    "tags": {"Action": "DELETE", "Value": {"SS": ["a"]}},
    "l": {"Action": "ADD", "Value": {"L": [{"S": "y"}]}},
    "id2": {"Value": {"S": "put"}},
    "gone": {"Action": "DELETE"}
  })"));
  json::object item = kItem;
  item["gone"] = json::object{{"S", "bye"}};
  json::object out = u.apply(item);
  EXPECT_TRUE(values_equal(out["n"], json::parse(R"({"N": "20"})")));
  EXPECT_TRUE(values_equal(out["tags"], json::parse(R"({"SS": ["b"]})")));
  EXPECT_TRUE(values_equal(out["l"], json::parse(R"({"L": [{"S": "x"}, {"S": "y"}]})")));
  EXPECT_TRUE(values_equal(out["id2"], json::parse(R"({"S": "put"})")));
  EXPECT_FALSE(out.contains("gone"));

  const std::string p = "One or more parameter values were invalid: ";
  EXPECT_EQ(error_of([] { update_from_attribute_updates(obj(R"({"a": {"Action": "PUT"}})")); }),
            p + "Only DELETE action is allowed when no attribute value is specified");
  EXPECT_EQ(
      error_of([] {
        update_from_attribute_updates(obj(R"({"a": {"Action": "ADD", "Value": {"S": "x"}}})"));
      }),
      p + "ADD action is not supported for the type S");
  EXPECT_EQ(
      error_of([] {
        update_from_attribute_updates(obj(R"({"a": {"Action": "DELETE", "Value": {"N": "1"}}})"));
      }),
      p + "DELETE action with value is not supported for the type N");
}

}  // namespace
}  // namespace services::dynamodb

#include "services/dynamodb/core/attribute_value.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "protocol/aws_error.h"

namespace services::dynamodb {
namespace {
namespace json = boost::json;

std::string error_of(std::string_view text) {
  json::parse_options deep;
  deep.max_depth = 100;  // Boost.JSON stops at 32 JSON levels by default; a DynamoDB level is two
  json::value v = json::parse(text, {}, deep);
  try {
    validate_value(v);
  } catch (const protocol::AwsError& e) {
    return e.code + ": " + e.message;
  }
  return "";
}

TEST(AttributeValueTest, RejectsInvalidValuesWithDynamoDbsMessages) {
  const std::string v = "ValidationException: ";
  const std::string p = v + "One or more parameter values were invalid: ";
  struct Case {
    std::string value;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {R"({})",
            v + "Supplied AttributeValue is empty, must contain exactly one of the supported "
                "datatypes"},
           {R"({"S": null})",
            v + "Supplied AttributeValue is empty, must contain exactly one of the supported "
                "datatypes"},
           {R"({"S": "a", "N": "1"})",
            v + "Supplied AttributeValue has more than one datatypes set, must contain exactly "
                "one of the supported datatypes"},
           {R"({"NULL": false})", p + "Null attribute value types must have the value of true"},
           {R"({"SS": []})", p + "An string set  may not be empty"},
           {R"({"NS": []})", p + "An number set  may not be empty"},
           {R"({"BS": []})", p + "Binary sets should not be empty"},
           {R"({"SS": ["a", "a"]})", p + "Input collection [a, a] contains duplicates."},
           {R"({"BS": ["Yg==", "Yg=="]})",
            p + "Input collection [Yg==, Yg==]of type BS contains duplicates."},
           {R"({"NS": ["1", "1.0"]})", v + "Input collection contains duplicates"},
           {R"({"N": "abc"})", v + "The parameter cannot be converted to a numeric value: abc"},
           {R"({"NS": ["1", "x"]})", v + "The parameter cannot be converted to a numeric value: x"},
           {R"({"N": "1e126"})",
            v + "Number overflow. Attempting to store a number with magnitude larger than "
                "supported range"},
           {R"({"M": {"a": {"N": "1e-131"}}})",
            v + "Number underflow. Attempting to store a number with magnitude smaller than "
                "supported range"},
           {R"({"L": [{"S": "a"}, {}]})",
            v + "Supplied AttributeValue is empty, must contain exactly one of the supported "
                "datatypes"},
           {R"({"S": 5})", "SerializationException: Unexpected value type in payload"},
           {R"({"B": "abc"})",
            "SerializationException: Base64 encoded length is expected a multiple of 4 bytes but "
            "found: 3"},
           {R"({"S": ""})", ""},
           {R"({"B": ""})", ""},
           {R"({"M": {}})", ""},
           {R"({"L": []})", ""},
           {R"({"BOOL": false})", ""},
       }) {
    EXPECT_EQ(error_of(c.value), c.message) << c.value;
  }
}

TEST(AttributeValueTest, LimitsNestingTo32Levels) {
  auto nested = [](int levels) {
    std::string s;
    for (int i = 1; i < levels; ++i) {
      s += R"({"L": [)";
    }
    s += R"({"S": "x"})";
    for (int i = 1; i < levels; ++i) {
      s += "]}";
    }
    return s;
  };
  EXPECT_EQ(error_of(nested(32)), "");
  EXPECT_EQ(error_of(nested(33)),
            "ValidationException: Nesting Levels have exceeded supported limits: Attributes in "
            "the item have nested levels beyond supported limit");
}

// A stored item nested 32 levels deep is 64 JSON levels: beyond Boost.JSON's default of 32.
TEST(AttributeValueTest, ParsesStoredItemsNestedToTheLimit) {
  std::string value = R"({"SS": ["a"]})";
  for (int level = 1; level < kMaxNestingDepth; ++level) value = R"({"M": {"m": )" + value + "}}";
  json::object item = parse_stored_item(R"({"deep": )" + value + "}");
  const json::value* v = &item.at("deep");
  for (int level = 1; level < kMaxNestingDepth; ++level) v = &v->at("M").at("m");
  EXPECT_EQ(v->at("SS").at(0), "a");
  EXPECT_TRUE(parse_stored_item("[]").empty());
  EXPECT_THROW(parse_stored_item("{"), boost::system::system_error);
}

TEST(AttributeValueTest, RewritesNumbersCanonicallyAndDropsNullMembers) {
  json::object item = json::parse(R"({
    "n": {"N": "001.500"}, "ns": {"NS": ["1e2", "-0.0"]},
    "m": {"M": {"x": {"N": "+7", "S": null}}}
  })")
                          .as_object();
  validate_item(item);
  EXPECT_EQ(json::serialize(item),
            R"({"n":{"N":"1.5"},"ns":{"NS":["100","0"]},"m":{"M":{"x":{"N":"7"}}}})");
}

TEST(AttributeValueTest, ComparesValuesAsDynamoDbDoes) {
  auto v = [](std::string_view text) { return json::parse(text); };
  EXPECT_TRUE(values_equal(v(R"({"N": "1"})"), v(R"({"N": "1.00"})")));
  EXPECT_TRUE(values_equal(v(R"({"SS": ["a", "b"]})"), v(R"({"SS": ["b", "a"]})")));
  EXPECT_TRUE(values_equal(v(R"({"NS": ["1", "2"]})"), v(R"({"NS": ["2.0", "1"]})")));
  EXPECT_FALSE(values_equal(v(R"({"L": [{"S": "a"}, {"S": "b"}]})"),
                            v(R"({"L": [{"S": "b"}, {"S": "a"}]})")));
  EXPECT_TRUE(values_equal(v(R"({"M": {"a": {"N": "1"}, "b": {"S": "x"}}})"),
                           v(R"({"M": {"b": {"S": "x"}, "a": {"N": "1.0"}}})")));
  EXPECT_FALSE(values_equal(v(R"({"S": "1"})"), v(R"({"N": "1"})")));
  EXPECT_EQ(compare_values(v(R"({"N": "9"})"), v(R"({"N": "10"})")), -1);
  EXPECT_EQ(compare_values(v(R"({"S": "9"})"), v(R"({"S": "10"})")), 1);
  EXPECT_EQ(compare_values(v(R"({"B": "AQ=="})"), v(R"({"B": "/w=="})")), -1);  // 0x01 < 0xFF
  EXPECT_EQ(compare_values(v(R"({"S": "a"})"), v(R"({"N": "1"})")), std::nullopt);
  EXPECT_EQ(compare_values(v(R"({"BOOL": true})"), v(R"({"BOOL": true})")), std::nullopt);
}

TEST(AttributeValueTest, OrderKeysSortStringsByUtf8BytesAndBinaryByBytes) {
  auto key = [](std::string_view text) { return order_key(json::parse(text)); };
  EXPECT_LT(key(R"({"S": "Z"})"), key(R"({"S": "a"})"));
  EXPECT_LT(key(R"({"S": "a"})"), key(R"({"S": "ab"})"));
  EXPECT_LT(key(R"({"S": "z"})"), key(R"({"S": "é"})"));        // U+00E9 is 0xC3 0xA9
  EXPECT_LT(key(R"({"B": "AQ=="})"), key(R"({"B": "gA=="})"));  // 0x01 < 0x80
  EXPECT_LT(key(R"({"N": "-10"})"), key(R"({"N": "2"})"));
}

// "Item sizes and formats": names and values by UTF-8 length, numbers by significant digits,
// 1 byte for BOOL and NULL, 3 bytes plus 1 per element for M and L.
TEST(AttributeValueTest, CountsItemSizeAsDocumented) {
  json::object item = json::parse(R"({
    "id": {"S": "abc"},
    "n": {"N": "12345"},
    "b": {"B": "YWJj"},
    "t": {"BOOL": true},
    "z": {"NULL": true},
    "m": {"M": {"k": {"S": "v"}}},
    "l": {"L": [{"N": "1"}, {"S": ""}]},
    "ss": {"SS": ["ab", "c"]}
  })")
                          .as_object();
  // id 2+3, n 1+(3+1), b 1+3, t 1+1, z 1+1, m 1+(3+1+1+1), l 1+(3+1+2+1+0), ss 2+3
  EXPECT_EQ(item_size(item), 5u + 5 + 4 + 2 + 2 + 7 + 8 + 5);
  EXPECT_NO_THROW(check_item_size(item));
  json::object big;
  big["data"] = json::object{{"S", std::string(400 * 1024, 'x')}};
  try {
    check_item_size(big);
    FAIL() << "a 400 KB value plus its name fits";
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.message, "Item size has exceeded the maximum allowed size");
  }
  try {
    check_item_size(big, /*update=*/true);
    FAIL() << "a 400 KB value plus its name fits";
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.message, "Item size to update has exceeded the maximum allowed size");
  }
}

TEST(AttributeValueTest, ChecksKeyAttributes) {
  auto error = [](std::string_view value, std::string_view type, KeyRole role) -> std::string {
    try {
      check_key_value("id", json::parse(value), type, role);
    } catch (const protocol::AwsError& e) {
      return e.message;
    }
    return "";
  };
  EXPECT_EQ(error(R"({"S": "a"})", "S", KeyRole::Partition), "");
  EXPECT_EQ(error(R"({"N": "1"})", "S", KeyRole::Partition),
            "One or more parameter values were invalid: Type mismatch for key id expected: S "
            "actual: N");
  EXPECT_EQ(error(R"({"S": ""})", "S", KeyRole::Sort),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: id");
  EXPECT_EQ(error(R"({"B": ""})", "B", KeyRole::Partition),
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty binary value. Key: id");
  std::string long_key = R"({"S": ")" + std::string(2049, 'k') + R"("})";
  EXPECT_EQ(error(long_key, "S", KeyRole::Partition),
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
            "size limit of2048 bytes");
  EXPECT_EQ(error(R"({"S": ")" + std::string(1025, 'k') + R"("})", "S", KeyRole::Sort),
            "One or more parameter values were invalid: Aggregated size of all range keys has "
            "exceeded the size limit of 1024 bytes");
}

}  // namespace
}  // namespace services::dynamodb

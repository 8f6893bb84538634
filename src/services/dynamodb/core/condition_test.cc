#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb {
namespace {
namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

// An item with one attribute of every type.
const json::object kItem = obj(R"({
  "id": {"S": "user#1"}, "n": {"N": "15"}, "neg": {"N": "-2.5"}, "b": {"B": "YWJj"},
  "t": {"BOOL": true}, "z": {"NULL": true}, "empty": {"S": ""},
  "m": {"M": {"x": {"N": "1"}, "y": {"S": "why"}, "deep": {"M": {"k": {"S": "v"}}}}},
  "l": {"L": [{"S": "a"}, {"N": "2"}, {"L": [{"S": "inner"}]}]},
  "ss": {"SS": ["red", "green"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": ["YQ=="]}
})");

const json::object kValues = obj(R"({
  ":s": {"S": "user#1"}, ":pre": {"S": "user"}, ":n15": {"N": "15.0"}, ":n10": {"N": "10"},
  ":n20": {"N": "20"}, ":red": {"S": "red"}, ":one": {"N": "1"}, ":a": {"S": "a"},
  ":typeS": {"S": "S"}, ":typeM": {"S": "M"}, ":typeNS": {"S": "NS"}, ":t": {"BOOL": true},
  ":b": {"B": "YWI="}, ":two": {"N": "2"}, ":three": {"N": "3"}, ":why": {"S": "why"},
  ":inner": {"L": [{"S": "inner"}]}, ":sy": {"S": "y"}
})");
const json::object kNames = obj(R"({"#s": "status", "#m": "m", "#dot": "a.b"})");

bool eval(std::string_view text, const json::object& item = kItem) {
  json::object values = kValues;
  json::object names = kNames;
  try {
    ExpressionContext ctx(&names, &values);
    return parse_condition(text, ctx, "ConditionExpression").evaluate(item);
  } catch (const protocol::AwsError& e) {
    ADD_FAILURE() << text << ": " << e.message;
    return false;
  }
}

TEST(ConditionTest, EvaluatesComparatorsFunctionsAndLogic) {
  struct Case {
    std::string expression;
    bool expected;
  };
  for (const Case& c : std::vector<Case>{
           {"id = :s", true},
           {"n = :n15", true},  // numbers compare as numbers: 15 = 15.0
           {"n <> :n15", false},
           {"n > :n10 AND n < :n20", true},
           {"n >= :n15 AND n <= :n15", true},
           {"n < :n10 OR id = :s", true},
           {"NOT n = :n15", false},
           {"not (n = :n10)", true},
           {"n BETWEEN :n10 AND :n20", true},
           {"neg between :n10 and :n20", false},
           {"n IN (:n10, :n15)", true},
           {"n IN (:n10, :n20)", false},
           {"absent = :n10", false},
           {"absent <> :n10", true},
           {"absent < :n10", false},
           {"id < :n10", false},  // different types never order
           {"attribute_exists(id)", true},
           {"attribute_exists(absent)", false},
           {"attribute_not_exists(absent)", true},
           {"attribute_exists(m.deep.k)", true},
           {"attribute_exists(m.deep.q)", false},
           {"attribute_exists(l[2][0])", true},
           {"attribute_exists(l[3])", false},
           {"attribute_exists(#m.x)", true},
           {"attribute_type(m, :typeM)", true},
           {"attribute_type(ns, :typeNS)", true},
           {"attribute_type(n, :typeS)", false},
           {"begins_with(id, :pre)", true},
           {"begins_with(m.y, :pre)", false},
           {"begins_with(b, :b)", true},
           {"contains(ss, :red)", true},
           {"contains(id, :pre)", true},
           {"contains(ns, :one)", true},
           {"contains(ns, :two)", false},
           {"contains(l, :a)", true},
           {"contains(l, :inner)", true},
           {"size(id) = :n10", false},
           {"size(ss) = :two", true},
           {"size(l) = :three", true},
           {"size(m) = :three", true},
           {"size(b) = :three", true},
           {"size(n) = :two", false},
           {"l[1] = :two", true},
           {"m.y = :why", true},
           {"t = :t", true},
           {"(n = :n10 OR n = :n15) AND id = :s", true},
           {"n = :n10 OR n = :n15 AND id = :pre", false},  // AND binds tighter than OR
           {"(n) = :n15", true},
           {"n = :n15 AND NOT attribute_exists(absent)", true},
       }) {
    EXPECT_EQ(eval(c.expression), c.expected) << c.expression;
  }
}

TEST(ConditionTest, EvaluatesAgainstAnEmptyItem) {
  EXPECT_TRUE(eval("attribute_not_exists(id)", {}));
  EXPECT_FALSE(eval("attribute_exists(id)", {}));
  EXPECT_FALSE(eval("id = :s", {}));
}

std::string error_of(std::string_view text, std::string_view kind = "ConditionExpression",
                     const json::object* names = &kNames, const json::object* values = &kValues) {
  try {
    ExpressionContext ctx(names, values);
    parse_condition(text, ctx, kind);
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.code, "ValidationException");
    return e.message;
  }
  return "";
}

TEST(ConditionTest, RejectsBadExpressionsWithDynamoDbsMessages) {
  struct Case {
    std::string expression;
    std::string message;
  };
  const std::string c = "Invalid ConditionExpression: ";
  for (const Case& t : std::vector<Case>{
           {"", c + "The expression can not be empty;"},
           {"   ", c + "The expression can not be empty;"},
           {"a = = :s", c + "Syntax error; token: \"=\", near: \"= = :s\""},
           {"a =", c + "Syntax error; token: \"<EOF>\", near: \"=\""},
           {"a", c + "Syntax error; token: \"<EOF>\", near: \"a\""},
           {"attribute_type()", c + "Syntax error; token: \")\", near: \"()\""},
           {"a = :s AND", c + "Syntax error; token: \"<EOF>\", near: \"AND\""},
           {"a $ :s", c + "Syntax error; token: \"$\", near: \"a $ :s\""},
           {"l[x] = :s", c + "Syntax error; token: \"x\", near: \"[x]\""},
           {"status = :s", c + "Attribute name is a reserved keyword; reserved keyword: status"},
           {"a.Size = :s", c + "Attribute name is a reserved keyword; reserved keyword: Size"},
           {"#nope = :s",
            c + "An expression attribute name used in the document path is not defined; "
                "attribute name: #nope"},
           {"a = :nope",
            c + "An expression attribute value used in expression is not defined; attribute "
                "value: :nope"},
           {"foo(a)", c + "Invalid function name; function: foo"},
           {"ATTRIBUTE_EXISTS(a)", c + "Invalid function name; function: ATTRIBUTE_EXISTS"},
           {"a = if_not_exists(b, :s)",
            c + "The function is not allowed in a condition expression; function: "
                "if_not_exists"},
           {"attribute_exists(a) = :s",
            c + "The function is not allowed to be used this way in an expression; function: "
                "attribute_exists"},
           {"size(a)",
            c + "The function is not allowed to be used this way in an expression; function: "
                "size"},
           {"attribute_exists(a, b)",
            c + "Incorrect number of operands for operator or function; operator or function: "
                "attribute_exists, number of operands: 2"},
           {"attribute_exists(:s)",
            c + "Operator or function requires a document path; operator or function: "
                "attribute_exists"},
           {"begins_with(a, :one)",
            c + "Incorrect operand type for operator or function; operator or function: "
                "begins_with, operand type: N"},
           {"attribute_type(a, :one)",
            c + "Incorrect operand type for operator or function; operator or function: "
                "attribute_type, operand type: N"},
           {"attribute_type(a, :a)", c + "Invalid attribute type name found; type: a, valid types: "
                                         "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
           {"a < :t",
            c + "Incorrect operand type for operator or function; operator or function: <, "
                "operand type: BOOL"},
           {"a = a", c + "The first operand must be distinct from the remaining operands for this "
                         "operator or function; operator: =, first operand: [a]"},
           {"a BETWEEN :n20 AND :n10",
            c + "The BETWEEN operator requires upper bound to be greater than or equal to lower "
                "bound; lower bound operand: AttributeValue: {N:20}, upper bound operand: "
                "AttributeValue: {N:10}"},
           {"a BETWEEN :s AND :n10",
            c + "The BETWEEN operator requires same data type for lower and upper bounds; lower "
                "bound operand: AttributeValue: {S:user#1}, upper bound operand: AttributeValue: "
                "{N:10}"},
           {"((a = :s))", c + "The expression has redundant parentheses;"},
           // Ranking: the reserved word is reported before the undefined value.
           {"status = :nope", c + "Attribute name is a reserved keyword; reserved keyword: status"},
       }) {
    EXPECT_EQ(error_of(t.expression), t.message) << t.expression;
  }
  std::string long_text = "a = :s";
  while (long_text.size() <= 4096) {
    long_text += " OR a = :s";
  }
  EXPECT_EQ(error_of(long_text, "FilterExpression"),
            "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: " +
                std::to_string(long_text.size()));
  EXPECT_EQ(error_of(long_text.substr(0, 4096 - 10) + " OR a = :s").find("size"),
            std::string::npos);
  EXPECT_EQ(error_of("a = = b", "FilterExpression"),
            "Invalid FilterExpression: Syntax error; token: \"=\", near: \"= = b\"");
}

TEST(ConditionTest, ChecksTheSubstitutionMapsThemselves) {
  json::object empty;
  EXPECT_EQ(error_of("a = :s", "ConditionExpression", &empty, &kValues),
            "ExpressionAttributeNames must not be empty");
  EXPECT_EQ(error_of("a = :s", "ConditionExpression", nullptr, &empty),
            "ExpressionAttributeValues must not be empty");
  json::object bad_name = obj(R"({"n": "x"})");
  EXPECT_EQ(error_of("a = :s", "ConditionExpression", &bad_name, &kValues),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\"");
  json::object bad_key = obj(R"({"v": {"S": "x"}})");
  EXPECT_EQ(error_of("a = :s", "ConditionExpression", nullptr, &bad_key),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"");
  json::object bad_value = obj(R"({":v": {}})");
  EXPECT_EQ(error_of("a = :v", "ConditionExpression", nullptr, &bad_value),
            "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, "
            "must contain exactly one of the supported datatypes for key :v");
}

TEST(ConditionTest, ReportsUnusedNamesAndValuesAcrossExpressions) {
  json::object names = obj(R"({"#a": "a", "#b": "b"})");
  json::object values = obj(R"({":x": {"S": "1"}, ":y": {"S": "2"}})");
  ExpressionContext ctx(&names, &values);
  parse_condition("#a = :x", ctx, "ConditionExpression");
  try {
    ctx.check_unused();
    FAIL() << "unused #b not reported";
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.message,
              "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
  }
  parse_update("SET #b = :y", ctx);
  EXPECT_NO_THROW(ctx.check_unused());

  ExpressionContext values_only(nullptr, &values);
  parse_condition("a = :x", values_only, "FilterExpression");
  try {
    values_only.check_unused();
    FAIL() << "unused :y not reported";
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.message,
              "Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}");
  }
}

TEST(ConditionTest, NamesWithDotsAreOneAttribute) {
  json::object item = obj(R"({"a.b": {"S": "flat"}, "a": {"M": {"b": {"S": "nested"}}}})");
  json::object values = obj(R"({":v": {"S": "flat"}})");
  json::object names = kNames;
  ExpressionContext ctx(&names, &values);
  EXPECT_TRUE(parse_condition("#dot = :v", ctx, "ConditionExpression").evaluate(item));
}

TEST(ConditionTest, ReservedWordsAreTheDocumentedList) {
  EXPECT_TRUE(is_reserved_word("status"));
  EXPECT_TRUE(is_reserved_word("NAME"));
  EXPECT_TRUE(is_reserved_word("Zone"));
  EXPECT_TRUE(is_reserved_word("ABORT"));
  EXPECT_FALSE(is_reserved_word("id"));
  EXPECT_FALSE(is_reserved_word("username"));
}

}  // namespace
}  // namespace services::dynamodb

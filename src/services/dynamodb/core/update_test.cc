#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb {
namespace {
namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

const json::object kItem = obj(R"({
  "id": {"S": "k"}, "n": {"N": "10"}, "s": {"S": "text"},
  "m": {"M": {"x": {"N": "1"}, "child": {"M": {}}}},
  "l": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}]},
  "ss": {"SS": ["red", "green"]}, "ns": {"NS": ["1", "2"]}
})");

const json::object kValues = obj(R"({
  ":one": {"N": "1"}, ":half": {"N": "0.5"}, ":s": {"S": "new"}, ":list": {"L": [{"S": "z"}]},
  ":blue": {"SS": ["blue", "red"]}, ":red": {"SS": ["red"]}, ":all": {"SS": ["red", "green"]},
  ":n3": {"NS": ["3", "1.0"]}, ":big": {"N": "9.9999999999999999999999999999999999999E+125"},
  ":m": {"M": {"k": {"S": "v"}}}
})");

json::object apply(std::string_view text, const json::object& item = kItem) {
  json::object values = kValues;
  ExpressionContext ctx(nullptr, &values);
  return parse_update(text, ctx).apply(item);
}

json::object apply_or_fail(std::string_view text) {
  try {
    return apply(text);
  } catch (const protocol::AwsError& e) {
    ADD_FAILURE() << text << ": " << e.message;
    return {};
  }
}

// The item after the update, compared with values_equal (sets ignore order).
void expect_attr(const json::object& item, std::string_view name, std::string_view expected) {
  auto it = item.find(name);
  ASSERT_NE(it, item.end()) << name << " missing";
  EXPECT_TRUE(values_equal(it->value(), json::parse(expected)))
      << name << " is " << json::serialize(it->value()) << ", expected " << expected;
}

TEST(UpdateTest, AppliesEveryActionKind) {
  struct Case {
    std::string expression;
    std::string attribute;
    std::string expected;  // "" = the attribute is gone
  };
  for (const Case& c : std::vector<Case>{
           {"SET n = :one", "n", R"({"N": "1"})"},
           {"SET n = n + :half", "n", R"({"N": "10.5"})"},
           {"SET n = n - :one", "n", R"({"N": "9"})"},
           {"SET n = :one - n", "n", R"({"N": "-9"})"},
           {"SET fresh = if_not_exists(fresh, :one)", "fresh", R"({"N": "1"})"},
           {"SET n = if_not_exists(n, :one)", "n", R"({"N": "10"})"},
           {"SET l = list_append(l, :list)", "l",
            R"({"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}, {"S": "z"}]})"},
           {"SET l = list_append(:list, l)", "l",
            R"({"L": [{"S": "z"}, {"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}]})"},
           {"SET m.x = :s", "m", R"({"M": {"x": {"S": "new"}, "child": {"M": {}}}})"},
           {"SET m.child.deep = :one", "m",
            R"({"M": {"x": {"N": "1"}, "child": {"M": {"deep": {"N": "1"}}}}})"},
           {"SET l[1] = :s", "l", R"({"L": [{"S": "a"}, {"S": "new"}, {"S": "c"}, {"S": "d"}]})"},
           {"SET l[10] = :s", "l",
            R"({"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}, {"S": "new"}]})"},
           {"SET n = (n + :one)", "n", R"({"N": "11"})"},
           {"REMOVE s", "s", ""},
           {"REMOVE l[0], l[2]", "l", R"({"L": [{"S": "b"}, {"S": "d"}]})"},
           {"REMOVE l[9]", "l", R"({"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}]})"},
           {"REMOVE m.x", "m", R"({"M": {"child": {"M": {}}}})"},
           {"ADD n :one", "n", R"({"N": "11"})"},
           {"ADD hits :one", "hits", R"({"N": "1"})"},
           {"ADD ss :blue", "ss", R"({"SS": ["red", "green", "blue"]})"},
           {"ADD ns :n3", "ns", R"({"NS": ["1", "2", "3"]})"},
           {"ADD tags :blue", "tags", R"({"SS": ["blue", "red"]})"},
           {"DELETE ss :red", "ss", R"({"SS": ["green"]})"},
           {"DELETE ss :all", "ss", ""},
           {"DELETE nothing :red", "nothing", ""},
           {"set n = :one", "n", R"({"N": "1"})"},  // keywords are case-insensitive
       }) {
    json::object out = apply_or_fail(c.expression);
    if (c.expected.empty()) {
      EXPECT_FALSE(out.contains(c.attribute)) << c.expression;
    } else {
      expect_attr(out, c.attribute, c.expected);
    }
  }
}

TEST(UpdateTest, ComputesEveryValueFromTheItemBeforeTheUpdate) {
  json::object item = obj(R"({"a": {"N": "1"}, "b": {"N": "2"}})");
  json::object values = obj(R"({":x": {"N": "5"}})");
  ExpressionContext ctx(nullptr, &values);
  json::object out = parse_update("SET a = b, b = a ADD c :x", ctx).apply(item);
  expect_attr(out, "a", R"({"N": "2"})");
  expect_attr(out, "b", R"({"N": "1"})");
  expect_attr(out, "c", R"({"N": "5"})");
}

TEST(UpdateTest, ReportsThePathsItWrites) {
  json::object values = kValues;
  ExpressionContext ctx(nullptr, &values);
  Update u = parse_update("SET m.x = :one, l[2] = :s REMOVE s ADD n :one", ctx);
  std::vector<std::string> paths;
  for (const Path& p : u.paths()) {
    paths.push_back(path_to_string(p));
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"m.x", "l[2]", "s", "n"}));
}

std::string runtime_error_of(std::string_view text) {
  try {
    apply(text);
  } catch (const protocol::AwsError& e) {
    return e.message;
  }
  return "";
}

TEST(UpdateTest, FailsAtRuntimeWithDynamoDbsMessages) {
  const std::string missing =
      "The provided expression refers to an attribute that does not exist in the item";
  const std::string type = "An operand in the update expression has an incorrect data type";
  const std::string path =
      "The document path provided in the update expression is invalid for update";
  EXPECT_EQ(runtime_error_of("SET n = nope + :one"), missing);
  EXPECT_EQ(runtime_error_of("SET n = nope"), missing);
  EXPECT_EQ(runtime_error_of("SET n = s + :one"), type);
  EXPECT_EQ(runtime_error_of("SET l = list_append(s, :list)"), type);
  EXPECT_EQ(runtime_error_of("ADD s :one"), type);
  EXPECT_EQ(runtime_error_of("ADD ss :n3"), type);
  EXPECT_EQ(runtime_error_of("DELETE n :red"), type);
  EXPECT_EQ(runtime_error_of("SET nope.x = :one"), path);
  EXPECT_EQ(runtime_error_of("SET s.x = :one"), path);
  EXPECT_EQ(runtime_error_of("SET m[0] = :one"), path);
  EXPECT_EQ(runtime_error_of("SET n = :big + :big"),
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range");
}

std::string parse_error_of(std::string_view text) {
  try {
    json::object values = kValues;
    json::object names = obj(R"({"#n": "n"})");
    ExpressionContext ctx(&names, &values);
    parse_update(text, ctx);
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.code, "ValidationException");
    return e.message;
  }
  return "";
}

TEST(UpdateTest, RejectsBadExpressionsWithDynamoDbsMessages) {
  const std::string u = "Invalid UpdateExpression: ";
  struct Case {
    std::string expression;
    std::string message;
  };
  for (const Case& t : std::vector<Case>{
           {"", u + "The expression can not be empty;"},
           {"SET", u + "Syntax error; token: \"<EOF>\", near: \"SET\""},
           {"SET a :one", u + "Syntax error; token: \":one\", near: \"a :one\""},
           {"FOO a = :one", u + "Syntax error; token: \"FOO\", near: \"FOO a\""},
           {"SET a = :one, ", u + "Syntax error; token: \"<EOF>\", near: \",\""},
           {"ADD a b", u + "Syntax error; token: \"b\", near: \"a b\""},
           {"SET a = b + c + d", u + "Syntax error; token: \"+\", near: \"c + d\""},
           {"SET a = :one SET b = :one",
            u + "The \"SET\" section can only be used once in an update expression;"},
           {"REMOVE a ADD b :one REMOVE c",
            u + "The \"REMOVE\" section can only be used once in an update expression;"},
           {"SET status = :one",
            u + "Attribute name is a reserved keyword; reserved keyword: status"},
           {"SET a = size(b)",
            u + "The function is not allowed in an update expression; function: size"},
           {"SET a = nope(b)", u + "Invalid function name; function: nope"},
           {"SET #x = :one",
            u + "An expression attribute name used in the document path is not defined; "
                "attribute name: #x"},
           {"SET a = :nope",
            u + "An expression attribute value used in expression is not defined; attribute "
                "value: :nope"},
           {"SET a = :one, a = :s",
            u + "Two document paths overlap with each other; must remove or rewrite one of "
                "these paths; path one: [a], path two: [a]"},
           {"SET m = :one REMOVE m.x",
            u + "Two document paths overlap with each other; must remove or rewrite one of "
                "these paths; path one: [m], path two: [m, x]"},
           {"SET l[1] = :one REMOVE l.x",
            u + "Two document paths conflict with each other; must remove or rewrite one of "
                "these paths; path one: [l, [1]], path two: [l, x]"},
           {"ADD a :s",
            u + "Incorrect operand type for operator or function; operator: ADD, operand type: "
                "STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"},
           {"DELETE a :one",
            u + "Incorrect operand type for operator or function; operator: DELETE, operand "
                "type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"},
           {"SET a = :s + :one",
            u + "Incorrect operand type for operator or function; operator or function: +, "
                "operand type: S"},
           {"SET a = list_append(:one, a)",
            u + "Incorrect operand type for operator or function; operator or function: "
                "list_append, operand type: N"},
           {"SET a = if_not_exists(:one, :one)",
            u + "Operator or function requires a document path; operator or function: "
                "if_not_exists"},
           {"SET a = list_append(a)",
            u + "Incorrect number of operands for operator or function; operator or function: "
                "list_append, number of operands: 1"},
       }) {
    EXPECT_EQ(parse_error_of(t.expression), t.message) << t.expression;
  }
}

TEST(ProjectionTest, KeepsNestedStructureAndListOrder) {
  json::object item = obj(R"({
    "id": {"S": "k"}, "other": {"S": "x"},
    "m": {"M": {"a": {"N": "1"}, "b": {"L": [{"S": "x"}, {"S": "y"}, {"S": "z"}]}, "c": {"S": "c"}}},
    "l": {"L": [{"S": "0"}, {"M": {"q": {"S": "deep"}, "r": {"S": "r"}}}, {"S": "2"}, {"S": "3"}]}
  })");
  json::object names = obj(R"({"#o": "other"})");
  ExpressionContext ctx(&names, nullptr);
  Projection p = parse_projection("id, m.b[1], m.a, l[3], l[1].q, #o, nothing, m.gone", ctx);
  ctx.check_unused();
  json::object expected = obj(R"({
    "id": {"S": "k"}, "other": {"S": "x"},
    "m": {"M": {"a": {"N": "1"}, "b": {"L": [{"S": "y"}]}}},
    "l": {"L": [{"M": {"q": {"S": "deep"}}}, {"S": "3"}]}
  })");
  EXPECT_EQ(p.apply(item), expected) << json::serialize(p.apply(item));
}

TEST(ProjectionTest, RejectsBadProjectionsWithDynamoDbsMessages) {
  auto error_of = [](std::string_view text) -> std::string {
    try {
      ExpressionContext ctx(nullptr, nullptr);
      parse_projection(text, ctx);
    } catch (const protocol::AwsError& e) {
      return e.message;
    }
    return "";
  };
  const std::string p = "Invalid ProjectionExpression: ";
  EXPECT_EQ(error_of("a, a.b"), p + "Two document paths overlap with each other; must remove or "
                                    "rewrite one of these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(error_of("a.b, a[1]"),
            p + "Two document paths conflict with each other; must remove or rewrite one of "
                "these paths; path one: [a, b], path two: [a, [1]]");
  EXPECT_EQ(error_of("a,"), p + "Syntax error; token: \"<EOF>\", near: \",\"");
  EXPECT_EQ(error_of("a b"), p + "Syntax error; token: \"b\", near: \"a b\"");
  EXPECT_EQ(error_of("name"), p + "Attribute name is a reserved keyword; reserved keyword: name");
  EXPECT_EQ(error_of("#n"), p + "An expression attribute name used in the document path is not "
                                "defined; attribute name: #n");
}

}  // namespace
}  // namespace services::dynamodb

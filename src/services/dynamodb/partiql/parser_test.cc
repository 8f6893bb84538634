#include "services/dynamodb/partiql/parser.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "protocol/aws_error.h"

namespace services::dynamodb::partiql {
namespace {

namespace json = boost::json;

// A compact, readable form of a parsed statement for table-driven comparisons.
std::string show(const Expr& e);
std::string show_path(const Path& p) {
  std::string out;
  for (const PathElement& el : p) {
    out += el.is_index() ? "[" + std::to_string(el.index) + "]" : (out.empty() ? "" : ".") + el.name;
  }
  return out;
}
std::string show_args(const Expr& e) {
  std::string out;
  for (const ExprPtr& a : e.args) out += " " + show(*a);
  return out;
}
std::string show(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::Path: return show_path(e.path);
    case Expr::Kind::Value: return json::serialize(e.value);
    case Expr::Kind::Compare: return "(" + e.op + show_args(e) + ")";
    case Expr::Kind::Between: return "(between" + show_args(e) + ")";
    case Expr::Kind::In: return "(in" + show_args(e) + ")";
    case Expr::Kind::And: return "(and" + show_args(e) + ")";
    case Expr::Kind::Or: return "(or" + show_args(e) + ")";
    case Expr::Kind::Not: return "(not" + show_args(e) + ")";
    case Expr::Kind::Is: return std::string("(is") + (e.negated ? "-not " : " ") + e.op + show_args(e) + ")";
    case Expr::Kind::Call: return "(" + e.op + show_args(e) + ")";
    case Expr::Kind::Plus: return "(+" + show_args(e) + ")";
    case Expr::Kind::Minus: return "(-" + show_args(e) + ")";
  }
  return "?";
}
std::string show(const Statement& st) {
  static const char* kinds[] = {"SELECT", "INSERT", "UPDATE", "DELETE", "EXISTS"};
  std::string out = std::string(kinds[static_cast<int>(st.kind)]) + " " + st.table;
  if (st.index) out += "." + *st.index;
  if (st.kind == Statement::Kind::Select || st.kind == Statement::Kind::Exists) {
    out += " [";
    for (std::size_t i = 0; i < st.projection.size(); ++i) {
      out += (i ? "," : "") + show_path(st.projection[i]);
    }
    out += "]";
  }
  if (st.kind == Statement::Kind::Insert) out += " " + json::serialize(st.item);
  for (const UpdateAction& a : st.actions) {
    out += a.kind == UpdateAction::Kind::Set ? " SET " + show_path(a.path) + "=" + show(*a.value)
                                             : " REMOVE " + show_path(a.path);
  }
  if (st.where) out += " WHERE " + show(*st.where);
  for (const auto& o : st.order_by) out += " ORDER " + o.name + (o.descending ? " DESC" : "");
  if (!st.returning.empty()) out += " RETURNING " + st.returning;
  return out;
}

struct Good {
  const char* text;
  const char* params;  // JSON array
  const char* parsed;
};

class ParserTest : public ::testing::TestWithParam<Good> {};

TEST_P(ParserTest, ParsesToTheExpectedForm) {
  const Good& g = GetParam();
  Statement st = parse_statement(g.text, json::parse(g.params).as_array());
  EXPECT_EQ(show(st), g.parsed) << g.text;
}

INSTANTIATE_TEST_SUITE_P(
    Statements, ParserTest,
    ::testing::Values(
        Good{R"(SELECT * FROM "Music")", "[]", "SELECT Music []"},
        Good{"select a, b.c[2].d from Music where pk = 'x'", "[]",
             R"(SELECT Music [a,b.c[2].d] WHERE (= pk {"S":"x"}))"},
        Good{R"(SELECT * FROM "t"."by-name" WHERE "name" = ? ORDER BY sk DESC)", R"([{"S":"n"}])",
             R"(SELECT t.by-name [] WHERE (= name {"S":"n"}) ORDER sk DESC)"},
        Good{"SELECT * FROM t WHERE a <> 1 AND b != -2.5e3 OR NOT c >= 3", "[]",
             R"(SELECT t [] WHERE (or (and (<> a {"N":"1"}) (<> b {"N":"-2.5e3"})) )"
             R"((not (>= c {"N":"3"}))))"},
        Good{"SELECT * FROM t WHERE a BETWEEN 1 AND 5 AND b IN ['x', ?] AND c NOT IN (1)",
             R"([{"S":"y"}])",
             R"(SELECT t [] WHERE (and (and (between a {"N":"1"} {"N":"5"}) )"
             R"((in b {"S":"x"} {"S":"y"})) (not (in c {"N":"1"}))))"},
        Good{"SELECT * FROM t WHERE a IS MISSING AND b IS NOT MISSING AND c IS NULL", "[]",
             "SELECT t [] WHERE (and (and (is MISSING a) (is-not MISSING b)) (is NULL c))"},
        Good{"SELECT * FROM t WHERE begins_with(sk, 'a') AND contains(tags, 'x') AND "
             "attribute_type(v, 'N') AND size(v) > 3",
             "[]",
             R"(SELECT t [] WHERE (and (and (and (begins_with sk {"S":"a"}) )"
             R"((contains tags {"S":"x"})) (attribute_type v {"S":"N"})) )"
             R"((> (size v) {"N":"3"})))"},
        Good{"SELECT * FROM t WHERE (a = 1 OR b = 2) AND c = TRUE -- trailing comment\n;", "[]",
             R"(SELECT t [] WHERE (and (or (= a {"N":"1"}) (= b {"N":"2"})) )"
             R"((= c {"BOOL":true})))"},
        Good{R"(INSERT INTO "t" VALUE {'pk': 'a', 'n': 1, 'ok': false, 'z': null, )"
             R"('s': <<'x','y'>>, 'ns': <<1, -2>>, 'm': {'in': [1, 'two']}, 'p': ?})",
             R"([{"B":"raw"}])",
             R"(INSERT t {"pk":{"S":"a"},"n":{"N":"1"},"ok":{"BOOL":false},"z":{"NULL":true},)"
             R"("s":{"SS":["x","y"]},"ns":{"NS":["1","-2"]},"m":{"M":{"in":{"L":[{"N":"1"},)"
             R"({"S":"two"}]}}},"p":{"B":"raw"}})"},
        Good{"INSERT INTO t VALUE {'it''s': 'o''k'}", "[]", R"(INSERT t {"it's":{"S":"o'k"}})"},
        Good{"UPDATE t SET a = 1, b = b + 2 SET c = list_append(c, [3]) REMOVE d, e[1] "
             "WHERE pk = 'k' RETURNING MODIFIED NEW *",
             "[]",
             R"(UPDATE t SET a={"N":"1"} SET b=(+ b {"N":"2"}) SET c=(list_append c )"
             R"({"L":[{"N":"3"}]}) REMOVE d REMOVE e[1] WHERE (= pk {"S":"k"}) RETURNING UPDATED_NEW)"},
        Good{"UPDATE t SET s = set_add(s, <<'x'>>) WHERE pk = 'k' RETURNING ALL OLD *", "[]",
             R"(UPDATE t SET s=(set_add s {"SS":["x"]}) WHERE (= pk {"S":"k"}) RETURNING ALL_OLD)"},
        Good{"DELETE FROM t WHERE pk = 'k' AND v > 1 RETURNING ALL OLD *", "[]",
             R"(DELETE t WHERE (and (= pk {"S":"k"}) (> v {"N":"1"})) RETURNING ALL_OLD)"},
        Good{"/* check */ EXISTS(SELECT * FROM t WHERE pk = 'k' AND a IS MISSING)", "[]",
             R"(EXISTS t [] WHERE (and (= pk {"S":"k"}) (is MISSING a)))"},
        Good{"SELECT * FROM t WHERE pk = ?", R"([{"S":"a"}, {"S":"unused"}])",
             R"(SELECT t [] WHERE (= pk {"S":"a"}))"},
        Good{"SELECT * FROM t WHERE q = '?'", "[]", R"(SELECT t [] WHERE (= q {"S":"?"}))"}));

struct Bad {
  const char* text;
  const char* params;
  const char* message;
};

class ParserErrorTest : public ::testing::TestWithParam<Bad> {};

TEST_P(ParserErrorTest, RejectsWithDynamoDbsMessage) {
  const Bad& b = GetParam();
  try {
    parse_statement(b.text, json::parse(b.params).as_array());
    ADD_FAILURE() << "parsed: " << b.text;
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.code, "ValidationException");
    EXPECT_EQ(e.message, b.message) << b.text;
  }
}

constexpr const char* kMalformed = "Statement wasn't well formed, can't be processed: ";

INSTANTIATE_TEST_SUITE_P(
    Statements, ParserErrorTest,
    ::testing::Values(
        Bad{"SLECT * FROM t", "[]",
            "Statement wasn't well formed, can't be processed: Expected data manipulation"},
        Bad{"", "[]", "Statement wasn't well formed, can't be processed: Expected data manipulation"},
        Bad{"SELECT * FROM \"t", "[]", kMalformed},
        Bad{"SELECT * FROM t WHERE pad = 'none'", "[]",
            "Statement wasn't well formed, can't be processed: Unexpected keyword"},
        Bad{"SELECT * FROM t WHERE a = ", "[]",
            "Statement wasn't well formed, can't be processed: Unexpected end of statement"},
        Bad{"SELECT * FROM t; SELECT * FROM t", "[]",
            "Statement wasn't well formed, can't be processed: Unexpected token after expression"},
        Bad{"SELECT * FROM t WHERE pk = ? AND v = ?", R"([{"S":"a"}])",
            "Number of parameters in request and statement don't match."},
        Bad{"SELECT *, a FROM t", "[]",
            "Other attributes should not be present in the projection when '*' is used."},
        Bad{R"(SELECT * FROM "t"."i"."x")", "[]",
            "A path may contain at most 2 components in the FROM clause"},
        Bad{R"(SELECT * FROM "t"."")", "[]", "Path component cannot be an empty string"},
        Bad{R"(INSERT INTO "t"."i" VALUE {'pk': 'a'})", "[]",
            "FROM clause may only contain a single table name in data manipulation statements"},
        Bad{"INSERT INTO t VALUE {'pk': 'a'} RETURNING ALL OLD *", "[]",
            "RETURNING is not supported in INSERT"},
        Bad{"INSERT INTO t VALUE {'pk': 'a', 's': <<>>}", "[]", "Empty bags are not supported"},
        Bad{"INSERT INTO t VALUE {'pk': 'a', 's': <<1, 'x'>>}", "[]",
            "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in "
            "bags"},
        Bad{"INSERT INTO t VALUE {'pk': 'a', 's': <<?>>}", R"([{"S":"x"}])",
            "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in "
            "bags"},
        Bad{"INSERT INTO t VALUE ['pk']", "[]",
            "Unsupported format in item expression. Please use struct format {...} to express "
            "item values for insert statement."},
        Bad{"DELETE FROM t WHERE pk = 'x' RETURNING MODIFIED OLD *", "[]",
            "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is "
            "allowed in DELETE statements."},
        Bad{"UPDATE t SET a = 1", "[]",
            "Where clause does not contain a mandatory equality on all key attributes"},
        Bad{"SELECT * FROM t ORDER BY pk", "[]",
            "Must have WHERE clause in the statement when using ORDER BY clause."},
        Bad{"SELECT * FROM t WHERE a IS DATE", "[]",
            "Unsupported data type for IS operator: DATE. Supported data types are [MISSING, "
            "NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"},
        Bad{"SELECT * FROM t WHERE a = MISSING", "[]", "MISSING must be compared using IS operator"},
        Bad{"SELECT * FROM t WHERE lower(a) = 'x'", "[]", "Unrecognized function: lower"}));

}  // namespace
}  // namespace services::dynamodb::partiql

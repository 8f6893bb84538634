#include "services/dynamodb/partiql/translate.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "protocol/aws_error.h"
#include "services/dynamodb/partiql/parser.h"

namespace services::dynamodb::partiql {
namespace {

namespace json = boost::json;

// pk (S) + sk (S), a global index on g (S) and a local index on l (N).
Table music() {
  Table t;
  t.name = "Music";
  t.keys.hash = {"pk", "S"};
  t.keys.range = KeyAttr{"sk", "S"};
  Index gsi;
  gsi.name = "by-g";
  gsi.keys.hash = {"g", "S"};
  Index lsi;
  lsi.name = "by-l";
  lsi.global = false;
  lsi.keys.hash = {"pk", "S"};
  lsi.keys.range = KeyAttr{"l", "N"};
  t.indexes = {gsi, lsi};
  return t;
}

struct Case {
  const char* text;
  Surface surface;
  const char* request;  // the planned request, as JSON; its op is in `op`
  Plan::Op op;
};

class TranslateTest : public ::testing::TestWithParam<Case> {};

TEST_P(TranslateTest, PlansTheItemRequest) {
  const Case& c = GetParam();
  Plan p = plan(parse_statement(c.text, {}), music(), c.surface, false);
  EXPECT_EQ(static_cast<int>(p.op), static_cast<int>(c.op)) << c.text;
  EXPECT_EQ(json::serialize(p.request), json::serialize(json::parse(c.request))) << c.text;
}

using Op = Plan::Op;
constexpr Surface kOne = Surface::Statement;

INSTANTIATE_TEST_SUITE_P(
    Statements, TranslateTest,
    ::testing::Values(
        // The partition key's equality makes a Query; one sort-key condition joins it.
        Case{"SELECT * FROM Music WHERE pk = 'a' AND sk > 'b' AND v = 1", kOne,
             R"j({"TableName":"Music","KeyConditionExpression":"#n0 = :v0 AND #n1 > :v1",
                 "FilterExpression":"#n2 = :v2",
                 "ExpressionAttributeNames":{"#n0":"pk","#n1":"sk","#n2":"v"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"b"},":v2":{"N":"1"}}})j",
             Op::Query},
        // A value on the left flips the comparison.
        Case{"SELECT a.b[1] FROM Music WHERE 'b' <= sk AND pk = 'a' ORDER BY sk DESC", kOne,
             R"j({"TableName":"Music","KeyConditionExpression":"#n0 = :v0 AND #n1 >= :v1",
                 "ScanIndexForward":false,"ProjectionExpression":"#n2",
                 "ExpressionAttributeNames":{"#n0":"pk","#n1":"sk","#n2":"a"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"b"}}})j",
             Op::Query},
        Case{"SELECT * FROM Music WHERE pk = 'a' AND begins_with(sk, 'x')", kOne,
             R"j({"TableName":"Music","KeyConditionExpression":"#n0 = :v0 AND begins_with(#n1, :v1)",
                 "ExpressionAttributeNames":{"#n0":"pk","#n1":"sk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"x"}}})j",
             Op::Query},
        // Another condition on a key attribute cannot be a Query's filter: a Scan runs.
        Case{"SELECT * FROM Music WHERE pk = 'a' AND sk <> 'b'", kOne,
             R"j({"TableName":"Music","FilterExpression":"#n0 = :v0 AND #n1 <> :v1",
                 "ExpressionAttributeNames":{"#n0":"pk","#n1":"sk"},
                 "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"b"}}})j",
             Op::Scan},
        // OR binds looser than AND: parentheses only where they are needed.
        Case{"SELECT * FROM Music WHERE (v = 1 OR w = 2) AND NOT (x = 3 AND y IS MISSING)", kOne,
             R"j({"TableName":"Music",
                 "FilterExpression":"(#n0 = :v0 OR #n1 = :v1) AND NOT (#n2 = :v2 AND attribute_not_exists(#n3))",
                 "ExpressionAttributeNames":{"#n0":"v","#n1":"w","#n2":"x","#n3":"y"},
                 "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"N":"2"},":v2":{"N":"3"}}})j",
             Op::Scan},
        Case{R"j(SELECT * FROM "Music"."by-g" WHERE g = 'x' AND v IS NOT NULL)j", kOne,
             R"j({"TableName":"Music","IndexName":"by-g","KeyConditionExpression":"#n0 = :v0",
                 "FilterExpression":"NOT attribute_type(#n1, :v1)",
                 "ExpressionAttributeNames":{"#n0":"g","#n1":"v"},
                 "ExpressionAttributeValues":{":v0":{"S":"x"},":v1":{"S":"NULL"}}})j",
             Op::Query},
        Case{"SELECT * FROM Music", kOne, R"j({"TableName":"Music"})j", Op::Scan},
        Case{"INSERT INTO Music VALUE {'pk': 'a', 'sk': 'b'}", kOne,
             R"j({"TableName":"Music","Item":{"pk":{"S":"a"},"sk":{"S":"b"}},
                 "ConditionExpression":"attribute_not_exists(#n0)",
                 "ExpressionAttributeNames":{"#n0":"pk"}})j",
             Op::Put},
        Case{"UPDATE Music SET n = n + 1 SET s = set_add(s, <<'x'>>) REMOVE old "
             "WHERE pk = 'a' AND sk = 'b' AND (v > 1 OR v IS MISSING) RETURNING ALL NEW *",
             kOne,
             R"j({"TableName":"Music","Key":{"pk":{"S":"a"},"sk":{"S":"b"}},
                 "UpdateExpression":"SET #n0 = #n0 + :v0 REMOVE #n2 ADD #n1 :v1",
                 "ConditionExpression":"attribute_exists(#n3) AND (#n4 > :v2 OR attribute_not_exists(#n4))",
                 "ReturnValues":"ALL_NEW",
                 "ExpressionAttributeNames":{"#n0":"n","#n1":"s","#n2":"old","#n3":"pk","#n4":"v"},
                 "ExpressionAttributeValues":{":v0":{"N":"1"},":v1":{"SS":["x"]},":v2":{"N":"1"}}})j",
             Op::Update},
        // A missing item is deleted without error; a present one must meet the condition.
        Case{"DELETE FROM Music WHERE sk = 'b' AND pk = 'a' AND v = 1 RETURNING ALL OLD *", kOne,
             R"j({"TableName":"Music","Key":{"sk":{"S":"b"},"pk":{"S":"a"}},
                 "ConditionExpression":"attribute_not_exists(#n0) OR #n1 = :v0",
                 "ReturnValues":"ALL_OLD",
                 "ExpressionAttributeNames":{"#n0":"pk","#n1":"v"},
                 "ExpressionAttributeValues":{":v0":{"N":"1"}}})j",
             Op::Delete},
        Case{"DELETE FROM Music WHERE sk = 'b' AND pk = 'a'", kOne,
             R"j({"TableName":"Music","Key":{"sk":{"S":"b"},"pk":{"S":"a"}}})j", Op::Delete},
        Case{"EXISTS(SELECT * FROM Music WHERE pk = 'a' AND sk = 'b' AND v IS MISSING)",
             Surface::Transaction,
             R"j({"TableName":"Music","Key":{"pk":{"S":"a"},"sk":{"S":"b"}},
                 "ConditionExpression":"attribute_not_exists(#n0)",
                 "ExpressionAttributeNames":{"#n0":"v"}})j",
             Op::ConditionCheck},
        Case{"SELECT v FROM Music WHERE pk = 'a' AND sk = 'b'", Surface::Transaction,
             R"j({"TableName":"Music","Key":{"pk":{"S":"a"},"sk":{"S":"b"}},
                 "ProjectionExpression":"#n0","ExpressionAttributeNames":{"#n0":"v"}})j",
             Op::Get}));

struct Bad {
  const char* text;
  Surface surface;
  bool consistent;
  const char* message;
};

class TranslateErrorTest : public ::testing::TestWithParam<Bad> {};

TEST_P(TranslateErrorTest, RejectsWithDynamoDbsMessage) {
  const Bad& b = GetParam();
  try {
    plan(parse_statement(b.text, {}), music(), b.surface, b.consistent);
    ADD_FAILURE() << "planned: " << b.text;
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.code, "ValidationException");
    EXPECT_EQ(e.message, b.message) << b.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Statements, TranslateErrorTest,
    ::testing::Values(
        Bad{"UPDATE Music SET v = 1 WHERE pk = 'a'", kOne, false,
            "Where clause does not contain a mandatory equality on all key attributes"},
        Bad{"DELETE FROM Music WHERE pk = 'a' OR sk = 'b'", kOne, false,
            "Where clause does not contain a mandatory equality on all key attributes"},
        Bad{"DELETE FROM Music WHERE pk = 1 AND sk = 'b'", kOne, false,
            "Key attribute's data type should match its data type in table's schema: Key pk"},
        Bad{R"j(UPDATE "Music"."by-g" SET v = 1 WHERE pk = 'a' AND sk = 'b')j", kOne, false,
            "This operation is not supported on an index"},
        Bad{R"j(SELECT * FROM "Music"."nope" WHERE pk = 'a')j", kOne, false,
            "The table does not have the specified index"},
        Bad{R"j(SELECT * FROM "Music"."by-g" WHERE g = 'a')j", kOne, true,
            "Strongly consistent read is not supported on Global Secondary Indexes"},
        Bad{"SELECT * FROM Music WHERE v = 1 ORDER BY sk", kOne, false,
            "Must have at least one non-optional hash key condition in WHERE clause when using "
            "ORDER BY clause."},
        Bad{"SELECT * FROM Music WHERE pk = 'a' ORDER BY v", kOne, false,
            "Variable reference v in ORDER BY clause must be part of the primary key"},
        Bad{"UPDATE Music SET s = set_add(t, <<'x'>>) WHERE pk = 'a' AND sk = 'b'", kOne, false,
            "The first argument to SET_ADD must equal the assignment value"},
        Bad{"UPDATE Music SET s = set_delete(s, 'x') WHERE pk = 'a' AND sk = 'b'", kOne, false,
            "The second argument to SET_DELETE must be a value with type SET"},
        Bad{"SELECT * FROM Music WHERE pk = 'a'", Surface::Batch, false,
            "Select statements within BatchExecuteStatement must specify the primary key in the "
            "where clause."},
        Bad{"SELECT * FROM Music WHERE pk = 'a' AND sk = 'b' AND v = 1", Surface::Transaction,
            false,
            "Select statements within ExecuteTransaction must specify the primary key in the "
            "where clause."},
        Bad{R"j(SELECT * FROM "Music"."by-g" WHERE g = 'a')j", Surface::Transaction, false,
            "Reads on indices are not supported within transactions."},
        Bad{"EXISTS(SELECT * FROM Music WHERE pk = 'a' AND sk = 'b')", Surface::Transaction,
            false, "EXISTS() must contain a single item read with additional condition"},
        Bad{"EXISTS(SELECT * FROM Music WHERE pk = 'a' AND sk = 'b' AND v = 1)", kOne, false,
            "EXISTS can only be used in ExecuteTransaction write requests."}));

TEST(ResultNameTest, NamesANestedPathFromItsLastNamedElement) {
  EXPECT_EQ(result_name({{"a", -1}}), "a");
  EXPECT_EQ(result_name({{"a", -1}, {"b", -1}}), "b");
  EXPECT_EQ(result_name({{"a", -1}, {"b", -1}, {"", 0}}), "b[0]");
}

}  // namespace
}  // namespace services::dynamodb::partiql

// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction through the operation table,
// the way the HTTP path calls them.

#include <string>

#include "services/dynamodb/dynamodb_test_support.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

class PartiqlHandlersTest : public DynamoDbTest {
 protected:
  json::object run(const std::string& statement, const std::string& params = "") {
    json::object in{{"Statement", statement}};
    if (!params.empty()) in["Parameters"] = json::parse(params);
    return ok("ExecuteStatement", in);
  }
  protocol::AwsError fail(const std::string& statement) {
    return err("ExecuteStatement", json::object{{"Statement", statement}});
  }
  std::string sks(const json::object& reply) {
    std::string out;
    for (const json::value& item : reply.at("Items").as_array()) {
      out += std::string(item.at("sk").at("S").as_string()) + " ";
    }
    return out;
  }
};

TEST_F(PartiqlHandlersTest, InsertThenSelectByPartitionKeyInSortKeyOrder) {
  create("tbl", "S");
  run("INSERT INTO tbl VALUE {'pk': 'a', 'sk': '2', 'v': 1}");
  run("INSERT INTO \"tbl\" VALUE {'pk': ?, 'sk': ?}", R"([{"S": "a"}, {"S": "1"}])");
  run("INSERT INTO tbl VALUE {'pk': 'b', 'sk': '1'}");
  EXPECT_EQ(sks(run("SELECT * FROM tbl WHERE pk = 'a'")), "1 2 ");
  EXPECT_EQ(sks(run("SELECT * FROM tbl WHERE pk = 'a' ORDER BY sk DESC")), "2 1 ");
  EXPECT_EQ(sks(run("SELECT * FROM tbl WHERE pk = 'a' AND v = 1")), "2 ");
}

TEST_F(PartiqlHandlersTest, InsertOfAnExistingKeyIsADuplicate) {
  create("tbl");
  run("INSERT INTO tbl VALUE {'pk': 'a'}");
  protocol::AwsError e = fail("INSERT INTO tbl VALUE {'pk': 'a', 'v': 2}");
  EXPECT_EQ(e.code, "DuplicateItemException");
  EXPECT_EQ(e.message, "Duplicate primary key exists in table");
}

TEST_F(PartiqlHandlersTest, UpdateNeedsTheItemAndReturnsWhatWasAsked) {
  create("tbl");
  EXPECT_EQ(fail("UPDATE tbl SET v = 1 WHERE pk = 'none'").code, "ConditionalCheckFailedException");
  run("INSERT INTO tbl VALUE {'pk': 'a', 'n': 1, 'gone': 'x'}");
  json::object r = run("UPDATE tbl SET n = n + 1 REMOVE gone WHERE pk = 'a' RETURNING ALL NEW *");
  EXPECT_EQ(json::serialize(r.at("Items")), R"([{"pk":{"S":"a"},"n":{"N":"2"}}])");
  EXPECT_EQ(fail("UPDATE tbl SET n = 5 WHERE pk = 'a' AND n > 9").code,
            "ConditionalCheckFailedException");
}

TEST_F(PartiqlHandlersTest, DeleteOfAMissingItemSucceedsAndAFalseConditionFails) {
  create("tbl");
  EXPECT_EQ(json::serialize(run("DELETE FROM tbl WHERE pk = 'none' AND v = 1")), R"({"Items":[]})");
  run("INSERT INTO tbl VALUE {'pk': 'a', 'v': 1}");
  EXPECT_EQ(fail("DELETE FROM tbl WHERE pk = 'a' AND v = 2").code,
            "ConditionalCheckFailedException");
  json::object r = run("DELETE FROM tbl WHERE pk = 'a' RETURNING ALL OLD *");
  EXPECT_EQ(json::serialize(r.at("Items")), R"([{"pk":{"S":"a"},"v":{"N":"1"}}])");
}

TEST_F(PartiqlHandlersTest, ExpressionErrorsComeWithoutTheParameterName) {
  create("tbl");
  protocol::AwsError e = err("ExecuteStatement", J(R"j({"Statement":
      "SELECT * FROM tbl WHERE pk = 'a' AND v < ?", "Parameters": [{"BOOL": true}]})j"));
  EXPECT_EQ(e.message,
            "Incorrect operand type for operator or function; operator or function: <, operand "
            "type: BOOL");
}

TEST_F(PartiqlHandlersTest, LimitPagesWithANextTokenBoundToTheStatement) {
  create("tbl", "S");
  for (const char* sk : {"1", "2", "3"}) {
    run(std::string("INSERT INTO tbl VALUE {'pk': 'a', 'sk': '") + sk + "'}");
  }
  json::object in = J(R"j({"Statement": "SELECT * FROM tbl WHERE pk = 'a'", "Limit": 2})j");
  json::object first = ok("ExecuteStatement", in);
  EXPECT_EQ(sks(first), "1 2 ");
  ASSERT_TRUE(first.contains("NextToken"));
  in["NextToken"] = first.at("NextToken");
  EXPECT_EQ(sks(ok("ExecuteStatement", in)), "3 ");
  in["Statement"] = "SELECT * FROM tbl WHERE pk = 'b'";
  EXPECT_EQ(err("ExecuteStatement", in).message, "NextToken does not match request");
}

TEST_F(PartiqlHandlersTest, NestedPathsAreNamedFromTheirLastElement) {
  create("tbl");
  run("INSERT INTO tbl VALUE {'pk': 'a', 'm': {'in': [1, 2]}}");
  json::object r = run("SELECT pk, m.\"in\"[1] FROM tbl WHERE pk = 'a'");
  EXPECT_EQ(json::serialize(r.at("Items")), R"([{"pk":{"S":"a"},"in[1]":{"N":"2"}}])");
}

TEST_F(PartiqlHandlersTest, BatchAnswersEachStatementOnItsOwn) {
  create("tbl");
  run("INSERT INTO tbl VALUE {'pk': 'a', 'v': 1}");
  json::object r = ok("BatchExecuteStatement", J(R"j({"Statements": [
      {"Statement": "INSERT INTO tbl VALUE {'pk': 'a'}"},
      {"Statement": "INSERT INTO tbl VALUE {'pk': 'b'}"},
      {"Statement": "UPDATE tbl SET v = 2 WHERE pk = 'a' AND v = 5"},
      {"Statement": "SLECT"}]})j"));
  EXPECT_EQ(json::serialize(r.at("Responses")),
            R"([{"TableName":"tbl","Error":{"Code":"DuplicateItem","Message":"Duplicate primary )"
            R"(key exists in table"}},{"TableName":"tbl"},{"TableName":"tbl","Error":{"Code":)"
            R"("ConditionalCheckFailed","Message":"The conditional request failed"}},{"Error":)"
            R"({"Code":"ValidationError","Message":"Statement wasn't well formed, can't be )"
            R"(processed: Expected data manipulation"}}])");
  protocol::AwsError mixed = err("BatchExecuteStatement", J(R"j({"Statements": [
      {"Statement": "SELECT * FROM tbl WHERE pk = 'a'"},
      {"Statement": "DELETE FROM tbl WHERE pk = 'a'"}]})j"));
  EXPECT_EQ(mixed.code, "ValidationException");
}

TEST_F(PartiqlHandlersTest, TransactionIsAllOrNothingWithDuplicateItemReasons) {
  create("tbl");
  run("INSERT INTO tbl VALUE {'pk': 'a'}");
  protocol::AwsError e = err("ExecuteTransaction", J(R"j({"TransactStatements": [
      {"Statement": "INSERT INTO tbl VALUE {'pk': 'b'}"},
      {"Statement": "INSERT INTO tbl VALUE {'pk': 'a'}"}]})j"));
  EXPECT_EQ(e.code, "TransactionCanceledException");
  EXPECT_EQ(e.message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[None, DuplicateItem]");
  EXPECT_EQ(run("SELECT * FROM tbl WHERE pk = 'b'").at("Items").as_array().size(), 0u);
  json::object reads = ok("ExecuteTransaction", J(R"j({"TransactStatements": [
      {"Statement": "SELECT pk FROM tbl WHERE pk = 'a'"},
      {"Statement": "SELECT * FROM tbl WHERE pk = 'z'"}]})j"));
  EXPECT_EQ(json::serialize(reads.at("Responses")), R"([{"Item":{"pk":{"S":"a"}}},{}])");
  EXPECT_EQ(err("ExecuteTransaction", J(R"j({"TransactStatements": [
      {"Statement": "UPDATE tbl SET v = 1 WHERE pk = 'a' RETURNING ALL NEW *"}]})j")).message,
            "Validation failed in TransactStatements[0]: RETURNING clause is not supported in "
            "ExecuteTransaction.");
}

}  // namespace
}  // namespace services::dynamodb

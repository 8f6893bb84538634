#include "services/dynamodb/partition_rekey.h"

#include "services/dynamodb/dynamodb_test_support.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

class PartitionRekeyTest : public DynamoDbTest {
 protected:
  // Rows as a database from before DynamoDB's hash holds them: another 8-byte prefix, and the
  // setting migration 0020 leaves for such a database.
  void age_rows() {
    store::Transaction tx = db_.begin();
    tx.exec("UPDATE ddb_items SET h = zeroblob(8) || substr(h, 9)");
    tx.exec("INSERT INTO ddb_settings (name, value) VALUES ('rekey_partitions', '1')");
    tx.commit();
  }
  int64_t settings() {
    int64_t n = 0;
    store::Transaction tx = db_.read();
    tx.query("SELECT count(*) FROM ddb_settings", [&](const store::Statement& s) {
      n = s.int64(0);
    });
    return n;
  }
  json::object query_index(const std::string& g) {
    json::object in = J(R"j({"TableName": "tbl", "IndexName": "by_g",
        "KeyConditionExpression": "g = :g"})j");
    in["ExpressionAttributeValues"] = json::object{{":g", json::object{{"S", g}}}};
    return ok("Query", in);
  }
};

TEST_F(PartitionRekeyTest, RewritesOldRowsOnceSoThatKeysAndIndexesFindThem) {
  create("tbl", "N", J(R"j({"AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
      "GlobalSecondaryIndexes": [{"IndexName": "by_g",
          "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "ALL"}}]})j"));
  put("tbl", R"j({"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "one"}})j");
  put("tbl", R"j({"pk": {"S": "b"}, "sk": {"N": "-2.5"}, "g": {"S": "one"}})j");
  age_rows();
  const char* get = R"j({"TableName": "tbl", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}})j";
  EXPECT_FALSE(ok("GetItem", get).contains("Item"));  // not found under the new hash

  rekey_partitions(db_);
  EXPECT_EQ(ok("GetItem", get).at("Item").at("g"), json::value(json::object{{"S", "one"}}));
  EXPECT_EQ(query_index("one").at("Count").as_int64(), 2);
  EXPECT_EQ(ok("Scan", R"j({"TableName": "tbl"})j").at("Count").as_int64(), 2);
  EXPECT_EQ(settings(), 0);

  rekey_partitions(db_);  // nothing left to do
  EXPECT_EQ(query_index("one").at("Count").as_int64(), 2);
}

TEST_F(PartitionRekeyTest, LeavesANewDatabaseAlone) {
  create("tbl");
  put("tbl", R"j({"pk": {"S": "a"}})j");
  rekey_partitions(db_);
  EXPECT_TRUE(ok("GetItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "a"}}})j")
                  .contains("Item"));
  EXPECT_EQ(settings(), 0);
}

}  // namespace
}  // namespace services::dynamodb

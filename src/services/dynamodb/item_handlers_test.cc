#include <set>
#include <string>

#include "services/dynamodb/dynamodb_test_support.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

class ItemHandlersTest : public DynamoDbTest {};

TEST_F(ItemHandlersTest, BinaryValuesRoundTripAsRawBytes) {
  create("tbl");
  json::object item{{"pk", J(R"j({"S": "a"})j")},
                    {"b", json::object{{"B", std::string("\0\xff", 2)}}},
                    {"bs", json::object{{"BS", json::array{"x", std::string("\0", 1)}}}}};
  ok("PutItem", json::object{{"TableName", "tbl"}, {"Item", item}});
  json::object got = ok("GetItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "a"}}})j");
  EXPECT_EQ(got.at("Item").at("b").at("B"), std::string("\0\xff", 2));
  EXPECT_EQ(got.at("Item").at("bs").at("BS").as_array().size(), 2u);
}

TEST_F(ItemHandlersTest, ItemCountAndSizeFollowWrites) {
  create("tbl");
  put("tbl", R"j({"pk": {"S": "a"}, "v": {"S": "12345"}})j");
  put("tbl", R"j({"pk": {"S": "b"}})j");
  ok("DeleteItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "b"}}})j");
  json::object t = ok("DescribeTable", R"j({"TableName": "tbl"})j").at("Table").as_object();
  EXPECT_EQ(t.at("ItemCount").as_int64(), 1);
  // "pk" (2) + "a" (1) + "v" (1) + "12345" (5)
  EXPECT_EQ(t.at("TableSizeBytes").as_int64(), 9);
}

TEST_F(ItemHandlersTest, WriteUnitsCountStartedKilobytesOfTheLargerItem) {
  create("tbl");
  std::string big(1100, 'x');
  json::object in{{"TableName", "tbl"},
                  {"ReturnConsumedCapacity", "TOTAL"},
                  {"Item", json::object{{"pk", J(R"j({"S": "a"})j")},
                                        {"v", json::object{{"S", big}}}}}};
  EXPECT_EQ(ok("PutItem", in).at("ConsumedCapacity").at("CapacityUnits").as_double(), 2.0);
  // The delete of a 1.1 KB item costs as much as its write.
  json::object del = ok("DeleteItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "a"}},
      "ReturnConsumedCapacity": "TOTAL"})j");
  EXPECT_EQ(del.at("ConsumedCapacity").at("CapacityUnits").as_double(), 2.0);
  // An eventually consistent read of nothing costs half a unit.
  json::object get = ok("GetItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "a"}},
      "ReturnConsumedCapacity": "TOTAL"})j");
  EXPECT_EQ(get.at("ConsumedCapacity").at("CapacityUnits").as_double(), 0.5);
}

TEST_F(ItemHandlersTest, ConditionFailureReturnsTheOldItemWhenAsked) {
  create("tbl");
  put("tbl", R"j({"pk": {"S": "a"}, "v": {"N": "1"}})j");
  protocol::AwsError e = err("PutItem", R"j({"TableName": "tbl", "Item": {"pk": {"S": "a"}},
      "ConditionExpression": "attribute_not_exists(pk)",
      "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})j");
  EXPECT_EQ(e.code, "ConditionalCheckFailedException");
  EXPECT_EQ(e.message, "The conditional request failed");
  EXPECT_EQ(json::serialize(e.fields.at("Item")), R"j({"pk":{"S":"a"},"v":{"N":"1"}})j");
}

TEST_F(ItemHandlersTest, ExpressionAndLegacyParametersDoNotMix) {
  create("tbl");
  protocol::AwsError e = err("PutItem", R"j({"TableName": "tbl", "Item": {"pk": {"S": "a"}},
      "ConditionExpression": "attribute_exists(pk)",
      "Expected": {"pk": {"Exists": false}}})j");
  EXPECT_EQ(e.message,
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}");
}

TEST_F(ItemHandlersTest, GlobalIndexFollowsKeyChangesAndDeletes) {
  create("tbl", "", J(R"j({"AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
      "GlobalSecondaryIndexes": [{"IndexName": "by_g",
          "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}]})j"));
  put("tbl", R"j({"pk": {"S": "a"}, "g": {"S": "one"}, "x": {"N": "1"}, "y": {"N": "2"}})j");
  put("tbl", R"j({"pk": {"S": "b"}, "g": {"S": "one"}})j");
  put("tbl", R"j({"pk": {"S": "c"}})j");  // no g: not in the sparse index
  auto query = [&](const std::string& g) {
    json::object in = J(R"j({"TableName": "tbl", "IndexName": "by_g",
        "KeyConditionExpression": "g = :g"})j");
    in["ExpressionAttributeValues"] = json::object{{":g", json::object{{"S", g}}}};
    return ok("Query", in);
  };
  json::object one = query("one");
  EXPECT_EQ(one.at("Count").as_int64(), 2);
  // INCLUDE projects the keys and x, not y.
  for (const json::value& item : one.at("Items").as_array()) {
    EXPECT_FALSE(item.as_object().contains("y"));
  }
  ok("UpdateItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "a"}},
      "UpdateExpression": "SET g = :g", "ExpressionAttributeValues": {":g": {"S": "two"}}})j");
  EXPECT_EQ(query("one").at("Count").as_int64(), 1);
  EXPECT_EQ(query("two").at("Count").as_int64(), 1);
  ok("DeleteItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "a"}}})j");
  EXPECT_EQ(query("two").at("Count").as_int64(), 0);
}

TEST_F(ItemHandlersTest, IndexKeyOfTheWrongTypeIsRejected) {
  create("tbl", "", J(R"j({"AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
      "GlobalSecondaryIndexes": [{"IndexName": "by_g",
          "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "ALL"}}]})j"));
  protocol::AwsError e = err("PutItem", R"j({"TableName": "tbl",
      "Item": {"pk": {"S": "a"}, "g": {"N": "1"}}})j");
  EXPECT_EQ(e.message,
            "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S "
            "Actual: N IndexName: by_g");
}

TEST_F(ItemHandlersTest, QueryPagesByLimitAndResumesAfterTheLastKey) {
  create("tbl", "N");
  for (int i = 0; i < 7; ++i) {
    put("tbl", R"j({"pk": {"S": "p"}, "sk": {"N": ")j" + std::to_string(i - 3) + R"j("}})j");
  }
  json::object in = J(R"j({"TableName": "tbl", "KeyConditionExpression": "pk = :p",
      "ExpressionAttributeValues": {":p": {"S": "p"}}, "Limit": 3})j");
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    json::object out = ok("Query", in);
    for (const json::value& item : out.at("Items").as_array()) {
      seen.push_back(std::string(item.at("sk").at("N").as_string()));
    }
    if (!out.contains("LastEvaluatedKey")) break;
    in["ExclusiveStartKey"] = out.at("LastEvaluatedKey");
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"-3", "-2", "-1", "0", "1", "2", "3"}));
}

TEST_F(ItemHandlersTest, ScanSegmentsPartitionTheTable) {
  create("tbl");
  for (int i = 0; i < 40; ++i) put("tbl", R"j({"pk": {"S": "k)j" + std::to_string(i) + R"j("}})j");
  std::multiset<std::string> seen;
  for (int seg = 0; seg < 4; ++seg) {
    json::object in = J(R"j({"TableName": "tbl", "TotalSegments": 4})j");
    in["Segment"] = seg;
    json::object out = ok("Scan", in);
    EXPECT_LT(out.at("Count").as_int64(), 40) << "one segment holds every partition";
    for (const json::value& item : out.at("Items").as_array()) {
      seen.insert(std::string(item.at("pk").at("S").as_string()));
    }
  }
  EXPECT_EQ(seen.size(), 40u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 40u);
}

TEST_F(ItemHandlersTest, TransactionCancelsEveryWriteWhenOneConditionFails) {
  create("tbl");
  put("tbl", R"j({"pk": {"S": "a"}, "v": {"N": "1"}})j");
  protocol::AwsError e = err("TransactWriteItems", R"j({"TransactItems": [
      {"Put": {"TableName": "tbl", "Item": {"pk": {"S": "b"}}}},
      {"ConditionCheck": {"TableName": "tbl", "Key": {"pk": {"S": "a"}},
                          "ConditionExpression": "v = :two",
                          "ExpressionAttributeValues": {":two": {"N": "2"}}}}]})j");
  EXPECT_EQ(e.code, "TransactionCanceledException");
  EXPECT_EQ(e.message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[None, ConditionalCheckFailed]");
  EXPECT_FALSE(ok("GetItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "b"}}})j").contains("Item"));
}

TEST_F(ItemHandlersTest, ClientRequestTokenReplaysWithoutWritingTwice) {
  create("tbl");
  std::string req = R"j({"ClientRequestToken": "tok", "TransactItems": [
      {"Update": {"TableName": "tbl", "Key": {"pk": {"S": "a"}},
                  "UpdateExpression": "ADD n :one",
                  "ExpressionAttributeValues": {":one": {"N": "1"}}}}]})j";
  ok("TransactWriteItems", req);
  ok("TransactWriteItems", req);
  EXPECT_EQ(ok("GetItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "a"}}})j")
                .at("Item").at("n").at("N"),
            "1");
  json::object other = J(req);
  other["TransactItems"].as_array()[0].as_object()["Update"].as_object()["UpdateExpression"] =
      "ADD m :one";
  EXPECT_EQ(err("TransactWriteItems", other).code, "IdempotentParameterMismatchException");
}

TEST_F(ItemHandlersTest, ItemCollectionMetricsOnlyForTablesWithLocalIndexes) {
  create("tbl", "N", J(R"j({"AttributeDefinitions": [{"AttributeName": "l", "AttributeType": "S"}],
      "LocalSecondaryIndexes": [{"IndexName": "by_l",
          "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                        {"AttributeName": "l", "KeyType": "RANGE"}],
          "Projection": {"ProjectionType": "KEYS_ONLY"}}]})j"));
  json::object out = ok("PutItem", R"j({"TableName": "tbl", "ReturnItemCollectionMetrics": "SIZE",
      "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "l": {"S": "x"}}})j");
  EXPECT_EQ(json::serialize(out.at("ItemCollectionMetrics")),
            R"j({"ItemCollectionKey":{"pk":{"S":"a"}},"SizeEstimateRangeGB":[0E0,1E0]})j");
  create("plain");
  EXPECT_FALSE(ok("PutItem", R"j({"TableName": "plain", "ReturnItemCollectionMetrics": "SIZE",
      "Item": {"pk": {"S": "a"}}})j").contains("ItemCollectionMetrics"));
}

TEST_F(ItemHandlersTest, LocalIndexQueryFetchesUnprojectedAttributesFromTheTable) {
  create("tbl", "N", J(R"j({"AttributeDefinitions": [{"AttributeName": "l", "AttributeType": "S"}],
      "LocalSecondaryIndexes": [{"IndexName": "by_l",
          "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                        {"AttributeName": "l", "KeyType": "RANGE"}],
          "Projection": {"ProjectionType": "KEYS_ONLY"}}]})j"));
  put("tbl", R"j({"pk": {"S": "a"}, "sk": {"N": "1"}, "l": {"S": "b"}, "other": {"N": "7"}})j");
  put("tbl", R"j({"pk": {"S": "a"}, "sk": {"N": "2"}, "l": {"S": "a"}, "other": {"N": "8"}})j");
  json::object keys = ok("Query", R"j({"TableName": "tbl", "IndexName": "by_l",
      "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}})j");
  EXPECT_EQ(json::serialize(keys.at("Items").at(0)),
            R"j({"pk":{"S":"a"},"sk":{"N":"2"},"l":{"S":"a"}})j");
  json::object all = ok("Query", R"j({"TableName": "tbl", "IndexName": "by_l",
      "Select": "ALL_ATTRIBUTES", "KeyConditionExpression": "pk = :p",
      "ExpressionAttributeValues": {":p": {"S": "a"}}})j");
  EXPECT_EQ(all.at("Items").at(0).at("other").at("N"), "8");
}

}  // namespace
}  // namespace services::dynamodb

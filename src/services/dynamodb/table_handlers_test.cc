#include <chrono>

#include "services/dynamodb/dynamodb_test_support.h"

namespace services::dynamodb {
namespace {

class TableHandlersTest : public DynamoDbTest {};

TEST_F(TableHandlersTest, TableIsCreatingThenActiveAfterItsTransition) {
  ok("CreateTable", R"j({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]})j");
  EXPECT_EQ(ok("DescribeTable", R"j({"TableName": "tbl"})j").at("Table").at("TableStatus"),
            "CREATING");
  // Items cannot be written until the table is ACTIVE, as on AWS.
  EXPECT_EQ(err("PutItem", R"j({"TableName": "tbl", "Item": {"id": {"S": "a"}}})j").code,
            "ResourceNotFoundException");
  clock_.advance(std::chrono::seconds(2));
  boost::json::object t = ok("DescribeTable", R"j({"TableName": "tbl"})j").at("Table").as_object();
  EXPECT_EQ(t.at("TableStatus"), "ACTIVE");
  EXPECT_EQ(t.at("BillingModeSummary").at("BillingMode"), "PAY_PER_REQUEST");
  EXPECT_EQ(t.at("TableArn"), "arn:aws:dynamodb:us-east-1:123456789012:table/tbl");
}

TEST_F(TableHandlersTest, TimeScaleShortensTheTransition) {
  clock_.set_time_scale(10);
  ok("CreateTable", R"j({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]})j");
  clock_.advance(std::chrono::milliseconds(150));
  EXPECT_EQ(ok("DescribeTable", R"j({"TableName": "tbl"})j").at("Table").at("TableStatus"),
            "ACTIVE");
}

struct BadCreate {
  const char* request;
  const char* message;
};

class CreateTableValidationTest : public DynamoDbTest,
                                  public ::testing::WithParamInterface<BadCreate> {};

TEST_P(CreateTableValidationTest, AnswersDynamoDbsMessage) {
  protocol::AwsError e = err("CreateTable", GetParam().request);
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_EQ(e.message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Messages, CreateTableValidationTest,
    ::testing::Values(
        BadCreate{R"j({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "b", "AttributeType": "S"}]})j",
                  "One or more parameter values were invalid: Some index key attributes are not "
                  "defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]"},
        BadCreate{R"j({"TableName": "tbl",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}]})j",
                  "One or more parameter values were invalid: ReadCapacityUnits and "
                  "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"},
        BadCreate{R"j({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"},
                          {"AttributeName": "a", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}]})j",
                  "Invalid KeySchema: Some index key attribute have no definition"},
        BadCreate{R"j({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"},
                                     {"AttributeName": "b", "AttributeType": "S"}],
            "LocalSecondaryIndexes": [{"IndexName": "lsi1",
                "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"},
                              {"AttributeName": "b", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}}]})j",
                  "One or more parameter values were invalid: Table KeySchema does not have a "
                  "range key, which is required when specifying a LocalSecondaryIndex"},
        BadCreate{R"j({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"},
                                     {"AttributeName": "b", "AttributeType": "S"},
                                     {"AttributeName": "c", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [{"IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"}}]})j",
                  "One or more parameter values were invalid: Some AttributeDefinitions are not "
                  "used. AttributeDefinitions: [a, b, c], keys used: [a, b]"},
        BadCreate{R"j({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [{"IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["x"]}}]})j",
                  "One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but "
                  "NonKeyAttributes is specified"}));

TEST_F(TableHandlersTest, CreatingAnExistingTableIsResourceInUse) {
  create("tbl");
  protocol::AwsError e = err("CreateTable", R"j({"TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
      "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})j");
  EXPECT_EQ(e.code, "ResourceInUseException");
  EXPECT_EQ(e.message, "Table already exists: tbl");
}

TEST_F(TableHandlersTest, ListTablesPagesInNameOrder) {
  for (const char* n : {"ccc", "aaa", "bbb"}) create(n);
  boost::json::object first = ok("ListTables", R"j({"Limit": 2})j");
  EXPECT_EQ(boost::json::serialize(first.at("TableNames")), R"j(["aaa","bbb"])j");
  EXPECT_EQ(first.at("LastEvaluatedTableName"), "bbb");
  boost::json::object rest =
      ok("ListTables", R"j({"Limit": 2, "ExclusiveStartTableName": "bbb"})j");
  EXPECT_EQ(boost::json::serialize(rest.at("TableNames")), R"j(["ccc"])j");
  EXPECT_FALSE(rest.contains("LastEvaluatedTableName"));
}

TEST_F(TableHandlersTest, DeleteTableRemovesItsItemsAndName) {
  create("tbl");
  put("tbl", R"j({"pk": {"S": "a"}})j");
  EXPECT_EQ(ok("DeleteTable", R"j({"TableName": "tbl"})j").at("TableDescription").at("TableStatus"),
            "DELETING");
  EXPECT_EQ(err("DescribeTable", R"j({"TableName": "tbl"})j").code, "ResourceNotFoundException");
  create("tbl");
  EXPECT_EQ(ok("Scan", R"j({"TableName": "tbl"})j").at("Count").as_int64(), 0);
}

TEST_F(TableHandlersTest, DeletionProtectionBlocksDelete) {
  create("tbl", "", J(R"j({"DeletionProtectionEnabled": true})j"));
  EXPECT_EQ(err("DeleteTable", R"j({"TableName": "tbl"})j").code, "ValidationException");
  ok("UpdateTable", R"j({"TableName": "tbl", "DeletionProtectionEnabled": false})j");
  settle();
  ok("DeleteTable", R"j({"TableName": "tbl"})j");
}

TEST_F(TableHandlersTest, UnchangedThroughputIsAValidationError) {
  ok("CreateTable", R"j({"TableName": "tbl",
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}})j");
  settle();
  protocol::AwsError e = err("UpdateTable", R"j({"TableName": "tbl",
      "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}})j");
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_NE(e.message.find("The provisioned throughput for the table will not change"),
            std::string::npos);
  boost::json::object d = ok("UpdateTable", R"j({"TableName": "tbl",
      "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}})j");
  EXPECT_EQ(d.at("TableDescription").at("TableStatus"), "UPDATING");
  EXPECT_EQ(d.at("TableDescription").at("ProvisionedThroughput").at("ReadCapacityUnits").as_int64(),
            10);
}

TEST_F(TableHandlersTest, TagsAreAddedReplacedAndRemoved) {
  create("tbl");
  std::string arn = "arn:aws:dynamodb:us-east-1:123456789012:table/tbl";
  boost::json::object tag{{"ResourceArn", arn},
                          {"Tags", J(R"j({"l": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]})j").at("l")}};
  ok("TagResource", tag);
  tag["Tags"] = J(R"j({"l": [{"Key": "a", "Value": "3"}]})j").at("l");
  ok("TagResource", tag);
  ok("UntagResource", boost::json::object{{"ResourceArn", arn}, {"TagKeys", {"b"}}});
  boost::json::object tags = ok("ListTagsOfResource", boost::json::object{{"ResourceArn", arn}});
  EXPECT_EQ(boost::json::serialize(tags.at("Tags")), R"j([{"Key":"a","Value":"3"}])j");
}

TEST_F(TableHandlersTest, StreamsAndBillingChangeThroughUpdateTable) {
  create("tbl");
  boost::json::object d = ok("UpdateTable", R"j({"TableName": "tbl",
      "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}})j")
                              .at("TableDescription").as_object();
  std::string label = std::string(d.at("LatestStreamLabel").as_string());
  EXPECT_EQ(label, "2023-11-14T22:13:25.000");  // the ManualClock's start + 5 s
  EXPECT_EQ(d.at("LatestStreamArn"),
            "arn:aws:dynamodb:us-east-1:123456789012:table/tbl/stream/" + label);
  EXPECT_EQ(d.at("StreamSpecification").at("StreamViewType"), "NEW_AND_OLD_IMAGES");
  // A change while UPDATING is refused, as on AWS.
  EXPECT_EQ(err("UpdateTable", R"j({"TableName": "tbl", "TableClass": "STANDARD"})j").code,
            "ResourceInUseException");
  settle();
  d = ok("UpdateTable", R"j({"TableName": "tbl", "BillingMode": "PROVISIONED",
      "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}})j")
          .at("TableDescription").as_object();
  EXPECT_EQ(d.at("BillingModeSummary").at("BillingMode"), "PROVISIONED");
  EXPECT_EQ(d.at("ProvisionedThroughput").at("WriteCapacityUnits").as_int64(), 4);
  settle();
  EXPECT_EQ(err("UpdateTable", R"j({"TableName": "tbl"})j").message,
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
            "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
}

TEST_F(TableHandlersTest, DeletingAGlobalIndexDropsItsRows) {
  create("tbl", "", J(R"j({"AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
      "GlobalSecondaryIndexes": [{"IndexName": "by_g",
          "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "ALL"}}]})j"));
  put("tbl", R"j({"pk": {"S": "a"}, "g": {"S": "x"}})j");
  ok("UpdateTable", R"j({"TableName": "tbl",
      "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "by_g"}}]})j");
  settle();
  EXPECT_FALSE(ok("DescribeTable", R"j({"TableName": "tbl"})j").at("Table").as_object().contains(
      "GlobalSecondaryIndexes"));
  EXPECT_EQ(err("Query", R"j({"TableName": "tbl", "IndexName": "by_g",
      "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": {"S": "x"}}})j")
                .message,
            "The table does not have the specified index: by_g");
  // A new index in the same slot starts empty of the old rows, then backfills.
  ok("UpdateTable", R"j({"TableName": "tbl",
      "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "S"}],
      "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "by_h",
          "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "ALL"}}}]})j");
  boost::json::object gsi = ok("DescribeTable", R"j({"TableName": "tbl"})j")
                                .at("Table").at("GlobalSecondaryIndexes").at(0).as_object();
  EXPECT_EQ(gsi.at("IndexStatus"), "CREATING");
  EXPECT_EQ(gsi.at("ItemCount").as_int64(), 0);
  settle();
  EXPECT_EQ(ok("DescribeTable", R"j({"TableName": "tbl"})j")
                .at("Table").at("GlobalSecondaryIndexes").at(0).at("IndexStatus"),
            "ACTIVE");
}

}  // namespace
}  // namespace services::dynamodb

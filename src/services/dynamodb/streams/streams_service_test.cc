#include "services/dynamodb/streams/streams_service.h"

#include <chrono>
#include <cmath>
#include <regex>

#include "services/dynamodb/dynamodb_test_support.h"
#include "services/dynamodb/streams/stream_trimmer.h"
#include "services/dynamodb/ttl_sweeper.h"

namespace services::dynamodb::streams {
namespace {

namespace json = boost::json;

class StreamsServiceTest : public DynamoDbTest {
 protected:
  StreamsServiceTest() { streams_.register_operations(registry_); }

  // A table keyed by pk (S) with a stream of `view_type`; returns the stream's ARN.
  std::string streamed(const std::string& name, const std::string& view_type) {
    json::object spec{{"StreamEnabled", true}, {"StreamViewType", view_type}};
    create(name, "", json::object{{"StreamSpecification", spec}});
    return std::string(ok("DescribeTable", json::object{{"TableName", name}})
                           .at("Table")
                           .at("LatestStreamArn")
                           .as_string());
  }
  json::object stream(const std::string& arn) {
    return s_.ok("DescribeStream", json::object{{"StreamArn", arn}})
        .at("StreamDescription")
        .as_object();
  }
  std::string shard(const std::string& arn) {
    return std::string(stream(arn).at("Shards").at(0).at("ShardId").as_string());
  }
  std::string iterator(const std::string& arn, const std::string& type,
                       const std::string& sequence = "") {
    json::object in{{"StreamArn", arn}, {"ShardId", shard(arn)}, {"ShardIteratorType", type}};
    if (!sequence.empty()) in["SequenceNumber"] = sequence;
    return std::string(s_.ok("GetShardIterator", in).at("ShardIterator").as_string());
  }
  json::object records(const std::string& it, int limit = 1000) {
    return s_.ok("GetRecords", json::object{{"ShardIterator", it}, {"Limit", limit}});
  }
  // The eventName of each record from TRIM_HORIZON.
  std::vector<std::string> events(const std::string& arn) {
    std::vector<std::string> out;
    json::object page = records(iterator(arn, "TRIM_HORIZON"));
    for (const json::value& r : page.at("Records").as_array()) {
      out.emplace_back(r.at("eventName").as_string());
    }
    return out;
  }
  void update_stream(const std::string& table, const std::string& spec) {
    ok("UpdateTable", json::object{{"TableName", table}, {"StreamSpecification", J(spec)}});
    settle();
  }

  StreamsService streams_{db_, clock_};
  fakes::RegistryCalls s_{registry_, "dynamodbstreams"};
};

TEST_F(StreamsServiceTest, CreateTableOpensAStreamWithOneShardInAwsFormats) {
  std::string arn = streamed("tab", "KEYS_ONLY");
  EXPECT_EQ(stream(arn).at("StreamStatus"), std::string("ENABLED"));  // after CREATING
  EXPECT_TRUE(std::regex_match(
      arn, std::regex(R"(arn:aws:dynamodb:us-east-1:123456789012:table/tab/stream/)"
                      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})")));
  json::object d = stream(arn);
  EXPECT_EQ(d.at("StreamStatus"), std::string("ENABLED"));
  EXPECT_EQ(d.at("StreamViewType"), std::string("KEYS_ONLY"));
  EXPECT_EQ(d.at("TableName"), std::string("tab"));
  EXPECT_EQ(d.at("KeySchema").at(0).at("AttributeName"), std::string("pk"));
  const json::object& s = d.at("Shards").at(0).as_object();
  EXPECT_TRUE(std::regex_match(std::string(s.at("ShardId").as_string()),
                               std::regex(R"(shardId-\d{20}-[0-9a-f]{8})")));
  EXPECT_FALSE(s.contains("ParentShardId"));
  const json::object& range = s.at("SequenceNumberRange").as_object();
  EXPECT_EQ(range.at("StartingSequenceNumber").as_string().size(), 21u);
  EXPECT_FALSE(range.contains("EndingSequenceNumber"));
  json::object listed = s_.ok("ListStreams", R"({"TableName": "tab"})");
  ASSERT_EQ(listed.at("Streams").as_array().size(), 1u);
  EXPECT_EQ(listed.at("Streams").at(0).at("StreamArn"), arn);
  EXPECT_EQ(s_.ok("ListStreams", R"({"TableName": "other"})").at("Streams").as_array().size(), 0u);
}

TEST_F(StreamsServiceTest, ItemChangesAreRecordedInCommitOrderWithBothImages) {
  std::string arn = streamed("tbl", "NEW_AND_OLD_IMAGES");
  put("tbl", R"({"pk": {"S": "a"}, "v": {"N": "1"}})");
  put("tbl", R"({"pk": {"S": "a"}, "v": {"N": "1.0"}})");  // changes nothing: no record
  ok("UpdateItem", R"({"TableName": "tbl", "Key": {"pk": {"S": "a"}},
      "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "2"}}})");
  ok("DeleteItem", R"({"TableName": "tbl", "Key": {"pk": {"S": "a"}}})");
  ok("DeleteItem", R"({"TableName": "tbl", "Key": {"pk": {"S": "a"}}})");  // nothing to delete
  json::array r = records(iterator(arn, "TRIM_HORIZON")).at("Records").as_array();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].at("eventName"), std::string("INSERT"));
  EXPECT_EQ(r[0].at("eventVersion"), std::string("1.1"));
  EXPECT_EQ(r[0].at("eventSource"), std::string("aws:dynamodb"));
  EXPECT_EQ(r[0].at("awsRegion"), std::string("us-east-1"));
  EXPECT_EQ(r[0].at("eventID").as_string().size(), 32u);
  const json::object& insert = r[0].at("dynamodb").as_object();
  EXPECT_EQ(insert.at("Keys"), J(R"({"pk": {"S": "a"}})"));
  EXPECT_EQ(insert.at("NewImage"), J(R"({"pk": {"S": "a"}, "v": {"N": "1"}})"));
  EXPECT_FALSE(insert.contains("OldImage"));
  EXPECT_GT(insert.at("SizeBytes").as_int64(), 0);
  EXPECT_EQ(insert.at("StreamViewType"), std::string("NEW_AND_OLD_IMAGES"));
  EXPECT_DOUBLE_EQ(insert.at("ApproximateCreationDateTime").to_number<double>(),
                   std::floor(core::to_epoch_seconds(clock_.now())));
  EXPECT_EQ(r[1].at("eventName"), std::string("MODIFY"));
  EXPECT_EQ(r[1].at("dynamodb").at("OldImage").at("v"), J(R"({"N": "1"})"));
  EXPECT_EQ(r[1].at("dynamodb").at("NewImage").at("v"), J(R"({"N": "2"})"));
  EXPECT_EQ(r[2].at("eventName"), std::string("REMOVE"));
  EXPECT_FALSE(r[2].at("dynamodb").as_object().contains("NewImage"));
  EXPECT_EQ(r[2].at("dynamodb").at("OldImage").at("v"), J(R"({"N": "2"})"));
  std::string s0(r[0].at("dynamodb").at("SequenceNumber").as_string());
  std::string s1(r[1].at("dynamodb").at("SequenceNumber").as_string());
  EXPECT_EQ(s0.size(), 21u);
  EXPECT_LT(s0, s1);
}

TEST_F(StreamsServiceTest, ViewTypesChooseTheImages) {
  for (std::string type : {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE"}) {
    std::string table = "t-" + type;
    std::string arn = streamed(table, type);
    put(table, R"({"pk": {"S": "a"}, "v": {"S": "x"}})");
    put(table, R"({"pk": {"S": "a"}, "v": {"S": "y"}})");
    json::object modify =
        records(iterator(arn, "TRIM_HORIZON")).at("Records").at(1).at("dynamodb").as_object();
    EXPECT_EQ(modify.contains("NewImage"), type == "NEW_IMAGE") << type;
    EXPECT_EQ(modify.contains("OldImage"), type == "OLD_IMAGE") << type;
    EXPECT_EQ(modify.at("Keys"), J(R"({"pk": {"S": "a"}})"));
  }
}

TEST_F(StreamsServiceTest, IteratorsStartWhereTheirTypeSays) {
  std::string arn = streamed("tbl", "KEYS_ONLY");
  put("tbl", R"({"pk": {"S": "1"}})");
  put("tbl", R"({"pk": {"S": "2"}})");
  std::string latest = iterator(arn, "LATEST");
  put("tbl", R"({"pk": {"S": "3"}})");
  json::array after_latest = records(latest).at("Records").as_array();
  ASSERT_EQ(after_latest.size(), 1u);
  EXPECT_EQ(after_latest[0].at("dynamodb").at("Keys").at("pk").at("S"), std::string("3"));
  json::array all = records(iterator(arn, "TRIM_HORIZON")).at("Records").as_array();
  ASSERT_EQ(all.size(), 3u);
  std::string second(all[1].at("dynamodb").at("SequenceNumber").as_string());
  EXPECT_EQ(records(iterator(arn, "AT_SEQUENCE_NUMBER", second)).at("Records").as_array().size(),
            2u);
  EXPECT_EQ(records(iterator(arn, "AFTER_SEQUENCE_NUMBER", second)).at("Records").as_array().size(),
            1u);
  // Paging with Limit: each page's NextShardIterator continues after it.
  json::object page = records(iterator(arn, "TRIM_HORIZON"), 2);
  EXPECT_EQ(page.at("Records").as_array().size(), 2u);
  json::object rest = records(std::string(page.at("NextShardIterator").as_string()), 2);
  EXPECT_EQ(rest.at("Records").as_array().size(), 1u);
  json::object empty = records(std::string(rest.at("NextShardIterator").as_string()));
  EXPECT_TRUE(empty.at("Records").as_array().empty());
  EXPECT_TRUE(empty.contains("NextShardIterator"));  // the shard is open
}

TEST_F(StreamsServiceTest, DisablingClosesTheShardAndEnablingMakesANewStream) {
  std::string arn = streamed("tbl", "NEW_IMAGE");
  put("tbl", R"({"pk": {"S": "a"}})");
  std::string open_iterator = iterator(arn, "TRIM_HORIZON");
  update_stream("tbl", R"({"StreamEnabled": false})");
  put("tbl", R"({"pk": {"S": "b"}})");  // no stream: no record anywhere
  json::object table = ok("DescribeTable", R"({"TableName": "tbl"})").at("Table").as_object();
  EXPECT_FALSE(table.contains("StreamSpecification"));
  EXPECT_EQ(table.at("LatestStreamArn"), arn);
  json::object d = stream(arn);
  EXPECT_EQ(d.at("StreamStatus"), std::string("DISABLED"));
  EXPECT_TRUE(
      d.at("Shards").at(0).at("SequenceNumberRange").as_object().contains("EndingSequenceNumber"));
  json::object last = records(open_iterator);
  EXPECT_EQ(last.at("Records").as_array().size(), 1u);
  EXPECT_FALSE(last.contains("NextShardIterator"));  // closed and read to its end
  update_stream("tbl", R"({"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"})");
  std::string arn2(
      ok("DescribeTable", R"({"TableName": "tbl"})").at("Table").at("LatestStreamArn").as_string());
  EXPECT_NE(arn2, arn);
  put("tbl", R"({"pk": {"S": "c"}})");
  EXPECT_EQ(events(arn2), std::vector<std::string>{"INSERT"});
  EXPECT_EQ(events(arn), std::vector<std::string>{"INSERT"});
  EXPECT_EQ(s_.ok("ListStreams", R"({"Limit": 10})").at("Streams").as_array().size(), 2u);
}

TEST_F(StreamsServiceTest, UpdateTableRejectsStreamChangesAsDynamoDbDoes) {
  streamed("tbl", "KEYS_ONLY");
  auto update = [&](const std::string& spec) {
    return err("UpdateTable", json::object{{"TableName", "tbl"}, {"StreamSpecification", J(spec)}});
  };
  EXPECT_EQ(update(R"({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"})").message,
            "Table already has an enabled stream: TableName: tbl");
  EXPECT_EQ(update(R"({"StreamEnabled": false, "StreamViewType": "NEW_IMAGE"})").message,
            "One or more parameter values were invalid: If stream is being disabled, then "
            "UpdateViewType must not be specified");
  update_stream("tbl", R"({"StreamEnabled": false})");
  protocol::AwsError e = update(R"({"StreamEnabled": false})");
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_EQ(e.message, "Table has no stream to disable: TableName: tbl");
  EXPECT_EQ(update(R"({"StreamEnabled": true})").message,
            "One or more parameter values were invalid: If stream is being enabled then "
            "UpdateViewType is required");
}

TEST_F(StreamsServiceTest, BatchesTransactionsAndTtlDeletesWriteRecords) {
  std::string arn = streamed("tbl", "NEW_AND_OLD_IMAGES");
  ok("BatchWriteItem", R"({"RequestItems": {"tbl": [
      {"PutRequest": {"Item": {"pk": {"S": "a"}, "exp": {"N": "1700000001"}}}},
      {"PutRequest": {"Item": {"pk": {"S": "b"}}}}]}})");
  ok("TransactWriteItems", R"({"TransactItems": [
      {"Update": {"TableName": "tbl", "Key": {"pk": {"S": "b"}}, "UpdateExpression": "SET n = :n",
                  "ExpressionAttributeValues": {":n": {"N": "1"}}}},
      {"Put": {"TableName": "tbl", "Item": {"pk": {"S": "c"}}}}]})");
  ok("UpdateTimeToLive", R"({"TableName": "tbl",
      "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}})");
  TtlSweeper sweeper(db_, clock_);
  EXPECT_EQ(sweeper.sweep_once(), 1);
  json::array r = records(iterator(arn, "TRIM_HORIZON")).at("Records").as_array();
  ASSERT_EQ(r.size(), 5u);
  std::vector<std::string> names;
  for (const json::value& v : r) names.emplace_back(v.at("eventName").as_string());
  EXPECT_EQ(names, (std::vector<std::string>{"INSERT", "INSERT", "MODIFY", "INSERT", "REMOVE"}));
  EXPECT_FALSE(r[0].as_object().contains("userIdentity"));
  EXPECT_EQ(r[4].at("userIdentity"),
            J(R"({"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"})"));
  EXPECT_EQ(r[4].at("dynamodb").at("Keys").at("pk").at("S"), std::string("a"));
}

TEST_F(StreamsServiceTest, IteratorsExpireAfterFifteenMinutes) {
  std::string arn = streamed("tbl", "KEYS_ONLY");
  std::string it = iterator(arn, "TRIM_HORIZON");
  clock_.advance(std::chrono::minutes(14));
  std::string next(records(it).at("NextShardIterator").as_string());
  clock_.advance(std::chrono::minutes(2));
  EXPECT_EQ(s_.err("GetRecords", json::object{{"ShardIterator", it}}).code,
            "ExpiredIteratorException");
  records(next);  // made two minutes ago: still valid
}

TEST_F(StreamsServiceTest, RecordsOlderThanADayAreTrimmed) {
  std::string arn = streamed("tbl", "KEYS_ONLY");
  put("tbl", R"({"pk": {"S": "old"}})");
  std::string old_seq(records(iterator(arn, "TRIM_HORIZON"))
                          .at("Records")
                          .at(0)
                          .at("dynamodb")
                          .at("SequenceNumber")
                          .as_string());
  clock_.advance(std::chrono::hours(23));
  put("tbl", R"({"pk": {"S": "new"}})");
  clock_.advance(std::chrono::minutes(61));
  std::string from_start = iterator(arn, "TRIM_HORIZON");  // taken before the trim
  StreamTrimmer trimmer(db_, clock_);
  EXPECT_EQ(trimmer.trim_once(), 1);
  EXPECT_EQ(s_.err("GetRecords", json::object{{"ShardIterator", from_start}}).code,
            "TrimmedDataAccessException");
  json::object in{{"StreamArn", arn},
                  {"ShardId", shard(arn)},
                  {"ShardIteratorType", "AT_SEQUENCE_NUMBER"},
                  {"SequenceNumber", old_seq}};
  EXPECT_EQ(s_.err("GetShardIterator", in).code, "TrimmedDataAccessException");
  json::array left = records(iterator(arn, "TRIM_HORIZON")).at("Records").as_array();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].at("dynamodb").at("Keys").at("pk").at("S"), std::string("new"));
}

TEST_F(StreamsServiceTest, AStreamIsEnablingAndDisablingForAMoment) {
  create("tbl");
  ok("UpdateTable", J(R"({"TableName": "tbl", "StreamSpecification":
      {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}})"));
  std::string arn(ok("DescribeTable", R"({"TableName": "tbl"})")
                      .at("Table").at("LatestStreamArn").as_string());
  EXPECT_EQ(stream(arn).at("StreamStatus"), std::string("ENABLING"));
  settle();
  EXPECT_EQ(stream(arn).at("StreamStatus"), std::string("ENABLED"));
  ok("UpdateTable", J(R"({"TableName": "tbl", "StreamSpecification": {"StreamEnabled": false}})"));
  EXPECT_EQ(stream(arn).at("StreamStatus"), std::string("DISABLING"));
  settle();
  EXPECT_EQ(stream(arn).at("StreamStatus"), std::string("DISABLED"));
}

TEST_F(StreamsServiceTest, ADeletedTablesStreamStaysReadableForADay) {
  std::string arn = streamed("tbl", "KEYS_ONLY");
  put("tbl", R"({"pk": {"S": "a"}})");
  ok("DeleteTable", R"({"TableName": "tbl"})");
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(stream(arn).at("StreamStatus"), std::string("DISABLED"));
  EXPECT_EQ(events(arn), std::vector<std::string>{"INSERT"});
  create("tbl");  // a new table of the same name writes no record to the old stream
  put("tbl", R"({"pk": {"S": "b"}})");
  EXPECT_EQ(events(arn), std::vector<std::string>{"INSERT"});
  clock_.advance(std::chrono::hours(25));
  StreamTrimmer(db_, clock_).trim_once();
  EXPECT_EQ(s_.err("DescribeStream", json::object{{"StreamArn", arn}}).code,
            "ResourceNotFoundException");
}

TEST_F(StreamsServiceTest, BadArgumentsFailAsDynamoDbStreamsFails) {
  std::string arn = streamed("tbl", "KEYS_ONLY");
  std::string bad_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/tbl/nostream";
  EXPECT_EQ(s_.err("DescribeStream", json::object{{"StreamArn", bad_arn}}).code,
            "ValidationException");
  protocol::AwsError missing = s_.err("DescribeStream", json::object{{"StreamArn", arn + "1"}});
  EXPECT_EQ(missing.code, "ResourceNotFoundException");
  EXPECT_EQ(missing.message, "Requested resource not found: Stream: " + arn + "1 not found");
  json::object in{{"StreamArn", arn},
                  {"ShardId", "shardId-00000000000000000000-00000000"},
                  {"ShardIteratorType", "LATEST"}};
  EXPECT_EQ(s_.err("GetShardIterator", in).code, "ResourceNotFoundException");
  in["ShardId"] = shard(arn);
  in["ShardIteratorType"] = "AT_SEQUENCE_NUMBER";
  EXPECT_EQ(s_.err("GetShardIterator", in).code, "ValidationException");
  in["ShardIteratorType"] = "TRIM_HORIZON";
  in["SequenceNumber"] = "100000000000000000001";
  EXPECT_EQ(s_.err("GetShardIterator", in).code, "ValidationException");
  EXPECT_EQ(s_.err("GetRecords", R"({"ShardIterator": "not-an-iterator"})").message,
            "Invalid ShardIterator");
  protocol::AwsError limit = s_.err(
      "GetRecords", json::object{{"ShardIterator", iterator(arn, "LATEST")}, {"Limit", 1001}});
  EXPECT_EQ(limit.message,
            "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to 1000");
  EXPECT_EQ(s_.err("ListStreams", R"({"Limit": 0})").code, "ValidationException");
}

TEST_F(StreamsServiceTest, CreateTableChecksTheStreamSpecification) {
  json::object in = J(R"({"TableName": "tab", "BillingMode": "PAY_PER_REQUEST",
      "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})");
  in["StreamSpecification"] = J(R"({"StreamEnabled": true})");
  EXPECT_EQ(err("CreateTable", in).message,
            "One or more parameter values were invalid: Table is being created with a stream "
            "enabled, UpdateViewType is required");
  in["StreamSpecification"] = J(R"({"StreamEnabled": false, "StreamViewType": "KEYS_ONLY"})");
  EXPECT_EQ(err("CreateTable", in).message,
            "One or more parameter values were invalid: Table is being created with a stream "
            "disabled, UpdateViewType should not be specified");
  in["StreamSpecification"] = J(R"({"StreamEnabled": false})");
  ok("CreateTable", in);
  settle();
  EXPECT_FALSE(ok("DescribeTable", R"({"TableName": "tab"})")
                   .at("Table")
                   .as_object()
                   .contains("StreamSpecification"));
  EXPECT_TRUE(s_.ok("ListStreams").at("Streams").as_array().empty());
}

TEST_F(StreamsServiceTest, ListStreamsPagesByLimit) {
  std::vector<std::string> arns{streamed("aaa", "KEYS_ONLY"), streamed("bbb", "KEYS_ONLY"),
                                streamed("ccc", "KEYS_ONLY")};
  std::vector<std::string> seen;
  json::object in{{"Limit", 2}};
  for (;;) {
    json::object page = s_.ok("ListStreams", in);
    for (const json::value& s : page.at("Streams").as_array()) {
      seen.emplace_back(s.at("StreamArn").as_string());
    }
    if (!page.contains("LastEvaluatedStreamArn")) break;
    in["ExclusiveStartStreamArn"] = page.at("LastEvaluatedStreamArn");
  }
  EXPECT_EQ(seen, arns);
}

}  // namespace
}  // namespace services::dynamodb::streams

#include "services/dynamodb/ttl_sweeper.h"

#include <chrono>

#include "services/dynamodb/dynamodb_test_support.h"

namespace services::dynamodb {
namespace {

class TtlSweeperTest : public DynamoDbTest {
 protected:
  TtlSweeper sweeper_{db_, clock_};
  // The ManualClock starts at 1700000000 s; settle() moves it 5 s on.
  std::string item(const std::string& pk, const std::string& expires) {
    return R"j({"pk": {"S": ")j" + pk + R"j("}, "exp": )j" + expires + "}";
  }
};

TEST_F(TtlSweeperTest, DeletesOnlyItemsWhoseNumberIsInThePast) {
  create("tbl", "", J(R"j({"AttributeDefinitions": [{"AttributeName": "g", "AttributeType": "S"}],
      "GlobalSecondaryIndexes": [{"IndexName": "by_g",
          "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "ALL"}}]})j"));
  ok("UpdateTimeToLive", R"j({"TableName": "tbl",
      "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}})j");
  put("tbl", R"j({"pk": {"S": "old"}, "g": {"S": "x"}, "exp": {"N": "1700000001"}})j");
  put("tbl", item("future", R"j({"N": "1800000000"})j"));
  put("tbl", item("string", R"j({"S": "1700000001"})j"));
  put("tbl", item("ancient", R"j({"N": "1000"})j"));  // more than five years ago: ignored
  put("tbl", R"j({"pk": {"S": "none"}})j");
  EXPECT_EQ(sweeper_.sweep_once(), 1);
  EXPECT_EQ(ok("Scan", R"j({"TableName": "tbl"})j").at("Count").as_int64(), 4);
  EXPECT_FALSE(ok("GetItem", R"j({"TableName": "tbl", "Key": {"pk": {"S": "old"}}})j")
                   .contains("Item"));
  EXPECT_EQ(ok("Scan", R"j({"TableName": "tbl", "IndexName": "by_g"})j").at("Count").as_int64(), 0);
  EXPECT_EQ(ok("DescribeTable", R"j({"TableName": "tbl"})j").at("Table").at("ItemCount").as_int64(),
            4);
  EXPECT_EQ(sweeper_.sweep_once(), 0);
}

TEST_F(TtlSweeperTest, TablesWithoutTimeToLiveKeepExpiredItems) {
  create("tbl");
  put("tbl", item("old", R"j({"N": "1700000001"})j"));
  EXPECT_EQ(sweeper_.sweep_once(), 0);
  EXPECT_EQ(ok("Scan", R"j({"TableName": "tbl"})j").at("Count").as_int64(), 1);
}

TEST_F(TtlSweeperTest, StartAndStopRunAndJoinTheThread) {
  sweeper_.start();
  sweeper_.stop();
  sweeper_.start();
  sweeper_.stop();
}

}  // namespace
}  // namespace services::dynamodb

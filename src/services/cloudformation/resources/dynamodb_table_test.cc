// AWS::DynamoDB::Table over the real DynamoDB handlers: create with a stream and a GSI, Ref and
// GetAtt, in-place updates (a stream's new view type, a new index, billing), read and delete.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "protocol/service_registry.h"
#include "services/cloudformation/resources/providers.h"
#include "services/dynamodb/dynamodb_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using engine::ProvisionResult;
using engine::ResourceRequest;

constexpr const char* kKeys =
    R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",)"
    R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"})";
// kKeys's attributes and the index's: one of them is appended to kKeys, then "]".
constexpr const char* kJustPk = "]";
constexpr const char* kWithG = R"(,{"AttributeName":"g","AttributeType":"S"}])";

class DynamoDbTableTest : public ::testing::Test {
 protected:
  DynamoDbTableTest() {
    dynamodb_.register_operations(registry_);
    add_data_providers(providers_, client_);
    stack_.account = "123456789012";
    stack_.region = "us-east-1";
    stack_.stack_name = "app";
    stack_.stack_id = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1b2c3d4e";
  }

  engine::ResourceProvider& provider() { return *providers_.find("AWS::DynamoDB::Table"); }
  ResourceRequest request(const std::string& props) {
    ResourceRequest r;
    r.stack = &stack_;
    r.type = "AWS::DynamoDB::Table";
    r.logical_id = "Hits";
    r.properties = json::parse("{" + std::string(kKeys) + kJustPk + props + "}");
    return r;
  }
  // stabilize() until done, the clock moving on between polls as the stack worker's would.
  void settle(const ResourceRequest& req) {
    for (int i = 0; i < 20; ++i) {
      auto p = provider().stabilize(req);
      ASSERT_TRUE(p) << p.error().code << ": " << p.error().message;
      if (*p == engine::Progress::Done) return;
      clock_.advance(std::chrono::seconds(5));
    }
    FAIL() << "the table did not settle";
  }
  json::object table(const std::string& name) {
    auto r = client_.call(stack_, "dynamodb", "DescribeTable", {{"TableName", name}});
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r->at("Table").as_object() : json::object{};
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  dynamodb::DynamoDbService dynamodb_{db_, clock_};
  ServiceClient client_{registry_};
  engine::ResourceProviders providers_;
  engine::StackIdentity stack_;
};

TEST_F(DynamoDbTableTest, CreatesWithStreamThenChangesTheViewTypeAndAddsAnIndexInPlace) {
  ResourceRequest req = request(R"(,"TableName":"hits",)"
                                R"("StreamSpecification":{"StreamViewType":"NEW_IMAGE"})");
  auto made = provider().create(req);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->physical_id, "hits");
  req.physical_id = "hits";
  settle(req);
  json::object t = table("hits");
  EXPECT_EQ(t.at("TableStatus"), "ACTIVE");
  std::string first_stream(t.at("LatestStreamArn").as_string());
  EXPECT_EQ(provider().read(req)->attributes.at("StreamArn"), json::value(first_stream));

  // A new view type: DynamoDB refuses to change an enabled stream, so the stream is turned off
  // and on again, a new stream with a new ARN.
  ResourceRequest next = req;
  next.previous_properties = req.properties;
  next.properties = json::parse(
      "{" + std::string(kKeys) + kWithG +
      R"(,"TableName":"hits","StreamSpecification":{"StreamViewType":"NEW_AND_OLD_IMAGES"},)"
      R"("GlobalSecondaryIndexes":[{"IndexName":"byg","KeySchema":[{"AttributeName":"g",)"
      R"("KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]})");
  auto updated = provider().update(next);
  ASSERT_TRUE(updated) << updated.error().code << ": " << updated.error().message;
  EXPECT_EQ(updated->physical_id, "hits");
  settle(next);
  t = table("hits");
  EXPECT_EQ(t.at("StreamSpecification").at("StreamViewType"), "NEW_AND_OLD_IMAGES");
  EXPECT_NE(t.at("LatestStreamArn").as_string(), first_stream);
  ASSERT_TRUE(t.contains("GlobalSecondaryIndexes"));
  EXPECT_EQ(t.at("GlobalSecondaryIndexes").at(0).at("IndexName"), "byg");

  // Streams off: the stream specification goes, and stays gone after stabilize.
  ResourceRequest off = next;
  off.previous_properties = next.properties;
  off.properties = json::parse("{" + std::string(kKeys) + kWithG + R"(,"TableName":"hits",)" +
                              R"("GlobalSecondaryIndexes":)" +
                              json::serialize(next.properties.at("GlobalSecondaryIndexes")) + "}");
  ASSERT_TRUE(provider().update(off));
  settle(off);
  EXPECT_FALSE(table("hits").contains("StreamSpecification"));

  ASSERT_TRUE(provider().remove(off));
  ASSERT_TRUE(provider().remove(off));  // idempotent
  auto gone = provider().read(off);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, "ResourceNotFoundException");
}

TEST_F(DynamoDbTableTest, KeySchemaAndNameRequireReplacement) {
  EXPECT_EQ(provider().update_behavior("KeySchema"), engine::UpdateBehavior::Replacement);
  EXPECT_EQ(provider().update_behavior("TableName"), engine::UpdateBehavior::Replacement);
  EXPECT_EQ(provider().update_behavior("StreamSpecification"),
            engine::UpdateBehavior::NoInterruption);
}

}  // namespace
}  // namespace services::cloudformation::resources

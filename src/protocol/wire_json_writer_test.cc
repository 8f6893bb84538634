// append_wire_json writes exactly json::serialize(to_wire_json(...)): same members left out,
// same order, same scalars, over documents with wrong types, nulls, nested lists and maps.

#include "protocol/wire_json_writer.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>
#include <string>

#include "protocol/document_convert.h"

namespace protocol {
namespace {
namespace json = boost::json;

void expect_same_as_to_wire_json(std::string_view service, std::string_view operation,
                                 const json::object& doc) {
  const ServiceModel* model = find_model(service);
  ASSERT_NE(model, nullptr);
  const OperationDef* op = model->find_operation(operation);
  ASSERT_NE(op, nullptr);
  std::string written;
  append_wire_json(written, *model, op->output, doc);
  json::value converted = to_wire_json(*model, op->output, json::value(doc));
  EXPECT_EQ(written, json::serialize(converted)) << service << "." << operation;
  EXPECT_EQ(json::parse(written), converted);
}

TEST(WireJsonWriterTest, WritesWhatToWireJsonBuildsForEcs) {
  expect_same_as_to_wire_json("ecs", "RegisterTaskDefinition", json::parse(R"({
      "taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:0:task-definition/web:1",
        "family": "we\"b\n", "revision": 1, "status": "ACTIVE", "registeredAt": 1700000000.123,
        "deleteRequestedAt": 1700000000, "deregisteredAt": "not a timestamp",
        "containerDefinitions": [null, {"name": "app", "cpu": 128, "essential": true,
          "portMappings": [{"containerPort": 80}, 7, null], "memory": "wrong type"}, "x"],
        "volumes": "not a list", "placementConstraints": []},
      "tags": [{"key": "k", "value": "v"}, {"key": null}], "unmodeled": 1})")
                                                              .as_object());
  expect_same_as_to_wire_json("ecs", "DescribeServices", json::parse(R"({
      "services": [{"serviceName": "s", "desiredCount": 2.0, "createdAt": 1.5,
        "deployments": [{"id": "ecs-svc/1", "rolloutState": "COMPLETED", "updatedAt": 2}],
        "events": [], "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["a", 1]}}}],
      "failures": [{"arn": "x", "reason": "MISSING"}]})")
                                                            .as_object());
}

TEST(WireJsonWriterTest, WritesMapsBlobsAndNumbersAsToWireJsonDoes) {
  json::object item;
  item["Item"] = {{"b", {{"B", std::string("\x00\x01\xffhi", 5)}}},
                  {"", {{"S", "empty key"}}},
                  {"m", {{"M", {{"n", {{"N", "1.5"}}}, {"gone", nullptr}, {"bad", 3}}}}},
                  {"l", {{"L", json::array{json::object{{"BOOL", true}}, nullptr}}}},
                  {"null", nullptr}};
  item["ConsumedCapacity"] = {{"TableName", "t"}, {"CapacityUnits", 0.5}};
  expect_same_as_to_wire_json("dynamodb", "GetItem", item);

  json::object stats;
  stats["Label"] = "CPUUtilization";
  stats["Datapoints"] = json::array{
      json::object{{"Timestamp", 1700000000}, {"Average", std::numeric_limits<double>::quiet_NaN()},
                   {"Maximum", std::numeric_limits<double>::infinity()}, {"Unit", "Percent"}},
      json::object{{"Timestamp", "bad"}, {"Sum", 2}}};
  expect_same_as_to_wire_json("cloudwatch", "GetMetricStatistics", stats);
}

TEST(WireJsonWriterTest, AnEmptyOrUnmodeledReplyIsAnEmptyObject) {
  expect_same_as_to_wire_json("logs", "DescribeLogGroups", json::object{});
  expect_same_as_to_wire_json("logs", "DescribeLogGroups", json::object{{"other", 1}});
}

}  // namespace
}  // namespace protocol

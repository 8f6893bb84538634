// Request fixtures are botocore 1.43's own JSONSerializer output (serialize_to_request); expected
// response bodies were checked by feeding them to botocore's JSONParser.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "protocol/codec.h"
#include "protocol/document_convert.h"

namespace protocol {
namespace {
namespace json = boost::json;

class JsonCodecTest : public ::testing::Test {
 protected:
  const Codec& codec_ = json_codec();
  RequestContext ctx_{.request_id = "11111111-2222-3333-4444-555555555555"};

  static const ServiceModel& model(std::string_view name) {
    const ServiceModel* m = find_model(name);
    EXPECT_NE(m, nullptr) << name;
    return *m;
  }
  static http::Request request(std::string target, std::string body) {
    http::Request req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"X-Amz-Target", std::move(target)},
                   {"Content-Type", "application/x-amz-json-1.1"}};
    req.body = std::move(body);
    return req;
  }
  Result<DecodedRequest> decode(std::string_view service, std::string target, std::string body) {
    return codec_.decode(model(service), request(std::move(target), std::move(body)));
  }
  void expect_serialization_error(std::string_view service, std::string target, std::string body,
                                  std::string_view message_part = {}) {
    auto r = decode(service, std::move(target), std::move(body));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, "SerializationException");
    EXPECT_EQ(r.error().http_status, 400);
    EXPECT_NE(r.error().message.find(message_part), std::string::npos) << r.error().message;
  }
};

constexpr std::string_view kRegisterTaskDefinition =
    R"({"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], )"
    R"("cpu": "256", "memory": "512", "containerDefinitions": [{"name": "app", "image": )"
    R"("nginx:latest", "essential": true, "cpu": 128, "memory": 256, "portMappings": [{)"
    R"("containerPort": 80, "hostPort": 80, "protocol": "tcp"}], "environment": [{"name": "A", )"
    R"("value": "1"}], "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": )"
    R"("/ecs/web", "awslogs-region": "us-east-1"}}, "healthCheck": {"command": ["CMD-SHELL", )"
    R"("curl -f http://localhost/ || exit 1"], "interval": 30, "retries": 3}, "dockerLabels": )"
    R"({"k": "v"}}]})";

TEST_F(JsonCodecTest, DecodesBotocoreRegisterTaskDefinitionWithNestedContainerDefinitions) {
  auto r = decode("ecs", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition",
                  std::string(kRegisterTaskDefinition));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->operation->name, "RegisterTaskDefinition");
  const json::object& in = r->input;
  EXPECT_EQ(in.at("family"), "web");
  EXPECT_EQ(in.at("cpu"), "256");  // a string member in the model
  EXPECT_EQ(in.at("requiresCompatibilities"), json::array({"FARGATE"}));
  const json::object& c = in.at("containerDefinitions").at(0).as_object();
  EXPECT_EQ(c.at("cpu").as_int64(), 128);
  EXPECT_EQ(c.at("essential").as_bool(), true);
  EXPECT_EQ(c.at("portMappings").at(0).at("containerPort").as_int64(), 80);
  EXPECT_EQ(c.at("logConfiguration").at("options").at("awslogs-group"), "/ecs/web");
  EXPECT_EQ(c.at("healthCheck").at("command").at(1), "curl -f http://localhost/ || exit 1");
  EXPECT_EQ(c.at("dockerLabels").at("k"), "v");
}

TEST_F(JsonCodecTest, DecodesBotocoreCreateService) {
  auto r = decode("ecs", "AmazonEC2ContainerServiceV20141113.CreateService",
                  R"({"cluster": "c1", "serviceName": "web", "taskDefinition": "web:1", )"
                  R"("desiredCount": 2, "launchType": "FARGATE", "networkConfiguration": )"
                  R"({"awsvpcConfiguration": {"subnets": ["subnet-1"], "securityGroups": )"
                  R"(["sg-1"], "assignPublicIp": "ENABLED"}}, "loadBalancers": [{)"
                  R"("targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:000000000000:)"
                  R"(targetgroup/tg/1", "containerName": "app", "containerPort": 80}], )"
                  R"("deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": )"
                  R"(100, "deploymentCircuitBreaker": {"enable": true, "rollback": false}}, )"
                  R"("healthCheckGracePeriodSeconds": 0, "enableExecuteCommand": false})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const json::object& in = r->input;
  EXPECT_EQ(in.at("desiredCount").as_int64(), 2);
  EXPECT_EQ(in.at("networkConfiguration").at("awsvpcConfiguration").at("subnets").at(0),
            "subnet-1");
  EXPECT_EQ(in.at("loadBalancers").at(0).at("containerPort").as_int64(), 80);
  EXPECT_EQ(in.at("deploymentConfiguration").at("deploymentCircuitBreaker").at("rollback"), false);
  EXPECT_EQ(in.at("healthCheckGracePeriodSeconds").as_int64(), 0);
}

TEST_F(JsonCodecTest, DecodesDynamoDbPutItemBlobsToRawBytes) {
  auto r = decode("dynamodb", "DynamoDB_20120810.PutItem",
                  R"({"TableName": "t", "Item": {"pk": {"S": "a"}, "n": {"N": "1.5"}, "b": )"
                  R"({"B": "AAH/aGk="}, "l": {"L": [{"BOOL": true}, {"NULL": true}]}, "m": {"M": )"
                  R"({"x": {"SS": ["a", "b"]}}}, "bs": {"BS": ["AQ==", "AgM="]}}, )"
                  R"("ReturnValues": "ALL_OLD"})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const json::object& item = r->input.at("Item").as_object();
  EXPECT_EQ(item.at("b").at("B"), json::string(std::string("\x00\x01\xffhi", 5)));
  EXPECT_EQ(item.at("bs").at("BS"), json::array({"\x01", "\x02\x03"}));
  EXPECT_EQ(item.at("n").at("N"), "1.5");
  EXPECT_EQ(item.at("l").at("L").at(1).at("NULL"), true);
  EXPECT_EQ(item.at("m").at("M").at("x").at("SS").at(1), "b");
}

TEST_F(JsonCodecTest, DecodesLogsEventTimestampsAsLongMilliseconds) {
  auto r = decode("logs", "Logs_20140328.PutLogEvents",
                  R"({"logGroupName": "g", "logStreamName": "s", "logEvents": [{"timestamp": )"
                  R"(1700000000123, "message": "hello"}, {"timestamp": 1700000000124, )"
                  R"("message": "world"}]})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->input.at("logEvents").at(0).at("timestamp").as_int64(), 1700000000123);
  EXPECT_EQ(r->input.at("logEvents").at(1).at("message"), "world");
}

TEST_F(JsonCodecTest, DecodesTimestampsFromEpochNumbersAndIso8601Strings) {
  // CloudWatch in its JSON mode: StartTime/EndTime are timestamp shapes.
  auto r = decode("cloudwatch", "GraniteServiceVersion20100801.GetMetricStatistics",
                  R"({"Namespace": "AWS/ECS", "MetricName": "CPUUtilization", "StartTime": )"
                  R"(1700000000.5, "EndTime": "2023-11-14T22:13:20.250Z", "Period": 60})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_DOUBLE_EQ(r->input.at("StartTime").as_double(), 1700000000.5);
  EXPECT_DOUBLE_EQ(r->input.at("EndTime").as_double(), 1700000000.25);
}

TEST_F(JsonCodecTest, EmptyBodyIsEmptyInput) {
  auto r = decode("ecs", "AmazonEC2ContainerServiceV20141113.ListClusters", "");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->operation->name, "ListClusters");
  EXPECT_TRUE(r->input.empty());
}

// Coral treats an explicit null like an absent member, and ignores members it does not model.
TEST_F(JsonCodecTest, NullAndUnknownMembersAreDropped) {
  auto r = decode("ecs", "AmazonEC2ContainerServiceV20141113.CreateService",
                  R"({"serviceName": "web", "cluster": null, "notAMember": {"x": [1]}, )"
                  R"("loadBalancers": [null, {"containerPort": 80, "bogus": 1}]})");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input),
            json::parse(R"({"serviceName":"web","loadBalancers":[{"containerPort":80}]})"));
}

TEST_F(JsonCodecTest, UnknownTargetIsUnknownOperationException) {
  for (std::string target : {"AmazonEC2ContainerServiceV20141113.NoSuchOperation",
                             "DynamoDB_20120810.CreateService", "CreateService", ""}) {
    auto r = decode("ecs", target, "{}");
    ASSERT_FALSE(r.has_value()) << target;
    EXPECT_EQ(r.error().code, "UnknownOperationException");
    EXPECT_EQ(r.error().http_status, 400);
  }
}

TEST_F(JsonCodecTest, MalformedBodiesAreSerializationExceptions) {
  const std::string target = "AmazonEC2ContainerServiceV20141113.ListClusters";
  expect_serialization_error("ecs", target, "{\"maxResults\": ", "end of input");
  expect_serialization_error("ecs", target, "{'a': 1}");
  expect_serialization_error("ecs", target, "[]", "Start of list");
  expect_serialization_error("ecs", target, "\"text\"");
  expect_serialization_error("ecs", target, "{} {}", "after the end");
  expect_serialization_error("ecs", target, "{\"a\": \"\xff\"}");
}

TEST_F(JsonCodecTest, DeeplyNestedBodyIsRejectedWithoutRecursing) {
  const std::string target = "AmazonEC2ContainerServiceV20141113.ListClusters";
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  expect_serialization_error("ecs", target, deep, "depth");
}

// "Nesting of up to 32 levels" (DynamoDB developer guide, Service quotas: Attributes): a
// 32-level item is two JSON levels per level below the request's own, so it must decode; the
// service, not the codec, rejects a 33rd level with DynamoDB's message.
TEST_F(JsonCodecTest, DecodesADynamoDbItemNested32LevelsInATransaction) {
  std::string value = R"({"S": "leaf"})";
  for (int level = 1; level < 32; ++level) value = R"({"M": {"a": )" + value + "}}";
  std::string body = R"({"TransactItems": [{"Put": {"TableName": "t", "Item": {"deep": )" +
                     value + "}}}]}";
  auto r = decode("dynamodb", "DynamoDB_20120810.TransactWriteItems", body);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const json::value* v = &r->input.at("TransactItems").at(0).at("Put").at("Item").at("deep");
  for (int level = 1; level < 32; ++level) v = &v->at("M").at("a");
  EXPECT_EQ(v->at("S"), "leaf");
}

TEST_F(JsonCodecTest, EveryTruncationOfAFixtureIsASerializationException) {
  const std::string fixture(kRegisterTaskDefinition);
  for (std::size_t n = 1; n < fixture.size(); ++n) {
    auto r = decode("ecs", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition",
                    fixture.substr(0, n));
    ASSERT_FALSE(r.has_value()) << n;
    EXPECT_EQ(r.error().code, "SerializationException");
  }
}

// "STRING_VALUE can not be converted to an Integer" is how AWS JSON services answer a string
// where the model says integer.
TEST_F(JsonCodecTest, MembersOfTheWrongJsonTypeAreSerializationExceptions) {
  const std::string target = "AmazonEC2ContainerServiceV20141113.CreateService";
  expect_serialization_error("ecs", target, R"({"desiredCount": "2"})",
                             "STRING_VALUE can not be converted to an Integer");
  expect_serialization_error("ecs", target, R"({"desiredCount": 2.5})");
  expect_serialization_error("ecs", target, R"({"loadBalancers": {"a": 1}})",
                             "Start of structure or map found where not expected.");
  expect_serialization_error("ecs", target, R"({"serviceName": ["web"]})", "Start of list");
  expect_serialization_error("ecs", target, R"({"serviceName": 5})", "NUMBER_VALUE");
  expect_serialization_error("ecs", target, R"({"enableExecuteCommand": "true"})");
  expect_serialization_error("ecs", target, R"({"desiredCount": 99999999999999999999})");
}

TEST_F(JsonCodecTest, BadBase64BlobIsSerializationException) {
  expect_serialization_error("dynamodb", "DynamoDB_20120810.PutItem",
                             R"({"TableName": "t", "Item": {"b": {"B": "not base64!"}}})",
                             "Base64");
  expect_serialization_error("dynamodb", "DynamoDB_20120810.PutItem",
                             R"({"TableName": "t", "Item": {"b": {"B": "QUJD="}}})", "Base64");
}

TEST_F(JsonCodecTest, UnparseableTimestampIsSerializationException) {
  expect_serialization_error("cloudwatch", "GraniteServiceVersion20100801.GetMetricStatistics",
                             R"({"StartTime": "yesterday"})", "date");
  expect_serialization_error("cloudwatch", "GraniteServiceVersion20100801.GetMetricStatistics",
                             R"({"StartTime": true})");
}

TEST_F(JsonCodecTest, EncodesOutputWithEpochSecondTimestamps) {
  const ServiceModel& ecs = model("ecs");
  const OperationDef* op = ecs.find_operation("RegisterTaskDefinition");
  ASSERT_NE(op, nullptr);
  json::object output = json::parse(R"({
      "taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:0:task-definition/web:1",
        "family": "web", "revision": 1, "status": "ACTIVE", "registeredAt": 1700000000.123,
        "deleteRequestedAt": 1700000000, "deregisteredAt": "not a timestamp",
        "containerDefinitions": [{"name": "app", "cpu": 128, "essential": true,
          "portMappings": [{"containerPort": 80}], "memory": "wrong type"}]},
      "tags": [{"key": "k", "value": "v"}], "unmodeled": 1})")
                            .as_object();
  http::Response res;
  codec_.encode_output(ecs, *op, output, ctx_, res);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(res.header("x-amzn-RequestId"), ctx_.request_id);
  // Checked with botocore: registeredAt parses to 2023-11-14 22:13:20.123000+00:00. Whole
  // seconds go out as integers.
  EXPECT_EQ(json::parse(res.body), json::parse(R"({
      "taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:0:task-definition/web:1",
        "containerDefinitions": [{"name": "app", "cpu": 128,
          "portMappings": [{"containerPort": 80}], "essential": true}],
        "family": "web", "revision": 1, "status": "ACTIVE",
        "registeredAt": 1700000000.123, "deleteRequestedAt": 1700000000},
      "tags": [{"key": "k", "value": "v"}]})"));
}

TEST_F(JsonCodecTest, EncodesBlobsAsBase64AndLongsAsIntegers) {
  const ServiceModel& ddb = model("dynamodb");
  json::object output;
  output["Item"] = {{"b", {{"B", std::string("\x00\x01\xffhi", 5)}}}, {"s", {{"S", "x"}}}};
  http::Response res;
  codec_.encode_output(ddb, *ddb.find_operation("GetItem"), output, ctx_, res);
  EXPECT_EQ(res.header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(json::parse(res.body), json::parse(R"({"Item":{"b":{"B":"AAH/aGk="},"s":{"S":"x"}}})"));

  const ServiceModel& logs = model("logs");
  json::object groups = json::parse(R"({"logGroups": [{"logGroupName": "g", "creationTime":
      1700000000123, "storedBytes": 5}]})")
                            .as_object();
  codec_.encode_output(logs, *logs.find_operation("DescribeLogGroups"), groups, ctx_, res);
  EXPECT_EQ(res.body,
            R"({"logGroups":[{"logGroupName":"g","creationTime":1700000000123,"storedBytes":5}]})");
}

TEST_F(JsonCodecTest, OperationWithoutOutputShapeEncodesEmptyObject) {
  const ServiceModel& logs = model("logs");
  const OperationDef* op = logs.find_operation("CreateLogGroup");
  ASSERT_EQ(op->output, kNoShape);
  http::Response res;
  codec_.encode_output(logs, *op, {}, ctx_, res);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "{}");
}

TEST_F(JsonCodecTest, EncodesErrorWithTypeMessageAndFields) {
  AwsError error{"ClusterNotFoundException", "Cluster not found."};
  error.fields["reason"] = "MISSING";
  http::Response res;
  codec_.encode_error(model("ecs"), error, ctx_, res);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.header("x-amzn-ErrorType"), "ClusterNotFoundException");
  EXPECT_EQ(res.header("x-amzn-RequestId"), ctx_.request_id);
  EXPECT_EQ(res.header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_FALSE(res.headers.empty());
  EXPECT_EQ(json::parse(res.body),
            json::parse(R"({"__type":"ClusterNotFoundException","message":"Cluster not found.",)"
                        R"("reason":"MISSING"})"));
}

TEST_F(JsonCodecTest, DynamoDbErrorTypesCarryTheServiceNamespace) {
  http::Response res;
  codec_.encode_error(model("dynamodb"),
                      AwsError{"ResourceNotFoundException", "Requested resource not found"}, ctx_,
                      res);
  EXPECT_EQ(json::parse(res.body).at("__type"),
            "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
  EXPECT_EQ(res.header("x-amzn-ErrorType"), "ResourceNotFoundException");
}

// botocore reads the query error code from x-amzn-query-error for awsQueryCompatible services.
TEST_F(JsonCodecTest, QueryCompatibleErrorsCarryTheQueryErrorHeader) {
  http::Response res;
  codec_.encode_error(model("cloudwatch"),
                      AwsError{"InvalidParameterValue", "bad value", 400, true}, ctx_, res);
  EXPECT_EQ(res.header("x-amzn-query-error"), "InvalidParameterValue;Sender");
  EXPECT_EQ(json::parse(res.body).at("__type"), "InvalidParameterValueException");

  codec_.encode_error(model("cloudwatch"), errors::internal("InternalServiceError"), ctx_, res);
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.header("x-amzn-query-error"), "InternalServiceError;Receiver");
}

}  // namespace
}  // namespace protocol

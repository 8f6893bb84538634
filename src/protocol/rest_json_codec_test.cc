#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "protocol/codec.h"
#include "protocol/codec_test_support.h"
#include "protocol/model.h"

namespace protocol {
namespace {

namespace json = boost::json;

// Request fixtures are botocore 1.x serializer output (serialize.py RestJSONSerializer, prepared
// against http://127.0.0.1:4566). Encoder outputs were checked with botocore's RestJSONParser and
// are pinned here.
class RestJsonCodecTest : public testing::CodecTest {
 protected:
  RestJsonCodecTest() : CodecTest(rest_json_codec(), "lambda") {}

  const ServiceModel& lambda_ = model_;
};

TEST_F(RestJsonCodecTest, InvokeTakesRawPayloadHeadersLabelAndQuery) {
  auto r = codec_.decode(
      lambda_, request("POST",
                       "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3A"
                       "function%3Amy-func/invocations?Qualifier=prod",
                       {{"X-Amz-Invocation-Type", "Event"},
                        {"X-Amz-Log-Type", "Tail"},
                        {"X-Amz-Client-Context", "eyJhIjoxfQ=="},
                        {"Content-Length", "8"}},
                       "{\"k\": 1}"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->operation->name, "Invoke");
  EXPECT_EQ(json::serialize(r->input),
            R"({"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:my-func",)"
            R"("InvocationType":"Event","LogType":"Tail","ClientContext":"eyJhIjoxfQ==",)"
            R"("Qualifier":"prod","Payload":"{\"k\": 1}"})");
}

TEST_F(RestJsonCodecTest, CreateFunctionDecodesNestedBodyByShape) {
  auto r = codec_.decode(
      lambda_, request("POST", "/2015-03-31/functions",
                       {{"Content-Type", "application/json"}, {"Content-Length", "402"}},
                       R"({"FunctionName": "my-func", "Runtime": "python3.12", )"
                       R"("Role": "arn:aws:iam::123456789012:role/r", "Handler": "app.handler", )"
                       R"("Code": {"ZipFile": "UEsDBHppcA=="}, "Timeout": 30, "MemorySize": 256, )"
                       R"("Publish": true, "Environment": {"Variables": {"A": "1", "B": "two"}}, )"
                       R"("VpcConfig": {"SubnetIds": ["subnet-1", "subnet-2"], )"
                       R"("SecurityGroupIds": ["sg-1"]}, "Tags": {"team": "core"}, )"
                       R"("Architectures": ["arm64"]})"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->operation->name, "CreateFunction");
  const json::object& in = r->input;
  EXPECT_EQ(in.at("Code").at("ZipFile"), json::string("PK\x03\x04zip"));
  EXPECT_EQ(in.at("Timeout"), 30);
  EXPECT_EQ(in.at("Publish"), true);
  EXPECT_EQ(in.at("Environment").at("Variables").at("B"), "two");
  EXPECT_EQ(json::serialize(in.at("VpcConfig")),
            R"({"SubnetIds":["subnet-1","subnet-2"],"SecurityGroupIds":["sg-1"]})");
  EXPECT_EQ(in.at("Architectures").at(0), "arm64");
}

TEST_F(RestJsonCodecTest, ListFunctionsReadsQueryParameters) {
  auto r = codec_.decode(
      lambda_,
      request("GET",
              "/2015-03-31/functions?MaxItems=10&Marker=abc%20def%2F%2B%3D&FunctionVersion=ALL", {},
              ""));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->operation->name, "ListFunctions");
  EXPECT_EQ(json::serialize(r->input),
            R"({"FunctionVersion":"ALL","Marker":"abc def/+=","MaxItems":10})");
}

TEST_F(RestJsonCodecTest, MalformedJsonIsSerializationException) {
  auto r = codec_.decode(lambda_, request("POST", "/2015-03-31/functions", {}, "{\"Timeout\": "));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "SerializationException");
  EXPECT_EQ(r.error().http_status, 400);
}

TEST_F(RestJsonCodecTest, WrongJsonTypeIsSerializationException) {
  auto r = codec_.decode(lambda_,
                         request("POST", "/2015-03-31/functions", {}, R"({"Timeout": "thirty"})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "SerializationException");
}

TEST_F(RestJsonCodecTest, NonObjectBodyIsSerializationException) {
  auto r = codec_.decode(lambda_, request("POST", "/2015-03-31/functions", {}, "[1,2]"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "SerializationException");
}

TEST_F(RestJsonCodecTest, DeeplyNestedJsonIsRejectedNotRecursed) {
  std::string deep = R"({"Tags": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto r = codec_.decode(lambda_, request("POST", "/2015-03-31/functions", {}, deep));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "SerializationException");
}

TEST_F(RestJsonCodecTest, BadPercentEncodingInLabelIsSerializationException) {
  auto r = codec_.decode(lambda_, request("GET", "/2015-03-31/functions/my%zzfunc", {}, ""));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "SerializationException");
  EXPECT_EQ(r.error().http_status, 400);
}

TEST_F(RestJsonCodecTest, UnknownRouteIsUnknownOperationException) {
  auto r = codec_.decode(lambda_, request("GET", "/2099-01-01/nothing", {}, ""));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "UnknownOperationException");
  EXPECT_EQ(r.error().http_status, 404);
}

TEST_F(RestJsonCodecTest, GetFunctionOutputIsJsonBodyWithRequestId) {
  http::Response res = output("GetFunction", R"({
    "Configuration": {"FunctionName": "f", "CodeSize": 1234, "Timeout": 30,
                      "Environment": {"Variables": {"A": "1"}}, "Architectures": ["x86_64"],
                      "State": "Active", "Bogus": 1, "MemorySize": "wrong type"},
    "Code": {"RepositoryType": "S3", "Location": "https://example.com/f.zip"},
    "Tags": {"team": "core"}
  })");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("x-amzn-RequestId"), "req-1");
  EXPECT_EQ(res.header("Content-Type"), "application/json");
  EXPECT_EQ(res.body, R"({"Configuration":{"FunctionName":"f","CodeSize":1234,"Timeout":30,)"
                      R"("Environment":{"Variables":{"A":"1"}},"State":"Active",)"
                      R"("Architectures":["x86_64"]},"Code":{"RepositoryType":"S3",)"
                      R"("Location":"https://example.com/f.zip"},"Tags":{"team":"core"}})");
}

TEST_F(RestJsonCodecTest, BodyTimestampsAreEpochSeconds) {
  http::Response res = output("GetEventSourceMapping",
                              R"({"UUID": "u", "LastModified": 1714979289.5, "BatchSize": 10})");
  EXPECT_EQ(res.body, R"({"UUID":"u","BatchSize":10,"LastModified":1.7149792895E9})");
}

TEST_F(RestJsonCodecTest, CreateFunctionRespondsWithModelResponseCode) {
  http::Response res = output("CreateFunction", R"({"FunctionName": "f"})");
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.body, R"({"FunctionName":"f"})");
}

TEST_F(RestJsonCodecTest, InvokeOutputSendsRawPayloadAndHeaderMembers) {
  http::Response res = output("Invoke", R"({"StatusCode": 200, "Payload": "{\"ok\":true}",
                                            "ExecutedVersion": "$LATEST",
                                            "LogResult": "bG9n"})");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"ok":true})");
  EXPECT_EQ(res.header("X-Amz-Executed-Version"), "$LATEST");
  EXPECT_EQ(res.header("X-Amz-Log-Result"), "bG9n");
  EXPECT_EQ(res.header("Content-Type"), "application/octet-stream");
}

TEST_F(RestJsonCodecTest, AsyncInvokeStatusCodeMemberOverridesStatus) {
  http::Response res = output("Invoke", R"({"StatusCode": 202})");
  EXPECT_EQ(res.status, 202);
  EXPECT_EQ(res.body, "");
}

TEST_F(RestJsonCodecTest, NoContentResponsesHaveNoBody) {
  http::Response res = output("DeleteAlias", "{}");
  EXPECT_EQ(res.status, 204);
  EXPECT_EQ(res.body, "");
}

// botocore RestJSONParser takes the code from X-Amzn-ErrorType and the message from "message"
// or "Message"; Lambda's modeled errors carry {"Type", "Message"}.
TEST_F(RestJsonCodecTest, ModeledErrorCarriesTypeHeaderAndMembers) {
  http::Response res;
  codec_.encode_error(lambda_, AwsError("ResourceNotFoundException", "Function not found: f", 404),
                      ctx_, res);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.header("X-Amzn-ErrorType"), "ResourceNotFoundException");
  EXPECT_EQ(res.header("x-amzn-RequestId"), "req-1");
  EXPECT_EQ(res.header("Content-Type"), "application/json");
  EXPECT_EQ(res.body, R"({"Type":"User","Message":"Function not found: f"})");
}

TEST_F(RestJsonCodecTest, UnmodeledErrorUsesLowercaseMessage) {
  http::Response res;
  codec_.encode_error(lambda_, AwsError("UnknownOperationException", "No such route", 404), ctx_,
                      res);
  EXPECT_EQ(res.body, R"({"message":"No such route"})");
}

}  // namespace
}  // namespace protocol

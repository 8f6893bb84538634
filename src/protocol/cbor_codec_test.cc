// Request fixtures are botocore 1.43's own RpcV2CBORSerializer output (serialize_to_request);
// encoded responses were checked by feeding them to botocore's RpcV2CBORParser.

#include <cbor.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "protocol/codec.h"

namespace protocol {
namespace {
namespace json = boost::json;

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

// A readable view of encoded CBOR: tag 1 becomes {"tag1": value}, byte strings {"bytes": hex}.
json::value view(const cbor_item_t* item) {
  if (cbor_isa_map(item)) {
    json::object out;
    for (std::size_t i = 0; i < cbor_map_size(item); ++i) {
      const cbor_pair& p = cbor_map_handle(item)[i];
      out[std::string(reinterpret_cast<const char*>(cbor_string_handle(p.key)),
                      cbor_string_length(p.key))] = view(p.value);
    }
    return out;
  }
  if (cbor_isa_array(item)) {
    json::array out;
    for (std::size_t i = 0; i < cbor_array_size(item); ++i) {
      out.push_back(view(cbor_array_handle(item)[i]));
    }
    return out;
  }
  if (cbor_isa_string(item)) {
    return json::string(reinterpret_cast<const char*>(cbor_string_handle(item)),
                        cbor_string_length(item));
  }
  if (cbor_isa_bytestring(item)) {
    return {
        {"bytes", hex(std::string_view(reinterpret_cast<const char*>(cbor_bytestring_handle(item)),
                                       cbor_bytestring_length(item)))}};
  }
  if (cbor_isa_tag(item)) {
    cbor_item_t* inner = cbor_tag_item(item);
    json::value v = {{"tag" + std::to_string(cbor_tag_value(item)), view(inner)}};
    cbor_decref(&inner);
    return v;
  }
  if (cbor_isa_uint(item)) {
    return static_cast<int64_t>(cbor_get_int(item));
  }
  if (cbor_isa_negint(item)) {
    return -1 - static_cast<int64_t>(cbor_get_int(item));
  }
  if (cbor_float_ctrl_is_ctrl(item)) {
    return cbor_is_bool(item) ? json::value(cbor_get_bool(item)) : nullptr;
  }
  return cbor_float_get_float(item);
  return nullptr;
}

json::value view(std::string_view bytes) {
  cbor_load_result result{};
  cbor_item_t* item = cbor_load(reinterpret_cast<cbor_data>(bytes.data()), bytes.size(), &result);
  EXPECT_EQ(result.error.code, CBOR_ERR_NONE);
  EXPECT_EQ(result.read, bytes.size());
  if (item == nullptr) {
    return nullptr;
  }
  json::value v = view(item);
  cbor_decref(&item);
  return v;
}

class CborCodecTest : public ::testing::Test {
 protected:
  const Codec& codec_ = cbor_codec();
  const ServiceModel& cloudwatch_ = *find_model("cloudwatch");
  RequestContext ctx_{.request_id = "11111111-2222-3333-4444-555555555555"};

  static http::Request request(std::string path, std::string body) {
    http::Request req;
    req.method = "POST";
    req.target = std::move(path);
    req.headers = {{"smithy-protocol", "rpc-v2-cbor"}, {"Content-Type", "application/cbor"}};
    req.body = std::move(body);
    return req;
  }
  Result<DecodedRequest> decode(std::string_view op, std::string body) {
    return codec_.decode(
        cloudwatch_, request("/service/GraniteServiceVersion20100801/operation/" + std::string(op),
                             std::move(body)));
  }
  void expect_serialization_error(std::string body, std::string_view message_part = {}) {
    auto r = decode("GetMetricStatistics", std::move(body));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, "SerializationException");
    EXPECT_EQ(r.error().http_status, 400);
    EXPECT_NE(r.error().message.find(message_part), std::string::npos) << r.error().message;
  }
};

// botocore: cloudwatch.put_metric_data(Namespace="App", MetricData=[{MetricName: "Latency",
// Dimensions: [{Name: "Service", Value: "web"}], Timestamp: 2023-11-14T22:13:20Z, Value: 12.5,
// Unit: "Milliseconds", StatisticValues: {...}, Values: [1.0, 2.5], Counts: [1.0, 1.0],
// StorageResolution: 60}])
constexpr std::string_view kPutMetricData =
    "a2694e616d657370616365634170706a4d65747269634461746181a96a4d65747269634e616d65674c6174656e63"
    "796a44696d656e73696f6e7381a2644e616d6567536572766963656556616c7565637765626954696d657374616d"
    "70c11a6553f1006556616c7565fb402900000000000064556e69746c4d696c6c697365636f6e64736f5374617469"
    "7374696356616c756573a46b53616d706c65436f756e74fb40000000000000006353756dfb403900000000000067"
    "4d696e696d756dfb4024000000000000674d6178696d756dfb402e0000000000006656616c75657382fb3ff00000"
    "00000000fb400400000000000066436f756e747382fb3ff0000000000000fb3ff00000000000007153746f726167"
    "655265736f6c7574696f6e183c";

constexpr std::string_view kGetMetricStatistics =
    "a7694e616d657370616365674157532f4543536a4d65747269634e616d656e4350555574696c697a6174696f6e6a"
    "44696d656e73696f6e7381a2644e616d656b436c75737465724e616d656556616c75656263316953746172745469"
    "6d65c11a6552b88067456e6454696d65c11a6552c69066506572696f6419012c6a53746174697374696373826741"
    "766572616765674d6178696d756d";

TEST_F(CborCodecTest, DecodesBotocorePutMetricData) {
  auto r = decode("PutMetricData", unhex(kPutMetricData));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->operation->name, "PutMetricData");
  EXPECT_EQ(json::value(r->input), json::parse(R"({"Namespace": "App", "MetricData": [{
      "MetricName": "Latency", "Dimensions": [{"Name": "Service", "Value": "web"}],
      "Timestamp": 1700000000.0, "Value": 12.5, "Unit": "Milliseconds",
      "StatisticValues": {"SampleCount": 2.0, "Sum": 25.0, "Minimum": 10.0, "Maximum": 15.0},
      "Values": [1.0, 2.5], "Counts": [1.0, 1.0], "StorageResolution": 60}]})"));
}

TEST_F(CborCodecTest, DecodesBotocoreGetMetricStatistics) {
  auto r = decode("GetMetricStatistics", unhex(kGetMetricStatistics));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input), json::parse(R"({"Namespace": "AWS/ECS",
      "MetricName": "CPUUtilization", "Dimensions": [{"Name": "ClusterName", "Value": "c1"}],
      "StartTime": 1699920000.0, "EndTime": 1699923600.0, "Period": 300,
      "Statistics": ["Average", "Maximum"]})"));
}

// Smithy RPC v2: "Service implementations SHOULD accept an absolute shape ID as the content of
// this segment with the # character replaced with a . character".
TEST_F(CborCodecTest, AcceptsPrefixedPathsAndAbsoluteServiceShapeIds) {
  for (std::string path : {"/prefix/service/GraniteServiceVersion20100801/operation/ListDashboards",
                           "/service/com.amazonaws.cloudwatch.GraniteServiceVersion20100801/"
                           "operation/ListDashboards"}) {
    auto r = codec_.decode(cloudwatch_, request(path, ""));
    ASSERT_TRUE(r.has_value()) << path;
    EXPECT_EQ(r->operation->name, "ListDashboards");
    EXPECT_TRUE(r->input.empty());
  }
}

TEST_F(CborCodecTest, UnknownServiceOrOperationIsUnknownOperationException404) {
  for (std::string path : {"/service/GraniteServiceVersion20100801/operation/NoSuchThing",
                           "/service/OtherService/operation/ListDashboards",
                           "/service/GraniteServiceVersion20100801/operation/ListDashboards/x",
                           "/service/GraniteServiceVersion20100801", "/"}) {
    auto r = codec_.decode(cloudwatch_, request(path, "\xa0"));
    ASSERT_FALSE(r.has_value()) << path;
    EXPECT_EQ(r.error().code, "UnknownOperationException");
    EXPECT_EQ(r.error().http_status, 404);
  }
}

TEST_F(CborCodecTest, DecodesIndefiniteLengthItemsHalfFloatsAndNulls) {
  // {_ "Namespace": (_ "AW", "S"), "Dimensions": [_ {"Name": "a", "Value": null}],
  //  "StartTime": 1(1700000000.5 as double), "EndTime": 1(half 1.5), "Period": single 60.0,
  //  "Unit": undefined }
  std::string body = unhex(
      "bf694e616d6573706163657f6241576153ff6a44696d656e73696f6e739fa2644e616d6561616556616c7565f6ff"
      "69537461727454696d65c1fb41d954fc4020000067456e6454696d65c1f93e0066506572696f64fa427000006455"
      "6e6974f7ff");
  auto r = decode("GetMetricStatistics", body);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input), json::parse(R"({"Namespace": "AWS", "Dimensions":
      [{"Name": "a"}], "StartTime": 1700000000.5, "EndTime": 1.5, "Period": 60})"));
}

// The codec is model-driven, so DynamoDB's PutItem (botocore's RPC v2 CBOR serializer run on the
// dynamodb model) exercises blob members, which CloudWatch's inputs lack.
TEST_F(CborCodecTest, DecodesBlobsFromByteStrings) {
  std::string body = unhex(
      "a2695461626c654e616d656174644974656da36162a16142450001ff6869626273a1624253824101420203616ea1"
      "614e6131");
  auto r = codec_.decode(*find_model("dynamodb"),
                         request("/service/DynamoDB_20120810/operation/PutItem", body));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  json::value expected = {{"TableName", "t"},
                          {"Item",
                           {{"b", {{"B", std::string("\x00\x01\xffhi", 5)}}},
                            {"bs", {{"BS", {"\x01", "\x02\x03"}}}},
                            {"n", {{"N", "1"}}}}}};
  EXPECT_EQ(json::value(r->input), expected);
}

TEST_F(CborCodecTest, ByteStringWhereTextIsExpectedIsSerializationException) {
  expect_serialization_error(unhex("a1694e616d65737061636543414243"), "text string");
}

TEST_F(CborCodecTest, MalformedBodiesAreSerializationExceptions) {
  std::string truncated = unhex(kPutMetricData);
  truncated.resize(truncated.size() / 2);
  auto r = decode("PutMetricData", truncated);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "SerializationException");

  expect_serialization_error(unhex("a1"));                           // map without entries
  expect_serialization_error(unhex("a0a0"), "after the CBOR body");  // trailing data
  expect_serialization_error(unhex("ff"));                           // lone break
  expect_serialization_error(unhex("bf6141ff"), "key without a value");
  expect_serialization_error(unhex("1c"));                               // reserved additional info
  expect_serialization_error(unhex("80"), "a map");                      // top level is an array
  expect_serialization_error(unhex("a166506572696f646131"), "integer");  // Period: "1"
  expect_serialization_error(unhex("a166506572696f64c16131"));           // tag on an integer
  expect_serialization_error(unhex("a169537461727454696d65c26131"), "tag");  // tag 2 timestamp
  expect_serialization_error(unhex("a1016131"), "text map key");
  // A byte-string chunk inside an indefinite text string.
  expect_serialization_error(unhex("a1694e616d6573706163657f4141ff"), "chunk");
}

TEST_F(CborCodecTest, HugeDeclaredLengthsAreRejectedBeforeAllocating) {
  expect_serialization_error(unhex("9bffffffffffffffff"), "exceeds");  // array of 2^64-1
  expect_serialization_error(unhex("bb7fffffffffffffff"), "exceeds");  // map of 2^63-1
  expect_serialization_error(unhex("a1614e9a7fffffff00"), "exceeds");
  expect_serialization_error(unhex("a1614e5b7fffffffffffffff"));  // byte string of 2^63-1
  expect_serialization_error(unhex("a1614e7a7fffffff41"));
}

TEST_F(CborCodecTest, DeeplyNestedBodiesAreRejectedWithoutRecursing) {
  expect_serialization_error(std::string(100000, '\x81') + '\x00', "depth");
  expect_serialization_error(std::string(100000, '\x9f'), "depth");
  expect_serialization_error(std::string(100000, '\xc1') + '\x00', "depth");
  expect_serialization_error(std::string(100000, '\xa1'), "depth");
}

TEST_F(CborCodecTest, EveryTruncationOrByteMutationOfAFixtureDecodesOrFailsCleanly) {
  const std::string fixture = unhex(kPutMetricData);
  for (std::size_t n = 1; n < fixture.size(); ++n) {
    auto r = decode("PutMetricData", fixture.substr(0, n));
    ASSERT_FALSE(r.has_value()) << n;
    EXPECT_EQ(r.error().code, "SerializationException");
  }
  for (std::size_t i = 0; i < fixture.size(); ++i) {
    for (char byte : {'\x00', '\xff', '\x9f', '\x5b', '\xbf', '\xc1', '\x1b', '\xf9'}) {
      std::string mutated = fixture;
      mutated[i] = byte;
      auto r = decode("PutMetricData", mutated);
      if (!r.has_value()) {
        EXPECT_EQ(r.error().code, "SerializationException") << i;
      }
    }
  }
}

TEST_F(CborCodecTest, EncodesOutputWithTaggedTimestampsAndDoubles) {
  json::object output = json::parse(R"({"Label": "CPUUtilization", "Datapoints": [
      {"Timestamp": 1700000000, "Average": 12.5, "Maximum": 40, "Unit": "Percent"},
      {"Timestamp": 1700000060.25, "SampleCount": 3.0, "Unit": 7}], "Extra": true})")
                            .as_object();
  http::Response res;
  codec_.encode_output(cloudwatch_, *cloudwatch_.find_operation("GetMetricStatistics"), output,
                       ctx_, res);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("smithy-protocol"), "rpc-v2-cbor");
  EXPECT_EQ(res.header("Content-Type"), "application/cbor");
  EXPECT_EQ(res.header("x-amzn-RequestId"), ctx_.request_id);
  // botocore parses this to Label and Datapoints with datetime Timestamps
  // (2023-11-14 22:13:20 and 22:14:20.250) and float statistics.
  EXPECT_EQ(view(res.body), json::parse(R"({"Label": "CPUUtilization", "Datapoints": [
      {"Timestamp": {"tag1": 1700000000}, "Average": 12.5, "Maximum": 40.0, "Unit": "Percent"},
      {"Timestamp": {"tag1": 1700000060.25}, "SampleCount": 3.0}]})"));
  EXPECT_EQ(hex(res.body).substr(0, 2), "a2");  // a definite map of the two members present
}

TEST_F(CborCodecTest, EncodesBlobsAsByteStrings) {
  json::object output;
  output["MetricWidgetImage"] = std::string("\x89PNG\x00", 5);
  http::Response res;
  codec_.encode_output(cloudwatch_, *cloudwatch_.find_operation("GetMetricWidgetImage"), output,
                       ctx_, res);
  EXPECT_EQ(hex(res.body), "a1714d6574726963576964676574496d6167654589504e4700");
}

TEST_F(CborCodecTest, OperationWithoutOutputShapeEncodesEmptyMap) {
  const OperationDef* op = cloudwatch_.find_operation("PutMetricData");
  ASSERT_EQ(op->output, kNoShape);
  http::Response res;
  codec_.encode_output(cloudwatch_, *op, {}, ctx_, res);
  EXPECT_EQ(hex(res.body), "a0");
}

// Smithy servers send the error's absolute shape id in __type; botocore keeps the part after '#'
// and, for awsQueryCompatible services, takes the code from x-amzn-query-error.
TEST_F(CborCodecTest, EncodesErrorsWithShapeIdTypeAndQueryErrorHeader) {
  AwsError error{"InvalidParameterValue", "The value 0 for Period is not valid.", 400, true};
  http::Response res;
  codec_.encode_error(cloudwatch_, error, ctx_, res);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.header("smithy-protocol"), "rpc-v2-cbor");
  EXPECT_EQ(res.header("x-amzn-query-error"), "InvalidParameterValue;Sender");
  EXPECT_EQ(view(res.body), json::parse(R"({"__type":
      "com.amazonaws.cloudwatch#InvalidParameterValueException",
      "message": "The value 0 for Period is not valid."})"));

  AwsError unmodeled{"SerializationException", "bad", 400, true};
  unmodeled.fields["detail"] = json::array({1, "x"});
  codec_.encode_error(cloudwatch_, unmodeled, ctx_, res);
  EXPECT_EQ(view(res.body), json::parse(R"({"__type": "SerializationException", "message": "bad",
                            "detail": [1, "x"]})"));
}

}  // namespace
}  // namespace protocol

// Gantry built from an older model still answers what current clients send.
//
// CMake generates a second set of tables from Debian 12's python3-botocore (1.29) into the
// namespace old_models, beside the real ones. Its CloudWatch model lists query only; the
// generator adds Smithy RPC v2 CBOR and JSON 1.0 (gen_models.py CLIENT_PROTOCOLS), and the codecs
// here decode botocore 1.43's requests and encode errors against those old tables.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "protocol/codec.h"
#include "protocol/codec_test_support.h"
#include "protocol/model.h"
#include "protocol/model_origin.h"

namespace old_models {
std::span<const protocol::ServiceModel* const> all_models();
std::span<const protocol::ModelOrigin> model_origins();
std::string_view models_source();
}  // namespace old_models

namespace protocol {
namespace {

using testing::make_request;

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

const ServiceModel& old_model(std::string_view name) {
  for (const ServiceModel* m : old_models::all_models()) {
    if (m->name == name) return *m;
  }
  ADD_FAILURE() << name << " is not in the old tables";
  std::abort();
}

const ModelOrigin& old_origin(std::string_view name) {
  for (const ModelOrigin& o : old_models::model_origins()) {
    if (o.service == name) return o;
  }
  ADD_FAILURE() << name << " has no origin";
  std::abort();
}

AwsError not_implemented() {
  return {"NotImplemented", "Gantry does not implement CloudWatch ListMetrics yet.", 501, false};
}

TEST(OldModels, ComeFromTheOlderBotocore) {
  EXPECT_TRUE(old_models::models_source().starts_with("botocore ")) << old_models::models_source();
  EXPECT_NE(old_models::models_source(), models_source())
      << "the test tables should come from another botocore than the build's";
  const ModelOrigin& origin = old_origin("cloudwatch");
  EXPECT_EQ(origin.source, old_models::models_source());
  EXPECT_EQ(origin.api_version, "2010-08-01");
}

TEST(OldModels, CloudWatchAnswersCborJsonAndQuery) {
  const ServiceModel& cw = old_model("cloudwatch");
  // The 1.29 model lists query only; what clients send now is added after it.
  const ModelOrigin& origin = old_origin("cloudwatch");
  ASSERT_EQ(origin.model_protocols.size(), 1u);
  EXPECT_EQ(origin.model_protocols[0], Protocol::Query);
  EXPECT_EQ(cw.protocols.front(), Protocol::Query);
  EXPECT_TRUE(cw.speaks(Protocol::SmithyRpcV2Cbor));
  EXPECT_TRUE(cw.speaks(Protocol::Json));
  EXPECT_TRUE(cw.speaks(Protocol::Query));
  EXPECT_EQ(cw.target_prefix, "GraniteServiceVersion20100801");
  EXPECT_EQ(cw.smithy_service_name, "GraniteServiceVersion20100801");
  EXPECT_EQ(cw.json_version, "1.0");
  EXPECT_TRUE(cw.query_compatible);
  EXPECT_EQ(cw.xml_namespace, "http://monitoring.amazonaws.com/doc/2010-08-01/");
  EXPECT_EQ(cw.signing_name, "monitoring");
}

TEST(OldModels, ServicesWithoutClientProtocolsKeepTheirOwn) {
  const ServiceModel& sts = old_model("sts");
  ASSERT_EQ(sts.protocols.size(), 1u);
  EXPECT_EQ(sts.protocols[0], Protocol::Query);
  EXPECT_TRUE(sts.target_prefix.empty());
  EXPECT_FALSE(sts.query_compatible);
}

TEST(OldModels, CloudWatchDecodesBotocoreCbor) {
  const ServiceModel& cw = old_model("cloudwatch");
  // botocore 1.43's RpcV2CBORSerializer: GetMetricStatistics with tag-1 timestamps.
  http::Request req = make_request(
      "POST", "/service/GraniteServiceVersion20100801/operation/GetMetricStatistics",
      {{"smithy-protocol", "rpc-v2-cbor"}, {"x-amzn-query-mode", "true"},
       {"Content-Type", "application/cbor"}},
      unhex("a6694e616d657370616365674157532f4543326a4d65747269634e616d656e4350555574696c697a61"
            "74696f6e69537461727454696d65c11a6592008067456e6454696d65c11a65935200665065726"
            "96f64183c6a53746174697374696373816741766572616765"));
  Result<DecodedRequest> decoded = cbor_codec().decode(cw, req);
  ASSERT_TRUE(decoded) << decoded.error().code << ": " << decoded.error().message;
  EXPECT_EQ(decoded->operation->name, "GetMetricStatistics");
  EXPECT_EQ(decoded->input.at("Namespace").as_string(), "AWS/EC2");
  EXPECT_EQ(decoded->input.at("StartTime").to_number<double>(), 1704067200.0);
  EXPECT_EQ(decoded->input.at("Period").as_int64(), 60);
  EXPECT_EQ(decoded->input.at("Statistics").as_array().at(0).as_string(), "Average");
}

TEST(OldModels, CloudWatchDecodesJson10) {
  const ServiceModel& cw = old_model("cloudwatch");
  http::Request req = make_request(
      "POST", "/",
      {{"Content-Type", "application/x-amz-json-1.0"},
       {"X-Amz-Target", "GraniteServiceVersion20100801.ListMetrics"}},
      R"({"Namespace":"AWS/EC2","Dimensions":[{"Name":"InstanceId","Value":"i-1"}]})");
  Result<DecodedRequest> decoded = json_codec().decode(cw, req);
  ASSERT_TRUE(decoded) << decoded.error().code << ": " << decoded.error().message;
  EXPECT_EQ(decoded->operation->name, "ListMetrics");
  EXPECT_EQ(decoded->input.at("Dimensions").as_array().at(0).at("Value").as_string(), "i-1");
}

TEST(OldModels, CloudWatchDecodesQuery) {
  const ServiceModel& cw = old_model("cloudwatch");
  http::Request req = testing::form_post(
      "Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FEC2"
      "&Dimensions.member.1.Name=InstanceId&Dimensions.member.1.Value=i-1");
  Result<DecodedRequest> decoded = query_codec().decode(cw, req);
  ASSERT_TRUE(decoded) << decoded.error().code << ": " << decoded.error().message;
  EXPECT_EQ(decoded->operation->name, "ListMetrics");
  EXPECT_EQ(decoded->input.at("Namespace").as_string(), "AWS/EC2");
  EXPECT_EQ(decoded->input.at("Dimensions").as_array().at(0).at("Name").as_string(),
            "InstanceId");
}

TEST(OldModels, CloudWatchErrorsInEachProtocol) {
  const ServiceModel& cw = old_model("cloudwatch");
  RequestContext ctx{.request_id = "req-1"};

  http::Response cbor;
  cbor_codec().encode_error(cw, not_implemented(), ctx, cbor);
  EXPECT_EQ(cbor.status, 501);
  EXPECT_EQ(cbor.header("smithy-protocol"), "rpc-v2-cbor");
  EXPECT_EQ(cbor.header("Content-Type"), "application/cbor");
  EXPECT_EQ(cbor.header("x-amzn-query-error"), "NotImplemented;Receiver");
  EXPECT_NE(cbor.body.find("NotImplemented"), std::string::npos);

  http::Response js;
  json_codec().encode_error(cw, not_implemented(), ctx, js);
  EXPECT_EQ(js.status, 501);
  EXPECT_EQ(js.header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(js.header("x-amzn-query-error"), "NotImplemented;Receiver");
  EXPECT_NE(js.body.find(R"("__type":"NotImplemented")"), std::string::npos) << js.body;

  http::Response xml;
  query_codec().encode_error(cw, not_implemented(), ctx, xml);
  EXPECT_EQ(xml.status, 501);
  EXPECT_NE(xml.body.find("<Code>NotImplemented</Code>"), std::string::npos) << xml.body;
  EXPECT_NE(xml.body.find("http://monitoring.amazonaws.com/doc/2010-08-01/"), std::string::npos);
}

TEST(OldModels, CloudWatchModelledErrorKeepsItsQueryCode) {
  const ServiceModel& cw = old_model("cloudwatch");
  RequestContext ctx{.request_id = "req-1"};
  http::Response js;
  json_codec().encode_error(
      cw, AwsError{"MissingParameter", "The parameter MetricName is required.", 400, true}, ctx,
      js);
  // JSON names the shape; the query-era code rides in x-amzn-query-error.
  EXPECT_NE(js.body.find(R"("__type":"MissingRequiredParameterException")"), std::string::npos)
      << js.body;
  EXPECT_EQ(js.header("x-amzn-query-error"), "MissingParameter;Sender");
}

TEST(OldModels, CloudWatchOutputInCbor) {
  const ServiceModel& cw = old_model("cloudwatch");
  RequestContext ctx{.request_id = "req-1"};
  http::Response res = testing::encode(
      cbor_codec(), cw, "ListMetrics",
      R"({"Metrics":[{"Namespace":"AWS/EC2","MetricName":"CPUUtilization"}]})", ctx);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("smithy-protocol"), "rpc-v2-cbor");
  EXPECT_NE(res.body.find("CPUUtilization"), std::string::npos);
}

}  // namespace
}  // namespace protocol

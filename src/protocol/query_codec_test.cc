#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "protocol/codec.h"
#include "protocol/codec_test_support.h"
#include "protocol/query_params.h"

namespace protocol {
namespace {

namespace json = boost::json;
using testing::form_post;

// Request bodies below were produced by botocore 1.43's QuerySerializer
// (serialize_to_request, then urlencode(body, doseq=True) as AWSRequest does).
constexpr const char* kAssumeRoleBody =
    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo"
    "&RoleSessionName=s1&DurationSeconds=900"
    "&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess"
    "&PolicyArns.member.2.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FOther"
    "&Tags.member.1.Key=team&Tags.member.1.Value=a+b%26c&Tags.member.2.Key=env"
    "&Tags.member.2.Value=prod&TransitiveTagKeys="
    "&Policy=%7B%22Version%22%3A%222012-10-17%22%7D";

constexpr const char* kSimulateCustomPolicyBody =
    "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%7B%7D"
    "&ActionNames.member.1=s3%3AGetObject&ActionNames.member.2=s3%3APutObject"
    "&ContextEntries.member.1.ContextKeyName=aws%3Ax"
    "&ContextEntries.member.1.ContextKeyValues.member.1=1"
    "&ContextEntries.member.1.ContextKeyValues.member.2=2"
    "&ContextEntries.member.1.ContextKeyType=string";

constexpr const char* kCreateRuleBody =
    "Action=CreateRule&Version=2015-12-01&ListenerArn=arn%3Al&Priority=10"
    "&Conditions.member.1.Field=path-pattern"
    "&Conditions.member.1.PathPatternConfig.Values.member.1=%2Fapi%2F%2A"
    "&Conditions.member.1.PathPatternConfig.Values.member.2=%2Fv2%2F%2A"
    "&Conditions.member.2.Field=http-header"
    "&Conditions.member.2.HttpHeaderConfig.HttpHeaderName=X-A"
    "&Conditions.member.2.HttpHeaderConfig.Values.member.1=1"
    "&Actions.member.1.Type=forward"
    "&Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=arn%3Atg1"
    "&Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight=3"
    "&Actions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn=arn%3Atg2"
    "&Actions.member.1.ForwardConfig.TargetGroups.member.2.Weight=1"
    "&Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled=true"
    "&Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds=60"
    "&Actions.member.1.Order=1&Actions.member.2.Type=authenticate-oidc"
    "&Actions.member.2.AuthenticateOidcConfig.Issuer=i"
    "&Actions.member.2.AuthenticateOidcConfig.AuthorizationEndpoint=a"
    "&Actions.member.2.AuthenticateOidcConfig.TokenEndpoint=t"
    "&Actions.member.2.AuthenticateOidcConfig.UserInfoEndpoint=u"
    "&Actions.member.2.AuthenticateOidcConfig.ClientId=c"
    "&Actions.member.2.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.key=k1"
    "&Actions.member.2.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.1.value=v1"
    "&Actions.member.2.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.2.key=k2"
    "&Actions.member.2.AuthenticateOidcConfig.AuthenticationRequestExtraParams.entry.2.value=v2"
    "&Tags.member.1.Key=k&Tags.member.1.Value=v";


class QueryCodecTest : public ::testing::Test {
 protected:
  QueryCodecTest() { ctx_.request_id = "4f8c9a1e-0000-4000-8000-000000000001"; }

  Result<DecodedRequest> decode(const char* service, std::string body) const {
    return codec_.decode(*find_model(service), form_post(std::move(body)));
  }

  http::Response encode(const char* service, const char* op, const char* output) const {
    return testing::encode(codec_, *find_model(service), op, output, ctx_);
  }

  const Codec& codec_ = query_codec();
  RequestContext ctx_;
};

TEST_F(QueryCodecTest, DecodesBotocoreAssumeRoleWithListsOfStructures) {
  Result<DecodedRequest> r = decode("sts", kAssumeRoleBody);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->operation->name, "AssumeRole");
  EXPECT_EQ(json::value(r->input), json::parse(R"({
    "RoleArn": "arn:aws:iam::123456789012:role/demo", "RoleSessionName": "s1",
    "DurationSeconds": 900,
    "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                   {"arn": "arn:aws:iam::aws:policy/Other"}],
    "Tags": [{"Key": "team", "Value": "a b&c"}, {"Key": "env", "Value": "prod"}],
    "TransitiveTagKeys": [],
    "Policy": "{\"Version\":\"2012-10-17\"}"})"));
}

TEST_F(QueryCodecTest, DecodesNestedListsInsideListElements) {
  Result<DecodedRequest> r = decode("iam", kSimulateCustomPolicyBody);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input), json::parse(R"({
    "PolicyInputList": ["{}"], "ActionNames": ["s3:GetObject", "s3:PutObject"],
    "ContextEntries": [{"ContextKeyName": "aws:x", "ContextKeyValues": ["1", "2"],
                        "ContextKeyType": "string"}]})"));
}

TEST_F(QueryCodecTest, DecodesElbv2CreateRuleWithNestedStructuresListsAndMaps) {
  Result<DecodedRequest> r = decode("elbv2", kCreateRuleBody);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input), json::parse(R"({
    "ListenerArn": "arn:l", "Priority": 10,
    "Conditions": [
      {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*", "/v2/*"]}},
      {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-A", "Values": ["1"]}}],
    "Actions": [
      {"Type": "forward", "Order": 1, "ForwardConfig": {
        "TargetGroups": [{"TargetGroupArn": "arn:tg1", "Weight": 3},
                         {"TargetGroupArn": "arn:tg2", "Weight": 1}],
        "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 60}}},
      {"Type": "authenticate-oidc", "AuthenticateOidcConfig": {
        "Issuer": "i", "AuthorizationEndpoint": "a", "TokenEndpoint": "t",
        "UserInfoEndpoint": "u", "ClientId": "c",
        "AuthenticationRequestExtraParams": {"k1": "v1", "k2": "v2"}}}],
    "Tags": [{"Key": "k", "Value": "v"}]})"));
}

TEST_F(QueryCodecTest, FlattenReproducesTheBotocoreRequest) {
  const ServiceModel& elbv2 = *find_model("elbv2");
  Result<DecodedRequest> r = decode("elbv2", kCreateRuleBody);
  ASSERT_TRUE(r.has_value());
  query::ParamMap expected;
  ASSERT_TRUE(query::parse_form(kCreateRuleBody, expected).has_value());
  expected.erase("Action");
  expected.erase("Version");
  EXPECT_EQ(
      query::flatten(elbv2, elbv2.shape(r->operation->input), r->input, query::Dialect::Query),
      expected);
}

TEST_F(QueryCodecTest, ReadsGetParametersFromTheQueryStringAndLetsTheBodyWin) {
  http::Request req;
  req.method = "GET";
  req.target = "/?Action=GetCallerIdentity&Version=2011-06-15";
  Result<DecodedRequest> r = codec_.decode(*find_model("sts"), req);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->operation->name, "GetCallerIdentity");

  http::Request both = form_post("Action=GetSessionToken&DurationSeconds=1800");
  both.target = "/?Action=GetCallerIdentity&DurationSeconds=900";
  r = codec_.decode(*find_model("sts"), both);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->operation->name, "GetSessionToken");
  EXPECT_EQ(r->input.at("DurationSeconds"), json::value(1800));
}

TEST_F(QueryCodecTest, DecodesTimestampsDoublesAndBooleans) {
  // CloudWatch PutMetricData: Timestamp (iso8601), Value (double), StrictEntityValidation
  // (boolean); its query mode is still spoken by older SDKs.
  Result<DecodedRequest> r = decode(
      "cloudwatch",
      "Action=PutMetricData&Namespace=ns&MetricData.member.1.MetricName=m"
      "&MetricData.member.1.Timestamp=2023-11-14T22%3A13%3A20.500Z&MetricData.member.1.Value=1.5"
      "&StrictEntityValidation=true");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input), json::parse(R"({"Namespace": "ns", "MetricData": [
      {"MetricName": "m", "Timestamp": 1700000000.5, "Value": 1.5}],
      "StrictEntityValidation": true})"));
}

TEST_F(QueryCodecTest, MissingActionIsMissingAction) {
  Result<DecodedRequest> r = decode("sts", "Version=2011-06-15");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "MissingAction");
  EXPECT_EQ(r.error().http_status, 400);
}

TEST_F(QueryCodecTest, UnknownActionIsInvalidActionNamingTheVersion) {
  Result<DecodedRequest> r = decode("sts", "Action=Nope&Version=2011-06-15");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "InvalidAction");
  EXPECT_EQ(r.error().message, "Could not find operation Nope for version 2011-06-15");
  EXPECT_EQ(r.error().http_status, 400);
}

// STS and IAM report type and constraint failures as ValidationError with the
// "1 validation error detected: Value '…' at '…' failed to satisfy constraint: …" message.
TEST_F(QueryCodecTest, NonNumericIntegerIsValidationError) {
  Result<DecodedRequest> r =
      decode("sts", "Action=AssumeRole&RoleArn=a&RoleSessionName=s&DurationSeconds=abc");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "ValidationError");
  EXPECT_EQ(r.error().message,
            "1 validation error detected: Value 'abc' at 'durationSeconds' failed to satisfy "
            "constraint: Member must be a number");
  EXPECT_EQ(r.error().http_status, 400);
}

TEST_F(QueryCodecTest, BadBooleanAndTimestampAreValidationErrors) {
  Result<DecodedRequest> r =
      decode("elbv2",
             "Action=CreateRule&Actions.member.1.ForwardConfig.TargetGroupStickinessConfig."
             "Enabled=yes");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "ValidationError");
  EXPECT_NE(r.error().message.find(
                "'actions.member.1.forwardConfig.targetGroupStickinessConfig.enabled'"),
            std::string::npos);
  r = decode("cloudwatch", "Action=PutMetricData&MetricData.member.1.Timestamp=yesterday");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "ValidationError");
}

TEST_F(QueryCodecTest, BadPercentEncodingIsMalformedQueryString) {
  Result<DecodedRequest> r = decode("sts", "Action=GetCallerIdentity&RoleArn=%zz");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "MalformedQueryString");
  EXPECT_EQ(r.error().http_status, 400);

  http::Request req;
  req.method = "GET";
  req.target = "/?Action=GetCallerIdentity%";
  r = codec_.decode(*find_model("sts"), req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "MalformedQueryString");
}

TEST_F(QueryCodecTest, TenThousandLevelKeyIsRejectedCleanly) {
  std::string key = "Tags";
  for (int i = 0; i < 10000; ++i) {
    key += ".member.1";
  }
  Result<DecodedRequest> r = decode("sts", "Action=TagRole&" + key + "=x");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "MalformedQueryString");
}

TEST_F(QueryCodecTest, UnknownAndNonNumericListKeysAreIgnored) {
  Result<DecodedRequest> r =
      decode("sts",
             "Action=AssumeRole&Bogus.A.B=1&Tags.member.x.Key=k&Tags.member.01.Key=k"
             "&Tags.member.2.Key=two&RoleSessionName=s");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input),
            json::parse(R"({"RoleSessionName": "s", "Tags": [{"Key": "two"}]})"));
}

TEST_F(QueryCodecTest, DegenerateFormsDecodeWithoutFailing) {
  Result<DecodedRequest> r = decode("sts", "&&=&Action=GetCallerIdentity&=x&novalue&a=b=c&%2B+=+");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->operation->name, "GetCallerIdentity");

  r = decode("sts",
             "Action=AssumeRole&Tags.member.4294967296.Key=x&Tags.member.7.Value=v"
             "&Tags.member.3.Key=k");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->input.at("Tags"), json::parse(R"([{"Key": "k"}, {"Value": "v"}])"));
}

TEST_F(QueryCodecTest, IgnoresBodiesThatAreNotForms) {
  http::Request req = form_post("Action=GetCallerIdentity");
  req.headers = {{"Content-Type", "application/json"}};
  Result<DecodedRequest> r = codec_.decode(*find_model("sts"), req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "MissingAction");
}

// Expected bodies were checked with botocore's QueryParser (parsers.create_parser('query')),
// which parses them back to the documents encoded here.
TEST_F(QueryCodecTest, EncodesGetCallerIdentityInsideTheResultWrapper) {
  http::Response res = encode("sts", "GetCallerIdentity",
                              R"({"UserId": "AIDAEXAMPLE", "Account": "123456789012",
                                  "Arn": "arn:aws:iam::123456789012:user/alice"})");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("Content-Type"), "text/xml");
  EXPECT_EQ(res.header("x-amzn-RequestId"), ctx_.request_id);
  EXPECT_EQ(res.body,
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            "<GetCallerIdentityResult><UserId>AIDAEXAMPLE</UserId>"
            "<Account>123456789012</Account>"
            "<Arn>arn:aws:iam::123456789012:user/alice</Arn></GetCallerIdentityResult>"
            "<ResponseMetadata><RequestId>4f8c9a1e-0000-4000-8000-000000000001</RequestId>"
            "</ResponseMetadata></GetCallerIdentityResponse>");
}

TEST_F(QueryCodecTest, EncodesTimestampsAsIso8601AndEscapesText) {
  http::Response res = encode("sts", "AssumeRole", R"({
    "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s3cr3t",
                    "SessionToken": "tok", "Expiration": 1700000000.5},
    "AssumedRoleUser": {"AssumedRoleId": "AROA:s1", "Arn": "arn:aws:sts::1:assumed-role/r/s1"},
    "PackedPolicySize": 6, "SourceIdentity": "a<b>&c\"d"})");
  EXPECT_EQ(res.body,
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            "<AssumeRoleResult><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>"
            "<SecretAccessKey>s3cr3t</SecretAccessKey><SessionToken>tok</SessionToken>"
            "<Expiration>2023-11-14T22:13:20.500Z</Expiration></Credentials>"
            "<AssumedRoleUser><AssumedRoleId>AROA:s1</AssumedRoleId>"
            "<Arn>arn:aws:sts::1:assumed-role/r/s1</Arn></AssumedRoleUser>"
            "<PackedPolicySize>6</PackedPolicySize>"
            "<SourceIdentity>a&lt;b&gt;&amp;c\"d</SourceIdentity></AssumeRoleResult>"
            "<ResponseMetadata><RequestId>4f8c9a1e-0000-4000-8000-000000000001</RequestId>"
            "</ResponseMetadata></AssumeRoleResponse>");
}

TEST_F(QueryCodecTest, EncodesListsAsMemberElementsAndSkipsWrongTypes) {
  http::Response res = encode("elbv2", "DescribeLoadBalancers", R"({"LoadBalancers": [{
    "LoadBalancerArn": "arn:lb", "DNSName": "lb-1.elb.localhost", "CreatedTime": 1700000000,
    "LoadBalancerName": "lb", "Scheme": "internet-facing", "VpcId": "vpc-1",
    "State": {"Code": "active"}, "Type": "application",
    "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": "subnet-1",
                           "LoadBalancerAddresses": []},
                          {"ZoneName": "us-east-1b", "SubnetId": "subnet-2"}],
    "SecurityGroups": ["sg-1", "sg-2"], "IpAddressType": 4,
    "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic": true}]})");
  EXPECT_EQ(res.body,
            "<DescribeLoadBalancersResponse "
            "xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
            "<DescribeLoadBalancersResult><LoadBalancers><member>"
            "<LoadBalancerArn>arn:lb</LoadBalancerArn><DNSName>lb-1.elb.localhost</DNSName>"
            "<CreatedTime>2023-11-14T22:13:20Z</CreatedTime>"
            "<LoadBalancerName>lb</LoadBalancerName><Scheme>internet-facing</Scheme>"
            "<VpcId>vpc-1</VpcId><State><Code>active</Code></State><Type>application</Type>"
            "<AvailabilityZones><member><ZoneName>us-east-1a</ZoneName>"
            "<SubnetId>subnet-1</SubnetId><LoadBalancerAddresses/></member>"
            "<member><ZoneName>us-east-1b</ZoneName><SubnetId>subnet-2</SubnetId></member>"
            "</AvailabilityZones><SecurityGroups><member>sg-1</member><member>sg-2</member>"
            "</SecurityGroups></member></LoadBalancers></DescribeLoadBalancersResult>"
            "<ResponseMetadata><RequestId>4f8c9a1e-0000-4000-8000-000000000001</RequestId>"
            "</ResponseMetadata></DescribeLoadBalancersResponse>");
}

TEST_F(QueryCodecTest, EncodesMapsAsEntryKeyValue) {
  http::Response res =
      encode("iam", "GetAccountSummary", R"({"SummaryMap": {"Users": 3, "Roles": 5}})");
  EXPECT_EQ(res.body,
            "<GetAccountSummaryResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
            "<GetAccountSummaryResult><SummaryMap>"
            "<entry><key>Users</key><value>3</value></entry>"
            "<entry><key>Roles</key><value>5</value></entry>"
            "</SummaryMap></GetAccountSummaryResult>"
            "<ResponseMetadata><RequestId>4f8c9a1e-0000-4000-8000-000000000001</RequestId>"
            "</ResponseMetadata></GetAccountSummaryResponse>");
}

TEST_F(QueryCodecTest, OperationWithoutOutputHasOnlyResponseMetadata) {
  http::Response res = encode("iam", "PutRolePolicy", "{}");
  EXPECT_EQ(res.body,
            "<PutRolePolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
            "<ResponseMetadata><RequestId>4f8c9a1e-0000-4000-8000-000000000001</RequestId>"
            "</ResponseMetadata></PutRolePolicyResponse>");
}

TEST_F(QueryCodecTest, EncodesErrorsWithTypeCodeMessageAndStatus) {
  http::Response res;
  codec_.encode_error(*find_model("elbv2"),
                      AwsError("LoadBalancerNotFound", "One or more load balancers not found", 400),
                      ctx_, res);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.header("Content-Type"), "text/xml");
  EXPECT_EQ(res.header("x-amzn-RequestId"), ctx_.request_id);
  EXPECT_EQ(res.body,
            "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
            "<Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code>"
            "<Message>One or more load balancers not found</Message></Error>"
            "<RequestId>4f8c9a1e-0000-4000-8000-000000000001</RequestId></ErrorResponse>");

  codec_.encode_error(*find_model("sts"), errors::internal(), ctx_, res);
  EXPECT_EQ(res.status, 500);
  EXPECT_NE(res.body.find("<Type>Receiver</Type><Code>InternalFailure</Code>"), std::string::npos);
}

// A hand-made model for the traits no query service model uses today: flattened lists and maps,
// locationNames on list elements and map keys/values, blobs and timestampFormat overrides.
namespace synthetic {
using namespace std::string_view_literals;
enum : uint32_t { kInput, kString, kBlob, kTime, kFlatList, kFlatMap, kWrappedList, kInt };
constexpr ShapeDef kShapes[] = {
    {.name = "Input"sv, .type = ShapeType::Structure, .members_begin = 0, .members_count = 7},
    {.name = "String"sv, .type = ShapeType::String},
    {.name = "Blob"sv, .type = ShapeType::Blob},
    {.name = "Time"sv, .type = ShapeType::Timestamp},
    {.name = "FlatList"sv,
     .type = ShapeType::List,
     .members_begin = 7,
     .members_count = 1,
     .flattened = true},
    {.name = "FlatMap"sv,
     .type = ShapeType::Map,
     .members_begin = 8,
     .members_count = 2,
     .flattened = true},
    {.name = "WrappedList"sv, .type = ShapeType::List, .members_begin = 10, .members_count = 1},
    {.name = "Int"sv, .type = ShapeType::Integer},
};
constexpr MemberDef kMembers[] = {
    {.name = "Data"sv, .shape = kBlob},
    {.name = "When"sv, .shape = kTime},
    {.name = "Epoch"sv, .shape = kTime, .timestamp_format = "unixTimestamp"sv},
    {.name = "Names"sv, .shape = kFlatList},
    {.name = "Attributes"sv, .shape = kFlatMap, .location_name = "Attribute"sv},
    {.name = "Counts"sv, .shape = kWrappedList, .location_name = "CountSet"sv},
    {.name = "Plain"sv, .shape = kFlatList, .location_name = "PlainName"sv},
    {.name = "member"sv, .shape = kString, .location_name = "Name"sv},  // FlatList element
    {.name = "key"sv, .shape = kString, .location_name = "K"sv},        // FlatMap
    {.name = "value"sv, .shape = kInt, .location_name = "V"sv},
    {.name = "member"sv, .shape = kInt, .location_name = "count"sv},  // WrappedList element
};
constexpr OperationDef kOperations[] = {
    {.name = "Op"sv, .input = kInput, .output = kInput, .result_wrapper = "OpResult"sv}};
constexpr Protocol kProtocols[] = {Protocol::Query};
const ServiceModel kModel{.name = "synthetic"sv,
                          .api_version = "2020-01-01"sv,
                          .xml_namespace = "urn:synthetic"sv,
                          .protocols = kProtocols,
                          .shapes = kShapes,
                          .members = kMembers,
                          .operations = kOperations};
}  // namespace synthetic

// The same parameters botocore's QuerySerializer writes for this model: a flattened list with an
// element locationName replaces the member's own name ("Names" → "Name.1"), a flattened map
// numbers entries directly under the member ("Attribute.1.K").
constexpr const char* kSyntheticBody =
    "Action=Op&Data=AP8%3D&When=2023-11-14T22%3A13%3A20Z&Epoch=1700000000"
    "&Name.1=a&Name.2=b&Attribute.1.K=x&Attribute.1.V=1&CountSet.count.1=7"
    "&Name.1=shadowed";

TEST_F(QueryCodecTest, DecodesFlattenedListsMapsBlobsAndTimestampFormats) {
  query::ParamMap params;
  ASSERT_TRUE(query::parse_form(kSyntheticBody, params).has_value());
  // Plain (flattened, element locationName "Name") shares the key prefix with Names.
  Result<json::object> r = query::unflatten(synthetic::kModel, synthetic::kModel.shapes[0], params,
                                            query::Dialect::Query);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->at("Data").as_string(), std::string("\0\xff", 2));
  EXPECT_EQ(r->at("When"), json::value(1700000000.0));
  EXPECT_EQ(r->at("Epoch"), json::value(1700000000.0));
  EXPECT_EQ(r->at("Names"), json::parse(R"(["shadowed", "b"])"));
  EXPECT_EQ(r->at("Plain"), json::parse(R"(["shadowed", "b"])"));
  EXPECT_EQ(r->at("Attributes"), json::parse(R"({"x": 1})"));
  EXPECT_EQ(r->at("Counts"), json::parse("[7]"));
}

TEST_F(QueryCodecTest, BadBase64IsValidationError) {
  query::ParamMap params{{"Data", "not base64!"}};
  Result<json::object> r = query::unflatten(synthetic::kModel, synthetic::kModel.shapes[0], params,
                                            query::Dialect::Query);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "ValidationError");
  EXPECT_EQ(r.error().message,
            "1 validation error detected: Value 'not base64!' at 'data' failed to satisfy "
            "constraint: Member must be base64-encoded");
}

// Checked with botocore's QueryParser over the same model (flattened list found under its
// element's locationName, flattened map entries repeated under the member name).
TEST_F(QueryCodecTest, EncodesFlattenedListsMapsBlobsAndTimestampFormats) {
  http::Response res;
  codec_.encode_output(synthetic::kModel, synthetic::kOperations[0],
                       json::parse(R"({
    "Data": "hi", "When": 1700000000, "Epoch": 1700000000.25, "Names": ["a", "b"],
    "Attributes": {"x": 1}, "Counts": [7, 8]})")
                           .as_object(),
                       ctx_, res);
  EXPECT_EQ(res.body,
            "<OpResponse xmlns=\"urn:synthetic/\"><OpResult><Data>aGk=</Data>"
            "<When>2023-11-14T22:13:20Z</When><Epoch>1700000000.25</Epoch>"
            "<Name>a</Name><Name>b</Name>"
            "<Attribute><K>x</K><V>1</V></Attribute>"
            "<CountSet><count>7</count><count>8</count></CountSet></OpResult>"
            "<ResponseMetadata><RequestId>4f8c9a1e-0000-4000-8000-000000000001</RequestId>"
            "</ResponseMetadata></OpResponse>");
}

TEST_F(QueryCodecTest, EncodesBlobsAsBase64) {
  http::Response res = encode("iam", "GetCredentialReport",
                              R"({"Content": "user,arn\n", "ReportFormat": "text/csv",
                                  "GeneratedTime": 1700000000})");
  EXPECT_NE(res.body.find("<Content>dXNlcixhcm4K</Content><ReportFormat>text/csv</ReportFormat>"
                          "<GeneratedTime>2023-11-14T22:13:20Z</GeneratedTime>"),
            std::string::npos)
      << res.body;
}

}  // namespace
}  // namespace protocol

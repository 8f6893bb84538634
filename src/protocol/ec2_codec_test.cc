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

// Request bodies below were produced by botocore 1.43's EC2Serializer
// (serialize_to_request, then urlencode(body, doseq=True) as AWSRequest does).
constexpr const char* kDescribeVpcsBody =
    "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-123"
    "&Filter.1.Value.2=vpc-456&Filter.2.Name=tag%3AName&Filter.2.Value.1=x&VpcId.1=vpc-1"
    "&DryRun=false&MaxResults=5";

constexpr const char* kAuthorizeIngressBody =
    "Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&GroupId=sg-1"
    "&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80&IpPermissions.1.ToPort=80"
    "&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0&IpPermissions.1.IpRanges.1.Description=web"
    "&IpPermissions.1.Ipv6Ranges.1.CidrIpv6=%3A%3A%2F0&IpPermissions.1.Groups.1.GroupId=sg-2"
    "&IpPermissions.1.Groups.1.UserId=123456789012&IpPermissions.2.IpProtocol=-1"
    "&IpPermissions.2.PrefixListIds.1.PrefixListId=pl-1";

constexpr const char* kCreateTagsBody =
    "Action=CreateTags&Version=2016-11-15&ResourceId.1=vpc-1&ResourceId.2=subnet-2"
    "&Tag.1.Key=Name&Tag.1.Value=main&Tag.2.Key=empty&Tag.2.Value=";

// InstanceTypes has no member locationName; its list shape's own locationName ("InstanceType")
// names it, as botocore merges shape traits into the member.
constexpr const char* kDescribeInstanceTypesBody =
    "Action=DescribeInstanceTypes&Version=2016-11-15&InstanceType.1=t3.micro"
    "&InstanceType.2=m5.large";


class Ec2CodecTest : public ::testing::Test {
 protected:
  Ec2CodecTest() { ctx_.request_id = "59dbff89-35bd-4eac-99ed-be587EXAMPLE"; }

  Result<DecodedRequest> decode(std::string body) const {
    return codec_.decode(ec2_, form_post(std::move(body)));
  }

  const Codec& codec_ = ec2_codec();
  const ServiceModel& ec2_ = *find_model("ec2");
  RequestContext ctx_;
};

TEST_F(Ec2CodecTest, DecodesFiltersIntoModelMemberNames) {
  Result<DecodedRequest> r = decode(kDescribeVpcsBody);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->operation->name, "DescribeVpcs");
  EXPECT_EQ(json::value(r->input), json::parse(R"({
    "Filters": [{"Name": "vpc-id", "Values": ["vpc-123", "vpc-456"]},
                {"Name": "tag:Name", "Values": ["x"]}],
    "VpcIds": ["vpc-1"], "DryRun": false, "MaxResults": 5})"));
}

TEST_F(Ec2CodecTest, DecodesIpPermissionsWithNestedLists) {
  Result<DecodedRequest> r = decode(kAuthorizeIngressBody);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input), json::parse(R"({
    "GroupId": "sg-1",
    "IpPermissions": [
      {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
       "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "web"}],
       "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
       "UserIdGroupPairs": [{"GroupId": "sg-2", "UserId": "123456789012"}]},
      {"IpProtocol": "-1", "PrefixListIds": [{"PrefixListId": "pl-1"}]}]})"));
}

TEST_F(Ec2CodecTest, DecodesCreateTagsKeepingEmptyValues) {
  Result<DecodedRequest> r = decode(kCreateTagsBody);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input), json::parse(R"({
    "Resources": ["vpc-1", "subnet-2"],
    "Tags": [{"Key": "Name", "Value": "main"}, {"Key": "empty", "Value": ""}]})"));
}

TEST_F(Ec2CodecTest, UsesTheListShapeLocationNameWhenTheMemberHasNone) {
  Result<DecodedRequest> r = decode(kDescribeInstanceTypesBody);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(json::value(r->input), json::parse(R"({"InstanceTypes": ["t3.micro", "m5.large"]})"));
}

TEST_F(Ec2CodecTest, FlattenReproducesTheBotocoreRequests) {
  for (const char* body :
       {kDescribeVpcsBody, kAuthorizeIngressBody, kCreateTagsBody, kDescribeInstanceTypesBody}) {
    Result<DecodedRequest> r = decode(body);
    ASSERT_TRUE(r.has_value()) << body;
    query::ParamMap expected;
    ASSERT_TRUE(query::parse_form(body, expected).has_value());
    expected.erase("Action");
    expected.erase("Version");
    EXPECT_EQ(query::flatten(ec2_, ec2_.shape(r->operation->input), r->input, query::Dialect::Ec2),
              expected)
        << body;
  }
}

TEST_F(Ec2CodecTest, UnknownActionIsInvalidAction) {
  Result<DecodedRequest> r = decode("Action=DescribeUnicorns&Version=2016-11-15");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "InvalidAction");
  EXPECT_EQ(r.error().message, "The action DescribeUnicorns is not valid for this web service.");
  EXPECT_EQ(r.error().http_status, 400);
}

TEST_F(Ec2CodecTest, MissingActionIsMissingAction) {
  Result<DecodedRequest> r = decode("Version=2016-11-15&Action=");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "MissingAction");
}

TEST_F(Ec2CodecTest, NonNumericIntegerIsInvalidParameterValue) {
  Result<DecodedRequest> r = decode("Action=DescribeVpcs&MaxResults=five");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "InvalidParameterValue");
  EXPECT_EQ(r.error().message,
            "Value (five) for parameter MaxResults is invalid. Expected: 'Integer'.");
  EXPECT_EQ(r.error().http_status, 400);
}

TEST_F(Ec2CodecTest, BadBooleanIsInvalidParameterValue) {
  Result<DecodedRequest> r = decode("Action=DescribeVpcs&DryRun=maybe");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "InvalidParameterValue");
}

TEST_F(Ec2CodecTest, MalformedPercentEncodingAndDeepKeysAreRejected) {
  Result<DecodedRequest> r = decode("Action=DescribeVpcs&Filter.1.Name=%4");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "MalformedQueryString");

  std::string key = "Filter";
  for (int i = 0; i < 10000; ++i) {
    key += ".1";
  }
  r = decode("Action=DescribeVpcs&" + key + "=x");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "MalformedQueryString");
}

// Expected bodies were checked with botocore's EC2QueryParser (parsers.create_parser('ec2')),
// which parses them back to the documents encoded here, requestId included.
TEST_F(Ec2CodecTest, EncodesDescribeVpcsWithItemListsAndLocationNames) {
  http::Response res;
  codec_.encode_output(ec2_, *ec2_.find_operation("DescribeVpcs"),
                       json::parse(R"({"Vpcs": [{
    "CidrBlock": "10.0.0.0/16", "DhcpOptionsId": "dopt-1", "State": "available",
    "VpcId": "vpc-1", "OwnerId": "000000000000", "InstanceTenancy": "default",
    "CidrBlockAssociationSet": [{"AssociationId": "vpc-cidr-assoc-1",
                                 "CidrBlock": "10.0.0.0/16",
                                 "CidrBlockState": {"State": "associated"}}],
    "IsDefault": false,
    "Tags": [{"Key": "Name", "Value": "main & <co>"}]}]})")
                           .as_object(),
                       ctx_, res);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("Content-Type"), "text/xml;charset=UTF-8");
  EXPECT_EQ(res.header("x-amzn-RequestId"), ctx_.request_id);
  EXPECT_EQ(res.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
            "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>"
            "<vpcSet><item><ownerId>000000000000</ownerId>"
            "<instanceTenancy>default</instanceTenancy>"
            "<cidrBlockAssociationSet><item><associationId>vpc-cidr-assoc-1</associationId>"
            "<cidrBlock>10.0.0.0/16</cidrBlock>"
            "<cidrBlockState><state>associated</state></cidrBlockState></item>"
            "</cidrBlockAssociationSet><isDefault>false</isDefault>"
            "<tagSet><item><key>Name</key><value>main &amp; &lt;co&gt;</value></item></tagSet>"
            "<vpcId>vpc-1</vpcId><state>available</state><cidrBlock>10.0.0.0/16</cidrBlock>"
            "<dhcpOptionsId>dopt-1</dhcpOptionsId></item></vpcSet></DescribeVpcsResponse>");
}

TEST_F(Ec2CodecTest, EncodesOutputlessOperationsWithOnlyRequestId) {
  http::Response res;
  codec_.encode_output(ec2_, *ec2_.find_operation("CreateTags"), {}, ctx_, res);
  EXPECT_EQ(res.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<CreateTagsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
            "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId></CreateTagsResponse>");
}

TEST_F(Ec2CodecTest, EncodesErrorsInsideResponseErrors) {
  http::Response res;
  codec_.encode_error(ec2_, AwsError("InvalidVpcID.NotFound", "The vpc ID 'vpc-9' does not exist"),
                      ctx_, res);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.header("Content-Type"), "text/xml;charset=UTF-8");
  EXPECT_EQ(res.header("x-amzn-RequestId"), ctx_.request_id);
  EXPECT_EQ(res.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code>"
            "<Message>The vpc ID 'vpc-9' does not exist</Message></Error></Errors>"
            "<RequestID>59dbff89-35bd-4eac-99ed-be587EXAMPLE</RequestID></Response>");
}

}  // namespace
}  // namespace protocol

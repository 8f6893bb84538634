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

// Request fixtures are botocore 1.x serializer output (serialize.py RestXMLSerializer, prepared
// against http://127.0.0.1:4566). Encoder outputs were checked with botocore's RestXMLParser and
// are pinned here.
class RestXmlCodecTest : public testing::CodecTest {
 protected:
  RestXmlCodecTest() : CodecTest(rest_xml_codec(), "s3") {}

  const ServiceModel& s3_ = model_;
  static constexpr std::string_view kDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
};

TEST_F(RestXmlCodecTest, PutObjectTakesRawBodyMetadataAndHeaders) {
  auto r = codec_.decode(s3_, request("PUT", "/my-bucket/dir/my%20file%2B1.txt",
                                      {{"x-amz-meta-Owner", "me"},
                                       {"x-amz-meta-color", "blue"},
                                       {"Content-Type", "text/plain"},
                                       {"Expires", "Wed, 02 Jan 2030 03:04:05 GMT"},
                                       {"x-amz-acl", "private"},
                                       {"Content-Length", "11"}},
                                      "hello world"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->operation->name, "PutObject");
  const json::object& in = r->input;
  EXPECT_EQ(in.at("Bucket"), "my-bucket");
  EXPECT_EQ(in.at("Key"), "dir/my file+1.txt");
  EXPECT_EQ(in.at("Body"), "hello world");
  EXPECT_EQ(json::serialize(in.at("Metadata")), R"({"owner":"me","color":"blue"})");
  EXPECT_EQ(in.at("ContentType"), "text/plain");
  EXPECT_EQ(in.at("ContentLength"), 11);
  EXPECT_EQ(in.at("Expires"), "Wed, 02 Jan 2030 03:04:05 GMT");
}

TEST_F(RestXmlCodecTest, ListObjectsV2ReadsQueryAndIgnoresLiteralListType) {
  auto r = codec_.decode(
      s3_, request("GET",
                   "/my-bucket?list-type=2&prefix=logs%2F2024%2001&max-keys=50&continuation-token="
                   "tok%3D%3D&start-after=a&fetch-owner=true&delimiter=%2F",
                   {}, ""));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->operation->name, "ListObjectsV2");
  EXPECT_EQ(json::serialize(r->input),
            R"({"Bucket":"my-bucket","Delimiter":"/","MaxKeys":50,"Prefix":"logs/2024 01",)"
            R"("ContinuationToken":"tok==","FetchOwner":true,"StartAfter":"a"})");
}

TEST_F(RestXmlCodecTest, GetObjectReadsRangeAndHttpDateHeader) {
  auto r = codec_.decode(s3_, request("GET", "/my-bucket/a/b/c.txt?versionId=v1",
                                      {{"Range", "bytes=0-99"},
                                       {"If-Modified-Since", "Mon, 06 May 2024 07:08:09 GMT"}},
                                      ""));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->operation->name, "GetObject");
  EXPECT_EQ(r->input.at("Key"), "a/b/c.txt");
  EXPECT_EQ(r->input.at("Range"), "bytes=0-99");
  EXPECT_EQ(r->input.at("VersionId"), "v1");
  EXPECT_DOUBLE_EQ(r->input.at("IfModifiedSince").as_double(), 1714979289.0);
}

TEST_F(RestXmlCodecTest, PutBucketTaggingParsesXmlPayloadWithWrappedList) {
  auto r = codec_.decode(
      s3_, request("PUT", "/my-bucket?tagging", {{"Content-Length", "186"}},
                   "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>"
                   "env</Key><Value>prod</Value></Tag><Tag><Key>team</Key><Value>a&amp;b "
                   "&lt;c&gt;</Value></Tag></TagSet></Tagging>"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->operation->name, "PutBucketTagging");
  EXPECT_EQ(json::serialize(r->input),
            R"({"Bucket":"my-bucket","Tagging":{"TagSet":[{"Key":"env","Value":"prod"},)"
            R"({"Key":"team","Value":"a&b <c>"}]}})");
}

TEST_F(RestXmlCodecTest, DeleteObjectsParsesFlattenedListUnderLiteralDeleteQuery) {
  auto r = codec_.decode(
      s3_, request("POST", "/my-bucket?delete", {{"Content-Length", "177"}},
                   "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a.txt"
                   "</Key></Object><Object><Key>b/c.txt</Key><VersionId>v2</VersionId></Object>"
                   "<Quiet>true</Quiet></Delete>"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->operation->name, "DeleteObjects");
  EXPECT_EQ(json::serialize(r->input.at("Delete")),
            R"({"Objects":[{"Key":"a.txt"},{"Key":"b/c.txt","VersionId":"v2"}],"Quiet":true})");
}

TEST_F(RestXmlCodecTest, CreateBucketReadsOptionalConfigurationPayload) {
  auto r = codec_.decode(
      s3_,
      request("PUT", "/b", {},
              "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
              "<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(json::serialize(r->input),
            R"({"Bucket":"b","CreateBucketConfiguration":{"LocationConstraint":"eu-west-1"}})");
  auto bare = codec_.decode(s3_, request("PUT", "/b", {}, ""));
  ASSERT_TRUE(bare);
  EXPECT_EQ(json::serialize(bare->input), R"({"Bucket":"b"})");
}

TEST_F(RestXmlCodecTest, VirtualHostedBucketComesFromHostHeader) {
  auto r =
      codec_.decode(s3_, request("GET", "/dir/k.txt", {{"Host", "my-bucket.localhost:4566"}}, ""));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->operation->name, "GetObject");
  EXPECT_EQ(r->input.at("Bucket"), "my-bucket");
  EXPECT_EQ(r->input.at("Key"), "dir/k.txt");
  auto list = codec_.decode(
      s3_, request("GET", "/?list-type=2", {{"Host", "b.s3.us-east-1.amazonaws.com"}}, ""));
  ASSERT_TRUE(list);
  EXPECT_EQ(list->operation->name, "ListObjectsV2");
  auto path_style = codec_.decode(s3_, request("GET", "/", {{"Host", "127.0.0.1:4566"}}, ""));
  ASSERT_TRUE(path_style);
  EXPECT_EQ(path_style->operation->name, "ListBuckets");
}

TEST_F(RestXmlCodecTest, MalformedXmlIsMalformedXml) {
  auto r = codec_.decode(s3_, request("POST", "/b?delete", {}, "<Delete><Object><Key>a</Delete>"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "MalformedXML");
  EXPECT_EQ(r.error().http_status, 400);
}

// Entity declarations (XXE, "billion laughs") need a DOCTYPE; any DOCTYPE is refused.
TEST_F(RestXmlCodecTest, DoctypeAndEntityDeclarationsAreRejected) {
  std::string xxe =
      "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<Delete><Object><Key>&x;</Key></Object></Delete>";
  auto r = codec_.decode(s3_, request("POST", "/b?delete", {}, xxe));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "MalformedXML");
  std::string laughs =
      "<!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
      "<Tagging><TagSet><Tag><Key>&b;</Key></Tag></TagSet></Tagging>";
  auto l = codec_.decode(s3_, request("PUT", "/b?tagging", {}, laughs));
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().code, "MalformedXML");
}

TEST_F(RestXmlCodecTest, WrongValueTypeInXmlIsMalformedXml) {
  auto r = codec_.decode(s3_, request("POST", "/b?delete", {},
                                      "<Delete><Object><Key>a</Key></Object><Quiet>maybe</Quiet>"
                                      "</Delete>"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "MalformedXML");
}

TEST_F(RestXmlCodecTest, DeeplyNestedXmlIsHandledWithoutRecursion) {
  std::string deep = "<Tagging>";
  for (int i = 0; i < 100000; ++i) deep += "<TagSet>";
  for (int i = 0; i < 100000; ++i) deep += "</TagSet>";
  deep += "</Tagging>";
  auto r = codec_.decode(s3_, request("PUT", "/b?tagging", {}, deep));
  // The shape bounds the walk: TagSet holds Tags, which hold scalars.
  EXPECT_TRUE(r || r.error().code == "MalformedXML");
}

TEST_F(RestXmlCodecTest, BadPercentEncodingInKeyIsInvalidUri) {
  auto r = codec_.decode(s3_, request("GET", "/b/a%G1", {}, ""));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "InvalidURI");
  EXPECT_EQ(r.error().http_status, 400);
}

TEST_F(RestXmlCodecTest, BadIntegerHeaderIsInvalidArgument) {
  auto r = codec_.decode(s3_, request("PUT", "/b/k", {{"Content-Length", "eleven"}}, ""));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "InvalidArgument");
}

TEST_F(RestXmlCodecTest, WrongMethodIsMethodNotAllowed) {
  auto r = codec_.decode(s3_, request("PATCH", "/b/k", {}, ""));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "MethodNotAllowed");
  EXPECT_EQ(r.error().http_status, 405);
}

TEST_F(RestXmlCodecTest, ListObjectsV2OutputHasFlattenedContentsAndIsoTimestamps) {
  http::Response res = output("ListObjectsV2", R"({
    "IsTruncated": false, "Name": "b", "Prefix": "", "MaxKeys": 1000, "KeyCount": 2,
    "Contents": [
      {"Key": "a.txt", "LastModified": 1714979289.5, "ETag": "\"e1\"", "Size": 3,
       "StorageClass": "STANDARD"},
      {"Key": "b&c.txt", "LastModified": 1714979289, "Size": 0,
       "Owner": {"ID": "o1", "DisplayName": "me"}}
    ],
    "CommonPrefixes": [{"Prefix": "dir/"}]
  })");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("Content-Type"), "application/xml");
  EXPECT_EQ(res.header("x-amz-request-id"), "req-1");
  EXPECT_EQ(res.header("x-amzn-RequestId"), "req-1");
  EXPECT_FALSE(res.header("x-amz-id-2").empty());
  EXPECT_EQ(res.body,
            std::string(kDecl) +
                "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                "<IsTruncated>false</IsTruncated>"
                "<Contents><Key>a.txt</Key><LastModified>2024-05-06T07:08:09.500Z</LastModified>"
                "<ETag>\"e1\"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass>"
                "</Contents>"
                "<Contents><Key>b&amp;c.txt</Key><LastModified>2024-05-06T07:08:09Z"
                "</LastModified><Size>0</Size><Owner><DisplayName>me</DisplayName><ID>o1</ID>"
                "</Owner></Contents>"
                "<Name>b</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys>"
                "<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes><KeyCount>2</KeyCount>"
                "</ListBucketResult>");
}

TEST_F(RestXmlCodecTest, HeadObjectOutputIsHeadersOnly) {
  http::Response res = output("HeadObject", R"({
    "ContentLength": 11, "ContentType": "text/plain", "ETag": "\"abc\"",
    "LastModified": 1714979289, "Metadata": {"owner": "me"}, "VersionId": "v1",
    "AcceptRanges": "bytes", "ServerSideEncryption": "AES256", "PartsCount": 2
  })");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "");
  EXPECT_EQ(res.header("Content-Length"), "11");
  EXPECT_EQ(res.header("Content-Type"), "text/plain");
  EXPECT_EQ(res.header("ETag"), "\"abc\"");
  EXPECT_EQ(res.header("Last-Modified"), "Mon, 06 May 2024 07:08:09 GMT");
  EXPECT_EQ(res.header("x-amz-meta-owner"), "me");
  EXPECT_EQ(res.header("x-amz-version-id"), "v1");
  EXPECT_EQ(res.header("accept-ranges"), "bytes");
  EXPECT_EQ(res.header("x-amz-server-side-encryption"), "AES256");
  EXPECT_EQ(res.header("x-amz-mp-parts-count"), "2");
}

TEST_F(RestXmlCodecTest, GetObjectOutputStreamsBodyWithContentType) {
  http::Response res =
      output("GetObject", R"({"Body": "hello", "ContentType": "text/plain", "ContentLength": 5})");
  EXPECT_EQ(res.body, "hello");
  EXPECT_EQ(res.header("Content-Type"), "text/plain");
}

TEST_F(RestXmlCodecTest, GetBucketLocationRootHoldsTheRegion) {
  http::Response res = output("GetBucketLocation", R"({"LocationConstraint": "eu-west-1"})");
  EXPECT_EQ(res.body, std::string(kDecl) +
                          "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                          "eu-west-1</LocationConstraint>");
}

TEST_F(RestXmlCodecTest, GetBucketTaggingOutputWrapsListItems) {
  http::Response res =
      output("GetBucketTagging", R"({"TagSet": [{"Key": "env", "Value": "prod"}]})");
  EXPECT_EQ(res.body, std::string(kDecl) +
                          "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>"
                          "<Tag><Key>env</Key><Value>prod</Value></Tag></TagSet></Tagging>");
}

// Grantee's type is the attribute xsi:type (xmlAttribute), so xsi must be declared.
TEST_F(RestXmlCodecTest, GetBucketAclOutputWritesXsiTypeAttribute) {
  http::Response res = output("GetBucketAcl", R"({
    "Owner": {"ID": "o1"},
    "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "o1"}, "Permission": "FULL_CONTROL"}]
  })");
  EXPECT_EQ(res.body, std::string(kDecl) +
                          "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                          "<Owner><ID>o1</ID></Owner><AccessControlList><Grant>"
                          "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                          "xsi:type=\"CanonicalUser\"><ID>o1</ID></Grantee>"
                          "<Permission>FULL_CONTROL</Permission></Grant></AccessControlList>"
                          "</AccessControlPolicy>");
}

TEST_F(RestXmlCodecTest, PutBucketAclReadsXsiTypeAttribute) {
  auto r = codec_.decode(
      s3_, request("PUT", "/b?acl", {},
                   "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                   "<AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/"
                   "XMLSchema-instance\" xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/"
                   "global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>"
                   "</AccessControlList><Owner><ID>o1</ID></Owner></AccessControlPolicy>"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(json::serialize(r->input.at("AccessControlPolicy")),
            R"({"Grants":[{"Grantee":{"Type":"Group",)"
            R"("URI":"http://acs.amazonaws.com/groups/global/AllUsers"},"Permission":"READ"}],)"
            R"("Owner":{"ID":"o1"}})");
}

TEST_F(RestXmlCodecTest, NoContentResponsesHaveNoBody) {
  http::Response res = output("DeleteObject", R"({"DeleteMarker": true})");
  EXPECT_EQ(res.status, 204);
  EXPECT_EQ(res.body, "");
  EXPECT_EQ(res.header("x-amz-delete-marker"), "true");
}

TEST_F(RestXmlCodecTest, S3ErrorIsBareErrorElementWithRequestIds) {
  AwsError e("NoSuchKey", "The specified key does not exist.", 404);
  e.fields["Key"] = "a<b>.txt";
  http::Response res;
  codec_.encode_error(s3_, e, ctx_, res);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.header("Content-Type"), "application/xml");
  EXPECT_EQ(res.header("x-amz-request-id"), "req-1");
  EXPECT_EQ(res.body, std::string(kDecl) +
                          "<Error><Code>NoSuchKey</Code><Message>The specified key does not "
                          "exist.</Message><Key>a&lt;b&gt;.txt</Key><RequestId>req-1</RequestId>"
                          "<HostId>cmVxLTE=</HostId></Error>");
}

}  // namespace
}  // namespace protocol

#include "protocol/rest_binding.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "protocol/model.h"

namespace protocol::rest {
namespace {

namespace json = boost::json;

class RestBindingTest : public ::testing::Test {
 protected:
  const ServiceModel& s3_ = *find_model("s3");
  const ServiceModel& lambda_ = *find_model("lambda");

  // The operation name `method target` routes to in `model`, or the error message.
  std::string route(const ServiceModel& model, std::string_view method, std::string_view target,
                    const http::HeaderList& headers = {}) {
    std::size_t q = target.find('?');
    auto query = parse_query(q == std::string_view::npos ? "" : target.substr(q + 1));
    if (!query) return "error: " + query.error().message;
    auto m = match_route(model, method, target.substr(0, q), *query, headers);
    if (!m) return "error: " + m.error().message;
    return std::string(m->operation->name);
  }

  // Routes and binds the non-body members of a request.
  BindResult<json::object> bind(const ServiceModel& model, std::string_view method,
                                std::string_view target, const http::HeaderList& headers = {}) {
    std::size_t q = target.find('?');
    auto query = parse_query(q == std::string_view::npos ? "" : target.substr(q + 1));
    if (!query) return query.error();
    auto m = match_route(model, method, target.substr(0, q), *query, headers);
    if (!m) return m.error();
    json::object out;
    auto r = bind_input_members(model, model.shape(m->operation->input), *m, *query, headers, out);
    if (!r) return r.error();
    return out;
  }
};

TEST_F(RestBindingTest, QueryStringDecodesPercentEscapesAndPlusAsSpace) {
  auto q = parse_query("a=1&b=x%20y+z&flag&empty=&a=2");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 5u);
  EXPECT_EQ((*q)[1].value, "x y z");
  EXPECT_FALSE((*q)[2].has_value);
  EXPECT_TRUE((*q)[3].has_value);
  EXPECT_EQ((*q)[4].value, "2");
}

TEST_F(RestBindingTest, BadPercentEncodingInQueryIsMalformed) {
  auto q = parse_query("prefix=%zz");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().kind, BindError::Kind::Malformed);
}

TEST_F(RestBindingTest, BadPercentEncodingInPathIsMalformed) {
  auto m = match_route(s3_, "GET", "/bucket/a%2", {}, {});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, BindError::Kind::Malformed);
}

// GET /{Bucket}?location, GET /{Bucket}?list-type=2 and GET /{Bucket} share a path: the literal
// query keys in the requestUri decide.
TEST_F(RestBindingTest, LiteralQueryKeysBeatPlainBucketRoute) {
  EXPECT_EQ(route(s3_, "GET", "/b?location"), "GetBucketLocation");
  EXPECT_EQ(route(s3_, "GET", "/b?list-type=2&prefix=x"), "ListObjectsV2");
  EXPECT_EQ(route(s3_, "GET", "/b?prefix=x"), "ListObjects");
  EXPECT_EQ(route(s3_, "GET", "/b"), "ListObjects");
  EXPECT_EQ(route(s3_, "GET", "/b/"), "ListObjects");
  EXPECT_EQ(route(s3_, "GET", "/b?acl"), "GetBucketAcl");
  EXPECT_EQ(route(s3_, "GET", "/b?tagging"), "GetBucketTagging");
  EXPECT_EQ(route(s3_, "PUT", "/b?tagging"), "PutBucketTagging");
  EXPECT_EQ(route(s3_, "POST", "/b?delete"), "DeleteObjects");
  EXPECT_EQ(route(s3_, "GET", "/"), "ListBuckets");
}

TEST_F(RestBindingTest, LiteralQueryValueMustMatch) {
  EXPECT_EQ(route(s3_, "GET", "/b?list-type=1"), "ListObjects");
}

TEST_F(RestBindingTest, GreedyKeyLabelTakesTheRestOfThePath) {
  EXPECT_EQ(route(s3_, "GET", "/b/k"), "GetObject");
  EXPECT_EQ(route(s3_, "GET", "/b/k?tagging"), "GetObjectTagging");
  auto in = bind(s3_, "GET", "/b/dir/sub%2Fdir/my%20file%2B1.txt");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->at("Bucket"), "b");
  EXPECT_EQ(in->at("Key"), "dir/sub/dir/my file+1.txt");
}

TEST_F(RestBindingTest, GreedyKeyKeepsTrailingSlashOfFolderObjects) {
  auto in = bind(s3_, "PUT", "/b/folder/");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->at("Key"), "folder/");
}

// PUT /{Bucket}/{Key+} is PutObject, CopyObject, UploadPart and UploadPartCopy; the required
// members present (partNumber, uploadId, x-amz-copy-source) pick one.
TEST_F(RestBindingTest, RequiredQueryAndHeaderMembersDisambiguateSameRoute) {
  EXPECT_EQ(route(s3_, "PUT", "/b/k"), "PutObject");
  EXPECT_EQ(route(s3_, "PUT", "/b/k", {{"x-amz-copy-source", "src/k"}}), "CopyObject");
  EXPECT_EQ(route(s3_, "PUT", "/b/k?partNumber=3&uploadId=u"), "UploadPart");
  EXPECT_EQ(route(s3_, "PUT", "/b/k?partNumber=3&uploadId=u", {{"X-Amz-Copy-Source", "s/k"}}),
            "UploadPartCopy");
  EXPECT_EQ(route(s3_, "GET", "/b/k?uploadId=u"), "ListParts");
  EXPECT_EQ(route(s3_, "DELETE", "/b/k?uploadId=u"), "AbortMultipartUpload");
  EXPECT_EQ(route(s3_, "DELETE", "/b/k"), "DeleteObject");
  EXPECT_EQ(route(s3_, "POST", "/b/k?uploads"), "CreateMultipartUpload");
  EXPECT_EQ(route(s3_, "POST", "/b/k?uploadId=u"), "CompleteMultipartUpload");
}

TEST_F(RestBindingTest, LiteralPathSegmentsBeatLabels) {
  EXPECT_EQ(route(lambda_, "GET", "/2015-03-31/functions/f"), "GetFunction");
  EXPECT_EQ(route(lambda_, "GET", "/2015-03-31/functions/f/configuration"),
            "GetFunctionConfiguration");
  EXPECT_EQ(route(lambda_, "GET", "/2015-03-31/functions/"), "ListFunctions");
  EXPECT_EQ(route(lambda_, "POST", "/2015-03-31/functions/f/invocations"), "Invoke");
}

TEST_F(RestBindingTest, WrongMethodOnKnownPathIsMethodNotAllowed) {
  auto m = match_route(lambda_, "PATCH", "/2015-03-31/functions/f", {}, {});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, BindError::Kind::MethodNotAllowed);
}

TEST_F(RestBindingTest, UnknownPathIsNoRoute) {
  auto m = match_route(lambda_, "GET", "/nope", {}, {});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, BindError::Kind::NoRoute);
}

TEST_F(RestBindingTest, LabelsArePercentDecoded) {
  auto in = bind(lambda_, "GET",
                 "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction"
                 "%3Amy-func?Qualifier=prod");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->at("FunctionName"), "arn:aws:lambda:us-east-1:123456789012:function:my-func");
  EXPECT_EQ(in->at("Qualifier"), "prod");
}

TEST_F(RestBindingTest, QueryScalarsAreConvertedByShape) {
  auto in = bind(s3_, "GET", "/b?list-type=2&max-keys=50&fetch-owner=true&prefix=a%2Fb");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->at("MaxKeys"), 50);
  EXPECT_EQ(in->at("FetchOwner"), true);
  EXPECT_EQ(in->at("Prefix"), "a/b");
  EXPECT_FALSE(in->contains("list-type"));
}

TEST_F(RestBindingTest, NonNumericIntegerQueryIsBadValue) {
  auto in = bind(s3_, "GET", "/b?list-type=2&max-keys=lots");
  ASSERT_FALSE(in);
  EXPECT_EQ(in.error().kind, BindError::Kind::BadValue);
}

TEST_F(RestBindingTest, HeadersBindScalarsTimestampsAndPrefixMaps) {
  auto in = bind(s3_, "PUT", "/b/k",
                 {{"x-amz-meta-Owner", "me"},
                  {"X-Amz-Meta-color", "blue"},
                  {"Content-Type", "text/plain"},
                  {"Expires", "Wed, 02 Jan 2030 03:04:05 GMT"},
                  {"Content-Length", "11"},
                  {"x-amz-acl", "private"}});
  ASSERT_TRUE(in);
  EXPECT_EQ(json::serialize(in->at("Metadata")), R"({"owner":"me","color":"blue"})");
  EXPECT_EQ(in->at("ContentType"), "text/plain");
  EXPECT_EQ(in->at("ContentLength"), 11);
  EXPECT_EQ(in->at("Expires"), "Wed, 02 Jan 2030 03:04:05 GMT");  // a string in this model
  EXPECT_EQ(in->at("ACL"), "private");
}

TEST_F(RestBindingTest, HeaderTimestampAcceptsIso8601Too) {
  auto in = bind(s3_, "GET", "/b/k", {{"If-Modified-Since", "2024-05-06T07:08:09Z"}});
  ASSERT_TRUE(in);
  EXPECT_DOUBLE_EQ(in->at("IfModifiedSince").as_double(), 1714979289.0);
}

TEST_F(RestBindingTest, UnreadableHeaderTimestampIsBadValue) {
  auto in = bind(s3_, "GET", "/b/k", {{"If-Modified-Since", "yesterday"}});
  ASSERT_FALSE(in);
  EXPECT_EQ(in.error().kind, BindError::Kind::BadValue);
}

TEST_F(RestBindingTest, HeaderListsSplitOnCommasOutsideQuotes) {
  // GetObjectAttributes: x-amz-object-attributes is a list header.
  auto in = bind(s3_, "GET", "/b/k?attributes",
                 {{"x-amz-object-attributes", "ETag, \"Object,Parts\",StorageClass"}});
  ASSERT_TRUE(in);
  EXPECT_EQ(json::serialize(in->at("ObjectAttributes")),
            R"(["ETag","Object,Parts","StorageClass"])");
}

TEST_F(RestBindingTest, OutputHeadersStatusAndPrefixMapsAreWritten) {
  const OperationDef* op = s3_.find_operation("HeadObject");
  json::object doc = json::parse(R"({
    "ContentLength": 11, "ContentType": "text/plain", "ETag": "\"abc\"",
    "LastModified": 1714979289.5, "Metadata": {"owner": "me", "bad": "x\r\nInjected: 1"},
    "DeleteMarker": false, "Body": "ignored", "MissingMeta": "three"
  })")
                         .as_object();
  http::Response res;
  encode_output_members(s3_, s3_.shape(op->output), doc, res);
  EXPECT_EQ(res.header("Content-Length"), "11");
  EXPECT_EQ(res.header("Content-Type"), "text/plain");
  EXPECT_EQ(res.header("ETag"), "\"abc\"");
  EXPECT_EQ(res.header("Last-Modified"), "Mon, 06 May 2024 07:08:09 GMT");
  EXPECT_EQ(res.header("x-amz-meta-owner"), "me");
  EXPECT_EQ(res.header("x-amz-meta-bad"), "");
  EXPECT_EQ(res.header("x-amz-delete-marker"), "false");
  EXPECT_EQ(res.header("x-amz-missing-meta"), "");  // a string where an integer belongs
}

TEST_F(RestBindingTest, StatusCodeMemberSetsResponseStatus) {
  const OperationDef* op = lambda_.find_operation("Invoke");
  http::Response res;
  encode_output_members(
      lambda_, lambda_.shape(op->output),
      json::parse(R"({"StatusCode": 202, "FunctionError": "Unhandled"})").as_object(), res);
  EXPECT_EQ(res.status, 202);
  EXPECT_EQ(res.header("X-Amz-Function-Error"), "Unhandled");
}

}  // namespace
}  // namespace protocol::rest

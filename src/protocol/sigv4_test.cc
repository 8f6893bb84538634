#include "protocol/sigv4.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/time_format.h"
#include "protocol/aws_chunked.h"

namespace protocol::sigv4 {
namespace {

// AWS's published test suite (aws-sig-v4-test-suite, the copy botocore keeps in
// tests/unit/auth/aws4_testsuite) signs with these for region us-east-1, service "service".
constexpr std::string_view kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSuiteDate = "20150830T123600Z";
constexpr std::string_view kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

core::TimePoint at(std::string_view amz_date) { return *core::parse_timestamp(amz_date); }

http::Request make_request(std::string method, std::string target, http::HeaderList headers,
                           std::string body = "") {
  http::Request req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.headers = std::move(headers);
  req.body = std::move(body);
  return req;
}

ParsedAuth parse_ok(const http::Request& req) {
  auto parsed = parse(req);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : ParsedAuth{};
}

struct SuiteCase {
  const char* name;
  const char* method;
  const char* target;
  http::HeaderList extra_headers;
  const char* body;
  const char* signed_headers;
  const char* canonical_request;
  const char* canonical_request_sha256;  // last line of the string to sign
  const char* signature;
};

// Requests as they arrive on the wire, with the canonical request and signature the suite
// publishes. Paths with a space or raw UTF-8 are as the suite writes them (its .req files).
const SuiteCase kSuite[] = {
    {"GetVanilla",
     "GET",
     "/",
     {},
     "",
     "host;x-amz-date",
     "GET\n/"
     "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
    {"GetVanillaQueryOrderKeyCase",
     "GET",
     "/?Param2=value2&Param1=value1",
     {},
     "",
     "host;x-amz-date",
     "GET\n/"
     "\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:"
     "20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
     "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
    {"GetVanillaQueryOrderValue",
     "GET",
     "/?Param1=value2&Param1=value1",
     {},
     "",
     "host;x-amz-date",
     "GET\n/"
     "\nParam1=value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:"
     "20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
     "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"},
    {"GetVanillaQueryUnreserved",
     "GET",
     "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~"
     "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
     {},
     "",
     "host;x-amz-date",
     "GET\n/"
     "\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~"
     "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\nhost:example.amazonaws."
     "com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
     "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
    {"GetVanillaUtf8Query",
     "GET",
     "/?\xE1\x88\xB4=bar",
     {},
     "",
     "host;x-amz-date",
     "GET\n/"
     "\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
     "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
    {"GetUnreserved",
     "GET",
     "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
     {},
     "",
     "host;x-amz-date",
     "GET\n/"
     "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\nhost:example.amazonaws."
     "com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
     "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
    {"GetUtf8",
     "GET",
     "/\xE1\x88\xB4",
     {},
     "",
     "host;x-amz-date",
     "GET\n/"
     "%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
     "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
    {"GetHeaderKeyDuplicate",
     "GET",
     "/",
     {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
     "",
     "host;my-header1;x-amz-date",
     "GET\n/"
     "\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:"
     "20150830T123600Z\n\nhost;my-header1;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
     "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
    {"GetHeaderValueMultiline",
     "GET",
     "/",
     {{"My-Header1", "value1\n  value2\n     value3"}},
     "",
     "host;my-header1;x-amz-date",
     "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1 value2 "
     "value3\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "e99419459a677bc11de234014be3c4e72c1ea5b454ceb58b613061f5d7a162e8",
     "cfd34249e4b1c8d6b91ef74165d41a32e5fab3306300901bb65a51a73575eefd"},
    {"GetHeaderValueTrim",
     "GET",
     "/",
     {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
     "",
     "host;my-header1;my-header2;x-amz-date",
     "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b "
     "c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
     "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
    {"PostVanillaQuery",
     "POST",
     "/?Param1=value1",
     {},
     "",
     "host;x-amz-date",
     "POST\n/"
     "\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
     "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
    {"PostXWwwFormUrlencoded",
     "POST",
     "/",
     {{"Content-Type", "application/x-www-form-urlencoded"}},
     "Param1=value1",
     "content-type;host;x-amz-date",
     "POST\n/\n\ncontent-type:application/"
     "x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-"
     "type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
     "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
     "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
    {"PostStsHeaderBefore",
     "POST",
     "/",
     {{"X-Amz-Security-Token",
       "AQoDYXdzEPT//////////"
       "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwt"
       "hAx7mSEI/qkPpKPi/"
       "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQc"
       "HNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
       "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="}},
     "",
     "host;x-amz-date;x-amz-security-token",
     "POST\n/"
     "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:"
     "AQoDYXdzEPT//////////"
     "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthA"
     "x7mSEI/qkPpKPi/"
     "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHN"
     "VXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
     "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/"
     "oLxBA==\n\nhost;x-amz-date;x-amz-security-"
     "token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
     "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
    {"NormalizeGetRelativeRelative",
     "GET",
     "/example1/example2/../..",
     {},
     "",
     "host;x-amz-date",
     "GET\n/"
     "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
    {"NormalizeGetSlashPointlessDot",
     "GET",
     "/./example",
     {},
     "",
     "host;x-amz-date",
     "GET\n/"
     "example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702",
     "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"},
    {"NormalizeGetSlashes",
     "GET",
     "//example//",
     {},
     "",
     "host;x-amz-date",
     "GET\n/example/"
     "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015",
     "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"},
    {"NormalizeGetSpace",
     "GET",
     "/example space/",
     {},
     "",
     "host;x-amz-date",
     "GET\n/example%20space/"
     "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
     "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
    {"NormalizeGetSpecialCharacter",
     "GET",
     "/example/$delete",
     {},
     "",
     "host;x-amz-date",
     "GET\n/example/"
     "%24delete\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-"
     "date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "4053e45b5cef7cec5e17f736b1c12b3faf0388fd4c0bd24326386f132039ce5c",
     "a853c9b21b528b19643d00910d35b83a10c366a10833ceefb45edd6c80e40f27"},
};

class SigV4SuiteTest : public ::testing::TestWithParam<SuiteCase> {
 protected:
  http::Request request() const {
    const SuiteCase& c = GetParam();
    http::HeaderList headers = {{"Host", "example.amazonaws.com"},
                                {"X-Amz-Date", std::string(kSuiteDate)}};
    headers.insert(headers.end(), c.extra_headers.begin(), c.extra_headers.end());
    headers.emplace_back("Authorization",
                         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                         "aws4_request, SignedHeaders=" +
                             std::string(c.signed_headers) + ", Signature=" + c.signature);
    return make_request(c.method, c.target, std::move(headers), c.body);
  }
};

TEST_P(SigV4SuiteTest, BuildsThePublishedCanonicalRequest) {
  http::Request req = request();
  EXPECT_EQ(canonical_request(req, parse_ok(req)), GetParam().canonical_request);
}

TEST_P(SigV4SuiteTest, BuildsThePublishedStringToSign) {
  http::Request req = request();
  ParsedAuth auth = parse_ok(req);
  EXPECT_EQ(string_to_sign(auth, canonical_request(req, auth)),
            std::string("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/"
                        "aws4_request\n") +
                GetParam().canonical_request_sha256);
}

TEST_P(SigV4SuiteTest, ComputesAndAcceptsThePublishedSignature) {
  http::Request req = request();
  ParsedAuth auth = parse_ok(req);
  EXPECT_EQ(compute_signature(kSuiteSecret, auth, req), GetParam().signature);
  std::optional<AuthError> error = verify(req, auth, kSuiteSecret, at(kSuiteDate));
  EXPECT_FALSE(error) << error->message;
}

INSTANTIATE_TEST_SUITE_P(AwsTestSuite, SigV4SuiteTest, ::testing::ValuesIn(kSuite),
                         [](const auto& info) { return std::string(info.param.name); });

class SigV4Test : public ::testing::Test {
 protected:
  static http::Request suite_get_vanilla() {
    return make_request(
        "GET", "/",
        {{"Host", "example.amazonaws.com"},
         {"X-Amz-Date", "20150830T123600Z"},
         {"Authorization",
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
          "SignedHeaders=host;x-amz-date, "
          "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}});
  }

  static std::optional<Failure> parse_failure(std::string authorization) {
    http::Request req = make_request(
        "GET", "/", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}});
    req.headers.emplace_back("Authorization", std::move(authorization));
    auto parsed = parse(req);
    if (parsed) {
      return std::nullopt;
    }
    return parsed.error().failure;
  }
};

TEST_F(SigV4Test, ParsesEveryPartOfTheAuthorizationHeader) {
  ParsedAuth auth = parse_ok(suite_get_vanilla());
  EXPECT_TRUE(auth.signed_request);
  EXPECT_FALSE(auth.presigned);
  EXPECT_EQ(auth.scope.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(auth.scope.date, "20150830");
  EXPECT_EQ(auth.scope.region, "us-east-1");
  EXPECT_EQ(auth.scope.service, "service");
  EXPECT_EQ(auth.scope.terminator, "aws4_request");
  EXPECT_EQ(auth.signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
  EXPECT_EQ(auth.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(auth.amz_date, "20150830T123600Z");
  EXPECT_EQ(auth.payload_hash, "");
}

TEST_F(SigV4Test, DerivesThePublishedSigningKey) {
  // "Signing AWS API requests" derives this key for the suite's secret, date, region and service.
  CredentialScope scope{"AKIDEXAMPLE", "20150830", "us-east-1", "service", "aws4_request"};
  std::string key = signing_key(kSuiteSecret, scope);
  ASSERT_EQ(key.size(), 32u);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : key) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xf]);
  }
  EXPECT_EQ(hex, "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75");
}

TEST_F(SigV4Test, RequestWithoutAuthIsUnsignedNotAnError) {
  auto parsed = parse(make_request("GET", "/?Action=ListUsers", {{"Host", "localhost"}}));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_FALSE(parsed->signed_request);
}

// botocore SigV4Auth("ecs", "us-east-1"), credentials from the suite, signing at 20150830T123600Z.
http::Request botocore_json_post() {
  return make_request(
      "POST", "/",
      {{"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"},
       {"Content-Type", "application/x-amz-json-1.1"},
       {"Host", "127.0.0.1:4566"},
       {"X-Amz-Date", "20150830T123600Z"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ecs/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
        "Signature=97ea34705c3f4e70754728337023fc34940bee73bb6d85f3674bb0182d6bce1e"},
       {"Content-Length", "17"}},
      R"({"maxResults":10})");
}

TEST_F(SigV4Test, AcceptsBotocoreJsonPost) {
  http::Request req = botocore_json_post();
  ParsedAuth auth = parse_ok(req);
  EXPECT_EQ(auth.scope.service, "ecs");
  std::optional<AuthError> error = verify(req, auth, kSuiteSecret, at(kSuiteDate));
  EXPECT_FALSE(error) << error->message;
}

TEST_F(SigV4Test, RejectsJsonPostWhoseBodyChangedAfterSigning) {
  http::Request req = botocore_json_post();
  req.body = R"({"maxResults":11})";
  std::optional<AuthError> error = verify(req, parse_ok(req), kSuiteSecret, at(kSuiteDate));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->failure, Failure::SignatureMismatch);
}

TEST_F(SigV4Test, WrongSecretIsSignatureMismatchWithAwsMessage) {
  http::Request req = botocore_json_post();
  std::optional<AuthError> error = verify(req, parse_ok(req), "not-the-secret", at(kSuiteDate));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->failure, Failure::SignatureMismatch);
  EXPECT_EQ(error->message,
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.");
}

TEST_F(SigV4Test, AcceptsBotocoreQueryProtocolPost) {
  // botocore SigV4Auth("elasticloadbalancing", "us-east-1"): the form body is hashed, not parsed.
  http::Request req =
      make_request("POST", "/",
                   {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                    {"Host", "127.0.0.1:4566"},
                    {"X-Amz-Date", "20150830T123600Z"},
                    {"Authorization",
                     "AWS4-HMAC-SHA256 "
                     "Credential=AKIDEXAMPLE/20150830/us-east-1/elasticloadbalancing/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date, "
                     "Signature=bdefda78495ccb40980a3da4ea63bacd10fbe2517a7cf5e4f4f7fd4ed1b0c524"},
                    {"Content-Length", "70"}},
                   "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=my%20lb");
  std::optional<AuthError> error = verify(req, parse_ok(req), kSuiteSecret, at(kSuiteDate));
  EXPECT_FALSE(error) << error->message;
}

TEST_F(SigV4Test, ReadsSecurityTokenHeader) {
  // botocore SigV4Auth("ecs", "us-west-2") with session credentials ASIAEXAMPLE / "secret".
  http::Request req = make_request(
      "POST", "/",
      {{"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"},
       {"Content-Type", "application/x-amz-json-1.1"},
       {"Host", "127.0.0.1:4566"},
       {"X-Amz-Date", "20150830T123600Z"},
       {"X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLE//token+=="},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20150830/us-west-2/ecs/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
        "Signature=42bc0fc1e69bb72460d567e594f5517dd4b6bbecc7bfa06f84ff423d7fac5f8f"}},
      "{}");
  ParsedAuth auth = parse_ok(req);
  EXPECT_EQ(auth.security_token, "FQoGZXIvYXdzEXAMPLE//token+==");
  EXPECT_EQ(auth.scope.region, "us-west-2");
  std::optional<AuthError> error = verify(req, auth, "secret", at(kSuiteDate));
  EXPECT_FALSE(error) << error->message;
}

TEST_F(SigV4Test, AcceptsDateHeaderInsteadOfXAmzDate) {
  // botocore keeps a Date header the caller set and signs it in RFC 822 form with "-0000".
  http::Request req =
      make_request("POST", "/",
                   {{"X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters"},
                    {"Content-Type", "application/x-amz-json-1.1"},
                    {"Host", "127.0.0.1:4566"},
                    {"Date", "Sun, 30 Aug 2015 12:36:00 -0000"},
                    {"Authorization",
                     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ecs/aws4_request, "
                     "SignedHeaders=content-type;date;host;x-amz-target, "
                     "Signature=aef1bd26a8a7f6e1506a9b2cb34ad4a77c41b47ea10434dd7c662c32a33dc188"}},
                   "{}");
  ParsedAuth auth = parse_ok(req);
  EXPECT_EQ(auth.amz_date, "20150830T123600Z");
  std::optional<AuthError> error = verify(req, auth, kSuiteSecret, at(kSuiteDate));
  EXPECT_FALSE(error) << error->message;
}

TEST_F(SigV4Test, DoubleEncodesPathForServicesOtherThanS3) {
  // "Each path segment must be URI-encoded twice ... except for Amazon S3 which only gets
  // URI-encoded once." Canonical request and signature from botocore SigV4Auth("lambda").
  http::Request req = make_request(
      "POST",
      "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Amy-fn/"
      "invocations",
      {{"Host", "127.0.0.1:4566"},
       {"X-Amz-Date", "20150830T123600Z"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=19aa64de2f8002e8a87490770c80d4160bb7dafe6f8ba94a67f2c3b190c0afd9"}},
      "{}");
  ParsedAuth auth = parse_ok(req);
  EXPECT_EQ(canonical_request(req, auth),
            "POST\n/2015-03-31/functions/"
            "arn%253Aaws%253Alambda%253Aus-east-1%253A000000000000%253Afunction%253Amy-fn/"
            "invocations\n\nhost:127.0.0.1:4566\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  std::optional<AuthError> error = verify(req, auth, kSuiteSecret, at(kSuiteDate));
  EXPECT_FALSE(error) << error->message;
}

TEST_F(SigV4Test, S3StyleSignsTheRawPathOnce) {
  // botocore S3SigV4Auth: path as sent, x-amz-content-sha256 signed.
  http::Request req = make_request(
      "PUT", "/bucket/a%20key%2Bwith%24odd~chars.txt",
      {{"Host", "127.0.0.1:4566"},
       {"X-Amz-Date", "20150830T123600Z"},
       {"X-Amz-Content-SHA256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        "Signature=0e2de418f9c134734ef13c238bc4fa584038b643eef63af00a4bcb279ddb3f3b"}},
      "hello");
  ParsedAuth auth = parse_ok(req);
  EXPECT_EQ(auth.payload_hash, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  std::optional<AuthError> error = verify(req, auth, kSuiteSecret, at(kSuiteDate), true);
  EXPECT_FALSE(error) << error->message;
  ASSERT_TRUE(verify(req, auth, kSuiteSecret, at(kSuiteDate), false));

  req.body = "olleh";  // signed hash no longer matches the body: S3's XAmzContentSHA256Mismatch
  error = verify(req, auth, kSuiteSecret, at(kSuiteDate), true);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->failure, Failure::SignatureMismatch);
}

// botocore SigV4QueryAuth("sts", "us-east-1", expires=900): the presigned GetCallerIdentity that
// `aws eks get-token` builds.
http::Request botocore_presigned_sts() {
  return make_request(
      "GET",
      "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
      "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&"
      "X-Amz-Date=20150830T123600Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&"
      "X-Amz-Signature=f7d08dbd3424503caaa67aab91ebb0cb63c39ec2c9427b0a2107846ce8efdc2c",
      {{"Host", "127.0.0.1:4566"}});
}

TEST_F(SigV4Test, ParsesAndAcceptsPresignedQueryForm) {
  http::Request req = botocore_presigned_sts();
  ParsedAuth auth = parse_ok(req);
  EXPECT_TRUE(auth.signed_request);
  EXPECT_TRUE(auth.presigned);
  EXPECT_EQ(auth.scope.service, "sts");
  EXPECT_EQ(auth.expires_seconds, 900);
  EXPECT_EQ(auth.signed_headers, std::vector<std::string>{"host"});
  // X-Amz-Signature is left out; a non-S3 presigned request hashes its (empty) body.
  EXPECT_EQ(canonical_request(req, auth),
            "GET\n/\nAction=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
            "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&"
            "X-Amz-Date=20150830T123600Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\n"
            "host:127.0.0.1:4566\n\nhost\n" +
                std::string(kEmptyHash));
  std::optional<AuthError> error = verify(req, auth, kSuiteSecret, at("20150830T125100Z"));
  EXPECT_FALSE(error) << error->message;
}

TEST_F(SigV4Test, PresignedRequestExpiresAfterXAmzExpires) {
  http::Request req = botocore_presigned_sts();
  std::optional<AuthError> error = verify(req, parse_ok(req), kSuiteSecret, at("20150830T125101Z"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->failure, Failure::Expired);
}

TEST_F(SigV4Test, S3PresignedUrlSignsUnsignedPayload) {
  // botocore S3SigV4QueryAuth("s3", expires=3600).
  http::Request req = make_request(
      "GET",
      "/bucket/a%20key.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
      "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&"
      "X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&"
      "X-Amz-Signature=680281c74849f160a3362da32895a6f999745a639ef26d897919a83be9206a3a",
      {{"Host", "127.0.0.1:4566"}});
  ParsedAuth auth = parse_ok(req);
  std::string cr = canonical_request(req, auth, true);
  EXPECT_EQ(cr.substr(cr.rfind('\n') + 1), "UNSIGNED-PAYLOAD");
  std::optional<AuthError> error = verify(req, auth, kSuiteSecret, at("20150830T133600Z"), true);
  EXPECT_FALSE(error) << error->message;
}

TEST_F(SigV4Test, AcceptsHeaderSignatureUpToFifteenMinutesEitherWay) {
  http::Request req = suite_get_vanilla();
  ParsedAuth auth = parse_ok(req);
  EXPECT_FALSE(verify(req, auth, kSuiteSecret, at("20150830T125100Z")));
  EXPECT_FALSE(verify(req, auth, kSuiteSecret, at("20150830T122100Z")));
}

TEST_F(SigV4Test, HeaderSignatureOlderThanFifteenMinutesIsExpired) {
  http::Request req = suite_get_vanilla();
  std::optional<AuthError> error = verify(req, parse_ok(req), kSuiteSecret, at("20150830T125600Z"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->failure, Failure::Expired);
  EXPECT_EQ(error->message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z "
            "(20150830T125600Z - 15 min.)");
}

TEST_F(SigV4Test, HeaderSignatureMoreThanFifteenMinutesAheadIsNotYetValid) {
  http::Request req = suite_get_vanilla();
  std::optional<AuthError> error = verify(req, parse_ok(req), kSuiteSecret, at("20150830T120000Z"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->failure, Failure::NotYetValid);
  EXPECT_EQ(error->message,
            "Signature not yet current: 20150830T123600Z is still later than 20150830T121500Z "
            "(20150830T120000Z + 15 min.)");
}

TEST_F(SigV4Test, CredentialDateMustMatchRequestDate) {
  http::Request req = suite_get_vanilla();
  req.headers[1].second = "20150831T123600Z";
  std::optional<AuthError> error = verify(req, parse_ok(req), kSuiteSecret, at("20150831T123600Z"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->failure, Failure::SignatureMismatch);
}

TEST_F(SigV4Test, AuthorizationAloneIsIncompleteWithAwsMessage) {
  http::Request req = make_request(
      "GET", "/", {{"Host", "example.amazonaws.com"}, {"Authorization", "AWS4-HMAC-SHA256"}});
  auto parsed = parse(req);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().failure, Failure::Incomplete);
  EXPECT_EQ(parsed.error().message,
            "Authorization header requires 'Credential' parameter. Authorization header requires "
            "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=AWS4-HMAC-SHA256");
}

TEST_F(SigV4Test, MalformedAuthorizationHeadersAreIncomplete) {
  const char* kGarbage[] = {
      "AWS4-HMAC-SHA256 ",
      "AWS4-HMAC-SHA256 ,,,,",
      "AWS4-HMAC-SHA256 Credential",
      "AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=",
      "AWS4-HMAC-SHA256 Credential==AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders==host, Signature==abc",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830, SignedHeaders=host, Signature=abc",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws5_request, "
      "SignedHeaders=host, Signature=abc",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE//us-east-1/service/aws4_request, "
      "SignedHeaders=host, Signature=abc",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=;;;, Signature=abc",
      "AWS4-HMAC-SHA256Credential=x",
      "Basic dXNlcjpwYXNz",
      "AWS AKIDEXAMPLE:signature",
      "=,=,=",
  };
  for (const char* garbage : kGarbage) {
    EXPECT_EQ(parse_failure(garbage), Failure::Incomplete) << garbage;
  }
}

TEST_F(SigV4Test, HeaderSignatureWithoutAnyDateIsMissingDate) {
  http::Request req = suite_get_vanilla();
  req.headers.erase(req.headers.begin() + 1);  // X-Amz-Date
  auto parsed = parse(req);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().failure, Failure::MissingDate);
}

TEST_F(SigV4Test, XAmzDateOutsideBasicFormatIsIncomplete) {
  http::Request req = suite_get_vanilla();
  req.headers[1].second = "2015-08-30T12:36:00Z";
  auto parsed = parse(req);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().failure, Failure::Incomplete);
}

TEST_F(SigV4Test, MalformedPresignedQueriesAreIncomplete) {
  const char* kTargets[] = {
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256",
      "/?X-Amz-Signature=abc",
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA1&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts"
      "%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abc",
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2F"
      "sts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=soon&"
      "X-Amz-SignedHeaders=host&X-Amz-Signature=abc",
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2F"
      "sts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=604801&"
      "X-Amz-SignedHeaders=host&X-Amz-Signature=abc",
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%&X-Amz-Date=%zz&"
      "X-Amz-SignedHeaders=&X-Amz-Signature=%%",
  };
  for (const char* target : kTargets) {
    auto parsed = parse(make_request("GET", target, {{"Host", "localhost"}}));
    ASSERT_FALSE(parsed.has_value()) << target;
    EXPECT_EQ(parsed.error().failure, Failure::Incomplete) << target;
  }
}

// "Signature Calculations for the Authorization Header: Transferring Payload in Multiple Chunks"
// (Amazon S3 API reference): 65 KiB of 'a' sent as a 64 KiB chunk, a 1 KiB chunk and the final
// zero-length chunk, each signed off the previous signature starting from the seed signature.
constexpr std::string_view kChunkSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSeedSignature =
    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
constexpr std::string_view kChunkSignatures[] = {
    "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
    "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
    "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
};

std::string chunked_body(const std::string_view (&signatures)[3], std::string_view trailer = "") {
  std::string body = "10000;chunk-signature=" + std::string(signatures[0]) + "\r\n";
  body.append(65536, 'a');
  body += "\r\n400;chunk-signature=" + std::string(signatures[1]) + "\r\n";
  body.append(1024, 'a');
  body += "\r\n0;chunk-signature=" + std::string(signatures[2]) + "\r\n";
  body += trailer;
  body += "\r\n";
  return body;
}

http::Request aws_chunked_example() {
  return make_request(
      "PUT", "/examplebucket/chunkObject.txt",
      {{"Host", "s3.amazonaws.com"},
       {"x-amz-date", "20130524T000000Z"},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
        "x-amz-decoded-content-length;x-amz-storage-class,Signature=" +
            std::string(kSeedSignature)},
       {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
       {"Content-Encoding", "aws-chunked"},
       {"x-amz-decoded-content-length", "66560"},
       {"Content-Length", "66824"}},
      chunked_body(kChunkSignatures));
}

TEST_F(SigV4Test, AcceptsDocumentedChunkedUploadSeedSignature) {
  http::Request req = aws_chunked_example();
  ASSERT_EQ(req.body.size(), 66824u);
  ParsedAuth auth = parse_ok(req);
  EXPECT_EQ(auth.payload_hash, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  std::optional<AuthError> error = verify(req, auth, kChunkSecret, at("20130524T000000Z"), true);
  EXPECT_FALSE(error) << error->message;
}

TEST_F(SigV4Test, DecodesAndVerifiesDocumentedChunkedUpload) {
  http::Request req = aws_chunked_example();
  auto decoded = decode_aws_chunked(req.body, parse_ok(req), kChunkSecret);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(*decoded, std::string(66560, 'a'));
}

TEST_F(SigV4Test, RejectsChunkWhoseSignatureBreaksTheChain) {
  http::Request req = aws_chunked_example();
  ParsedAuth auth = parse_ok(req);
  for (int i = 0; i < 3; ++i) {
    std::string_view signatures[3] = {kChunkSignatures[0], kChunkSignatures[1],
                                      kChunkSignatures[2]};
    std::string forged(64, '0');
    signatures[i] = forged;
    auto decoded = decode_aws_chunked(chunked_body(signatures), auth, kChunkSecret);
    ASSERT_FALSE(decoded.has_value()) << i;
    EXPECT_EQ(decoded.error().failure, Failure::SignatureMismatch) << i;
  }
  // Without a secret the framing is still decoded and the signatures are not checked.
  std::string_view forged[3] = {kChunkSignatures[1], kChunkSignatures[0], kChunkSignatures[2]};
  auto decoded = decode_aws_chunked(chunked_body(forged), auth, std::nullopt);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->size(), 66560u);
}

TEST_F(SigV4Test, RejectsChunkWhoseDataWasAltered) {
  http::Request req = aws_chunked_example();
  std::string body = req.body;
  body[200] = 'b';
  auto decoded = decode_aws_chunked(body, parse_ok(req), kChunkSecret);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().failure, Failure::SignatureMismatch);
}

TEST_F(SigV4Test, DecodesDocumentedChunkedUploadWithSignedTrailer) {
  // "Signature Calculations for the Authorization Header: Including Trailing Headers" (S3).
  ParsedAuth auth;
  auth.signed_request = true;
  auth.scope = {"AKIAIOSFODNN7EXAMPLE", "20130524", "us-east-1", "s3", "aws4_request"};
  auth.amz_date = "20130524T000000Z";
  auth.signature = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
  auth.payload_hash = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
  constexpr std::string_view kSignatures[] = {
      "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
      "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
      "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
  };
  std::string trailer =
      "x-amz-checksum-crc32c:sOO8/Q==\r\n"
      "x-amz-trailer-signature:"
      "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n";
  auto decoded = decode_aws_chunked(chunked_body(kSignatures, trailer), auth, kChunkSecret);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(decoded->size(), 66560u);

  std::string tampered = trailer;
  tampered.replace(tampered.find("sOO8"), 4, "AAAA");
  decoded = decode_aws_chunked(chunked_body(kSignatures, tampered), auth, kChunkSecret);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().failure, Failure::SignatureMismatch);
}

TEST_F(SigV4Test, DecodesUnsignedPayloadWithTrailer) {
  // botocore's AwsChunkedWrapper: no chunk signatures, the checksum as a trailer.
  ParsedAuth auth;
  auth.payload_hash = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
  auto decoded =
      decode_aws_chunked("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n", auth, "secret");
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(*decoded, "abc");
  decoded = decode_aws_chunked("5\r\nhello\r\n0\r\n\r\n", auth, std::nullopt);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, "hello");
}

TEST_F(SigV4Test, MalformedChunkFramingIsBadChunk) {
  ParsedAuth unsigned_auth;
  unsigned_auth.payload_hash = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
  const char* kBodies[] = {
      "",
      "3",
      "3\r\nab",
      "3\r\nabcd\r\n0\r\n\r\n",
      "zz\r\nabc\r\n0\r\n\r\n",
      "\r\nabc\r\n0\r\n\r\n",
      "-3\r\nabc\r\n0\r\n\r\n",
      "ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
      "3\r\nabc\r\n",
      "3\r\nabc\r\n0\r\n\r\nextra",
      "3\r\nabc\r\n0\r\nno-colon-trailer\r\n\r\n",
      "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==",
  };
  for (const char* body : kBodies) {
    auto decoded = decode_aws_chunked(body, unsigned_auth, std::nullopt);
    ASSERT_FALSE(decoded.has_value()) << body;
    EXPECT_EQ(decoded.error().failure, Failure::BadChunk) << body;
  }
  // A signed payload needs a chunk-signature on every chunk.
  http::Request req = aws_chunked_example();
  auto decoded = decode_aws_chunked("3\r\nabc\r\n0\r\n\r\n", parse_ok(req), kChunkSecret);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().failure, Failure::BadChunk);
}

}  // namespace
}  // namespace protocol::sigv4

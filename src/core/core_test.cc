#include <gtest/gtest.h>

#include <cerrno>
#include <ios>

#include "core/error_category.h"
#include "core/glob.h"
#include "core/hex.h"
#include "core/ids.h"
#include "core/percent.h"
#include "core/query_string.h"
#include "core/result.h"
#include "core/sha256.h"
#include "core/time_format.h"

namespace core {
namespace {

TEST(HexTest, EncodesBytesAsLowerCasePairs) {
  EXPECT_EQ(hex(std::string_view("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(hex(std::string_view()), "");
}

TEST(HexTest, EncodesIntegersZeroPaddedToWidth) {
  EXPECT_EQ(hex(std::uint64_t{255}, 4), "00ff");
  EXPECT_EQ(hex(std::uint64_t{0x5f1e2d3c}, 8), "5f1e2d3c");
  EXPECT_EQ(hex(std::uint64_t{0x123}, 2), "23");
}

TEST(HexTest, UnhexAcceptsEitherCaseAndRejectsMalformedText) {
  EXPECT_EQ(unhex("0001ABff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(unhex(""), std::string());
  EXPECT_EQ(unhex("abc"), std::nullopt);
  EXPECT_EQ(unhex("zz"), std::nullopt);
  EXPECT_EQ(hex_digit('7'), 7);
  EXPECT_EQ(hex_digit('F'), 15);
  EXPECT_EQ(hex_digit('g'), -1);
}

// FIPS 180-2 appendix B.1 and the empty message.
TEST(Sha256Test, MatchesKnownVectors) {
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, FinishLeavesTheStreamOpenAndCopiesAreIndependent) {
  Sha256 h;
  h.update("a");
  Sha256 copy = h;
  h.update(std::string_view("bc"));
  EXPECT_EQ(h.finish(), sha256("abc"));
  EXPECT_EQ(copy.finish(), sha256("a"));
  h.update("def", 3);
  EXPECT_EQ(h.finish(), sha256("abcdef"));
  copy = h;
  EXPECT_EQ(copy.finish(), sha256("abcdef"));
}

// RFC 4231 section 4.3, test case 2: a key shorter than the block size.
TEST(HmacSha256Test, MatchesRfc4231TestCase2) {
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(IdsTest, TaskIdsAreThirtyTwoLowerHexChars) {
  std::string id = ids::random_hex(32);
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(id, ids::random_hex(32));
}

TEST(IdsTest, Uuid4HasVersionAndVariantBits) {
  std::string u = ids::uuid4();
  ASSERT_EQ(u.size(), 36u);
  EXPECT_EQ(u[14], '4');
  EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos);
}

TEST(IdsTest, ArnRoundTripsThroughParse) {
  std::string a = ids::arn("ecs", "eu-west-1", "123456789012", "cluster/web");
  EXPECT_EQ(a, "arn:aws:ecs:eu-west-1:123456789012:cluster/web");
  ids::ParsedArn p;
  ASSERT_TRUE(ids::parse_arn(a, &p));
  EXPECT_EQ(p.service, "ecs");
  EXPECT_EQ(p.region, "eu-west-1");
  EXPECT_EQ(p.account, "123456789012");
  EXPECT_EQ(p.resource, "cluster/web");
  EXPECT_FALSE(ids::parse_arn("not-an-arn", &p));
  EXPECT_EQ(ids::arn("ecs", "cn-north-1", "1", "x").substr(0, 11), "arn:aws-cn:");
}

TEST(TimeFormatTest, Iso8601PrintsMillisOnlyWhenPresent) {
  TimePoint t = from_epoch_millis(1440938160000);
  EXPECT_EQ(format_iso8601(t), "2015-08-30T12:36:00Z");
  EXPECT_EQ(format_iso8601(from_epoch_millis(1440938160123)), "2015-08-30T12:36:00.123Z");
  EXPECT_EQ(format_amz_date(t), "20150830T123600Z");
  EXPECT_EQ(format_http_date(t), "Sun, 30 Aug 2015 12:36:00 GMT");
}

TEST(TimeFormatTest, ParsesEveryWireForm) {
  TimePoint want = from_epoch_millis(1440938160000);
  EXPECT_EQ(parse_timestamp("2015-08-30T12:36:00Z"), want);
  EXPECT_EQ(parse_timestamp("2015-08-30T14:36:00+02:00"), want);
  EXPECT_EQ(parse_timestamp("20150830T123600Z"), want);
  EXPECT_EQ(parse_timestamp("Sun, 30 Aug 2015 12:36:00 GMT"), want);
  EXPECT_EQ(parse_timestamp("1440938160"), want);
  EXPECT_EQ(to_epoch_millis(*parse_timestamp("2015-08-30T12:36:00.5Z")), 1440938160500);
  EXPECT_FALSE(parse_timestamp("yesterday"));
  EXPECT_FALSE(parse_timestamp("2015-13-30T12:36:00Z"));
}

// Found by fuzz/sigv4_fuzz: X-Amz-Date 00130524T000000Z overflowed the nanosecond clock.
TEST(TimeFormatTest, RejectsTimesTheClockCannotRepresent) {
  EXPECT_FALSE(parse_timestamp("00130524T000000Z"));
  EXPECT_FALSE(parse_timestamp("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(parse_timestamp("Mon, 01 Jan 1000 00:00:00 GMT"));
  EXPECT_FALSE(parse_timestamp("1e300"));
  EXPECT_FALSE(parse_timestamp("-1e19"));
  EXPECT_TRUE(parse_timestamp("2200-01-01T00:00:00Z"));
  EXPECT_TRUE(parse_timestamp("1700-01-01T00:00:00Z"));
}

}  // namespace
TEST(GlobTest, StarMatchesAnyRunIncludingNone) {
  EXPECT_TRUE(core::glob_match("*", ""));
  EXPECT_TRUE(core::glob_match("v*", "v"));
  EXPECT_TRUE(core::glob_match("prod*", "prod-1.2"));
  EXPECT_TRUE(core::glob_match("*a*c", "vpc-0abc"));
  EXPECT_FALSE(core::glob_match("*a*d", "vpc-0abc"));
  EXPECT_TRUE(core::glob_match("a**b", "ab"));
  EXPECT_FALSE(core::glob_match("prod", "prod-1"));
}

TEST(GlobTest, QuestionMarkIsOneCharacterOnlyWhenAsked) {
  EXPECT_TRUE(core::glob_match("vpc-?abc", "vpc-0abc", {.any_char = true}));
  EXPECT_FALSE(core::glob_match("vpc-?", "vpc-0abc", {.any_char = true}));
  EXPECT_FALSE(core::glob_match("v?", "v1"));
  EXPECT_TRUE(core::glob_match("v?", "v?"));
}

TEST(GlobTest, CaseFoldsOnlyWhenAsked) {
  EXPECT_FALSE(core::glob_match("Main", "main"));
  EXPECT_TRUE(core::glob_match("*.EXAMPLE.com", "api.example.COM", {.case_insensitive = true}));
}

TEST(GlobTest, ManyStarsOnALongTextStayLinearInPractice) {
  // A pattern that makes recursive matchers exponential: here one pass with backtracking.
  std::string text(100000, 'a');
  EXPECT_FALSE(core::glob_match("*a*a*a*a*a*a*a*a*b", text));
  EXPECT_TRUE(core::glob_match("*a*a*a*a*a*a*a*a", text));
}

}  // namespace core

TEST(ListedCategory, NamesCodesInListOrderAndUnknownOnesByCategory) {
  core::ListedCategory category("demo", {"first", "second"});
  EXPECT_STREQ(category.name(), "demo");
  EXPECT_EQ(category.message(1), "first");
  EXPECT_EQ(category.message(2), "second");
  EXPECT_EQ(category.message(3), "unknown demo error");
  EXPECT_EQ(category.message(0), "unknown demo error");
}

TEST(ErrnoMessage, AppendsTheSystemText) {
  EXPECT_EQ(core::errno_message(ENOENT, "open /x"), "open /x: No such file or directory");
}

TEST(PercentDecode, DecodesEscapesAndPlusOnlyWhenAsked) {
  EXPECT_EQ(core::percent_decode("a%20b+c", false), "a b+c");
  EXPECT_EQ(core::percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(core::percent_decode("100%", false), "100%");  // malformed: unchanged
}

namespace core {
namespace {

TEST(ErrorTest, KeepsTheCategoryOfTheEnumItWasMadeFrom) {
  Error e(std::io_errc::stream, "bad stream");
  EXPECT_EQ(e.code, std::make_error_code(std::io_errc::stream));
  EXPECT_EQ(&e.code.category(), &std::iostream_category());
  EXPECT_EQ(e.message, "bad stream");
}

TEST(ErrorTest, FromErrnoUsesTheGenericCategoryAndNamesTheCall) {
  Error e = Error::from_errno(ENOENT, "open /x");
  EXPECT_EQ(e.code, std::errc::no_such_file_or_directory);
  EXPECT_EQ(e.message.rfind("open /x: ", 0), 0u);
}

TEST(ErrorTest, ValueOfAFailedResultThrowsSystemError) {
  Result<int> r = Error(std::io_errc::stream, "boom");
  EXPECT_THROW(r.value(), std::system_error);
}

}  // namespace
}  // namespace core

namespace core {
namespace {

TEST(QueryStringTest, SplitKeepsOrderAndEmptyValuesAndSkipsEmptyPairs) {
  std::vector<RawQueryParam> p = split_query("b=2&&a=&acl&c=x=y&");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].key, "b");
  EXPECT_EQ(p[0].value, "2");
  EXPECT_EQ(p[1].key, "a");
  EXPECT_EQ(p[1].value, "");
  EXPECT_TRUE(p[1].has_value);
  EXPECT_EQ(p[2].key, "acl");
  EXPECT_FALSE(p[2].has_value);
  EXPECT_EQ(p[3].key, "c");
  EXPECT_EQ(p[3].value, "x=y");
  EXPECT_TRUE(split_query("").empty());
}

TEST(QueryStringTest, SplitLeavesEscapesAndRawCharactersAsSent) {
  std::vector<RawQueryParam> p = split_query("k%3D=a%26b|c d");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].key, "k%3D");
  EXPECT_EQ(p[0].value, "a%26b|c d");
}

TEST(QueryStringTest, ParseDecodesLenientlyAndPlusOnlyWhenAsked) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(parse_query("a=x+y&b=%41%zz&c", false),
            (Pairs{{"a", "x+y"}, {"b", "%41%zz"}, {"c", ""}}));
  EXPECT_EQ(parse_query("a=x+y%2B", true), (Pairs{{"a", "x y+"}}));
}

TEST(PercentDecodeStrict, RejectsMalformedEscapes) {
  EXPECT_EQ(percent_decode_strict("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode_strict("a%2", false), std::nullopt);
  EXPECT_EQ(percent_decode_strict("%zz", false), std::nullopt);
}

}  // namespace
}  // namespace core

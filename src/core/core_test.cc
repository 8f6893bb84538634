#include <gtest/gtest.h>

#include <cerrno>

#include "core/error_category.h"
#include "core/glob.h"
#include "core/percent.h"
#include "core/ids.h"
#include "core/time_format.h"

namespace core {
namespace {

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

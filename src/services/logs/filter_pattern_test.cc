// Examples from
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html

#include "services/logs/filter_pattern.h"

#include <gtest/gtest.h>

namespace services::logs {
namespace {

bool match(std::string_view pattern, std::string_view message) {
  std::string error;
  std::optional<FilterPattern> p = FilterPattern::parse(pattern, &error);
  EXPECT_TRUE(p) << pattern << ": " << error;
  return p && p->matches(message);
}

bool invalid(std::string_view pattern) {
  std::string error;
  return !FilterPattern::parse(pattern, &error) && !error.empty();
}

TEST(FilterPatternTest, EmptyPatternMatchesEverything) {
  EXPECT_TRUE(match("", "anything"));
  EXPECT_TRUE(match("   ", ""));
}

TEST(FilterPatternTest, TermsAreCaseSensitiveSubstringsThatMustAllAppear) {
  EXPECT_TRUE(match("ERROR", "[ERROR] disk"));
  EXPECT_FALSE(match("ERROR", "error: disk"));
  EXPECT_TRUE(match("ERROR Exception", "ERROR: NullPointerException"));
  EXPECT_FALSE(match("ERROR Exception", "ERROR: timeout"));
}

TEST(FilterPatternTest, QuotedPhrasesExclusionsAndAlternatives) {
  EXPECT_TRUE(match("\"INVALID ARGUMENTS\"", "got INVALID ARGUMENTS here"));
  EXPECT_FALSE(match("\"INVALID ARGUMENTS\"", "INVALID and ARGUMENTS"));
  EXPECT_TRUE(match("ERROR -MISSING", "ERROR bad"));
  EXPECT_FALSE(match("ERROR -MISSING", "ERROR MISSING file"));
  EXPECT_TRUE(match("?ERROR ?WARN", "WARN slow"));
  EXPECT_FALSE(match("?ERROR ?WARN", "INFO fine"));
}

TEST(FilterPatternTest, RegexTerms) {
  EXPECT_TRUE(match("%ERROR 4[0-9]+%", "ERROR 404 not found"));
  EXPECT_FALSE(match("%ERROR 4[0-9]+%", "ERROR 500"));
  EXPECT_TRUE(invalid("%unterminated"));
}

TEST(FilterPatternTest, JsonSelectorsCompareStringsWithWildcardsAndNumbersNumerically) {
  const char* m = R"({"eventType":"UpdateTrail","latency":120,"user":{"id":"u-1"},
                      "items":[{"name":"a"}],"ok":true,"gone":null})";
  EXPECT_TRUE(match(R"({ $.eventType = "UpdateTrail" })", m));
  EXPECT_TRUE(match(R"({ $.eventType = "Update*" })", m));
  EXPECT_FALSE(match(R"({ $.eventType != "UpdateTrail" })", m));
  EXPECT_TRUE(match("{ $.latency > 100 }", m));
  EXPECT_TRUE(match("{ $.latency >= 120 && $.latency <= 120 }", m));
  EXPECT_FALSE(match("{ $.latency < 100 }", m));
  EXPECT_TRUE(match(R"({ $.user.id = "u-1" })", m));
  EXPECT_TRUE(match(R"({ $.items[0].name = "a" })", m));
  EXPECT_TRUE(match(R"({ ($.latency > 500) || ($.user.id = "u-*") })", m));
  EXPECT_TRUE(match("{ $.ok IS TRUE }", m));
  EXPECT_TRUE(match("{ $.gone IS NULL }", m));
  EXPECT_TRUE(match("{ $.absent NOT EXISTS }", m));
  EXPECT_FALSE(match("{ $.latency NOT EXISTS }", m));
  EXPECT_TRUE(match("{ $.eventType = %Update.*% }", m));
  EXPECT_FALSE(match("{ $.latency > 1 }", "not json"));
}

TEST(FilterPatternTest, SpaceDelimitedFieldsWithConditionsAndEllipsis) {
  const char* line =
      R"(127.0.0.1 frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534)";
  EXPECT_TRUE(match("[ip, user, timestamp, request, status_code = 404, bytes]", line));
  EXPECT_TRUE(match("[ip, user, timestamp, request, status_code = 4*, bytes > 1000]", line));
  EXPECT_FALSE(match("[ip, user, timestamp, request, status_code = 5*, bytes]", line));
  EXPECT_TRUE(match("[..., status_code = 404, bytes]", line));
  EXPECT_TRUE(match("[ip = 127.0.0.1, ...]", line));
  EXPECT_TRUE(match("[ip, user, ..., status_code = 404 || status_code = 410, bytes]", line));
  EXPECT_FALSE(match("[a, b]", line));  // field count must match without an ellipsis
}

TEST(FilterPatternTest, MalformedPatternsAreRejected) {
  EXPECT_TRUE(invalid("{ $.x = "));
  EXPECT_TRUE(invalid("{ $.x = 1"));
  EXPECT_TRUE(invalid("[a, b"));
  EXPECT_TRUE(invalid("[a, b = 1, c = ]"));
  EXPECT_TRUE(invalid("\"unterminated"));
  EXPECT_TRUE(invalid("{ x = 1 }"));
}

// Patterns come from users. A nested quantifier over a long message made std::regex recurse
// once per character until the stack overflowed (the server crashed); RE2 answers in one pass.
TEST(FilterPatternTest, NestedQuantifiersOnALongMessageDoNotRecurse) {
  std::string long_message(200000, 'a');
  EXPECT_FALSE(match("%(a|aa)*b%", long_message));
  EXPECT_TRUE(match("%(a|aa)*b%", long_message + "b"));
  EXPECT_FALSE(match("{ $.m = %(a|aa)*b% }", "{\"m\":\"" + long_message + "\"}"));
}

// Only the syntax CloudWatch Logs documents: backreferences and lookaround are invalid.
TEST(FilterPatternTest, BackreferencesAndLookaroundAreInvalid) {
  EXPECT_TRUE(invalid("%(a)\\1%"));
  EXPECT_TRUE(invalid("%a(?=b)%"));
  EXPECT_TRUE(match("%^[A-Z]{3}-\\d+$%", "ABC-42"));
}

using Values = std::vector<std::pair<std::string, std::string>>;

std::optional<Values> extracted(std::string_view pattern, std::string_view message) {
  std::string error;
  std::optional<FilterPattern> p = FilterPattern::parse(pattern, &error);
  EXPECT_TRUE(p) << pattern << ": " << error;
  std::optional<FilterMatch> m = p ? p->match(message) : std::nullopt;
  return m ? std::optional<Values>(m->extracted()) : std::nullopt;
}

// AWS's TestMetricFilter examples (API_TestMetricFilter.html) on an Apache access log line.
constexpr std::string_view kApache =
    R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534)";

TEST(FilterPatternTest, DelimitedMatchesExtractNamedFieldsAndNumberTheRest) {
  EXPECT_EQ(extracted("[ip, identity, user_id, timestamp, request, status_code, size]", kApache),
            (Values{{"$ip", "127.0.0.1"},
                    {"$identity", "-"},
                    {"$user_id", "frank"},
                    {"$timestamp", "10/Oct/2000:13:25:15 -0700"},
                    {"$request", "GET /apache_pb.gif HTTP/1.0"},
                    {"$status_code", "200"},
                    {"$size", "1534"}}));
  EXPECT_EQ(extracted("[..., status_code=200, size]", kApache),
            (Values{{"$1", "127.0.0.1"},
                    {"$2", "-"},
                    {"$3", "frank"},
                    {"$4", "10/Oct/2000:13:25:15 -0700"},
                    {"$5", "GET /apache_pb.gif HTTP/1.0"},
                    {"$status_code", "200"},
                    {"$size", "1534"}}));
  std::optional<Values> all = extracted("[]", kApache);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 7u);
  EXPECT_EQ(all->back(), (std::pair<std::string, std::string>{"$7", "1534"}));
  std::optional<Values> trailing = extracted("[..., request=*.gif*, status_code=2*,]", kApache);
  ASSERT_TRUE(trailing);
  EXPECT_EQ(trailing->back(), (std::pair<std::string, std::string>{"$7", "1534"}));
  EXPECT_FALSE(extracted("[..., status_code=404, size]", kApache));
}

TEST(FilterPatternTest, MatchValuesForMetricTransformations) {
  std::string error;
  std::optional<FilterPattern> p = FilterPattern::parse("[ip, user, status, bytes]", &error);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->has_field("$bytes"));
  EXPECT_TRUE(p->has_field("$2"));
  EXPECT_FALSE(p->has_field("$size"));
  EXPECT_FALSE(p->has_field("$.bytes"));
  std::optional<FilterMatch> m = p->match("1.2.3.4 bob 200 1500");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value("$bytes"), "1500");
  EXPECT_EQ(m->value("$2"), "bob");
  EXPECT_EQ(m->value("$9"), std::nullopt);

  p = FilterPattern::parse(R"({ $.level = "ERROR" })", &error);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->has_field("$.latency"));
  EXPECT_FALSE(p->has_field("$latency"));
  m = p->match(R"({"level":"ERROR","latency":12.5,"http":{"status":500},"tags":["a"]})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value("$.latency"), "12.5");
  EXPECT_EQ(m->value("$.http.status"), "500");
  EXPECT_EQ(m->value("$.tags"), std::nullopt);
  EXPECT_EQ(m->value("$.missing"), std::nullopt);
  EXPECT_EQ(m->extracted(), (Values{{"$.level", "ERROR"}}));

  p = FilterPattern::parse("ERROR", &error);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->has_field("$.x"));
  EXPECT_TRUE(p->match("ERROR x"));
  EXPECT_TRUE(p->match("ERROR x")->extracted().empty());
}

}  // namespace
}  // namespace services::logs

#include "dataplane/alb_stickiness.h"

#include <gtest/gtest.h>

#include "core/base64.h"

namespace dataplane {
namespace {

using namespace std::chrono_literals;

core::TimePoint at(int64_t epoch_seconds) {
  return core::TimePoint(std::chrono::seconds(epoch_seconds));
}

SnapshotTarget target(std::string id, uint16_t port, TargetState state) {
  SnapshotTarget t;
  t.id = std::move(id);
  t.port = port;
  t.state = state;
  return t;
}

TEST(AlbStickinessTest, FindsACookieAmongOthers) {
  EXPECT_EQ(find_cookie("a=1; AWSALB=xyz==; b=2", "AWSALB"), "xyz==");
  EXPECT_EQ(find_cookie("AWSALBCORS=q", "AWSALB"), std::nullopt);
  EXPECT_EQ(find_cookie("session=\"quoted\"", "session"), "quoted");
  EXPECT_EQ(find_cookie("", "AWSALB"), std::nullopt);
}

TEST(AlbStickinessTest, RecognisesTheCookieASetCookieSets) {
  EXPECT_TRUE(sets_cookie("session=abc; Path=/; HttpOnly", "session"));
  EXPECT_FALSE(sets_cookie("sessionid=abc", "session"));
}

TEST(AlbStickinessTest, ATargetCookieRoundTripsUntilItExpires) {
  std::string v = encode_target_cookie("arn:tg/web", "10.0.1.5", 8080, at(1000));
  EXPECT_FALSE(core::base64_decode(v)->empty());
  auto t = decode_target_cookie(v, "arn:tg/web", at(999));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->id, "10.0.1.5");
  EXPECT_EQ(t->port, 8080);
  EXPECT_FALSE(decode_target_cookie(v, "arn:tg/web", at(1000)));  // expired
  EXPECT_FALSE(decode_target_cookie(v, "arn:tg/other", at(999)));
  EXPECT_FALSE(decode_target_cookie("not base64!", "arn:tg/web", at(0)));
  EXPECT_FALSE(
      decode_target_cookie(encode_group_cookie("arn:tg/web", at(1000)), "arn:tg/web", at(0)));
}

TEST(AlbStickinessTest, AGroupCookieRoundTrips) {
  std::string v = encode_group_cookie("arn:tg/blue", at(50));
  EXPECT_EQ(decode_group_cookie(v, at(49)), "arn:tg/blue");
  EXPECT_EQ(decode_group_cookie(v, at(51)), std::nullopt);
}

// "AWSALBCORS ... SameSite=None; Secure" — the CORS twin of AWSALB, per the ALB sticky sessions
// guide.
TEST(AlbStickinessTest, SetsAWSALBAndItsCorsTwin) {
  auto h = lb_cookie_headers("V", at(0));
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0], "AWSALB=V; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/");
  EXPECT_EQ(h[1],
            "AWSALBCORS=V; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; SameSite=None; Secure");
  EXPECT_EQ(app_cookie_header("V", at(0)).rfind("AWSALBAPP-0=V; Expires=", 0), 0u);
  EXPECT_EQ(group_cookie_headers("V", at(0))[1].rfind("AWSALBTGCORS=V;", 0), 0u);
}

TEST(AlbStickinessTest, AStickyTargetHoldsOnlyWhileItMayReceiveTraffic) {
  SnapshotTargetGroup g;
  g.targets = {target("10.0.0.1", 80, TargetState::Healthy),
               target("10.0.0.2", 80, TargetState::Unhealthy),
               target("10.0.0.3", 80, TargetState::Draining)};
  EXPECT_NE(sticky_target(g, {"10.0.0.1", 80}), nullptr);
  EXPECT_EQ(sticky_target(g, {"10.0.0.2", 80}), nullptr);
  EXPECT_EQ(sticky_target(g, {"10.0.0.3", 80}), nullptr);
  EXPECT_EQ(sticky_target(g, {"10.0.0.9", 80}), nullptr);
  g.targets[0].state = TargetState::Unhealthy;  // every target unhealthy: fail open
  EXPECT_NE(sticky_target(g, {"10.0.0.2", 80}), nullptr);
  EXPECT_EQ(sticky_target(g, {"10.0.0.3", 80}), nullptr);
}

TEST(AlbStickinessTest, DurationComesFromTheAttributeOfTheStickinessType) {
  SnapshotTargetGroup g;
  g.stickiness_duration_seconds = 86400;
  EXPECT_EQ(stickiness_duration_seconds(g), 86400);
  g.attributes["stickiness.lb_cookie.duration_seconds"] = "60";
  g.attributes["stickiness.app_cookie.duration_seconds"] = "90";
  EXPECT_EQ(stickiness_duration_seconds(g), 60);
  g.stickiness_type = "app_cookie";
  EXPECT_EQ(stickiness_duration_seconds(g), 90);
}

}  // namespace
}  // namespace dataplane

#include "services/ecs/wire_doc_cache.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace services::ecs {
namespace {

namespace json = boost::json;

json::object drop_secret(json::object doc) {
  doc.erase("secret");
  return doc;
}

TEST(WireDocCacheTest, SameTextIsParsedOnceAndShownInWireForm) {
  WireDocCache cache(8, drop_secret);
  std::shared_ptr<const json::object> a = cache.get("arn:1", R"({"n":1,"secret":"x"})");
  std::shared_ptr<const json::object> b = cache.get("arn:1", R"({"n":1,"secret":"x"})");
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(*a, json::parse(R"({"n":1})").as_object());
}

TEST(WireDocCacheTest, ChangedTextIsNeverAnsweredFromTheOldEntry) {
  WireDocCache cache(8, drop_secret);
  std::shared_ptr<const json::object> old = cache.get("arn:1", R"({"n":1})");
  std::shared_ptr<const json::object> fresh = cache.get("arn:1", R"({"n":2})");
  EXPECT_EQ(fresh->at("n"), 2);
  EXPECT_EQ(old->at("n"), 1);  // a caller still holding the old form keeps it intact
  // An older reader storing its text afterwards does not hide the newer text from the next one.
  EXPECT_EQ(cache.get("arn:1", R"({"n":1})")->at("n"), 1);
  EXPECT_EQ(cache.get("arn:1", R"({"n":2})")->at("n"), 2);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(WireDocCacheTest, StaysWithinItsCapacity) {
  WireDocCache cache(3, drop_secret);
  for (int i = 0; i < 10; ++i) {
    std::string text = R"({"n":)" + std::to_string(i) + "}";
    EXPECT_EQ(cache.get("arn:" + std::to_string(i), text)->at("n"), i);
    EXPECT_LE(cache.size(), 3u);
  }
}

}  // namespace
}  // namespace services::ecs

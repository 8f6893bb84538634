#include "services/ecr/registry/registry_http.h"

#include <gtest/gtest.h>

namespace services::ecr {
namespace {

TEST(RegistryHttpTest, ErrorBodyFollowsTheDistributionSpec) {
  http::Response res;
  registry_error(res, 404, "NAME_UNKNOWN", "repository name not known to registry");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body,
            R"({"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to )"
            R"(registry","detail":{}}]})");
}

TEST(RegistryHttpTest, DecodesQueryParameters) {
  EXPECT_EQ(query_param("digest=sha256%3Aabc&n=2", "digest"), "sha256:abc");
  EXPECT_EQ(query_param("digest=sha256%3Aabc&n=2", "n"), "2");
  EXPECT_EQ(query_param("a=1", "b"), "");
  EXPECT_EQ(query_param("t=a%2Bb%3D", "t"), "a+b=");
  EXPECT_EQ(query_param("bad=%zz%", "bad"), "%zz%");
}

TEST(RegistryHttpTest, ParsesRangesAgainstTheBlobSize) {
  EXPECT_EQ(parse_range("bytes=0-9", 100), (std::pair<uint64_t, uint64_t>{0, 9}));
  EXPECT_EQ(parse_range("bytes=90-", 100), (std::pair<uint64_t, uint64_t>{90, 99}));
  EXPECT_EQ(parse_range("bytes=-10", 100), (std::pair<uint64_t, uint64_t>{90, 99}));
  EXPECT_EQ(parse_range("bytes=50-500", 100), (std::pair<uint64_t, uint64_t>{50, 99}));
  EXPECT_FALSE(parse_range("bytes=100-", 100));
  EXPECT_FALSE(parse_range("bytes=9-1", 100));
  EXPECT_FALSE(parse_range("bytes=0-1,5-6", 100));
  EXPECT_FALSE(parse_range("items=0-1", 100));
}

TEST(RegistryHttpTest, ParsesPatchContentRange) {
  EXPECT_EQ(parse_content_range("0-99"), (std::pair<uint64_t, uint64_t>{0, 99}));
  EXPECT_EQ(parse_content_range("bytes 100-199/*"), (std::pair<uint64_t, uint64_t>{100, 199}));
  EXPECT_FALSE(parse_content_range("x-1"));
}

// "The n parameter ... limits the number of results; last ... the results after it" and a Link
// header points at the next page when more remain.
TEST(RegistryHttpTest, PaginatesWithNAndLast) {
  std::vector<std::string> all{"a", "b", "c", "d"};
  Page p = paginate(all, "n=2");
  EXPECT_EQ(p.items, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p.next_last, "b");
  p = paginate(all, "n=2&last=b");
  EXPECT_EQ(p.items, (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(p.next_last, "");
  p = paginate(all, "");
  EXPECT_EQ(p.items.size(), 4u);
}

}  // namespace
}  // namespace services::ecr

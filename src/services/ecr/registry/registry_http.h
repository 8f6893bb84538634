#pragma once
// Small pure helpers of the /v2/ wire format: error bodies, query strings, Range and
// Content-Range, n/last pagination. Unit-tested in registry_http_test.cc.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace services::ecr {

// {"errors":[{"code":"...","message":"...","detail":{}}]} with the status; HEAD replies drop the
// body but keep its length.
void registry_error(http::Response& res, int status, std::string_view code,
                    std::string_view message);

// The percent-decoded value of `name` in a query string; empty when absent.
std::string query_param(std::string_view query, std::string_view name);

// "bytes=a-b", "bytes=a-", "bytes=-n" against a blob of `size` bytes: the inclusive [first, last],
// or nullopt when unsatisfiable or malformed.
std::optional<std::pair<uint64_t, uint64_t>> parse_range(std::string_view header, uint64_t size);
// PATCH Content-Range "a-b" (optionally "bytes a-b/..."): inclusive [a, b].
std::optional<std::pair<uint64_t, uint64_t>> parse_content_range(std::string_view header);

struct Page {
  std::vector<std::string> items;
  std::size_t n = 0;      // page size used
  std::string next_last;  // non-empty when more remain: the `last` of the next request
};
// `sorted` lexically; applies the spec's n (page size) and last (exclusive start).
Page paginate(std::vector<std::string> sorted, std::string_view query);

}  // namespace services::ecr

#include "services/ecr/registry/registry_http.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

#include "core/percent.h"
#include "core/query_string.h"

namespace services::ecr {
namespace {

std::optional<uint64_t> to_u64(std::string_view s) {
  uint64_t v = 0;
  if (s.empty()) {
    return std::nullopt;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

}  // namespace

void registry_error(http::Response& res, int status, std::string_view code,
                    std::string_view message) {
  res.status = status;
  res.set_header("Content-Type", "application/json; charset=utf-8");
  boost::json::object err{{"code", code}, {"message", message}, {"detail", boost::json::object{}}};
  res.body = boost::json::serialize(
      boost::json::object{{"errors", boost::json::array{std::move(err)}}});
  res.set_header("Content-Length", std::to_string(res.body.size()));
}

std::string query_param(std::string_view query, std::string_view name) {
  for (const core::RawQueryParam& p : core::split_query(query)) {
    if (core::percent_decode(p.key, true) == name) {
      return core::percent_decode(p.value, true);
    }
  }
  return {};
}

std::optional<std::pair<uint64_t, uint64_t>> parse_range(std::string_view header, uint64_t size) {
  if (!header.starts_with("bytes=") || header.find(',') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view spec = header.substr(6);
  std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos || size == 0) {
    return std::nullopt;
  }
  std::string_view a = spec.substr(0, dash);
  std::string_view b = spec.substr(dash + 1);
  if (a.empty()) {
    std::optional<uint64_t> n = to_u64(b);
    if (!n || *n == 0) {
      return std::nullopt;
    }
    uint64_t len = std::min(*n, size);
    return std::pair{size - len, size - 1};
  }
  std::optional<uint64_t> first = to_u64(a);
  if (!first || *first >= size) {
    return std::nullopt;
  }
  uint64_t last = size - 1;
  if (!b.empty()) {
    std::optional<uint64_t> l = to_u64(b);
    if (!l || *l < *first) {
      return std::nullopt;
    }
    last = std::min(*l, size - 1);
  }
  return std::pair{*first, last};
}

std::optional<std::pair<uint64_t, uint64_t>> parse_content_range(std::string_view header) {
  if (header.starts_with("bytes ")) {
    header.remove_prefix(6);
  } else if (header.starts_with("bytes=")) {
    header.remove_prefix(6);
  }
  header = header.substr(0, header.find('/'));
  std::size_t dash = header.find('-');
  if (dash == std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<uint64_t> a = to_u64(header.substr(0, dash));
  std::optional<uint64_t> b = to_u64(header.substr(dash + 1));
  if (!a || !b) {
    return std::nullopt;
  }
  return std::pair{*a, *b};
}

Page paginate(std::vector<std::string> sorted, std::string_view query) {
  Page page;
  std::string last = query_param(query, "last");
  std::optional<uint64_t> n = to_u64(query_param(query, "n"));
  auto begin = sorted.begin();
  if (!last.empty()) {
    begin = std::upper_bound(sorted.begin(), sorted.end(), last);
  }
  std::size_t available = static_cast<std::size_t>(sorted.end() - begin);
  std::size_t take = n ? std::min<std::size_t>(*n, available) : available;
  page.n = n ? static_cast<std::size_t>(*n) : take;
  page.items.assign(begin, begin + static_cast<std::ptrdiff_t>(take));
  if (n && take < available && take > 0) {
    page.next_last = page.items.back();
  }
  return page;
}

}  // namespace services::ecr

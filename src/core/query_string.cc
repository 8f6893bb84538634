#include "core/query_string.h"

#include "core/percent.h"

namespace core {

std::vector<RawQueryParam> split_query(std::string_view raw) {
  std::vector<RawQueryParam> out;
  while (!raw.empty()) {
    std::size_t amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      out.push_back({pair, std::string_view(), false});
    } else {
      out.push_back({pair.substr(0, eq), pair.substr(eq + 1), true});
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view raw,
                                                             bool plus_is_space) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const RawQueryParam& p : split_query(raw)) {
    out.emplace_back(percent_decode(p.key, plus_is_space), percent_decode(p.value, plus_is_space));
  }
  return out;
}

}  // namespace core

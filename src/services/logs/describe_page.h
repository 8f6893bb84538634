#pragma once
// DescribeLogGroups and DescribeLogStreams page alike: rows in their sort order, each with its
// sort key as text; nextToken carries the last key of a page, and the next page starts after it.
// Private to the Logs handlers.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/aws_error.h"
#include "services/logs/logs_json.h"

namespace services::logs {

struct DescribePage {
  int64_t limit = 50;
  std::optional<std::string> after;  // the key the last page ended with
};

// limit (default_limit when absent) and nextToken of a Describe request.
inline protocol::Result<DescribePage> read_describe_page(const boost::json::object& in,
                                                         int64_t default_limit) {
  DescribePage page;
  page.limit = opt_int(in, "limit").value_or(default_limit);
  if (std::optional<std::string> token = opt_string(in, "nextToken")) {
    page.after = parse_list_token(*token);
    if (!page.after) {
      return invalid_next_token();
    }
  }
  return page;
}

// {member: [view(row)...], nextToken} for the rows of `keyed` (sorted by key, descending when
// `descending`) that follow page.after, at most page.limit of them; nextToken is there when
// more follow.
template <class Row, class View>
boost::json::object describe_page(const std::vector<std::pair<std::string, Row>>& keyed,
                                  const DescribePage& page, bool descending,
                                  std::string_view member, View view) {
  boost::json::array out;
  std::optional<std::string> next;
  std::string last_key;
  for (const auto& [key, row] : keyed) {
    if (page.after && (descending ? key >= *page.after : key <= *page.after)) {
      continue;
    }
    if (static_cast<int64_t>(out.size()) == page.limit) {
      next = list_token(last_key);
      break;
    }
    out.push_back(view(row));
    last_key = key;
  }
  boost::json::object reply{{member, std::move(out)}};
  if (next) {
    reply["nextToken"] = *next;
  }
  return reply;
}

}  // namespace services::logs

#pragma once
// MaxResults/NextToken over an already filtered list, as the Describe* operations page: the
// token is the offset of the next item (opaque to clients). Header-only.

#include <boost/json.hpp>
#include <charconv>
#include <string>
#include <string_view>

#include "core/json.h"
#include "protocol/aws_error.h"
#include "services/autoscaling/errors.h"

namespace services::autoscaling {

// {list_name: items[offset, offset + MaxResults)} plus NextToken when more remain. MaxResults
// defaults to (and is at most) default_max: 50, or 10 for DescribeScalingPolicies.
inline protocol::Result<boost::json::object> page(const boost::json::object& in,
                                                  std::string_view list_name,
                                                  boost::json::array items,
                                                  int64_t default_max = 50) {
  int64_t max = core::opt_int(in, "MaxResults").value_or(default_max);
  if (max < 1 || max > default_max) {
    return errors::validation("MaxResults must be between 1 and " + std::to_string(default_max));
  }
  size_t offset = 0;
  if (std::optional<std::string> token = core::opt_str(in, "NextToken")) {
    auto [p, ec] = std::from_chars(token->data(), token->data() + token->size(), offset);
    if (ec != std::errc() || p != token->data() + token->size() || offset > items.size()) {
      return errors::invalid_next_token();
    }
  }
  boost::json::array out;
  size_t end = std::min(items.size(), offset + static_cast<size_t>(max));
  for (size_t i = offset; i < end; ++i) out.push_back(std::move(items[i]));
  boost::json::object reply{{list_name, std::move(out)}};
  if (end < items.size()) reply["NextToken"] = std::to_string(end);
  return reply;
}

}  // namespace services::autoscaling

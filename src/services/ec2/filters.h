#pragma once
// Describe filters: Filter.N.Name / Filter.N.Value.M.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#query-filtering
//
// Values of one filter are ORed, filters are ANDed; values may use the wildcards '*' (any run)
// and '?' (one character), and match case-sensitively. "tag:<key>" matches a tag's value,
// "tag-key" a tag's key, "tag-value" a tag's value. Every other name must appear in the
// resource's FilterTable, or the request fails with InvalidParameterValue "The filter 'x' is
// invalid", as EC2 answers.

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/aws_error.h"

namespace services::ec2 {

// '*' and '?' wildcard match of a whole string.
bool wildcard_match(std::string_view pattern, std::string_view text);

// The values a resource has for one filter name.
using FilterValues = std::function<std::vector<std::string>(const boost::json::object&)>;

// A filter that reads a member path: "Attachments.VpcId" walks objects and flattens arrays;
// booleans read as "true"/"false" and numbers as decimal text.
FilterValues path(std::string_view dotted);
std::vector<std::string> values_at(const boost::json::object& doc, std::string_view dotted);

struct FilterTable {
  std::map<std::string, FilterValues, std::less<>> names;
  std::string tags_member = "Tags";  // "TagSet" for network interfaces; "" when untaggable
};

struct Filter {
  std::string name;
  std::vector<std::string> values;
};

// Reads input member `member` ("Filters", or "Filter" for DescribeNatGateways) and checks every
// name against `table`.
protocol::Result<std::vector<Filter>> parse_filters(const boost::json::object& in,
                                                    const FilterTable& table,
                                                    std::string_view member = "Filters");

bool matches(const boost::json::object& doc, const std::vector<Filter>& filters,
             const FilterTable& table);

}  // namespace services::ec2

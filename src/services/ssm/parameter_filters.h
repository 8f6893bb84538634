#pragma once
// ParameterFilters of DescribeParameters and GetParametersByPath: their validation, in AWS's
// words, and matching against a parameter.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/ssm/ssm_store.h"

namespace services::ssm {

struct StringFilter {
  std::string key;     // "Name", "Path", "Type", "KeyId", "Tier", "DataType", "Label", "tag:x"
  std::string option;  // "Equals", "BeginsWith", "Contains", "OneLevel", "Recursive"
  std::vector<std::string> values;
};

enum class FilterUse { Describe, ByPath };

// Parses and checks a ParameterFilters list (absent: none).
protocol::Result<std::vector<StringFilter>> parse_filters(const boost::json::array* filters,
                                                          FilterUse use);
// DescribeParameters' legacy Filters (Name, Type, KeyId) as ParameterFilters.
std::vector<StringFilter> legacy_filters(const boost::json::array& filters);

// The version of `p` that the filters select: the one carrying a Label filter's label, else the
// current one; nullptr when the parameter does not match every filter.
const VersionRow* select_version(const std::vector<StringFilter>& filters, const ParameterRow& p);

}  // namespace services::ssm

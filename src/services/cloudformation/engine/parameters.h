#pragma once
// Parameter values for one stack operation: the caller's values, else the template's Default,
// checked against the declaration as CloudFormation checks them.
//
//   ParameterValues v = resolve_parameters(t, {{"Env", "prod"}}, ssm_lookup).value();
//   v.at("Subnets").ref_value  // ["subnet-1", "subnet-2"] for a List<AWS::EC2::Subnet::Id>

#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/template.h"

namespace services::cloudformation::engine {

struct ParameterValue {
  std::string text;                     // as given (lists comma-joined), after SSM resolution
  boost::json::value ref_value;         // what Ref gives: a string, or a list of strings
  bool no_echo = false;                 // DescribeStacks shows "****"
  std::optional<std::string> ssm_name;  // AWS::SSM::Parameter::Value<...>: the name resolved
};
using ParameterValues = std::map<std::string, ParameterValue, std::less<>>;

// An AWS::SSM::Parameter::Value<...> parameter's value is a Parameter Store name; this returns
// that parameter's current value (the SSM module's ParameterReader, wrapped by the caller).
using SsmParameterLookup = std::function<protocol::Result<std::string>(std::string_view name)>;

// Errors (ValidationError), in CloudFormation's words:
//   "Parameters: [A, B] must have values"          (no value and no Default; template order)
//   "Parameters: [X] do not exist in the template"
//   "Parameter 'X' must be one of AllowedValues"
//   "Parameter 'X' must match pattern P"           (RE2, whole value; each member of a list)
//   "Parameter 'X' must contain at least N characters" / "at most N characters"
//   "Parameter 'X' must be a number" / "must be a number not less than N" / "not greater than N"
//   "Parameter X failed to satisfy constraint: D"  (D = ConstraintDescription, when declared)
//   "Unable to fetch parameters [N] from parameter store for this account."
protocol::Result<ParameterValues> resolve_parameters(
    const Template& t, const std::map<std::string, std::string, std::less<>>& given,
    const SsmParameterLookup& ssm = {});

}  // namespace services::cloudformation::engine

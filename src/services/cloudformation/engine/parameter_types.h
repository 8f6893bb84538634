#pragma once
// The parameter types CloudFormation accepts (parameters-section-structure.html).

#include <optional>
#include <string>
#include <string_view>

namespace services::cloudformation::engine {

struct ParameterType {
  bool list = false;    // CommaDelimitedList, List<...>: Ref gives a list of strings
  bool number = false;  // Number, List<Number>: each value must be a number
  bool ssm = false;     // AWS::SSM::Parameter::Value<...>: the value names a Parameter Store entry
  std::string inner;    // the element type: "String", "Number", "AWS::EC2::VPC::Id", ...
};

// nullopt for a type CloudFormation does not know ("Unrecognized parameter type").
std::optional<ParameterType> parse_parameter_type(std::string_view type);

}  // namespace services::cloudformation::engine

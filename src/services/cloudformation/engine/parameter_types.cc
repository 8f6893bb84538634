#include "services/cloudformation/engine/parameter_types.h"

#include <array>

namespace services::cloudformation::engine {
namespace {

constexpr std::array<std::string_view, 10> kAwsTypes = {"AWS::EC2::AvailabilityZone::Name",
                                                        "AWS::EC2::Image::Id",
                                                        "AWS::EC2::Instance::Id",
                                                        "AWS::EC2::KeyPair::KeyName",
                                                        "AWS::EC2::SecurityGroup::GroupName",
                                                        "AWS::EC2::SecurityGroup::Id",
                                                        "AWS::EC2::Subnet::Id",
                                                        "AWS::EC2::Volume::Id",
                                                        "AWS::EC2::VPC::Id",
                                                        "AWS::Route53::HostedZone::Id"};

bool is_aws_type(std::string_view t) {
  for (std::string_view a : kAwsTypes) {
    if (a == t) {
      return true;
    }
  }
  return false;
}

std::optional<std::string_view> unwrap(std::string_view t, std::string_view prefix) {
  if (t.starts_with(prefix) && t.ends_with('>')) {
    return t.substr(prefix.size(), t.size() - prefix.size() - 1);
  }
  return std::nullopt;
}

// String, Number, CommaDelimitedList, an AWS type, or List<Number|AWS type>.
std::optional<ParameterType> plain_type(std::string_view t, bool allow_string_list) {
  ParameterType p;
  if (t == "String" || t == "Number" || is_aws_type(t) || t == "AWS::SSM::Parameter::Name") {
    p.number = t == "Number";
    p.inner = std::string(t);
    return p;
  }
  if (t == "CommaDelimitedList") {
    p.list = true;
    p.inner = "String";
    return p;
  }
  if (std::optional<std::string_view> inner = unwrap(t, "List<")) {
    if (*inner == "Number" || is_aws_type(*inner) || (allow_string_list && *inner == "String")) {
      p.list = true;
      p.number = *inner == "Number";
      p.inner = std::string(*inner);
      return p;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ParameterType> parse_parameter_type(std::string_view type) {
  if (std::optional<std::string_view> inner = unwrap(type, "AWS::SSM::Parameter::Value<")) {
    std::optional<ParameterType> p = plain_type(*inner, true);
    if (!p || p->number || *inner == "AWS::SSM::Parameter::Name") {
      return std::nullopt;
    }
    p->ssm = true;
    return p;
  }
  return plain_type(type, false);
}

}  // namespace services::cloudformation::engine

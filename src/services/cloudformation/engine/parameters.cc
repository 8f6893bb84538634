#include "services/cloudformation/engine/parameters.h"

#include <re2/re2.h>

#include <boost/json/array.hpp>
#include <set>
#include <vector>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/parameter_types.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {
namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) {
    return out;
  }
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    out.push_back(trim(std::string_view(text).substr(start, comma - start)));
    if (comma == std::string::npos) {
      return out;
    }
    start = comma + 1;
  }
}

std::string num(double d) { return scalar_text(boost::json::value(d)).value_or(""); }

// A violated constraint: ConstraintDescription, when declared, replaces CloudFormation's reason.
[[noreturn]] void violated(const ParameterDecl& p, const std::string& reason) {
  if (!p.constraint_description.empty()) {
    fail("Parameter " + p.name + " failed to satisfy constraint: " + p.constraint_description);
  }
  fail("Parameter '" + p.name + "' " + reason);
}

void check_member(const ParameterDecl& p, const ParameterType& type, const std::string& value) {
  if (p.allowed_pattern) {
    RE2 re(*p.allowed_pattern);
    if (!re.ok()) {
      fail("Parameter '" + p.name + "' AllowedPattern must be a valid regular expression.");
    }
    if (!RE2::FullMatch(value, re)) {
      violated(p, "must match pattern " + *p.allowed_pattern);
    }
  }
  if (type.number) {
    std::optional<double> n = parse_number(value);
    if (!n) {
      violated(p, "must be a number");
    }
    if (p.min_value && *n < *p.min_value) {
      violated(p, "must be a number not less than " + num(*p.min_value));
    }
    if (p.max_value && *n > *p.max_value) {
      violated(p, "must be a number not greater than " + num(*p.max_value));
    }
  }
}

void check_constraints(const ParameterDecl& p, const ParameterType& type, const std::string& text,
                       const std::vector<std::string>& members) {
  if (!p.allowed_values.empty()) {
    for (const std::string& m : members) {
      if (std::find(p.allowed_values.begin(), p.allowed_values.end(), m) ==
          p.allowed_values.end()) {
        violated(p, "must be one of AllowedValues");
      }
    }
  }
  if (!type.list) {
    double length = static_cast<double>(text.size());
    if (p.min_length && length < *p.min_length) {
      violated(p, "must contain at least " + num(*p.min_length) + " characters");
    }
    if (p.max_length && length > *p.max_length) {
      violated(p, "must contain at most " + num(*p.max_length) + " characters");
    }
  }
  for (const std::string& m : members) {
    check_member(p, type, m);
  }
}

ParameterValue resolve_one(const ParameterDecl& p, std::string text,
                           const SsmParameterLookup& ssm) {
  ParameterType type = *parse_parameter_type(p.type);
  ParameterValue v;
  v.no_echo = p.no_echo;
  if (type.ssm) {
    protocol::Result<std::string> resolved =
        ssm ? ssm(text) : protocol::Result<std::string>(validation_error("no parameter store"));
    if (!resolved) {
      fail("Unable to fetch parameters [" + text + "] from parameter store for this account.");
    }
    v.ssm_name = text;
    text = *resolved;
  }
  std::vector<std::string> members = type.list ? split_list(text) : std::vector<std::string>{text};
  // AllowedValues and the rest constrain the name for an SSM parameter, the value otherwise.
  if (type.ssm) {
    check_constraints(p, ParameterType{}, *v.ssm_name, {*v.ssm_name});
  } else {
    check_constraints(p, type, text, members);
  }
  if (type.list) {
    boost::json::array list;
    for (const std::string& m : members) {
      list.emplace_back(m);
    }
    v.ref_value = std::move(list);
  } else {
    v.ref_value = boost::json::string(text);
  }
  v.text = std::move(text);
  return v;
}

}  // namespace

protocol::Result<ParameterValues> resolve_parameters(
    const Template& t, const std::map<std::string, std::string, std::less<>>& given,
    const SsmParameterLookup& ssm) {
  try {
    std::vector<std::string> missing;
    for (const ParameterDecl& p : t.parameters) {
      if (!given.contains(p.name) && !p.default_value) {
        missing.push_back(p.name);
      }
    }
    if (!missing.empty()) {
      fail("Parameters: " + bracket_list(missing) + " must have values");
    }
    std::vector<std::string> unknown;
    for (const auto& [name, value] : given) {
      if (!t.find_parameter(name)) {
        unknown.push_back(name);
      }
    }
    if (!unknown.empty()) {
      fail("Parameters: " + bracket_list(unknown) + " do not exist in the template");
    }
    ParameterValues out;
    for (const ParameterDecl& p : t.parameters) {
      auto it = given.find(p.name);
      out[p.name] = resolve_one(p, it != given.end() ? it->second : *p.default_value, ssm);
    }
    return out;
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

}  // namespace services::cloudformation::engine

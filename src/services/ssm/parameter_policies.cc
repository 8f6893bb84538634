#include "services/ssm/parameter_policies.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>
#include <string>

#include "core/json.h"

namespace services::ssm {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxPolicies = 10;

protocol::AwsError invalid_type() {
  return {"InvalidPolicyTypeException",
          "The policy type isn't supported. Parameter Store supports the following policy types: "
          "Expiration, ExpirationNotification, and NoChangeNotification."};
}

protocol::AwsError invalid_attribute() {
  return {"InvalidPolicyAttributeException", "A policy attribute or its value is invalid."};
}

bool positive_number(const std::string& s) {
  return !s.empty() && s.size() < 10 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         std::stoll(s) > 0;
}

// {"Type": "...", "Version": "1.0", "Attributes": {...}} with the attributes its type needs:
// Expiration a Timestamp; the notifications a number of Days or Hours (Before or After).
protocol::Result<std::string> check_policy(const json::value& v) {
  if (!v.is_object()) return invalid_type();
  const json::object& p = v.as_object();
  std::string type = core::str(p, "Type");
  const json::object* attributes = core::obj(p, "Attributes");
  if (type != "Expiration" && type != "ExpirationNotification" && type != "NoChangeNotification") {
    return invalid_type();
  }
  if (core::str(p, "Version") != "1.0" || !attributes) return invalid_attribute();
  if (type == "Expiration") {
    if (core::str(*attributes, "Timestamp").empty()) return invalid_attribute();
    return type;
  }
  std::string unit = core::str(*attributes, "Unit");
  std::string amount =
      core::str(*attributes, type == "ExpirationNotification" ? "Before" : "After");
  if ((unit != "Days" && unit != "Hours") || !positive_number(amount)) return invalid_attribute();
  return type;
}

}  // namespace

protocol::Result<void> check_policies(std::string_view policies) {
  boost::system::error_code ec;
  json::value v = json::parse(policies, ec);
  if (ec || !v.is_array()) return invalid_type();
  if (v.as_array().size() > kMaxPolicies) {
    return protocol::AwsError{"PoliciesLimitExceededException",
                              "You specified more than the maximum number of allowed policies for "
                              "the parameter. The maximum is 10."};
  }
  std::set<std::string> types;
  for (const json::value& p : v.as_array()) {
    protocol::Result<std::string> type = check_policy(p);
    if (!type) return type.error();
    if (!types.insert(*type).second) {
      return protocol::AwsError{"IncompatiblePolicyException",
                                "There is a conflict in the policies specified for this "
                                "parameter. You can't, for example, specify two Expiration "
                                "policies for a parameter. Review your policies, and try again."};
    }
  }
  return {};
}

}  // namespace services::ssm

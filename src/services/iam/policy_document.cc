#include "services/iam/policy_document.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <string>

#include "services/iam/errors.h"

namespace services::iam {

namespace json = boost::json;

namespace {

using Check = protocol::Result<void>;

protocol::AwsError syntax() { return errors::malformed_policy("Syntax errors in policy."); }

// A string or a non-empty array of strings, as Action, Resource and principal values are.
bool string_or_strings(const json::value& v) {
  if (v.is_string()) return true;
  if (!v.is_array() || v.as_array().empty()) return false;
  return std::all_of(v.as_array().begin(), v.as_array().end(),
                     [](const json::value& e) { return e.is_string(); });
}

std::vector<std::string> values(const json::value& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.emplace_back(v.get_string());
  if (v.is_array()) {
    for (const json::value& e : v.as_array()) out.emplace_back(e.get_string());
  }
  return out;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool digits12(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An "AWS" principal: "*", an account id, or the ARN of an account root, user, role or
// assumed-role session.
bool valid_aws_principal(std::string_view p) {
  if (p == "*" || digits12(p)) return true;
  for (std::string_view prefix : {"arn:aws:iam::", "arn:aws:sts::"}) {
    if (!p.starts_with(prefix)) continue;
    std::string_view rest = p.substr(prefix.size());
    std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos || !digits12(rest.substr(0, colon))) return false;
    std::string_view res = rest.substr(colon + 1);
    if (prefix == std::string_view("arn:aws:sts::")) return res.starts_with("assumed-role/");
    return res == "root" || res.starts_with("user/") || res.starts_with("role/");
  }
  return false;
}

bool valid_principal(const std::string& type, std::string_view p) {
  if (type == "AWS") return valid_aws_principal(p);
  if (type == "Service") {
    return p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn");
  }
  if (type == "Federated") {
    return p.starts_with("arn:aws:iam::") || p == "cognito-identity.amazonaws.com" ||
           p == "accounts.google.com" || p == "graph.facebook.com" || p == "www.amazon.com";
  }
  return type == "CanonicalUser" && !p.empty();
}

Check check_principal(const json::value& principal) {
  if (principal.is_string()) {
    return principal.get_string() == "*" ? Check{} : Check{syntax()};
  }
  if (!principal.is_object() || principal.as_object().empty()) return syntax();
  for (const auto& [type, v] : principal.as_object()) {
    std::string t(type);
    if (t != "AWS" && t != "Service" && t != "Federated" && t != "CanonicalUser") return syntax();
    if (!string_or_strings(v)) return syntax();
    for (const std::string& p : values(v)) {
      if (!valid_principal(t, p)) {
        return errors::malformed_policy("Invalid principal in policy: \"" + upper(t) + "\":\"" + p +
                                        "\"");
      }
    }
  }
  return {};
}

Check check_actions(const json::value& v) {
  if (!string_or_strings(v)) return syntax();
  for (const std::string& a : values(v)) {
    if (a != "*" && a.find(':') == std::string::npos) {
      return errors::malformed_policy(
          "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
    }
  }
  return {};
}

Check check_resources(const json::value& v) {
  if (!string_or_strings(v)) return syntax();
  for (const std::string& r : values(v)) {
    if (r != "*" && !r.starts_with("arn:")) {
      return errors::malformed_policy("Resource " + r + " must be in ARN format or \"*\".");
    }
  }
  return {};
}

Check check_condition(const json::value& v) {
  if (!v.is_object()) return syntax();
  for (const auto& [op, block] : v.as_object()) {
    if (!block.is_object()) return syntax();
    (void)op;
  }
  return {};
}

Check check_statement(const json::value& sv, PolicyKind kind) {
  static constexpr std::array<std::string_view, 9> kMembers = {
      "Sid",       "Effect",   "Principal",   "NotPrincipal", "Action",
      "NotAction", "Resource", "NotResource", "Condition"};
  if (!sv.is_object()) return syntax();
  const json::object& s = sv.as_object();
  for (const auto& [k, v] : s) {
    if (std::find(kMembers.begin(), kMembers.end(), std::string_view(k)) == kMembers.end()) {
      return syntax();
    }
    (void)v;
  }
  const json::value* effect = s.if_contains("Effect");
  if (!effect) return errors::malformed_policy("Missing required field Effect");
  if (!effect->is_string() || (effect->get_string() != "Allow" && effect->get_string() != "Deny")) {
    return syntax();
  }
  bool has_principal = s.contains("Principal") || s.contains("NotPrincipal");
  if (kind == PolicyKind::Identity && has_principal) {
    return errors::malformed_policy("Policy document should not specify a principal.");
  }
  if (kind == PolicyKind::Trust && !has_principal) {
    return errors::malformed_policy("Missing required field Principal");
  }
  for (std::string_view p : {"Principal", "NotPrincipal"}) {
    if (const json::value* v = s.if_contains(p)) {
      if (auto ok = check_principal(*v); !ok) return ok;
    }
  }
  const json::value* action = s.if_contains("Action");
  const json::value* not_action = s.if_contains("NotAction");
  if (action && not_action) return syntax();
  if (!action && !not_action)
    return errors::malformed_policy("Policy statement must contain actions.");
  if (auto ok = check_actions(action ? *action : *not_action); !ok) return ok;
  const json::value* resource = s.if_contains("Resource");
  const json::value* not_resource = s.if_contains("NotResource");
  if (resource && not_resource) return syntax();
  if (kind == PolicyKind::Trust && (resource || not_resource)) {
    return errors::malformed_policy("Has prohibited field Resource.");
  }
  if (kind == PolicyKind::Identity) {
    if (!resource && !not_resource) {
      return errors::malformed_policy("Policy statement must contain resources.");
    }
    if (auto ok = check_resources(resource ? *resource : *not_resource); !ok) return ok;
  }
  if (const json::value* c = s.if_contains("Condition")) return check_condition(*c);
  return {};
}

}  // namespace

protocol::Result<void> validate_policy(std::string_view text, PolicyKind kind) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return syntax();
  const json::object& o = doc.as_object();
  for (const auto& [k, v] : o) {
    if (k != "Version" && k != "Id" && k != "Statement") return syntax();
    (void)v;
  }
  if (const json::value* version = o.if_contains("Version")) {
    if (!version->is_string() ||
        (version->get_string() != "2012-10-17" && version->get_string() != "2008-10-17")) {
      return errors::malformed_policy("The policy failed legacy parsing");
    }
  }
  const json::value* statement = o.if_contains("Statement");
  if (!statement) return syntax();
  if (statement->is_array()) {
    if (statement->as_array().empty()) return syntax();
    for (const json::value& s : statement->as_array()) {
      if (auto ok = check_statement(s, kind); !ok) return ok;
    }
    return {};
  }
  return check_statement(*statement, kind);
}

}  // namespace services::iam

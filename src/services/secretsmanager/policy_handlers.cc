// Resource policies: PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy,
// ValidateResourcePolicy. Stored and checked for syntax and public access; not evaluated.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/secretsmanager/errors.h"
#include "services/secretsmanager/secretsmanager_service.h"

namespace services::secretsmanager {

namespace json = boost::json;

namespace {

// The policy document, parsed; MalformedPolicyDocumentException unless it is a JSON object with
// a Statement (an object or a list of objects, each with Effect Allow or Deny).
protocol::Result<json::object> parse_policy(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return errors::malformed_policy("This resource policy contains a syntax error.");
  }
  const json::value* statement = v.as_object().if_contains("Statement");
  if (!statement || !(statement->is_object() || statement->is_array())) {
    return errors::malformed_policy("This resource policy contains an unsupported element.");
  }
  json::array statements = statement->is_array() ? statement->as_array() : json::array{*statement};
  for (const json::value& s : statements) {
    std::string effect = s.is_object() ? core::str(s.as_object(), "Effect") : "";
    if (effect != "Allow" && effect != "Deny") {
      return errors::malformed_policy("This resource policy contains a syntax error.");
    }
  }
  return std::move(v.as_object());
}

bool is_public_principal(const json::value& p) {
  if (p.is_string()) return p.get_string() == "*";
  if (p.is_object()) {
    const json::value* aws = p.as_object().if_contains("AWS");
    if (!aws) return false;
    if (aws->is_string()) return aws->get_string() == "*";
    if (aws->is_array()) {
      for (const json::value& a : aws->as_array()) {
        if (a.is_string() && a.get_string() == "*") return true;
      }
    }
  }
  return false;
}

// An Allow statement for any principal, with no condition.
bool grants_public_access(const json::object& policy) {
  const json::value& statement = policy.at("Statement");
  json::array statements = statement.is_array() ? statement.as_array() : json::array{statement};
  for (const json::value& s : statements) {
    const json::object& o = s.as_object();
    if (core::str(o, "Effect") != "Allow" || o.contains("Condition")) continue;
    if (const json::value* p = o.if_contains("Principal"); p && is_public_principal(*p)) {
      return true;
    }
  }
  return false;
}

}  // namespace

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutResourcePolicy.html
Reply SecretsManagerService::put_resource_policy(const Ctx& ctx, const Doc& in) {
  std::string text = core::str(in, "ResourcePolicy");
  protocol::Result<json::object> policy = parse_policy(text);
  if (!policy) return policy.error();
  if (core::opt_bool(in, "BlockPublicPolicy").value_or(false) && grants_public_access(*policy)) {
    return protocol::AwsError{"PublicPolicyException",
                              "This resource policy will grant public access to the secret."};
  }
  return with_secret(ctx, in, true, [&](SmStore& st, SecretRow& s) -> Reply {
    s.policy = text;
    s.last_changed_ms = vault_.now_ms();
    st.update(s);
    return json::object{{"ARN", s.arn}, {"Name", s.name}};
  });
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetResourcePolicy.html
Reply SecretsManagerService::get_resource_policy(const Ctx& ctx, const Doc& in) {
  return with_secret(ctx, in, false, [&](SmStore&, SecretRow& s) -> Reply {
    json::object out{{"ARN", s.arn}, {"Name", s.name}};
    if (s.policy) out["ResourcePolicy"] = *s.policy;
    return out;
  });
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteResourcePolicy.html
Reply SecretsManagerService::delete_resource_policy(const Ctx& ctx, const Doc& in) {
  return with_secret(ctx, in, false, [&](SmStore& st, SecretRow& s) -> Reply {
    if (s.policy) {
      s.policy.reset();
      s.last_changed_ms = vault_.now_ms();
      st.update(s);
    }
    return json::object{{"ARN", s.arn}, {"Name", s.name}};
  });
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ValidateResourcePolicy.html
Reply SecretsManagerService::validate_resource_policy(const Ctx& ctx, const Doc& in) {
  protocol::Result<json::object> policy = parse_policy(core::str(in, "ResourcePolicy"));
  if (!policy) return policy.error();
  if (core::opt_str(in, "SecretId")) {
    Reply found =
        with_secret(ctx, in, false, [](SmStore&, SecretRow&) -> Reply { return json::object{}; });
    if (!found) return found.error();
  }
  json::array problems;
  if (grants_public_access(*policy)) {
    problems.push_back(json::object{
        {"CheckName", "BROAD_ACCESS_CHECK"},
        {"ErrorMessage", "This resource policy grants access to any principal ('*')."}});
  }
  return json::object{{"PolicyValidationPassed", problems.empty()},
                      {"ValidationErrors", std::move(problems)}};
}

}  // namespace services::secretsmanager

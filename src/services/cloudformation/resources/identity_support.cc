// The identity group's shared helpers (identity_support.h).

#include "services/cloudformation/resources/identity_support.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <map>
#include <set>
#include <vector>

#include "core/json.h"
#include "core/percent.h"

namespace services::cloudformation::resources {

namespace json = boost::json;

std::string json_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return json::serialize(v);
}

json::value json_value(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return json::value(text);
  return v;
}

std::optional<int64_t> int_property(const json::object& props, std::string_view key) {
  const json::value* v = props.if_contains(key);
  if (v && v->is_string()) {
    std::string_view s = v->get_string();
    int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc{} && end == s.data() + s.size()) return n;
    return std::nullopt;
  }
  return core::opt_int(props, key);
}

std::optional<bool> bool_property(const json::object& props, std::string_view key) {
  const json::value* v = props.if_contains(key);
  if (v && v->is_string()) {
    if (v->get_string() == "true") return true;
    if (v->get_string() == "false") return false;
    return std::nullopt;
  }
  return core::opt_bool(props, key);
}

engine::UpdateBehavior in_place_if_listed(std::string_view property,
                                          std::initializer_list<std::string_view> in_place) {
  for (std::string_view p : in_place) {
    if (p == property) return engine::UpdateBehavior::NoInterruption;
  }
  return engine::UpdateBehavior::Replacement;
}

engine::ProvisionResult with_properties(engine::ProvisionResult out, json::object props,
                                        const json::value* expected) {
  const json::object& wanted = expected ? properties(*expected) : properties(json::value());
  for (auto& [key, live] : props) {
    const json::value* listed = wanted.if_contains(key);
    if (!listed || !listed->is_array() || !live.is_array()) continue;
    std::multiset<std::string> a, b;
    for (const json::value& v : live.get_array()) a.insert(json::serialize(v));
    for (const json::value& v : listed->get_array()) b.insert(json::serialize(v));
    if (a == b) live = *listed;
  }
  out.properties = std::move(props);
  return out;
}

bool is_not_found(const protocol::AwsError& e) {
  return e.code == "NoSuchEntity" || e.code == "ParameterNotFound" ||
         e.code == "NotFoundException" || e.code == "ResourceNotFoundException";
}

protocol::Result<void> gone_is_ok(const protocol::Result<json::object>& r) {
  if (r) return {};
  return gone_is_ok(r.error());
}

protocol::Result<void> gone_is_ok(const protocol::AwsError& e) {
  if (is_not_found(e)) return {};
  return e;
}

namespace {

json::object tag_map(const json::value* tags) {
  json::object out;
  if (!tags || !tags->is_array()) return out;
  for (const json::value& t : tags->get_array()) {
    if (!t.is_object()) continue;
    out[core::str(t.get_object(), "Key")] = core::str(t.get_object(), "Value");
  }
  return out;
}

}  // namespace

TagChange tag_change(const json::value* previous, const json::value* current) {
  json::object before = tag_map(previous), now = tag_map(current);
  TagChange out;
  for (const auto& [k, v] : now) {
    const json::value* old = before.if_contains(k);
    if (!old || *old != v) out.set.push_back(json::object{{"Key", k}, {"Value", v}});
  }
  for (const auto& [k, v] : before) {
    if (!now.contains(k)) out.removed_keys.push_back(json::value(k));
  }
  return out;
}

json::array template_tags(const engine::ResourceRequest& req, const json::array& tags) {
  const json::value* own = properties(req.properties).if_contains("Tags");
  auto in_template = [&](std::string_view key) {
    if (own && own->is_object()) return own->get_object().contains(key);
    if (!own || !own->is_array()) return false;
    return std::any_of(own->get_array().begin(), own->get_array().end(), [&](const auto& t) {
      return t.is_object() && core::str(t.get_object(), "Key") == key;
    });
  };
  auto from_stack = [&](std::string_view key) {
    return std::any_of(req.stack->tags.begin(), req.stack->tags.end(), [&](const auto& t) {
      return t.is_object() && core::str(t.get_object(), "Key") == key;
    });
  };
  json::array out;
  for (const json::value& t : tags) {
    std::string key = t.is_object() ? core::str(t.get_object(), "Key") : "";
    if (key.starts_with("aws:") || (from_stack(key) && !in_template(key))) continue;
    out.push_back(t);
  }
  return out;
}

std::set<std::string> string_set(const json::object& props, std::string_view key) {
  std::vector<std::string> v = core::strings(props, key);
  return {v.begin(), v.end()};
}

std::set<PrincipalRef> named_principals(const json::object& props) {
  std::set<PrincipalRef> out;
  for (std::string kind : {"Role", "User", "Group"}) {
    for (const std::string& n : core::strings(props, kind + "s")) out.emplace(kind, n);
  }
  return out;
}

namespace {

std::string kind_name(IamPrincipal kind) {
  switch (kind) {
    case IamPrincipal::Role:
      return "Role";
    case IamPrincipal::User:
      return "User";
    case IamPrincipal::Group:
      return "Group";
  }
  return "Role";
}

// Calls `<verb><Kind><noun>` ("AttachRolePolicy") with the principal's name member.
protocol::Result<json::object> principal_call(const ServiceClient& client,
                                              const engine::ResourceRequest& req, IamPrincipal kind,
                                              const std::string& name, std::string_view verb,
                                              std::string_view noun, json::object in = {}) {
  std::string k = kind_name(kind);
  in[k + "Name"] = name;
  return client.call(*req.stack, "iam", std::string(verb) + k + std::string(noun), in);
}

// PolicyName → document text.
std::map<std::string, std::string> inline_policies(const json::object& props) {
  std::map<std::string, std::string> out;
  if (const json::array* list = core::arr(props, "Policies")) {
    for (const json::value& p : *list) {
      if (!p.is_object()) continue;
      const json::value* doc = p.get_object().if_contains("PolicyDocument");
      out[core::str(p.get_object(), "PolicyName")] = doc ? json_text(*doc) : "";
    }
  }
  return out;
}

}  // namespace

protocol::Result<void> sync_principal_policies(const ServiceClient& client,
                                               const engine::ResourceRequest& req,
                                               IamPrincipal kind, const std::string& name,
                                               const json::object& props,
                                               const json::object& previous) {
  auto attach = [&](std::string_view verb) {
    return [&, verb](const std::string& arn) {
      return principal_call(client, req, kind, name, verb, "Policy", {{"PolicyArn", arn}});
    };
  };
  if (auto r = sync_members(string_set(props, "ManagedPolicyArns"),
                            string_set(previous, "ManagedPolicyArns"), attach("Detach"),
                            attach("Attach"));
      !r) {
    return r;
  }
  std::map<std::string, std::string> want_inline = inline_policies(props);
  std::map<std::string, std::string> had_inline = inline_policies(previous);
  for (const auto& [policy, doc] : had_inline) {
    if (want_inline.contains(policy)) continue;
    auto r = principal_call(client, req, kind, name, "Delete", "Policy", {{"PolicyName", policy}});
    if (auto ok = gone_is_ok(r); !ok) return ok.error();
  }
  for (const auto& [policy, doc] : want_inline) {
    auto old = had_inline.find(policy);
    if (old != had_inline.end() && old->second == doc) continue;
    auto r = principal_call(client, req, kind, name, "Put", "Policy",
                            {{"PolicyName", policy}, {"PolicyDocument", doc}});
    if (!r) return r.error();
  }
  return {};
}

protocol::Result<void> strip_principal_policies(const ServiceClient& client,
                                                const engine::ResourceRequest& req,
                                                IamPrincipal kind, const std::string& name) {
  json::object live;
  if (auto r = read_principal_policies(client, req, kind, name, live); !r) return r.error();
  return sync_principal_policies(client, req, kind, name, {}, live);
}

protocol::Result<void> read_principal_policies(const ServiceClient& client,
                                               const engine::ResourceRequest& req,
                                               IamPrincipal kind, const std::string& name,
                                               json::object& out) {
  auto attached =
      principal_call(client, req, kind, name, "ListAttached", "Policies", {{"MaxItems", 1000}});
  if (!attached) return attached.error();
  json::array arns;
  for (const json::value& p : *core::arr(*attached, "AttachedPolicies")) {
    arns.push_back(p.at("PolicyArn"));
  }
  auto names = principal_call(client, req, kind, name, "List", "Policies", {{"MaxItems", 1000}});
  if (!names) return names.error();
  json::array policies;
  for (const std::string& policy : core::strings(*names, "PolicyNames")) {
    auto got = principal_call(client, req, kind, name, "Get", "Policy", {{"PolicyName", policy}});
    if (!got) return got.error();
    std::string doc = core::percent_decode(core::str(*got, "PolicyDocument"), false);
    policies.push_back(json::object{{"PolicyName", policy}, {"PolicyDocument", json_value(doc)}});
  }
  if (!arns.empty()) out["ManagedPolicyArns"] = std::move(arns);
  if (!policies.empty()) out["Policies"] = std::move(policies);
  return {};
}

protocol::Result<void> sync_principal_tags(const ServiceClient& client,
                                           const engine::ResourceRequest& req, IamPrincipal kind,
                                           const std::string& name) {
  TagChange c = tag_change(properties(req.previous_properties).if_contains("Tags"),
                           properties(req.properties).if_contains("Tags"));
  if (!c.removed_keys.empty()) {
    auto r = principal_call(client, req, kind, name, "Untag", "", {{"TagKeys", c.removed_keys}});
    if (!r) return r.error();
  }
  if (!c.set.empty()) {
    auto r = principal_call(client, req, kind, name, "Tag", "", {{"Tags", c.set}});
    if (!r) return r.error();
  }
  return {};
}

}  // namespace services::cloudformation::resources

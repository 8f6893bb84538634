#include "services/cloudformation/engine/dynamic_refs.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <vector>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

constexpr std::string_view kOpen = "{{resolve:";

std::vector<std::string> split_colons(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(':', start);
    out.emplace_back(s.substr(start, at - start));
    if (at == std::string_view::npos) {
      return out;
    }
    start = at + 1;
  }
}

[[noreturn]] void malformed(std::string_view ref, const std::string& why) {
  fail("Dynamic reference {{resolve:" + std::string(ref) + "}} is malformed: " + why);
}

template <class T>
T take(protocol::Result<T> r) {
  if (!r) {
    throw r.error();
  }
  return std::move(*r);
}

std::string resolve_ssm(std::string_view ref, std::string_view key, bool secure,
                        const DynamicReferenceHooks& hooks) {
  std::string name(key);
  std::optional<int64_t> version;
  size_t colon = key.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view v = key.substr(colon + 1);
    if (v.empty() || v.find_first_not_of("0123456789") != std::string_view::npos) {
      malformed(ref, "the version must be a number");
    }
    version = std::stoll(std::string(v));
    name = std::string(key.substr(0, colon));
  }
  if (name.empty()) {
    malformed(ref, "no parameter name");
  }
  if (!hooks.ssm) {
    fail("Dynamic reference {{resolve:" + std::string(ref) + "}}: no Parameter Store");
  }
  return take(hooks.ssm(name, version, secure));
}

std::string resolve_secret(std::string_view ref, std::string_view key,
                           const DynamicReferenceHooks& hooks) {
  std::vector<std::string> parts = split_colons(key);
  SecretReference s;
  size_t next = 1;
  if (key.starts_with("arn:") && parts.size() >= 7) {  // arn:aws:secretsmanager:r:a:secret:name
    for (size_t i = 0; i < 7; ++i) {
      s.secret_id += (i ? ":" : "") + parts[i];
    }
    next = 7;
  } else {
    s.secret_id = parts[0];
  }
  std::vector<std::string> rest(parts.begin() + static_cast<long>(next), parts.end());
  rest.resize(4);
  if (s.secret_id.empty() || (!rest[0].empty() && rest[0] != "SecretString")) {
    malformed(ref, "expected secret-id:SecretString:json-key:version-stage:version-id");
  }
  s.json_key = rest[1];
  s.version_stage = rest[2];
  s.version_id = rest[3];
  if (!s.version_stage.empty() && !s.version_id.empty()) {
    malformed(ref, "give a version stage or a version id, not both");
  }
  if (!hooks.secret_string) {
    fail("Dynamic reference {{resolve:" + std::string(ref) + "}}: no Secrets Manager");
  }
  std::string secret = take(hooks.secret_string(s));
  if (s.json_key.empty()) {
    return secret;
  }
  boost::system::error_code ec;
  json::value doc = json::parse(secret, ec);
  const json::value* v =
      !ec && doc.is_object() ? doc.get_object().if_contains(s.json_key) : nullptr;
  if (!v) {
    fail("Could not find SecretString key " + s.json_key + " in secret " + s.secret_id);
  }
  return scalar_text(*v).value_or(json::serialize(*v));
}

// One "{{resolve:...}}" body ("ssm:/a/b:2"), resolved.
std::string resolve_one(std::string_view ref, const DynamicReferenceHooks& hooks, bool& sensitive) {
  size_t colon = ref.find(':');
  std::string_view service = ref.substr(0, colon);
  std::string_view key = colon == std::string_view::npos ? "" : ref.substr(colon + 1);
  if (service == "ssm" || service == "ssm-secure") {
    sensitive = sensitive || service == "ssm-secure";
    return resolve_ssm(ref, key, service == "ssm-secure", hooks);
  }
  if (service == "secretsmanager") {
    sensitive = true;
    return resolve_secret(ref, key, hooks);
  }
  malformed(ref, "the service must be ssm, ssm-secure or secretsmanager");
}

std::string resolve_string(std::string_view s, const DynamicReferenceHooks& hooks,
                           bool& sensitive) {
  std::string out;
  while (true) {
    size_t open = s.find(kOpen);
    size_t close = open == std::string_view::npos ? open : s.find("}}", open);
    if (close == std::string_view::npos) {
      out += s;
      return out;
    }
    out += s.substr(0, open);
    out +=
        resolve_one(s.substr(open + kOpen.size(), close - open - kOpen.size()), hooks, sensitive);
    s = s.substr(close + 2);
  }
}

json::value walk(const json::value& v, const DynamicReferenceHooks& hooks, bool& sensitive) {
  if (v.is_string()) {
    std::string_view s = v.get_string();
    return s.find(kOpen) == std::string_view::npos
               ? v
               : json::value(resolve_string(s, hooks, sensitive));
  }
  if (const json::array* a = v.if_array()) {
    json::array out;
    for (const json::value& item : *a) {
      out.push_back(walk(item, hooks, sensitive));
    }
    return out;
  }
  if (const json::object* o = v.if_object()) {
    json::object out;
    for (const auto& [key, member] : *o) {
      out[key] = walk(member, hooks, sensitive);
    }
    return out;
  }
  return v;
}

}  // namespace

bool has_dynamic_references(const json::value& v) {
  if (v.is_string()) {
    return std::string_view(v.get_string()).find(kOpen) != std::string_view::npos;
  }
  if (const json::array* a = v.if_array()) {
    for (const json::value& item : *a) {
      if (has_dynamic_references(item)) {
        return true;
      }
    }
  }
  if (const json::object* o = v.if_object()) {
    for (const auto& kv : *o) {
      if (has_dynamic_references(kv.value())) {
        return true;
      }
    }
  }
  return false;
}

protocol::Result<ResolvedValue> resolve_dynamic_references(const json::value& v,
                                                           const DynamicReferenceHooks& hooks) {
  try {
    ResolvedValue out;
    out.value = walk(v, hooks, out.sensitive);
    return out;
  } catch (const protocol::AwsError& e) {
    return e;
  }
}

}  // namespace services::cloudformation::engine

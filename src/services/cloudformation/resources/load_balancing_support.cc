// The load_balancing group's shared helpers (load_balancing_support.h).

#include "services/cloudformation/resources/load_balancing_support.h"

#include <algorithm>
#include <cctype>

#include "protocol/model.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::resources::lb {

namespace {

std::optional<bool> as_bool(const json::value& v) {
  if (v.is_bool()) {
    return v.get_bool();
  }
  if (!v.is_string()) {
    return std::nullopt;
  }
  std::string s(v.get_string());
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (s == "true") return true;
  if (s == "false") return false;
  return std::nullopt;
}

// `v` with the scalar types of `shape`; values it cannot convert are left for the validator
// to report.
json::value typed(const protocol::ServiceModel& m, uint32_t shape, const json::value& v) {
  const protocol::ShapeDef& s = m.shape(shape);
  switch (s.type) {
    case protocol::ShapeType::Structure: {
      if (!v.is_object()) return v;
      json::object out;
      for (const auto& kv : v.get_object()) {
        const protocol::MemberDef* member = m.find_member(s, kv.key());
        out[kv.key()] = member ? typed(m, member->shape, kv.value()) : kv.value();
      }
      return out;
    }
    case protocol::ShapeType::List: {
      if (!v.is_array() || s.members_count < 1) return v;
      json::array out;
      for (const json::value& e : v.get_array()) {
        out.push_back(typed(m, m.members_of(s)[0].shape, e));
      }
      return out;
    }
    case protocol::ShapeType::Map: {
      if (!v.is_object() || s.members_count < 2) return v;
      json::object out;
      for (const auto& kv : v.get_object()) {
        out[kv.key()] = typed(m, m.members_of(s)[1].shape, kv.value());
      }
      return out;
    }
    case protocol::ShapeType::String: {
      std::optional<std::string> t = v.is_string() ? std::nullopt : engine::scalar_text(v);
      return t ? json::value(json::string(*t)) : v;
    }
    case protocol::ShapeType::Integer:
    case protocol::ShapeType::Long: {
      std::optional<int64_t> i;
      if (v.is_string()) {
        i = engine::parse_integer(std::string(v.get_string()));
      } else if (v.is_double() &&
                 static_cast<double>(static_cast<int64_t>(v.get_double())) == v.get_double()) {
        i = static_cast<int64_t>(v.get_double());
      }
      return i ? json::value(*i) : v;
    }
    case protocol::ShapeType::Float:
    case protocol::ShapeType::Double: {
      std::optional<double> d =
          v.is_string() ? engine::parse_number(std::string(v.get_string())) : std::nullopt;
      return d ? json::value(*d) : v;
    }
    case protocol::ShapeType::Boolean: {
      std::optional<bool> b = as_bool(v);
      return b ? json::value(*b) : v;
    }
    default:
      return v;
  }
}

// `live` in the JSON types of `expected` wherever their text is the same.
json::value aligned(const json::value& expected, json::value live) {
  if (expected.is_array() && live.is_array() &&
      expected.get_array().size() == live.get_array().size()) {
    for (std::size_t i = 0; i < live.get_array().size(); ++i) {
      live.get_array()[i] = aligned(expected.get_array()[i], live.get_array()[i]);
    }
    return live;
  }
  if (expected.is_object() && live.is_object()) {
    for (auto& kv : live.get_object()) {
      if (const json::value* e = expected.get_object().if_contains(kv.key())) {
        kv.value() = aligned(*e, kv.value());
      }
    }
    return live;
  }
  std::optional<std::string> a = engine::scalar_text(expected), b = engine::scalar_text(live);
  return a && b && *a == *b ? expected : live;
}

}  // namespace

json::object live_properties(const engine::ResourceRequest& req, json::object live) {
  return aligned(properties(req.properties), std::move(live)).as_object();
}

protocol::Result<json::object> typed_call(const ServiceClient& client,
                                          const engine::ResourceRequest& req,
                                          std::string_view service, std::string_view operation,
                                          const json::object& input) {
  const protocol::ServiceModel* model = protocol::find_model(service);
  const protocol::OperationDef* op = model ? model->find_operation(operation) : nullptr;
  if (!op || op->input == protocol::kNoShape) {
    return client.call(*req.stack, service, operation, input);
  }
  json::value in = typed(*model, op->input, input);
  return client.call(*req.stack, service, operation, in.as_object());
}

std::optional<std::string> text(const json::object& props, std::string_view key) {
  const json::value* v = props.if_contains(key);
  return v ? engine::scalar_text(*v) : std::nullopt;
}

bool any_changed(const engine::ResourceRequest& req, std::span<const std::string_view> keys) {
  return std::any_of(keys.begin(), keys.end(), [&](std::string_view k) { return changed(req, k); });
}

void copy_present(const json::object& from, json::object& to,
                  std::span<const std::string_view> keys) {
  for (std::string_view k : keys) {
    if (const json::value* v = from.if_contains(k)) {
      to[k] = *v;
    }
  }
}

void copy_renamed(const json::object& from, json::object& to,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> names) {
  for (const auto& [cfn, api] : names) {
    if (const json::value* v = from.if_contains(cfn)) {
      to[api] = *v;
    }
  }
}

json::object first_of(const json::object& out, std::string_view list) {
  const json::value* v = out.if_contains(list);
  if (!v || !v->is_array() || v->get_array().empty() || !v->get_array()[0].is_object()) {
    return {};
  }
  return v->get_array()[0].get_object();
}

std::string arn_suffix(const std::string& arn, std::string_view marker) {
  std::size_t at = arn.find(marker);
  return at == std::string::npos ? std::string() : arn.substr(at + marker.size());
}

protocol::Result<void> no_output(const protocol::Result<json::object>& r) {
  if (!r) {
    return r.error();
  }
  return {};
}

protocol::Result<void> gone_is_ok(const protocol::Result<json::object>& r,
                                  std::string_view not_found_code) {
  if (!r && r.error().code != not_found_code) {
    return r.error();
  }
  return {};
}

json::array tag_list(const engine::ResourceRequest& req) {
  json::array out;
  for (const json::value& t : stack_tags(req, properties(req.properties).if_contains("Tags"))) {
    if (!t.is_object()) continue;
    json::object tag;
    copy_present(t.get_object(), tag, {"Key"});
    if (const json::value* v = t.get_object().if_contains("Value")) {
      tag["Value"] = engine::scalar_text(*v).value_or("");
    }
    out.push_back(std::move(tag));
  }
  return out;
}

json::object tag_map(const engine::ResourceRequest& req) {
  json::object out;
  for (const json::value& t : tag_list(req)) {
    const json::object& o = t.get_object();
    if (const json::value* k = o.if_contains("Key"); k && k->is_string()) {
      const json::value* v = o.if_contains("Value");
      out[k->get_string()] = v ? *v : json::value("");
    }
  }
  return out;
}

json::object template_tag_map(const json::value& props) {
  json::object out;
  const json::value* tags = properties(props).if_contains("Tags");
  if (!tags || !tags->is_array()) {
    return out;
  }
  for (const json::value& t : tags->get_array()) {
    if (!t.is_object()) continue;
    std::optional<std::string> k = text(t.get_object(), "Key");
    if (k) {
      out[*k] = text(t.get_object(), "Value").value_or("");
    }
  }
  return out;
}

json::array removed_keys(const json::object& before, const json::object& after) {
  json::array out;
  for (const auto& kv : before) {
    if (!after.contains(kv.key())) {
      out.push_back(json::string(kv.key()));
    }
  }
  return out;
}

json::object named_elbv2_input(const engine::ResourceRequest& req) {
  constexpr std::size_t kMaxNameLength = 32;
  json::object in{
      {"Name", text(properties(req.properties), "Name")
                   .value_or(generated_name(*req.stack, req.logical_id, kMaxNameLength))}};
  if (json::array tags = tag_list(req); !tags.empty()) {
    in["Tags"] = std::move(tags);
  }
  return in;
}

json::array key_values(const json::object& props, std::string_view key) {
  json::array out;
  const json::value* list = props.if_contains(key);
  if (!list || !list->is_array()) {
    return out;
  }
  for (const json::value& a : list->get_array()) {
    if (!a.is_object()) continue;
    out.push_back(json::object{{"Key", text(a.get_object(), "Key").value_or("")},
                               {"Value", text(a.get_object(), "Value").value_or("")}});
  }
  return out;
}

protocol::Result<void> modify_elbv2_attributes(const ServiceClient& client,
                                               const engine::ResourceRequest& req,
                                               std::string_view operation,
                                               std::string_view arn_member, const std::string& arn,
                                               std::string_view key) {
  json::array attrs = key_values(properties(req.properties), key);
  if (attrs.empty()) {
    return {};
  }
  return no_output(
      client.call(*req.stack, "elbv2", operation, {{arn_member, arn}, {"Attributes", attrs}}));
}

protocol::Result<void> sync_elbv2_tags(const ServiceClient& client,
                                       const engine::ResourceRequest& req) {
  if (!changed(req, "Tags")) {
    return {};
  }
  json::array gone =
      removed_keys(template_tag_map(req.previous_properties), template_tag_map(req.properties));
  if (!gone.empty()) {
    auto r = client.call(
        *req.stack, "elbv2", "RemoveTags",
        {{"ResourceArns", json::array{json::string(req.physical_id)}}, {"TagKeys", gone}});
    if (!r) return r.error();
  }
  json::array tags = tag_list(req);
  if (tags.empty()) {
    return {};
  }
  return no_output(client.call(
      *req.stack, "elbv2", "AddTags",
      {{"ResourceArns", json::array{json::string(req.physical_id)}}, {"Tags", std::move(tags)}}));
}

}  // namespace services::cloudformation::resources::lb

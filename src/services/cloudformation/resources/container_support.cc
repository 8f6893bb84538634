// The container and scaling groups' shared helpers (container_support.h).

#include "services/cloudformation/resources/container_support.h"

#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>
#include <thread>

#include "core/time_format.h"
#include "protocol/model.h"

namespace services::cloudformation::resources {

namespace json = boost::json;
using protocol::ServiceModel;
using protocol::ShapeDef;
using protocol::ShapeType;

namespace {

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view renamed(std::string_view key, Renames renames) {
  for (const auto& [from, to] : renames) {
    if (from == key) return to;
  }
  return key;
}

std::string text_of(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "";
  return json::serialize(v);
}

json::value convert(const ServiceModel& m, const ShapeDef& s, const json::value& v,
                    Renames renames);

json::value convert_structure(const ServiceModel& m, const ShapeDef& s, const json::value& v,
                              Renames renames) {
  if (!v.is_object()) return v;
  json::object out;
  for (const auto& [key, value] : v.get_object()) {
    std::string_view name = renamed(key, renames);
    for (const protocol::MemberDef& member : m.members_of(s)) {
      if (same_name(member.name, name)) {
        out[member.name] = convert(m, m.shape(member.shape), value, renames);
        break;
      }
    }
  }
  return out;
}

json::value convert_scalar(const ShapeDef& s, const json::value& v) {
  switch (s.type) {
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::BigInteger:
      if (v.is_string()) {
        std::string_view t = v.get_string();
        int64_t n = 0;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
        if (ec == std::errc() && end == t.data() + t.size()) return n;
      } else if (v.is_double()) {
        return static_cast<int64_t>(v.get_double());
      }
      return v;
    case ShapeType::Float:
    case ShapeType::Double:
    case ShapeType::BigDecimal:
      if (v.is_string()) {
        std::string t(v.get_string());
        char* end = nullptr;
        double d = std::strtod(t.c_str(), &end);
        if (!t.empty() && end == t.c_str() + t.size()) return d;
      } else if (v.is_int64() || v.is_uint64()) {
        return v.to_number<double>();
      }
      return v;
    case ShapeType::Boolean:
      if (v.is_string() && (v.get_string() == "true" || v.get_string() == "false")) {
        return v.get_string() == "true";
      }
      return v;
    case ShapeType::Timestamp:
      if (v.is_string()) {
        if (auto t = core::parse_timestamp(v.get_string())) return core::to_epoch_seconds(*t);
      }
      return v;
    case ShapeType::String:
      return v.is_number() || v.is_bool() ? json::value(text_of(v)) : v;
    default:
      return v;
  }
}

json::value convert(const ServiceModel& m, const ShapeDef& s, const json::value& v,
                    Renames renames) {
  if (s.document) return v;
  switch (s.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      return convert_structure(m, s, v, renames);
    case ShapeType::List: {
      if (!v.is_array() || s.members_count < 1) return v;
      const ShapeDef& item = m.shape(m.members_of(s)[0].shape);
      json::array out;
      for (const json::value& e : v.get_array()) out.push_back(convert(m, item, e, renames));
      return out;
    }
    case ShapeType::Map: {
      if (!v.is_object() || s.members_count < 2) return v;
      const ShapeDef& value = m.shape(m.members_of(s)[1].shape);
      json::object out;
      for (const auto& [k, e] : v.get_object()) out[k] = convert(m, value, e, renames);
      return out;
    }
    default:
      return convert_scalar(s, v);
  }
}

const json::value* member(const json::value& props, std::string_view name) {
  return props.is_object() ? props.get_object().if_contains(name) : nullptr;
}

std::map<std::string, std::string> tag_map(const json::value* tags) {
  std::map<std::string, std::string> out;
  if (!tags || !tags->is_array()) return out;
  for (const json::value& t : tags->get_array()) {
    if (!t.is_object()) continue;
    const json::value* k = t.get_object().if_contains("Key");
    const json::value* v = t.get_object().if_contains("Value");
    if (k) out[text_of(*k)] = v ? text_of(*v) : "";
  }
  return out;
}

}  // namespace

json::object api_input(std::string_view service, std::string_view operation,
                       const json::object& cfn, Renames renames) {
  const ServiceModel* model = protocol::find_model(service);
  const protocol::OperationDef* op = model ? model->find_operation(operation) : nullptr;
  if (!op || op->input == protocol::kNoShape) return {};
  json::value out = convert_structure(*model, model->shape(op->input), cfn, renames);
  return out.is_object() ? out.get_object() : json::object{};
}

const json::value* prop(const engine::ResourceRequest& req, std::string_view name) {
  return member(req.properties, name);
}

std::string prop_str(const engine::ResourceRequest& req, std::string_view name) {
  const json::value* v = prop(req, name);
  return v ? text_of(*v) : "";
}

bool changed(const engine::ResourceRequest& req, std::string_view name) {
  const json::value* now = member(req.properties, name);
  const json::value* before = member(req.previous_properties, name);
  if (!now || !before) return now != before;
  return *now != *before;
}

bool prop_true(const engine::ResourceRequest& req, std::string_view name) {
  const json::value* v = prop(req, name);
  return v && ((v->is_bool() && v->get_bool()) || (v->is_string() && v->get_string() == "true"));
}

engine::UpdateBehavior behavior_of(std::string_view property,
                                   std::initializer_list<std::string_view> no_interruption) {
  for (std::string_view p : no_interruption) {
    if (p == property) return engine::UpdateBehavior::NoInterruption;
  }
  return engine::UpdateBehavior::Replacement;
}

protocol::Result<void> update_tags(const ServiceClient& client, const engine::ResourceRequest& req,
                                   const TagApi& api, const std::string& arn) {
  if (!changed(req, "Tags")) return {};
  std::map<std::string, std::string> before = tag_map(member(req.previous_properties, "Tags"));
  std::map<std::string, std::string> now = tag_map(prop(req, "Tags"));
  json::array gone, set;
  for (const auto& [k, v] : before) {
    if (!now.contains(k)) gone.push_back(json::string(k));
  }
  for (const auto& [k, v] : now) {
    auto it = before.find(k);
    if (it == before.end() || it->second != v) {
      set.push_back(json::object{{api.key, k}, {api.value, v}});
    }
  }
  if (!gone.empty()) {
    auto r = client.call(*req.stack, api.service, "UntagResource",
                         {{api.arn_member, arn}, {api.keys_member, std::move(gone)}});
    if (!r) return r.error();
  }
  if (!set.empty()) {
    auto r = client.call(*req.stack, api.service, "TagResource",
                         {{api.arn_member, arn}, {api.tags_member, std::move(set)}});
    if (!r) return r.error();
  }
  return {};
}

protocol::Result<engine::ProvisionResult> with_tags_updated(
    const ServiceClient& client, const engine::ResourceRequest& req, const TagApi& api,
    protocol::Result<engine::ProvisionResult> now, std::string_view arn_attribute) {
  if (!now) return now;
  const json::value* arn = now->attributes.if_contains(arn_attribute);
  std::string arn_text = arn && arn->is_string() ? std::string(arn->get_string()) : req.physical_id;
  if (auto r = update_tags(client, req, api, arn_text); !r) return r.error();
  return now;
}

protocol::Result<bool> wait_until(const std::function<protocol::Result<bool>()>& done,
                                  std::chrono::milliseconds limit,
                                  std::chrono::milliseconds interval) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    protocol::Result<bool> r = done();
    if (!r || *r) return r;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(interval);
  }
}

protocol::Result<json::object> ecs_describe_one(const ServiceClient& client,
                                                const engine::ResourceRequest& req,
                                                std::string_view operation,
                                                std::string_view refs_member,
                                                std::string_view out_member, const std::string& ref,
                                                json::object extra, protocol::AwsError not_found) {
  extra[refs_member] = json::array{json::value(ref)};
  auto out = client.call(*req.stack, "ecs", operation, extra);
  if (!out) return out.error();
  const json::value* list = out->if_contains(out_member);
  if (!list || !list->is_array() || list->get_array().empty() ||
      !list->get_array().front().is_object()) {
    return not_found;
  }
  const json::object& found = list->get_array().front().get_object();
  const json::value* status = found.if_contains("status");
  if (status && status->is_string() && status->get_string() == "INACTIVE") return not_found;
  return found;
}

bool is_code(const protocol::AwsError& e, std::initializer_list<std::string_view> codes) {
  for (std::string_view c : codes) {
    if (e.code == c) return true;
  }
  return false;
}

}  // namespace services::cloudformation::resources

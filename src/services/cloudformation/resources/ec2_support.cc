// The EC2 providers' shared helpers (ec2_support.h).

#include "services/cloudformation/resources/ec2_support.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <map>

#include "core/json.h"

namespace services::cloudformation::resources::ec2 {

namespace json = boost::json;

std::string prop_str(const json::object& props, std::string_view name) {
  const json::value* v = props.if_contains(name);
  if (v == nullptr) {
    return "";
  }
  if (v->is_string()) {
    return std::string(v->get_string());
  }
  if (v->is_int64() || v->is_uint64()) {
    return json::serialize(*v);
  }
  if (v->is_bool()) {
    return v->get_bool() ? "true" : "false";
  }
  return "";
}

std::optional<int64_t> prop_int(const json::object& props, std::string_view name) {
  if (std::optional<int64_t> n = core::opt_int(props, name)) {
    return n;
  }
  std::optional<std::string> text = core::opt_str(props, name);
  if (!text) {
    return std::nullopt;
  }
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc{} || end != text->data() + text->size()) {
    return std::nullopt;
  }
  return n;
}

std::optional<bool> prop_bool(const json::object& props, std::string_view name) {
  if (std::optional<bool> b = core::opt_bool(props, name)) {
    return b;
  }
  std::string text = core::str(props, name);
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (text == "true") {
    return true;
  }
  if (text == "false") {
    return false;
  }
  return std::nullopt;
}

protocol::Result<std::string> required(const engine::ResourceRequest& req, std::string_view name) {
  std::string v = prop_str(properties(req.properties), name);
  if (v.empty()) {
    return missing_property(req, name);
  }
  return v;
}

json::value as_given(const engine::ResourceRequest& req, std::string_view name, json::value live) {
  const json::value* given = properties(req.properties).if_contains(name);
  if (given != nullptr && given->is_string() && !live.is_string()) {
    return json::value(prop_str(json::object{{"v", live}}, "v"));
  }
  return live;
}

bool is_not_found(const protocol::AwsError& e) {
  return e.code.ends_with(".NotFound") || e.code.ends_with("NotFound");
}

protocol::AwsError not_found(std::string_view code, std::string_view what) {
  return {std::string(code), std::string(what) + " does not exist"};
}

engine::UpdateBehavior in_place_if(std::string_view property,
                                   std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), property) != names.end()
             ? engine::UpdateBehavior::NoInterruption
             : engine::UpdateBehavior::Replacement;
}

std::pair<std::string, std::string> split_id(const std::string& physical_id) {
  std::size_t bar = physical_id.find('|');
  if (bar == std::string::npos) {
    return {physical_id, ""};
  }
  return {physical_id.substr(0, bar), physical_id.substr(bar + 1)};
}

json::object ip_permission(const json::object& rule, bool egress) {
  std::string protocol = prop_str(rule, "IpProtocol");
  std::transform(protocol.begin(), protocol.end(), protocol.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  json::object p{{"IpProtocol", protocol}};
  for (std::string_view port : {"FromPort", "ToPort"}) {
    if (std::optional<int64_t> n = prop_int(rule, port)) {
      p[port] = *n;
    }
  }
  json::object peer;
  if (std::string d = prop_str(rule, "Description"); !d.empty()) {
    peer["Description"] = d;
  }
  std::string group =
      prop_str(rule, egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId");
  std::string prefix_list =
      prop_str(rule, egress ? "DestinationPrefixListId" : "SourcePrefixListId");
  if (std::string cidr = prop_str(rule, "CidrIp"); !cidr.empty()) {
    peer["CidrIp"] = cidr;
    p["IpRanges"] = json::array{peer};
  } else if (std::string cidr6 = prop_str(rule, "CidrIpv6"); !cidr6.empty()) {
    peer["CidrIpv6"] = cidr6;
    p["Ipv6Ranges"] = json::array{peer};
  } else if (!prefix_list.empty()) {
    peer["PrefixListId"] = prefix_list;
    p["PrefixListIds"] = json::array{peer};
  } else if (!group.empty()) {
    peer["GroupId"] = group;
    p["UserIdGroupPairs"] = json::array{peer};
  } else if (std::string name = prop_str(rule, "SourceSecurityGroupName"); !name.empty()) {
    peer["GroupName"] = name;
    p["UserIdGroupPairs"] = json::array{peer};
  }
  return p;
}

json::object default_egress_rule() { return {{"IpProtocol", "-1"}, {"CidrIp", "0.0.0.0/0"}}; }

json::object group_selector(const std::string& physical_id) {
  if (physical_id.starts_with("sg-")) {
    return {{"GroupId", physical_id}};
  }
  return {{"GroupName", physical_id}};
}

protocol::Result<json::object> Ec2Provider::call(const engine::ResourceRequest& req,
                                                 std::string_view op,
                                                 const json::object& input) const {
  return client_.call(*req.stack, "ec2", op, input);
}

json::array Ec2Provider::tag_specifications(const engine::ResourceRequest& req,
                                            std::string_view resource_type) const {
  return json::array{
      json::object{{"ResourceType", resource_type},
                   {"Tags", stack_tags(req, properties(req.properties).if_contains("Tags"))}}};
}

namespace {

// Key → value of a Tags property.
std::map<std::string, std::string> tag_map(const json::value& props) {
  std::map<std::string, std::string> out;
  if (const json::array* tags = core::arr(properties(props), "Tags")) {
    for (const json::value& t : *tags) {
      if (t.is_object()) {
        out[core::str(t.get_object(), "Key")] = prop_str(t.get_object(), "Value");
      }
    }
  }
  return out;
}

}  // namespace

protocol::Result<void> Ec2Provider::update_tags(const engine::ResourceRequest& req,
                                                const std::string& resource_id) const {
  if (!changed(req, "Tags")) {
    return {};
  }
  std::map<std::string, std::string> now = tag_map(req.properties);
  std::map<std::string, std::string> before = tag_map(req.previous_properties);
  json::array removed, set;
  for (const auto& [key, value] : before) {
    if (!now.contains(key)) {
      removed.push_back(json::object{{"Key", key}});
    }
  }
  for (const auto& [key, value] : now) {
    auto it = before.find(key);
    if (it == before.end() || it->second != value) {
      set.push_back(json::object{{"Key", key}, {"Value", value}});
    }
  }
  json::array resources{json::value(resource_id)};
  if (!removed.empty()) {
    auto r = call(req, "DeleteTags", {{"Resources", resources}, {"Tags", removed}});
    if (!r) {
      return r.error();
    }
  }
  if (!set.empty()) {
    auto r = call(req, "CreateTags", {{"Resources", resources}, {"Tags", set}});
    if (!r) {
      return r.error();
    }
  }
  return {};
}

protocol::Result<json::object> Ec2Provider::describe_one(const engine::ResourceRequest& req,
                                                         std::string_view op,
                                                         std::string_view ids_member,
                                                         const std::string& id,
                                                         std::string_view out_member) const {
  auto out = call(req, op, {{ids_member, json::array{json::value(id)}}});
  if (!out) {
    return out.error();
  }
  const json::array* items = core::arr(*out, out_member);
  if (items == nullptr || items->empty() || !items->front().is_object()) {
    return not_found("InvalidID.NotFound", "The ID '" + id + "'");
  }
  return items->front().get_object();
}

protocol::Result<json::array> Ec2Provider::describe_where(const engine::ResourceRequest& req,
                                                          std::string_view op,
                                                          std::string_view name,
                                                          const std::string& value,
                                                          std::string_view out_member) const {
  json::array filters{json::object{{"Name", name}, {"Values", json::array{json::value(value)}}}};
  auto out = call(req, op, {{"Filters", std::move(filters)}});
  if (!out) {
    return out.error();
  }
  const json::array* items = core::arr(*out, out_member);
  return items ? *items : json::array();
}

protocol::Result<void> Ec2Provider::delete_idempotent(const engine::ResourceRequest& req,
                                                      std::string_view op,
                                                      const json::object& input) const {
  auto r = call(req, op, input);
  if (!r && !is_not_found(r.error())) {
    return r.error();
  }
  return {};
}

protocol::Result<engine::ProvisionResult> AssociationProvider::create(
    const engine::ResourceRequest& req) {
  protocol::Result<json::object> in = associate_input(req);
  if (!in) {
    return in.error();
  }
  auto out = call(req, api_.associate, *in);
  if (!out) {
    return out.error();
  }
  std::string id = core::str(*out, "AssociationId");
  return engine::ProvisionResult{id, {{"Id", id}}};
}

protocol::Result<void> AssociationProvider::remove(const engine::ResourceRequest& req) {
  return delete_idempotent(req, api_.disassociate, {{"AssociationId", req.physical_id}});
}

protocol::Result<engine::ProvisionResult> AssociationProvider::read(
    const engine::ResourceRequest& req) {
  auto items = describe_where(req, api_.describe, api_.filter, req.physical_id, api_.items);
  if (!items) {
    return items.error();
  }
  if (items->empty()) {
    return not_found("InvalidAssociationID.NotFound",
                     "The association ID '" + req.physical_id + "'");
  }
  engine::ProvisionResult r{req.physical_id, {{"Id", req.physical_id}}};
  r.properties = live_properties(items->front().as_object());
  return r;
}

}  // namespace services::cloudformation::resources::ec2

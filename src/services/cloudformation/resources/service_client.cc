// ServiceClient and the providers' shared helpers (service_client.h).

#include "services/cloudformation/resources/service_client.h"

#include <algorithm>
#include <cctype>
#include <random>

namespace services::cloudformation::resources {

protocol::Result<boost::json::object> ServiceClient::call(const engine::StackIdentity& stack,
                                                          std::string_view service,
                                                          std::string_view operation,
                                                          const boost::json::object& input) const {
  protocol::RequestContext ctx = protocol::RequestContext::internal(stack.account, stack.region);
  ctx.called_via = protocol::RequestContext::kCalledViaCloudFormation;
  return registry_.call(ctx, service, operation, input);
}

namespace {

std::string random_suffix() {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(alphabet) - 2);
  std::string s(13, ' ');
  for (char& c : s) c = alphabet[pick(rng)];
  return s;
}

}  // namespace

std::string generated_name(const engine::StackIdentity& stack, std::string_view logical_id,
                           std::size_t max_length, bool lower) {
  std::string suffix = random_suffix();
  std::string stack_part = stack.stack_name, logical_part(logical_id);
  // "-" + suffix and "-" between: 15 characters; the rest is split, the stack name first.
  std::size_t room = max_length > 15 ? max_length - 15 : 0;
  if (stack_part.size() + logical_part.size() > room) {
    std::size_t half = room / 2;
    std::size_t stack_len = std::min(stack_part.size(), std::max(half, room - std::min(room, logical_part.size())));
    stack_part.resize(stack_len);
    logical_part.resize(std::min(logical_part.size(), room - stack_len));
  }
  std::string name = stack_part + "-" + logical_part + "-" + suffix;
  if (max_length <= 32) {
    name.erase(std::remove_if(name.begin(), name.end(),
                              [](unsigned char c) { return !std::isalnum(c) && c != '-'; }),
               name.end());
  }
  if (lower) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  if (name.size() > max_length) name.resize(max_length);
  return name;
}

const boost::json::object& properties(const boost::json::value& v) {
  static const boost::json::object empty;
  return v.is_object() ? v.get_object() : empty;
}

bool changed(const engine::ResourceRequest& req, std::string_view key) {
  const boost::json::value* now = properties(req.properties).if_contains(key);
  const boost::json::value* before = properties(req.previous_properties).if_contains(key);
  if (!now || !before) return now != before;
  return *now != *before;
}

boost::json::array stack_tags(const engine::ResourceRequest& req,
                              const boost::json::value* template_tags) {
  boost::json::array tags{
      boost::json::object{{"Key", "aws:cloudformation:stack-name"},
                          {"Value", req.stack->stack_name}},
      boost::json::object{{"Key", "aws:cloudformation:logical-id"}, {"Value", req.logical_id}},
      boost::json::object{{"Key", "aws:cloudformation:stack-id"}, {"Value", req.stack->stack_id}}};
  auto key_of = [](const boost::json::value& t) -> std::string_view {
    const boost::json::value* k = t.is_object() ? t.get_object().if_contains("Key") : nullptr;
    return k && k->is_string() ? std::string_view(k->get_string()) : std::string_view();
  };
  const boost::json::array* own =
      template_tags && template_tags->is_array() ? &template_tags->get_array() : nullptr;
  for (const boost::json::value& t : req.stack->tags) {
    bool overridden = own && std::any_of(own->begin(), own->end(),
                                         [&](const auto& o) { return key_of(o) == key_of(t); });
    if (!overridden) tags.push_back(t);
  }
  if (own) {
    for (const boost::json::value& t : *own) tags.push_back(t);
  }
  return tags;
}

protocol::AwsError missing_property(const engine::ResourceRequest& req, std::string_view name) {
  return {"ValidationError", "Properties validation failed for resource " + req.logical_id +
                                 " with message: #: required key [" + std::string(name) +
                                 "] not found"};
}

}  // namespace services::cloudformation::resources

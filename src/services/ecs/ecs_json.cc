#include "services/ecs/ecs_json.h"

#include <openssl/rand.h>

#include "core/ids.h"
#include "protocol/document_convert.h"
#include "services/ecs/errors.h"

namespace services::ecs {

namespace json = boost::json;

double epoch(core::TimePoint t) {
  // Millisecond precision, as ECS reports timestamps.
  return static_cast<double>(core::to_epoch_millis(t)) / 1000.0;
}

std::string ecs_arn(const protocol::RequestContext& ctx, std::string_view resource) {
  return core::ids::arn("ecs", ctx.region, ctx.account, resource);
}

bool is_arn(std::string_view ref) { return ref.starts_with("arn:"); }

std::string name_from_ref(std::string_view ref) {
  if (!is_arn(ref)) {
    return std::string(ref);
  }
  core::ids::ParsedArn parsed;
  if (!core::ids::parse_arn(ref, &parsed)) {
    return std::string(ref);
  }
  std::string_view resource = parsed.resource;
  auto slash = resource.rfind('/');
  return std::string(slash == std::string_view::npos ? resource : resource.substr(slash + 1));
}

json::object failure(std::string_view arn, std::string_view reason) {
  return {{"arn", arn}, {"reason", reason}};
}

protocol::Result<Page> read_page(const json::object& in, int64_t default_max, int64_t max_results) {
  Page page;
  page.limit = default_max;
  if (std::optional<int64_t> m = opt_int(in, "maxResults")) {
    if (*m < 1 || *m > max_results) {
      return errors::invalid_parameter("maxResults must be between 1 and " +
                                       std::to_string(max_results) + ".");
    }
    page.limit = *m;
  }
  if (std::optional<std::string> token = opt_str(in, "nextToken")) {
    std::optional<std::string> raw = protocol::base64_decode(*token);
    if (!raw || !raw->starts_with("ecs1:")) {
      return errors::invalid_parameter("Invalid nextToken.");
    }
    page.after = raw->substr(5);
  }
  return page;
}

std::string make_token(std::string_view last_key) {
  return protocol::base64_encode("ecs1:" + std::string(last_key));
}

boost::json::object page_out(std::vector<std::string> keys, const Page& page,
                             std::string_view key) {
  boost::json::object out;
  if (static_cast<int64_t>(keys.size()) > page.limit) {
    keys.resize(page.limit);
    out["nextToken"] = make_token(keys.back());
  }
  boost::json::array list;
  for (const std::string& k : keys) {
    list.push_back(boost::json::string(k));
  }
  out[key] = std::move(list);
  return out;
}

std::string check_tags(const json::array& tags, bool allow_reserved) {
  if (tags.size() > 50) {
    return "Number of tags must not exceed 50.";
  }
  for (const json::value& t : tags) {
    if (!t.is_object()) {
      return "Tags must be objects with key and value.";
    }
    std::string key = str(t.get_object(), "key");
    std::string value = str(t.get_object(), "value");
    if (key.empty() || key.size() > 128) {
      return "Tag key must be between 1 and 128 characters.";
    }
    if (value.size() > 256) {
      return "Tag value must be at most 256 characters.";
    }
    if (!allow_reserved && key.size() >= 4 &&
        (key.substr(0, 4) == "aws:" || key.substr(0, 4) == "AWS:")) {
      return "Tag keys with the 'aws:' prefix are reserved.";
    }
  }
  return {};
}

std::string deployment_id() {
  unsigned char bytes[8];
  RAND_bytes(bytes, sizeof bytes);
  uint64_t n = 0;
  for (unsigned char b : bytes) {
    n = (n << 8) | b;
  }
  std::string digits = std::to_string(1000000000000000000ULL + n % 9000000000000000000ULL);
  return "ecs-svc/" + digits;
}

}  // namespace services::ecs

namespace services::ecs {

json::object new_cluster(const protocol::RequestContext& ctx, std::string_view name) {
  return {{"clusterArn", ecs_arn(ctx, "cluster/" + std::string(name))},
          {"clusterName", name},
          {"status", "ACTIVE"},
          {"registeredContainerInstancesCount", 0},
          {"runningTasksCount", 0},
          {"pendingTasksCount", 0},
          {"activeServicesCount", 0},
          {"statistics", json::array()},
          {"tags", json::array()},
          {"settings", json::array{json::object{{"name", "containerInsights"},
                                                {"value", "disabled"}}}},
          {"capacityProviders", json::array()},
          {"defaultCapacityProviderStrategy", json::array()}};
}

}  // namespace services::ecs

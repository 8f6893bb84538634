// Capacity providers: FARGATE and FARGATE_SPOT always exist; custom ones are stored.

#include <algorithm>

#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"
#include "services/ecs/validation.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

Doc builtin_provider(const Ctx& ctx, std::string_view name) {
  return {{"capacityProviderArn", ecs_arn(ctx, "capacity-provider/" + std::string(name))},
          {"name", name},
          {"status", "ACTIVE"},
          {"tags", json::array()}};
}

bool reserved_name(std::string_view name) {
  std::string lower;
  for (char c : name) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower.starts_with("aws") || lower.starts_with("ecs") || lower.starts_with("fargate");
}

}  // namespace

// CreateCapacityProvider — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html
Reply EcsService::create_capacity_provider(const Ctx& ctx, const Doc& in) {
  std::string name = str(in, "name");
  if (!valid_resource_name(name)) {
    return errors::client("The specified capacity provider name is invalid.");
  }
  if (reserved_name(name)) {
    return errors::client(
        "The specified capacity provider name is invalid. Capacity provider names cannot be "
        "prefixed with 'aws', 'ecs', or 'fargate'.");
  }
  json::array tags;
  if (const json::array* t = arr(in, "tags")) {
    tags = *t;
  }
  if (std::string e = check_tags(tags); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  if (std::optional<Doc> existing = st.capacity_provider_by_name(name);
      existing && str(*existing, "status") == "ACTIVE") {
    return errors::client(
        "The specified capacity provider already exists. To change the configuration of an "
        "existing capacity provider, update the capacity provider.");
  }
  Doc cp{{"capacityProviderArn", ecs_arn(ctx, "capacity-provider/" + name)},
         {"name", name},
         {"status", "ACTIVE"}};
  if (const json::object* asg = obj(in, "autoScalingGroupProvider")) {
    Doc provider = *asg;
    if (!provider.contains("managedTerminationProtection")) {
      provider["managedTerminationProtection"] = "DISABLED";
    }
    Doc scaling{{"status", "DISABLED"}, {"targetCapacity", 100}, {"minimumScalingStepSize", 1},
                {"maximumScalingStepSize", 10000}, {"instanceWarmupPeriod", 300}};
    if (const json::object* ms = obj(*asg, "managedScaling")) {
      for (const auto& [k, v] : *ms) {
        scaling[k] = v;
      }
    }
    provider["managedScaling"] = std::move(scaling);
    cp["autoScalingGroupProvider"] = std::move(provider);
  }
  for (std::string_view key : {"managedInstancesProvider", "cluster"}) {
    if (const json::value* v = in.if_contains(key)) {
      cp[key] = *v;
    }
  }
  st.put_capacity_provider(cp);
  st.add_tags(str(cp, "capacityProviderArn"), tags);
  cp["tags"] = st.tags(str(cp, "capacityProviderArn"));
  tx.commit();
  return json::object{{"capacityProvider", std::move(cp)}};
}

// DescribeCapacityProviders — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeCapacityProviders.html
Reply EcsService::describe_capacity_providers(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> include = strings(in, "include");
  bool with_tags = std::find(include.begin(), include.end(), "TAGS") != include.end();
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  std::vector<std::string> refs = strings(in, "capacityProviders");
  bool all = refs.empty();
  if (all) {
    refs = {"FARGATE", "FARGATE_SPOT"};
    for (const std::string& arn : st.capacity_provider_arns()) {
      refs.push_back(arn);
    }
  }
  json::array providers;
  json::array failures;
  for (const std::string& ref : refs) {
    std::string name = name_from_ref(ref);
    if (is_builtin_capacity_provider(name)) {
      providers.push_back(builtin_provider(ctx, name));
      continue;
    }
    std::optional<Doc> cp = st.capacity_provider_by_name(name);
    if (!cp || (all && str(*cp, "status") != "ACTIVE")) {
      failures.push_back(
          failure(is_arn(ref) ? ref : ecs_arn(ctx, "capacity-provider/" + ref), "MISSING"));
      continue;
    }
    (*cp)["tags"] = with_tags ? st.tags(str(*cp, "capacityProviderArn")) : json::array();
    providers.push_back(std::move(*cp));
  }
  return json::object{{"capacityProviders", std::move(providers)},
                      {"failures", std::move(failures)}};
}

// UpdateCapacityProvider — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateCapacityProvider.html
Reply EcsService::update_capacity_provider(const Ctx& ctx, const Doc& in) {
  std::string name = name_from_ref(str(in, "name"));
  if (is_builtin_capacity_provider(name)) {
    return errors::client("The specified capacity provider is reserved and cannot be updated.");
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  std::optional<Doc> cp = st.capacity_provider_by_name(name);
  if (!cp || str(*cp, "status") != "ACTIVE") {
    return errors::client("The specified capacity provider does not exist.");
  }
  if (const json::object* asg = obj(in, "autoScalingGroupProvider")) {
    json::object& provider = (*cp)["autoScalingGroupProvider"].is_object()
                                 ? (*cp)["autoScalingGroupProvider"].as_object()
                                 : (*cp)["autoScalingGroupProvider"].emplace_object();
    for (const auto& [k, v] : *asg) {
      if (k == "managedScaling" && v.is_object() && provider["managedScaling"].is_object()) {
        for (const auto& [mk, mv] : v.get_object()) {
          provider["managedScaling"].as_object()[mk] = mv;
        }
      } else {
        provider[k] = v;
      }
    }
  }
  (*cp)["updateStatus"] = "UPDATE_COMPLETE";
  st.put_capacity_provider(*cp);
  (*cp)["tags"] = st.tags(str(*cp, "capacityProviderArn"));
  tx.commit();
  return json::object{{"capacityProvider", std::move(*cp)}};
}

// DeleteCapacityProvider — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCapacityProvider.html
Reply EcsService::delete_capacity_provider(const Ctx& ctx, const Doc& in) {
  std::string name = name_from_ref(str(in, "capacityProvider"));
  if (is_builtin_capacity_provider(name)) {
    return errors::client("The specified capacity provider is reserved and cannot be deleted.");
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  std::optional<Doc> cp = st.capacity_provider_by_name(name);
  if (!cp || str(*cp, "status") != "ACTIVE") {
    return errors::client("The specified capacity provider does not exist.");
  }
  (*cp)["status"] = "INACTIVE";
  (*cp)["updateStatus"] = "DELETE_COMPLETE";
  st.put_capacity_provider(*cp);
  (*cp)["tags"] = st.tags(str(*cp, "capacityProviderArn"));
  tx.commit();
  return json::object{{"capacityProvider", std::move(*cp)}};
}

}  // namespace services::ecs

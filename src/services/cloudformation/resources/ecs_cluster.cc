// AWS::ECS::Cluster over ECS's CreateCluster, UpdateCluster, UpdateClusterSettings,
// PutClusterCapacityProviders and DeleteCluster.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-cluster.html
//
// Ref: the cluster name. GetAtt: Arn. Only ClusterName is replaced.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/container_providers.h"
#include "services/cloudformation/resources/container_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxNameLength = 255;
const Renames kRenames = {{"ClusterSettings", "settings"}};

class EcsCluster final : public ClientProvider {
 public:
  using ClientProvider::ClientProvider;

  Result<ProvisionResult> create(const ResourceRequest& req) override {
    std::string name = prop_str(req, "ClusterName");
    if (name.empty()) name = generated_name(*req.stack, req.logical_id, kMaxNameLength);
    json::object cfn = properties(req.properties);
    cfn["Tags"] = stack_tags(req, prop(req, "Tags"));
    json::object in = api_input("ecs", "CreateCluster", cfn, kRenames);
    in["clusterName"] = name;
    auto out = client_.call(*req.stack, "ecs", "CreateCluster", in);
    if (!out) return out.error();
    return result(core::obj(*out, "cluster"));
  }

  Result<ProvisionResult> update(const ResourceRequest& req) override {
    const json::object& props = properties(req.properties);
    if (changed(req, "ClusterSettings")) {
      json::object in = api_input(
          "ecs", "UpdateClusterSettings",
          {{"ClusterSettings",
            props.contains("ClusterSettings") ? props.at("ClusterSettings") : json::array{}}},
          kRenames);
      in["cluster"] = req.physical_id;
      if (auto r = client_.call(*req.stack, "ecs", "UpdateClusterSettings", in); !r) {
        return r.error();
      }
    }
    if (changed(req, "Configuration") || changed(req, "ServiceConnectDefaults")) {
      json::object in = api_input("ecs", "UpdateCluster", props);
      in["cluster"] = req.physical_id;
      if (auto r = client_.call(*req.stack, "ecs", "UpdateCluster", in); !r) return r.error();
    }
    if (changed(req, "CapacityProviders") || changed(req, "DefaultCapacityProviderStrategy")) {
      json::object in = api_input("ecs", "PutClusterCapacityProviders", props);
      in["cluster"] = req.physical_id;
      in.emplace("capacityProviders", json::array{});
      in.emplace("defaultCapacityProviderStrategy", json::array{});
      if (auto r = client_.call(*req.stack, "ecs", "PutClusterCapacityProviders", in); !r) {
        return r.error();
      }
    }
    return with_tags_updated(client_, req, kEcsTags, read(req));
  }

  Result<void> remove(const ResourceRequest& req) override {
    auto r = client_.call(*req.stack, "ecs", "DeleteCluster", {{"cluster", req.physical_id}});
    if (!r && !is_code(r.error(), {"ClusterNotFoundException"})) return r.error();
    return {};
  }

  Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto cluster = ecs_describe_one(client_, req, "DescribeClusters", "clusters", "clusters",
                                    req.physical_id, {}, not_found());
    if (!cluster) return cluster.error();
    return result(&*cluster);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return behavior_of(property,
                       {"CapacityProviders", "ClusterSettings", "Configuration",
                        "DefaultCapacityProviderStrategy", "ServiceConnectDefaults", "Tags"});
  }

 private:
  static protocol::AwsError not_found() {
    return {"ClusterNotFoundException", "Cluster not found."};
  }

  static Result<ProvisionResult> result(const json::object* cluster) {
    if (!cluster) return not_found();
    return ProvisionResult{core::str(*cluster, "clusterName"),
                           {{"Arn", core::str(*cluster, "clusterArn")}}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ecs_cluster(const ServiceClient& client) {
  return std::make_unique<EcsCluster>(client);
}

}  // namespace services::cloudformation::resources

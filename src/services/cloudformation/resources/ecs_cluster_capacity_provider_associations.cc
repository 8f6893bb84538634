// AWS::ECS::ClusterCapacityProviderAssociations over ECS's PutClusterCapacityProviders.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-clustercapacityproviderassociations.html
//
// Ref: the cluster name. No Fn::GetAtt attributes. Cluster is replaced; CapacityProviders and
// DefaultCapacityProviderStrategy are put again in place. Deleting puts empty lists.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/cloudformation/resources/container_providers.h"
#include "services/cloudformation/resources/container_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;

class EcsClusterCapacityProviderAssociations final : public ClientProvider {
 public:
  using ClientProvider::ClientProvider;

  Result<ProvisionResult> create(const ResourceRequest& req) override {
    std::string cluster = prop_str(req, "Cluster");
    if (cluster.empty()) return missing_property(req, "Cluster");
    if (!prop(req, "DefaultCapacityProviderStrategy")) {
      return missing_property(req, "DefaultCapacityProviderStrategy");
    }
    if (auto r = put(req, cluster, properties(req.properties)); !r) return r.error();
    return read_cluster(req, cluster);
  }

  Result<ProvisionResult> update(const ResourceRequest& req) override {
    if (auto r = put(req, req.physical_id, properties(req.properties)); !r) return r.error();
    return read(req);
  }

  Result<void> remove(const ResourceRequest& req) override {
    auto r = put(req, req.physical_id, {});
    if (!r && !is_code(r.error(), {"ClusterNotFoundException"})) return r.error();
    return {};
  }

  Result<ProvisionResult> read(const ResourceRequest& req) override {
    return read_cluster(req, req.physical_id);
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return behavior_of(property, {"CapacityProviders", "DefaultCapacityProviderStrategy"});
  }

 private:
  Result<void> put(const ResourceRequest& req, const std::string& cluster,
                   const json::object& cfn) {
    json::object in = api_input("ecs", "PutClusterCapacityProviders", cfn);
    in["cluster"] = cluster;
    in.emplace("capacityProviders", json::array{});
    in.emplace("defaultCapacityProviderStrategy", json::array{});
    auto r = client_.call(*req.stack, "ecs", "PutClusterCapacityProviders", in);
    if (!r) return r.error();
    return {};
  }

  Result<ProvisionResult> read_cluster(const ResourceRequest& req, const std::string& cluster) {
    auto found = ecs_describe_one(client_, req, "DescribeClusters", "clusters", "clusters", cluster,
                                  {}, {"ClusterNotFoundException", "Cluster not found."});
    if (!found) return found.error();
    return ProvisionResult{core::str(*found, "clusterName"), {}};
  }
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ecs_cluster_capacity_provider_associations(
    const ServiceClient& client) {
  return std::make_unique<EcsClusterCapacityProviderAssociations>(client);
}

}  // namespace services::cloudformation::resources

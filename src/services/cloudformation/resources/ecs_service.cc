// AWS::ECS::Service over ECS's CreateService, UpdateService, DescribeServices and DeleteService.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html
//
// Ref: the service ARN. GetAtt: Name, ServiceArn. ServiceName, Cluster, LaunchType, Role,
// SchedulingStrategy and DeploymentController are replaced; the rest goes through UpdateService
// (only what changed, so that a DesiredCount left to Application Auto Scaling is not reset).
//
// As CloudFormation's handler does, create and update complete only once the service is stable
// (stabilize: one deployment, of the requested task definition, COMPLETED or running its desired
// count, as `aws ecs wait services-stable` checks), and fail when the
// deployment circuit breaker trips. Deleting scales the service to 0, deletes it and waits, with
// a deadline, until ECS has drained its tasks (INACTIVE): the stack's later deletions (target
// groups, subnets, the cluster) would otherwise fail on the tasks still running.

#include <boost/json.hpp>
#include <map>
#include <mutex>

#include "core/json.h"
#include "services/cloudformation/resources/container_providers.h"
#include "services/cloudformation/resources/container_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using engine::Progress;

constexpr std::size_t kMaxNameLength = 255;
const Renames kRenames = {{"PlacementStrategies", "placementStrategy"}};
// The properties UpdateService changes in place ("Update requires: No interruption").
const std::initializer_list<std::string_view> kInPlace = {"AvailabilityZoneRebalancing",
                                                          "CapacityProviderStrategy",
                                                          "DeploymentConfiguration",
                                                          "DesiredCount",
                                                          "EnableECSManagedTags",
                                                          "EnableExecuteCommand",
                                                          "ForceNewDeployment",
                                                          "HealthCheckGracePeriodSeconds",
                                                          "LoadBalancers",
                                                          "NetworkConfiguration",
                                                          "PlacementConstraints",
                                                          "PlacementStrategies",
                                                          "PlatformVersion",
                                                          "PropagateTags",
                                                          "ServiceConnectConfiguration",
                                                          "ServiceRegistries",
                                                          "Tags",
                                                          "TaskDefinition",
                                                          "VolumeConfigurations",
                                                          "VpcLatticeConfigurations"};

// "arn:aws:ecs:<region>:<account>:service/<cluster>/<name>" → <cluster>.
std::string cluster_of(const std::string& service_arn) {
  std::size_t slash = service_arn.find(":service/");
  if (slash == std::string::npos) return "default";
  std::string rest = service_arn.substr(slash + 9);
  std::size_t end = rest.find('/');
  return end == std::string::npos ? "default" : rest.substr(0, end);
}

// Whether the deployment's task definition ARN is what the template names (an ARN,
// "family:revision" or a family).
bool same_task_definition(const std::string& arn, const std::string& ref) {
  if (ref.empty() || arn == ref) return true;
  std::size_t slash = arn.rfind('/');
  std::string family_revision = slash == std::string::npos ? arn : arn.substr(slash + 1);
  if (family_revision == ref) return true;
  return ref.find(':') == std::string::npos &&
         family_revision.substr(0, family_revision.rfind(':')) == ref;
}

class EcsService final : public ClientProvider {
 public:
  EcsService(const ServiceClient& client, std::chrono::milliseconds drain_limit,
             std::chrono::milliseconds stabilize_limit)
      : ClientProvider(client), drain_limit_(drain_limit), stabilize_limit_(stabilize_limit) {}

  Result<ProvisionResult> create(const ResourceRequest& req) override {
    json::object cfn = properties(req.properties);
    cfn.erase("ForceNewDeployment");
    cfn["Tags"] = stack_tags(req, prop(req, "Tags"));
    json::object in = api_input("ecs", "CreateService", cfn, kRenames);
    std::string name = prop_str(req, "ServiceName");
    in["serviceName"] =
        name.empty() ? generated_name(*req.stack, req.logical_id, kMaxNameLength) : name;
    // "For new services, if a desired count is not specified, a default value of 1 is used."
    if (!in.contains("desiredCount") && prop_str(req, "SchedulingStrategy") != "DAEMON") {
      in["desiredCount"] = 1;
    }
    auto out = client_.call(*req.stack, "ecs", "CreateService", in);
    if (!out) return out.error();
    if (const json::object* created = core::obj(*out, "service")) {
      forget(core::str(*created, "serviceArn"));
    }
    return result(core::obj(*out, "service"));
  }

  Result<ProvisionResult> update(const ResourceRequest& req) override {
    json::object cfn;
    for (std::string_view p : kInPlace) {
      if (!changed(req, p) || p == "ForceNewDeployment" || p == "Tags") continue;
      if (const json::value* v = prop(req, p)) {
        cfn[p] = *v;
      } else if (p == "LoadBalancers" || p == "ServiceRegistries" || p == "PlacementConstraints" ||
                 p == "PlacementStrategies" || p == "CapacityProviderStrategy") {
        cfn[p] = json::array{};  // removed from the template: none any more
      }
    }
    json::object in = api_input("ecs", "UpdateService", cfn, kRenames);
    if (changed(req, "ForceNewDeployment")) {
      const json::value* f = prop(req, "ForceNewDeployment");
      const json::value* enable =
          f && f->is_object() ? f->get_object().if_contains("EnableForceNewDeployment") : nullptr;
      in["forceNewDeployment"] = enable && enable->is_bool() && enable->get_bool();
    }
    forget(req.physical_id);
    if (!in.empty()) {
      in["cluster"] = cluster_of(req.physical_id);
      in["service"] = req.physical_id;
      if (auto r = client_.call(*req.stack, "ecs", "UpdateService", in); !r) return r.error();
    }
    return with_tags_updated(client_, req, kEcsTags, read(req), "ServiceArn");
  }

  // Stable, or failed; "did not stabilize" once `stabilize_limit` (time-scaled) has passed since
  // the first ask of this operation (CloudFormation gives up on an ECS service after three
  // hours).
  Result<Progress> stabilize(const ResourceRequest& req) override {
    Result<Progress> progress = steady(req);
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    if (!progress || *progress == Progress::Done) {
      asked_since_.erase(req.physical_id);
      return progress;
    }
    auto [since, fresh] = asked_since_.try_emplace(req.physical_id, now);
    if (now - since->second < client_.scaled(stabilize_limit_)) return progress;
    asked_since_.erase(since);
    return protocol::AwsError{"NotStabilized", "Service " + req.physical_id + " did not stabilize.",
                              500, false};
  }

  Result<void> remove(const ResourceRequest& req) override {
    std::string cluster = cluster_of(req.physical_id);
    // Scaled to 0 first, as CloudFormation's handler does; a service already gone is deleted.
    (void)client_.call(*req.stack, "ecs", "UpdateService",
                       {{"cluster", cluster}, {"service", req.physical_id}, {"desiredCount", 0}});
    auto r = client_.call(*req.stack, "ecs", "DeleteService",
                          {{"cluster", cluster}, {"service", req.physical_id}, {"force", true}});
    if (!r && !is_code(r.error(), {"ServiceNotFoundException", "ServiceNotActiveException",
                                   "ClusterNotFoundException"})) {
      return r.error();
    }
    auto drained = wait_until([&]() -> Result<bool> { return !describe(req); },  // INACTIVE or gone
                              client_.scaled(drain_limit_), std::chrono::milliseconds(200));
    if (!drained) return drained.error();
    if (!*drained) {
      return protocol::AwsError{"NotStabilized",
                                "Service " + req.physical_id + " did not finish draining its tasks",
                                500, false};
    }
    return {};
  }

  Result<ProvisionResult> read(const ResourceRequest& req) override {
    auto service = describe(req);
    if (!service) return service.error();
    Result<ProvisionResult> r = result(&*service);
    if (r) {
      r->properties = live_properties(req, *service,
                                      {{"ServiceName", "serviceName"},
                                       {"DesiredCount", "desiredCount"},
                                       {"LaunchType", "launchType"},
                                       {"PropagateTags", "propagateTags"},
                                       {"EnableExecuteCommand", "enableExecuteCommand"}});
    }
    return r;
  }

  engine::UpdateBehavior update_behavior(std::string_view property) const override {
    return behavior_of(property, kInPlace);
  }

 private:
  // A new operation on the service: its stabilization starts now.
  void forget(const std::string& arn) {
    std::lock_guard lock(mu_);
    asked_since_.erase(arn);
  }

  // One look at the service: Done when stable, the circuit breaker's failure, else InProgress.
  Result<Progress> steady(const ResourceRequest& req) {
    auto service = describe(req);
    if (!service) return service.error();
    const json::array* deployments = core::arr(*service, "deployments");
    if (!deployments) return Progress::InProgress;
    // Only a failure of the deployment asked for counts: during an update's rollback, the
    // deployment that tripped the breaker is still listed, FAILED, while the old one returns.
    for (const json::value& d : *deployments) {
      const json::object& o = d.as_object();
      if (core::str(o, "rolloutState") == "FAILED" &&
          same_task_definition(core::str(o, "taskDefinition"), prop_str(req, "TaskDefinition"))) {
        return circuit_breaker();
      }
    }
    if (deployments->size() != 1) return Progress::InProgress;
    const json::object& primary = deployments->front().as_object();
    if (!same_task_definition(core::str(primary, "taskDefinition"),
                              prop_str(req, "TaskDefinition"))) {
      return circuit_breaker();  // rolled back to the last completed deployment
    }
    // Steady as `aws ecs wait services-stable` sees it: one deployment, running == desired
    // (a desiredCount of 0 is stable at once).
    bool counted = core::opt_int(primary, "runningCount").value_or(0) ==
                   core::opt_int(primary, "desiredCount").value_or(0);
    bool done = core::str(primary, "rolloutState") == "COMPLETED" || counted;
    return done ? Progress::Done : Progress::InProgress;
  }

  static protocol::AwsError not_found() {
    return {"ServiceNotFoundException", "Service not found."};
  }
  // CloudFormation's reason when the deployment circuit breaker fails the deployment.
  static protocol::AwsError circuit_breaker() {
    return {"GeneralServiceException",
            "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'."};
  }

  Result<json::object> describe(const ResourceRequest& req) {
    return ecs_describe_one(client_, req, "DescribeServices", "services", "services",
                            req.physical_id, {{"cluster", cluster_of(req.physical_id)}},
                            not_found());
  }

  static Result<ProvisionResult> result(const json::object* service) {
    if (!service) return not_found();
    std::string arn = core::str(*service, "serviceArn");
    return ProvisionResult{arn,
                           {{"Name", core::str(*service, "serviceName")}, {"ServiceArn", arn}}};
  }

  std::chrono::milliseconds drain_limit_;
  std::chrono::milliseconds stabilize_limit_;
  std::mutex mu_;
  // When stabilize() was first asked about each service of an operation still stabilizing.
  std::map<std::string, std::chrono::steady_clock::time_point> asked_since_;
};

}  // namespace

std::unique_ptr<engine::ResourceProvider> make_ecs_service(
    const ServiceClient& client, std::chrono::milliseconds drain_limit,
    std::chrono::milliseconds stabilize_limit) {
  return std::make_unique<EcsService>(client, drain_limit, stabilize_limit);
}

}  // namespace services::cloudformation::resources

// The ECS module (ecs_module.h): the operation table, and, when the server has a host network
// and runc is installed, the task runtime: EC2 ENIs and netplane namespaces (Ec2TaskNetwork),
// runc containers with awslogs (RuntimeContainers), the TaskController that drives each task's
// lifecycle, the service scheduler, and the task metadata endpoint inside every VPC.

#include "services/ecs/ecs_module.h"

#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <memory>
#include <set>
#include <tuple>

#include "core/log.h"
#include "runtime/container_manager.h"
#include "runtime/image/image_puller.h"
#include "runtime/process.h"
#include "services/ecs/ec2_task_network.h"
#include "services/ecs/ecs_metrics_publisher.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/metadata_plane.h"
#include "services/ecs/runtime_containers.h"
#include "services/ecs/runtime_pruner.h"
#include "services/ecs/service_scheduler.h"
#include "services/ecs/stopped_task_sweeper.h"
#include "services/ecs/task_controller.h"
#include "store/transaction.h"

namespace services::ecs {
namespace {

namespace json = boost::json;

// ECS's words for unknown subnets and groups, and for groups of another VPC.
std::string check_network(ec2::NetworkDirectory& dir, const Ctx& ctx,
                          const std::vector<std::string>& subnets,
                          const std::vector<std::string>& groups) {
  std::vector<ec2::SubnetInfo> found = dir.resolve_subnets(ctx.account, ctx.region, subnets);
  for (const std::string& s : subnets) {
    bool ok = std::any_of(found.begin(), found.end(),
                          [&](const ec2::SubnetInfo& i) { return i.subnet_id == s; });
    if (!ok) {
      return "Error retrieving subnet information for [" + s + "]: The subnet ID '" + s +
             "' does not exist (ErrorCode: InvalidSubnetID.NotFound)";
    }
  }
  std::vector<ec2::SecurityGroupRef> sgs =
      dir.resolve_security_groups(ctx.account, ctx.region, groups);
  for (const std::string& g : groups) {
    auto it = std::find_if(sgs.begin(), sgs.end(),
                           [&](const ec2::SecurityGroupRef& r) { return r.group_id == g; });
    if (it == sgs.end()) {
      return "Error retrieving security group information for [" + g + "]: The security group '" +
             g + "' does not exist (ErrorCode: InvalidGroup.NotFound)";
    }
    if (!found.empty() && it->vpc_id != found.front().vpc_id) {
      return "Security group " + g + " does not appear to belong to the same VPC as the input "
             "subnets.";
    }
  }
  return {};
}

class EcsModule final : public module::Module {
 public:
  EcsModule(module::ModuleContext& ctx, EcsPorts ports, EcsOptions options)
      : ctx_(ctx),
        ports_(ports),
        options_(options),
        service_(ctx.db, ctx.clock),
        sweeper_(ctx.db, ctx.clock, options.stopped_task_ttl) {
    service_.register_operations(ctx.registry);
    service_.set_network_checker([dir = &ports.directory](
                                     const Ctx& c, const std::vector<std::string>& subnets,
                                     const std::vector<std::string>& groups) {
      return check_network(*dir, c, subnets, groups);
    });
    install_identity_checks();
    if (ports.host && runtime::find_in_path("runc")) {
      install_runtime(*ports.host);
    } else {
      core::log::info("tasks will not run: needs root and runc (GANTRY_TASKS=off disables)");
    }
  }

  void start() override {
    sweeper_.start();
    if (!controller_) return;
    manager_->start();
    adopt_networks();
    containers_->start();
    controller_->start();
    scheduler_->start();
    pruner_->start();
    if (metrics_) metrics_->start();
  }

  void stop() override {
    sweeper_.stop();
    if (!controller_) return;
    if (metrics_) metrics_->stop();
    pruner_->stop();
    scheduler_->stop();
    controller_->stop();
    containers_->stop();
    manager_->stop();
  }

 private:
  // RunTask: the task role (and in enforce mode the execution role) must be assumable by
  // ecs-tasks.amazonaws.com, as ECS checks before it accepts a task; RegisterTaskDefinition in
  // enforce mode: Fargate's executionRoleArn requirement for ECR images.
  void install_identity_checks() {
    bool enforce = ctx_.auth_mode == protocol::AuthMode::Enforce && ports_.authority;
    service_.set_execution_role_required(enforce);
    if (ports_.authority && enforce) {
      execution_role_ = std::make_unique<ExecutionRoleCheck>(*ports_.authority);
    }
    if (ports_.parameters || ports_.secrets) {
      secrets_ = std::make_unique<TaskSecrets>(SecretPorts{ports_.parameters, ports_.secrets});
    }
    sts::CredentialIssuer* issuer = ports_.credentials;
    if (!issuer) return;
    task_credentials_ = std::make_unique<TaskCredentials>(ctx_.db, *issuer, ctx_.clock);
    role_check_ = role_checker(*issuer, enforce);
    service_.set_role_checker(role_check_);
  }

  void install_runtime(ec2::HostNetwork& host) {
    network_ = std::make_unique<Ec2TaskNetwork>(
        host.directory, host.plane, host.sync,
        Ec2TaskNetworkOptions{.data_dir = ctx_.data_dir,
                              .adopt_listener = ctx_.adopt_listener,
                              .close_listener = ctx_.close_listener,
                              .api_port = 4566});
    manager_ = std::make_unique<runtime::ContainerManager>(
        runtime::ContainerManagerOptions{.data_dir = ctx_.data_dir,
                                         .log_segment_bytes = options_.log_segment_bytes,
                                         .log_max_segments = options_.log_max_segments},
        ctx_.clock);
    puller_ = std::make_unique<runtime::image::ImagePuller>(ctx_.data_dir);
    containers_ = std::make_unique<RuntimeContainers>(
        *manager_, *puller_, ports_.images, ports_.logs, ctx_.clock,
        RuntimeContainersOptions{
            .data_dir = ctx_.data_dir,
            .keep_stopped_bundles = options_.prune.stopped_bundle_ttl.count() > 0});
    pruner_ = std::make_unique<RuntimePruner>(ctx_.db, ctx_.clock, *manager_, *containers_,
                                              puller_->cache(), options_.prune,
                                              options_.prune_period);
    controller_ = std::make_unique<TaskController>(ctx_.db, ctx_.clock, *network_, *containers_);
    controller_->set_identity(TaskIdentity{.credentials = task_credentials_.get(),
                                           .secrets = secrets_.get(),
                                           .execution_role = execution_role_.get()});
    service_.set_task_launcher(*controller_);
    ec2::NetworkDirectory* zones = &host.directory;
    scheduler_ = std::make_unique<RollingServiceScheduler>(
        ctx_.db, ctx_.clock, *controller_, ctx_.registry,
        ServiceSchedulerOptions{.subnet_zone =
                                    [zones](const std::string& account, const std::string& region,
                                            const std::string& subnet) {
                                      auto found = zones->resolve_subnets(account, region, {subnet});
                                      return found.empty() ? std::string()
                                                           : found.front().availability_zone;
                                    },
                                .launch_check = role_check_});
    service_.set_service_scheduler(*scheduler_);
    controller_->set_on_task_changed(
        [s = scheduler_.get()](const TaskRef& task, const std::string& service_name) {
          s->task_changed(task, service_name);
        });

    ec2::NetworkDirectory* dir = &host.directory;
    RuntimeContainers* containers = containers_.get();
    ctx_.add_plane(std::make_shared<MetadataPlane>(
        ctx_.db,
        MetadataSources{
            .subnet = [dir](const std::string& account, const std::string& region,
                            const std::string& subnet_id) -> std::optional<SubnetFacts> {
              auto found = dir->resolve_subnets(account, region, {subnet_id});
              if (found.empty()) return std::nullopt;
              return SubnetFacts{found.front().cidr, found.front().gateway_ip};
            },
            .stats = [containers](const std::string& task_arn, const std::string& name) {
              return containers->stats(task_arn, name);
            },
            .credentials = credentials_source()}));
    if (ports_.metrics) {
      metrics_ = std::make_unique<EcsMetricsPublisher>(
          ctx_.db, ctx_.clock, *ports_.metrics,
          TaskReadings{.stats = [containers](const std::string& task_arn,
                                             const std::string& name) {
            return containers->stats(task_arn, name);
          }},
          options_.metrics_period);
    }
    if (ctx_.on_reset) ctx_.on_reset([this] { reset(); });
  }

  std::function<TaskCredentials::Reply(const std::string&, const std::string&, const std::string&,
                                       const std::string&, int)>
  credentials_source() {
    TaskCredentials* creds = task_credentials_.get();
    if (!creds) return {};
    return [creds](const std::string& account, const std::string& region, const std::string& id,
                   const std::string& peer, int version) {
      return creds->serve(account, region, id, peer, version);
    };
  }

  // Unstopped tasks' VPCs get their namespaces and listeners back; namespaces of tasks and VPCs
  // that are gone are removed.
  void adopt_networks() {
    netplane::ExpectedState expected;
    std::set<std::string> vpcs;
    std::vector<std::tuple<std::string, std::string, std::string>> subnets;  // account, region, id
    for (const UnstoppedTask& t : unstopped_tasks(ctx_.db)) {
      if (!t.task.gantry_network) continue;
      expected.endpoint_ids.push_back(name_from_ref(t.task.arn));
      for (const TaskAttachment& a : t.task.attachments) {
        for (const auto& [name, value] : a.details) {
          if (name == "subnetId") subnets.emplace_back(t.account, t.region, value);
        }
      }
    }
    for (const auto& [account, region, subnet] : subnets) {
      auto found = ports_.directory.resolve_subnets(account, region, {subnet});
      if (found.empty() || vpcs.contains(found.front().vpc_id)) continue;
      vpcs.insert(found.front().vpc_id);
      expected.vpc_ids.push_back(found.front().vpc_id);
      if (auto r = network_->adopt_vpc(account, region, found.front().vpc_id); !r) {
        core::log::warn("VPC not re-adopted",
                        {{"vpc", found.front().vpc_id}, {"error", r.error().message}});
      }
    }
    if (auto r = ports_.host->plane.recover(expected); !r) {
      core::log::warn("network recovery failed", {{"error", r.error().message}});
    }
  }

  // /_gantry/reset: every task's container, namespace and listener goes (the server then removes
  // whatever else the host network holds).
  void reset() {
    // Services and tasks go first, so that the scheduler launches no replacement (and the task
    // controller starts nothing new) while their containers and namespaces are being removed.
    {
      store::Transaction tx = ctx_.db.begin();
      tx.exec("DELETE FROM ecs_services");
      tx.exec("DELETE FROM ecs_tasks");
      tx.commit();
    }
    for (const runtime::ContainerStatus& s : manager_->list_all()) {
      containers_->remove_now(task_ref_of(s.group));
    }
    network_->reset();
  }

  module::ModuleContext ctx_;  // a copy: the server's lives only while modules are made
  EcsPorts ports_;
  EcsOptions options_;
  EcsService service_;
  StoppedTaskSweeper sweeper_;
  std::unique_ptr<TaskCredentials> task_credentials_;
  std::unique_ptr<TaskSecrets> secrets_;
  std::unique_ptr<ExecutionRoleCheck> execution_role_;
  RoleChecker role_check_;  // unset without an STS issuer
  std::unique_ptr<Ec2TaskNetwork> network_;
  std::unique_ptr<runtime::ContainerManager> manager_;
  std::unique_ptr<runtime::image::ImagePuller> puller_;
  std::unique_ptr<RuntimeContainers> containers_;
  std::unique_ptr<TaskController> controller_;
  std::unique_ptr<RollingServiceScheduler> scheduler_;
  std::unique_ptr<RuntimePruner> pruner_;
  std::unique_ptr<EcsMetricsPublisher> metrics_;
};

}  // namespace

std::unique_ptr<module::Module> make_ecs_module(module::ModuleContext& ctx, EcsPorts ports,
                                                EcsOptions options) {
  return std::make_unique<EcsModule>(ctx, ports, options);
}

}  // namespace services::ecs

#pragma once
// Amazon ECS control plane: clusters, task definitions, services, tasks, capacity providers,
// tags and account settings, stored as desired state.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/Welcome.html
//
// Handlers validate, write one transaction and return; nothing slow runs here. Task and service
// changes are announced to a TaskLauncher and a ServiceScheduler (model.h), no-ops until the
// runtime and scheduler issues plug theirs in with set_task_launcher()/set_service_scheduler()
// (before serving). Every resource is scoped by the caller's account and region.
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/ecs/model.h"
#include "services/ecs/wire_doc_cache.h"
#include "store/db.h"

namespace services::ecs {

class EcsStore;
enum class Table;

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

// Checks that the subnets and security groups of an awsvpcConfiguration exist (in EC2) and
// returns ECS's message for the first that does not, or "" when all do. Called before any store
// transaction is open.
using NetworkChecker = std::function<std::string(const Ctx& ctx,
                                                 const std::vector<std::string>& subnets,
                                                 const std::vector<std::string>& groups)>;

// RunTask's check of the roles a task would run with (ECS assumes them before it accepts the
// task): nullopt, or the ClientException to answer. Called outside any store transaction with
// the task definition and RunTask's input.
using RoleChecker = std::function<std::optional<protocol::AwsError>(
    const Ctx& ctx, const boost::json::object& task_definition, const boost::json::object& in)>;

class EcsService {
 public:
  EcsService(store::Db& db, const core::Clock& clock);

  void register_operations(protocol::ServiceRegistry& registry);

  void set_task_launcher(TaskLauncher& launcher) { launcher_ = &launcher; }
  void set_service_scheduler(ServiceScheduler& scheduler) { scheduler_ = &scheduler; }
  // Unset: subnets and security groups are taken on trust.
  void set_network_checker(NetworkChecker checker) { network_checker_ = std::move(checker); }
  // Unset: roles are taken on trust.
  void set_role_checker(RoleChecker checker) { role_checker_ = std::move(checker); }
  // `--auth enforce`: a Fargate task definition with an ECR image needs an executionRoleArn,
  // as on AWS (off by default: task definitions registered before needed none).
  void set_execution_role_required(bool required) { execution_role_required_ = required; }

  // cluster_handlers.cc
  Reply create_cluster(const Ctx& ctx, const Doc& in);
  Reply describe_clusters(const Ctx& ctx, const Doc& in);
  Reply list_clusters(const Ctx& ctx, const Doc& in);
  Reply update_cluster(const Ctx& ctx, const Doc& in);
  Reply update_cluster_settings(const Ctx& ctx, const Doc& in);
  Reply put_cluster_capacity_providers(const Ctx& ctx, const Doc& in);
  Reply delete_cluster(const Ctx& ctx, const Doc& in);
  Reply list_container_instances(const Ctx& ctx, const Doc& in);

  // task_definition_handlers.cc
  Reply register_task_definition(const Ctx& ctx, const Doc& in);
  Reply describe_task_definition(const Ctx& ctx, const Doc& in);
  Reply list_task_definitions(const Ctx& ctx, const Doc& in);
  Reply list_task_definition_families(const Ctx& ctx, const Doc& in);
  Reply deregister_task_definition(const Ctx& ctx, const Doc& in);
  Reply delete_task_definitions(const Ctx& ctx, const Doc& in);

  // service_handlers.cc
  Reply create_service(const Ctx& ctx, const Doc& in);
  Reply update_service(const Ctx& ctx, const Doc& in);
  Reply describe_services(const Ctx& ctx, const Doc& in);
  Reply list_services(const Ctx& ctx, const Doc& in);
  Reply list_services_by_namespace(const Ctx& ctx, const Doc& in);
  Reply delete_service(const Ctx& ctx, const Doc& in);
  // service_deployment_handlers.cc
  Reply list_service_deployments(const Ctx& ctx, const Doc& in);
  Reply describe_service_deployments(const Ctx& ctx, const Doc& in);
  Reply describe_service_revisions(const Ctx& ctx, const Doc& in);

  // task_handlers.cc
  Reply run_task(const Ctx& ctx, const Doc& in);
  Reply start_task(const Ctx& ctx, const Doc& in);
  Reply stop_task(const Ctx& ctx, const Doc& in);
  Reply describe_tasks(const Ctx& ctx, const Doc& in);
  Reply list_tasks(const Ctx& ctx, const Doc& in);

  // capacity_provider_handlers.cc
  Reply create_capacity_provider(const Ctx& ctx, const Doc& in);
  Reply describe_capacity_providers(const Ctx& ctx, const Doc& in);
  Reply update_capacity_provider(const Ctx& ctx, const Doc& in);
  Reply delete_capacity_provider(const Ctx& ctx, const Doc& in);

  // tag_handlers.cc
  Reply tag_resource(const Ctx& ctx, const Doc& in);
  Reply untag_resource(const Ctx& ctx, const Doc& in);
  Reply list_tags_for_resource(const Ctx& ctx, const Doc& in);

  // account_setting_handlers.cc
  Reply list_account_settings(const Ctx& ctx, const Doc& in);
  Reply put_account_setting(const Ctx& ctx, const Doc& in);
  Reply put_account_setting_default(const Ctx& ctx, const Doc& in);
  Reply delete_account_setting(const Ctx& ctx, const Doc& in);

 private:
  // The cluster a request names (short name or ARN; absent → "default"), ACTIVE only.
  // With create_default, a missing "default" cluster is created in `st`, as ECS does on first use.
  protocol::Result<Doc> active_cluster(EcsStore& st, const Ctx& ctx, const Doc& in,
                                       bool create_default);
  // The task definition a request names: "family", "family:revision" or an ARN. ACTIVE or
  // INACTIVE; nullopt when unknown.
  std::optional<Doc> find_task_definition(EcsStore& st, const Ctx& ctx, std::string_view ref);
  // CreateService/RunTask: after check_network_exists (outside any transaction), runs
  // create(tx, st, cluster) in a write transaction on the request's cluster, the "default" one
  // created on first use as ECS does. `create` commits what it keeps.
  using CreateInCluster =
      std::function<Reply(store::Transaction& tx, EcsStore& st, const Doc& cluster)>;
  Reply create_in_cluster(const Ctx& ctx, const Doc& in, const CreateInCluster& create);
  // UpdateCluster/UpdateClusterSettings/PutClusterCapacityProviders: see cluster_handlers.cc.
  Reply change_cluster(const Ctx& ctx, const Doc& in,
                       const std::function<std::string(EcsStore& st, Doc& cluster)>& change);
  // DescribeServices/DescribeTasks: 1..max refs in in[`refs`], each looked up in `table` within
  // the request's cluster and shown as wire_doc(arn, stored text) gives it, with its tags when
  // in.include has TAGS; unknown ones become failures[] with reason MISSING. Returns {<out>: [...],
  // failures: [...]}. The texts are read in one transaction and parsed after it: the store's
  // lock is held for the reads only.
  using WireDoc =
      std::function<std::shared_ptr<const Doc>(const std::string& arn, std::string_view text)>;
  Reply describe_in_cluster(
      const Ctx& ctx, const Doc& in, std::string_view refs, std::size_t max, Table table,
      std::string_view out,
      const std::function<std::string(const Doc& cluster, std::string_view ref)>& arn_for,
      const WireDoc& wire_doc);

  // InvalidParameterException when the networkConfiguration in `in` names unknown subnets or
  // groups (see NetworkChecker); must run outside a transaction.
  protocol::Result<void> check_network_exists(const Ctx& ctx, const Doc& in) const;

  store::Db& db_;
  const core::Clock& clock_;
  NetworkChecker network_checker_;
  RoleChecker role_checker_;
  bool execution_role_required_ = false;
  NoopTaskLauncher noop_launcher_;
  NoopServiceScheduler noop_scheduler_;
  TaskLauncher* launcher_ = &noop_launcher_;
  ServiceScheduler* scheduler_ = &noop_scheduler_;
  // The wire forms DescribeServices answers from (see wire_doc_cache.h).
  WireDocCache service_docs_;
};

}  // namespace services::ecs

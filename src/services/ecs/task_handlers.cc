// Task operations: rows and lifecycle fields. The task controller moves lastStatus on.

#include <algorithm>

#include "core/ids.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"
#include "services/ecs/list_handlers.h"
#include "services/ecs/service_rules.h"
#include "services/ecs/task_document.h"
#include "services/ecs/validation.h"
#include "services/ecs/wire_doc_cache.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

std::string task_arn_for(const Ctx& ctx, const Doc& cluster, std::string_view ref) {
  if (is_arn(ref)) {
    return std::string(ref);
  }
  return ecs_arn(ctx, "task/" + str(cluster, "clusterName") + "/" + std::string(ref));
}

Doc present_task(EcsStore& st, Doc task, bool with_tags) {
  if (with_tags) {
    task["tags"] = st.tags(str(task, "taskArn"));
  }
  return task;
}

}  // namespace

namespace {

// RunTask's checks that need neither the store nor EC2: count, launch, tags, startedBy.
protocol::Result<void> check_run_task_input(const Doc& in, const json::array& tags) {
  int64_t count = opt_int(in, "count").value_or(1);
  if (count < 1 || count > 10) {
    return errors::invalid_parameter("count must be between 1 and 10.");
  }
  if (in.contains("launchType") && in.contains("capacityProviderStrategy")) {
    return errors::invalid_parameter(
        "Specifying both a launch type and capacity provider strategy is not supported. Remove "
        "one and try again.");
  }
  if (std::string e = check_tags(tags); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  if (std::optional<std::string> by = opt_str(in, "startedBy"); by && by->size() > 128) {
    return errors::invalid_parameter("startedBy must be at most 128 characters.");
  }
  return {};
}

// Whether `launch` can run `td` as `in` asks: platform version, Fargate compatibility, network.
protocol::Result<void> check_task_launch(const TaskLaunch& launch, const Doc& td, const Doc& in) {
  if (auto r = check_platform_version(launch, in); !r) {
    return r;
  }
  if (launch.fargate && !supports_fargate(td)) {
    return errors::invalid_parameter("Task definition does not support launch_type FARGATE.");
  }
  if (std::string e =
          check_network_configuration(td, obj(in, "networkConfiguration"), launch.launch_type);
      !e.empty()) {
    return errors::invalid_parameter(e);
  }
  return {};
}

Doc run_task_reply(json::array tasks, json::array failures) {
  return json::object{{"tasks", std::move(tasks)}, {"failures", std::move(failures)}};
}

}  // namespace

// RunTask — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html
Reply EcsService::run_task(const Ctx& ctx, const Doc& in) {
  json::array tags = arr(in, "tags") ? *arr(in, "tags") : json::array();
  if (auto r = check_run_task_input(in, tags); !r) {
    return r.error();
  }
  if (role_checker_) {
    // ECS assumes the task's roles before it accepts the task; the check reads IAM in its own
    // transaction, so it runs before ours.
    std::optional<Doc> td;
    {
      store::Transaction tx = db_.read();
      EcsStore st(tx, ctx.account, ctx.region);
      td = find_task_definition(st, ctx, str(in, "taskDefinition"));
    }
    if (td && str(*td, "status") == "ACTIVE") {
      if (std::optional<protocol::AwsError> e = role_checker_(ctx, *td, in)) {
        return *e;
      }
    }
  }
  return create_in_cluster(
      ctx, in, [&](store::Transaction& tx, EcsStore& st, const Doc& cluster) -> Reply {
        std::optional<Doc> td = find_task_definition(st, ctx, str(in, "taskDefinition"));
        if (!td) {
          return errors::invalid_parameter("TaskDefinition not found.");
        }
        if (str(*td, "status") != "ACTIVE") {
          return errors::client("TaskDefinition is inactive.");
        }
        protocol::Result<TaskLaunch> launch =
            resolve_launch(arr(in, "capacityProviderStrategy"), in, cluster);
        if (!launch) {
          return launch.error();
        }
        if (auto r = check_task_launch(*launch, *td, in); !r) {
          return r.error();
        }
        int64_t count = opt_int(in, "count").value_or(1);
        if (!launch->fargate) {
          // Fargate only: a cluster here never has container instances to place EC2 tasks on.
          json::array failures;
          for (int64_t i = 0; i < count; ++i) {
            failures.push_back(json::object{{"reason",
                                             "No Container Instances were found in your "
                                             "cluster."}});
          }
          tx.commit();  // keeps a "default" cluster created by this call, as ECS does
          return run_task_reply({}, std::move(failures));
        }
        double now = epoch(clock_.now());
        std::vector<TaskRef> created;
        json::array tasks;
        for (int64_t i = 0; i < count; ++i) {
          Doc task = new_task(ctx, cluster, *td, in, *launch, now);
          st.put_task(task);
          st.add_tags(str(task, "taskArn"), tags);
          created.push_back(
              {ctx.account, ctx.region, str(cluster, "clusterArn"), str(task, "taskArn")});
          tasks.push_back(present_task(st, std::move(task), !tags.empty()));
        }
        tx.commit();
        for (const TaskRef& ref : created) {
          launcher_->task_created(ref);
        }
        return run_task_reply(std::move(tasks), {});
      });
}

// StartTask — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StartTask.html
// Places tasks on named container instances; a Fargate-only cluster has none, so every instance
// is reported MISSING.
Reply EcsService::start_task(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> instances = strings(in, "containerInstances");
  if (instances.empty() || instances.size() > 10) {
    return errors::invalid_parameter(
        "containerInstances must contain between 1 and 10 container instances.");
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = active_cluster(st, ctx, in, true);
  if (!cluster) {
    return cluster.error();
  }
  std::optional<Doc> td = find_task_definition(st, ctx, str(in, "taskDefinition"));
  if (!td) {
    return errors::invalid_parameter("TaskDefinition not found.");
  }
  json::array failures;
  for (const std::string& ci : instances) {
    std::string arn = is_arn(ci) ? ci
                                 : ecs_arn(ctx, "container-instance/" +
                                                    str(*cluster, "clusterName") + "/" + ci);
    failures.push_back(failure(arn, "MISSING"));
  }
  tx.commit();
  return json::object{{"tasks", json::array()}, {"failures", std::move(failures)}};
}

// StopTask — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html
Reply EcsService::stop_task(const Ctx& ctx, const Doc& in) {
  std::string reason = str(in, "reason");
  if (reason.size() > 255) {
    return errors::invalid_parameter("reason must be at most 255 characters.");
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = active_cluster(st, ctx, in, false);
  if (!cluster) {
    return cluster.error();
  }
  std::string arn = task_arn_for(ctx, *cluster, str(in, "task"));
  std::optional<Doc> task = st.get(Table::Tasks, arn);
  if (!task || str(*task, "clusterArn") != str(*cluster, "clusterArn")) {
    return errors::invalid_parameter("The referenced task was not found.");
  }
  bool notify = false;
  if (str(*task, "desiredStatus") != "STOPPED") {
    double now = epoch(clock_.now());
    (*task)["desiredStatus"] = "STOPPED";
    (*task)["stopCode"] = "UserInitiated";
    (*task)["stoppedReason"] = reason.empty() ? "Task stopped by user" : reason;
    (*task)["stoppingAt"] = now;
    (*task)["version"] = opt_int(*task, "version").value_or(1) + 1;
    if (!launcher_->drives_task_lifecycle()) {
      // Nothing runs the task, so nothing needs draining: it is stopped now.
      (*task)["lastStatus"] = "STOPPED";
      (*task)["executionStoppedAt"] = now;
      (*task)["stoppedAt"] = now;
      if (json::value* cs = task->if_contains("containers"); cs && cs->is_array()) {
        for (json::value& c : cs->as_array()) {
          c.as_object()["lastStatus"] = "STOPPED";
        }
      }
    }
    st.put_task(*task);
    notify = true;
  }
  Doc out{{"task", present_task(st, *task, false)}};
  tx.commit();
  if (notify) {
    launcher_->task_stop_requested({ctx.account, ctx.region, str(*cluster, "clusterArn"), arn});
  }
  return out;
}

// DescribeTasks — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html
Reply EcsService::describe_tasks(const Ctx& ctx, const Doc& in) {
  return describe_in_cluster(
      ctx, in, "tasks", 100, Table::Tasks, "tasks",
      [&](const Doc& cluster, std::string_view ref) { return task_arn_for(ctx, cluster, ref); },
      [](const std::string&, std::string_view text) {
        return std::make_shared<const Doc>(parse_stored_doc(text));
      });
}

// ListTasks — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html
Reply EcsService::list_tasks(const Ctx& ctx, const Doc& in) {
  return list_in_cluster(
      db_, ctx, in, 100, "taskArns",
      [&](EcsStore& st) { return active_cluster(st, ctx, in, false); },
      [&](EcsStore& st, const Doc& cluster, const Page& page) {
        if (in.contains("containerInstance")) {
          return std::vector<std::string>();  // no container instances (Fargate only)
        }
        TaskFilter filter;
        filter.cluster_arn = str(cluster, "clusterArn");
        filter.family = opt_str(in, "family");
        filter.service_name = opt_str(in, "serviceName");
        if (filter.service_name && is_arn(*filter.service_name)) {
          filter.service_name = name_from_ref(*filter.service_name);
        }
        filter.started_by = opt_str(in, "startedBy");
        filter.desired_status = str(in, "desiredStatus", "RUNNING");
        filter.launch_type = opt_str(in, "launchType");
        return st.task_arns(filter, page.after, page.limit + 1);
      });
}

}  // namespace services::ecs

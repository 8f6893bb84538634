#pragma once
// The task metadata endpoint (v4, and v3 with the same documents) that containers reach at
// http://169.254.170.2/v4/<token>: Gantry listens on that address inside each VPC namespace and
// labels the listener "vpc/<account>/<region>/<vpc-id>" (see http::Server::adopt_listener).
//
//   GET /v4/<token>             the container's metadata
//   GET /v4/<token>/task        the task with every container
//   GET /v4/<token>/stats       Docker-style stats of the container
//   GET /v4/<token>/task/stats  stats of every container, keyed by runtime id
//   GET /v2/credentials/<id>    the task role's credentials (task_credentials.h), and the
//                               older /v1/credentials?id=<id>
//
// <token> is "<task id>-<container name>" (task_metadata.h); a token naming a task of another
// VPC listener's account or region is unknown (404), as is a task that is gone.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "module/module.h"
#include "services/ecs/task_credentials.h"
#include "services/ecs/task_metadata.h"
#include "store/db.h"

namespace services::ecs {

// The listener label prefix this plane owns.
inline constexpr std::string_view kVpcListenerPrefix = "vpc/";

struct MetadataSources {
  // Subnet CIDR and gateway of a subnet id, for Networks[]; may be unset.
  std::function<std::optional<SubnetFacts>(const std::string& account, const std::string& region,
                                           const std::string& subnet_id)>
      subnet;
  // Current stats of a running container (by task ARN and container name); may be unset.
  std::function<std::optional<ContainerStats>(const std::string& task_arn,
                                              const std::string& container)>
      stats;
  // Task-role credentials by id, for a request from `peer`; unset: no task has any (every id
  // is unknown).
  std::function<TaskCredentials::Reply(const std::string& account, const std::string& region,
                                       const std::string& id, const std::string& peer,
                                       int api_version)>
      credentials;
};

class MetadataPlane final : public module::Plane {
 public:
  MetadataPlane(store::Db& db, MetadataSources sources);

  std::string_view name() const override { return "ecs-task-metadata"; }
  // Requests that arrived on a VPC listener's port 80.
  bool owns(const http::Request& head) const override;
  void handle(http::Request& req, http::Response& res) override;

 private:
  struct Found {
    boost::json::object task;
    boost::json::object task_definition;
  };
  std::optional<Found> find(const std::string& account, const std::string& region,
                            const std::string& task_id);
  // Stats with precpu_stats/precpu from the previous read of the same container.
  void serve_credentials(const http::Request& req, const std::string& account,
                         const std::string& region, const std::vector<std::string>& parts,
                         http::Response& res);
  boost::json::object stats_of(const boost::json::object& task, const std::string& container,
                               const std::string& runtime_id);

  store::Db& db_;
  MetadataSources sources_;
  std::mutex mu_;
  std::map<std::string, boost::json::object> previous_;  // "<taskArn>/<name>" → last cpu_stats
};

}  // namespace services::ecs

#pragma once
// The ECS task metadata endpoint v4 documents, built from a task row and its task definition:
// what a container reads at ${ECS_CONTAINER_METADATA_URI_V4} (its own metadata), /task (the task
// with all its containers) and /stats, /task/stats (Docker-style stats).
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-fargate.html

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/cgroup.h"
#include "services/ecs/net_dev.h"

namespace services::ecs {

// What the network knows about a task's subnet (for Networks[]).
struct SubnetFacts {
  std::string cidr;        // "10.0.1.0/24"
  std::string gateway_ip;  // "10.0.1.1"
};

// A container's resource usage: its cgroups (either version, read through runtime::Cgroups) and
// what Docker's stats put beside them.
struct ContainerStats {
  runtime::CgroupStats cgroup;
  uint64_t system_cpu_ns = 0;  // host CPU time, as Docker's system_cpu_usage
  uint32_t online_cpus = 1;
  uint64_t host_memory = 0;  // bytes; Docker's memory limit of a container without one
  double read_at = 0;        // epoch seconds
  // The interfaces of the task's network namespace (Docker's "networks"); empty: unknown.
  std::vector<InterfaceCounters> networks;
};

// The metadata URI path segment of a container: "<32-hex task id>-<container name>".
std::string metadata_token(std::string_view task_arn, std::string_view container);
// Splits a token into the task id and the container name; nullopt when malformed.
std::optional<std::pair<std::string, std::string>> parse_metadata_token(std::string_view token);

// The container's own document; nullopt when the task has no such container.
std::optional<boost::json::object> container_metadata(const boost::json::object& task,
                                                      const boost::json::object& task_definition,
                                                      std::string_view container,
                                                      const std::optional<SubnetFacts>& subnet);
// The task document with Containers[].
boost::json::object task_metadata(const boost::json::object& task,
                                  const boost::json::object& task_definition,
                                  const std::optional<SubnetFacts>& subnet);
// Docker's stats document (cpu_stats, memory_stats, pids_stats, read) for one container.
boost::json::object docker_stats(std::string_view container, const std::string& runtime_id,
                                 const ContainerStats& stats);

}  // namespace services::ecs

#pragma once
// The metrics ECS publishes to CloudWatch, computed from one period's readings (pure functions;
// EcsMetricsPublisher samples the tasks and puts the data).
//
// AWS/ECS (every minute, for RUNNING tasks), per ClusterName+ServiceName for a service's tasks
// and per ClusterName for every task of the cluster:
//   CPUUtilization     CPU units used over the period / the task's reserved units, in Percent
//                      (1024 units = 1 vCPU: one core busy all the period is 1024 units)
//   MemoryUtilization  memory used / the task's reserved memory, in Percent
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_utilization.html). AWS
// aggregates its tasks' readings into one datum per minute whose Average, Minimum, Maximum and
// SampleCount are over the tasks; publishing one value per task per period gives CloudWatch the
// same statistics.
//
// ECS/ContainerInsights (only for a cluster whose containerInsights setting is enabled or
// enhanced), one value per task under {ClusterName}, {ClusterName, ServiceName} (service tasks)
// and {ClusterName, TaskDefinitionFamily}: CpuUtilized and CpuReserved (CPU units, unit None),
// MemoryUtilized and MemoryReserved (Megabytes), NetworkRxBytes and NetworkTxBytes (Bytes/Second,
// the task's interfaces); per service {ClusterName, ServiceName}: DesiredTaskCount,
// RunningTaskCount, PendingTaskCount (Count); per cluster {ClusterName}: TaskCount, ServiceCount.
//
// "Memory used" is what Docker and the ECS agent call used memory: the cgroup's usage less its
// inactive page cache (the same cgroup reading that the task metadata endpoint's /stats serves).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/cgroup.h"
#include "services/cloudwatch/metric_sink.h"
#include "services/ecs/net_dev.h"

namespace services::ecs {

inline constexpr std::string_view kEcsNamespace = "AWS/ECS";
inline constexpr std::string_view kInsightsNamespace = "ECS/ContainerInsights";

// One datum to put.
using MetricDatum = cloudwatch::Datum;

// What a task reserves: task-level cpu and memory when set (Fargate), else the sum over its
// containers (cpu; memoryReservation, else memory), as ECS counts a service's reservation.
struct TaskReservation {
  double cpu_units = 0;
  double memory_mib = 0;
};
// From a task document (DescribeTasks' shape: "cpu"/"memory" as strings).
TaskReservation task_reservation(const boost::json::object& task);

// Bytes through the task's interfaces (loopback excluded), cumulative.
struct NetworkCounters {
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_bytes = 0;
};
NetworkCounters network_total(const std::vector<InterfaceCounters>& interfaces);

// Memory in use by a container as Docker counts it: usage less inactive_file.
std::uint64_t memory_used(const runtime::CgroupMemoryStats& memory);

// One task's reading at the end of a period.
struct TaskUsage {
  std::string cluster;  // cluster name
  std::string service;  // "" unless the task belongs to a service
  std::string family;   // task definition family
  bool insights = false;  // the cluster publishes Container Insights
  TaskReservation reserved;
  std::uint64_t cpu_ns = 0;  // cumulative CPU time of its containers
  std::uint64_t memory_bytes = 0;  // used now, summed over its containers
  std::optional<NetworkCounters> network;
  double at = 0;  // epoch seconds of the reading
};

// The task's previous reading (for deltas): its cumulative counters and when they were read.
struct TaskBaseline {
  std::uint64_t cpu_ns = 0;
  std::optional<NetworkCounters> network;
  double at = 0;
};

// The data one task contributes for the period that ends at `now.at` and began at `before.at`.
// CPU (and network) rates need a baseline at least a millisecond old whose counters did not go
// backwards (a restarted container); without one only the memory metrics are emitted. A task
// without reserved cpu (or memory) gives no CPUUtilization (MemoryUtilization).
std::vector<MetricDatum> task_metrics(const TaskUsage& now, const std::optional<TaskBaseline>& before);

// A service's counts for Container Insights.
struct ServiceCounts {
  std::string cluster;
  std::string service;
  std::int64_t desired = 0;
  std::int64_t running = 0;
  std::int64_t pending = 0;
};
std::vector<MetricDatum> service_count_metrics(const ServiceCounts& counts);

// A cluster's counts for Container Insights: unstopped tasks and active services.
std::vector<MetricDatum> cluster_count_metrics(const std::string& cluster, std::int64_t tasks,
                                               std::int64_t services);

// Whether a cluster document's settings turn Container Insights on ("enabled" or "enhanced").
bool insights_enabled(const boost::json::object& cluster);

// "family" of arn:aws:ecs:<region>:<account>:task-definition/family:revision.
std::string family_of(std::string_view task_definition_arn);
// The last path segment of an ECS ARN: "c" of arn:...:cluster/c.
std::string name_of(std::string_view arn);

}  // namespace services::ecs

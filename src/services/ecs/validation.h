#pragma once
// ECS validation rules that do not need the store: names, Fargate sizes, capacity provider
// strategies, and task definitions.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::ecs {

// Cluster, service, family and container names: 1-255 letters, digits, '-' and '_'.
bool valid_cluster_name(std::string_view name);
bool valid_resource_name(std::string_view name);

bool is_builtin_capacity_provider(std::string_view name);  // FARGATE, FARGATE_SPOT

// weight 0..1000, base 0..100000, at most one provider with a base, no duplicates. Returns an
// error message, empty when valid.
std::string check_capacity_provider_strategy(const boost::json::array& strategy);

// Task-level cpu: "256" or "0.25 vCPU"; memory: "512" or "0.5 GB". nullopt when unreadable.
std::optional<int64_t> parse_task_cpu(std::string_view text);
std::optional<int64_t> parse_task_memory(std::string_view text);

// The Fargate task sizes:
//   256 → 512, 1024, 2048 MiB; 512 → 1–4 GiB; 1024 → 2–8 GiB; 2048 → 4–16 GiB; 4096 → 8–30 GiB
//   (1 GiB steps); 8192 → 16–60 GiB in 4 GiB steps; 16384 → 32–120 GiB in 8 GiB steps.
bool fargate_size_valid(int64_t cpu, int64_t memory_mib);

// Validates a RegisterTaskDefinition input and returns the task definition document ECS would
// store (without arn, revision, status and timestamps): cpu/memory normalised to MiB strings,
// container defaults filled in (essential true, empty lists), compatibilities computed.
protocol::Result<boost::json::object> check_task_definition(const boost::json::object& in);

}  // namespace services::ecs

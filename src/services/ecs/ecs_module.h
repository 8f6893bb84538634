#pragma once
// The ECS module: the operation table, and, given the host network and runc, the task runtime:
// tasks as containers with an ENI in their VPC, the service scheduler, and the task metadata
// endpoint inside every VPC.

#include <chrono>
#include <cstdint>
#include <memory>

#include "module/module.h"
#include "runtime/log_segments.h"
#include "runtime/prune_plan.h"
#include "services/ec2/host_network.h"
#include "services/cloudwatch/metric_sink.h"
#include "services/ec2/network_directory.h"
#include "services/ecr/image_store.h"
#include "services/iam/authority.h"
#include "services/logs/log_sink.h"
#include "services/secretsmanager/secret_reader.h"
#include "services/ssm/parameter_reader.h"
#include "services/sts/credential_issuer.h"

namespace services::ecs {

struct EcsPorts {
  ec2::NetworkDirectory& directory;  // subnets and security groups of awsvpc tasks
  ecr::ImageStore& images;           // task images pushed to Gantry's ECR
  logs::LogSink& logs;               // the awslogs driver
  ec2::HostNetwork* host = nullptr;  // null: tasks are stored as rows only
  cloudwatch::MetricSink* metrics = nullptr;  // AWS/ECS metrics of running tasks; null: none
  // Identity and secrets (#16); each null: that feature off, as before.
  sts::CredentialIssuer* credentials = nullptr;     // task-role credentials
  ssm::ParameterReader* parameters = nullptr;       // `secrets` from SSM Parameter Store
  secretsmanager::SecretReader* secrets = nullptr;  // `secrets`, repositoryCredentials
  const iam::Authority* authority = nullptr;  // the execution role, in `--auth enforce` mode
};

// What the module keeps, and for how long (the server's flags).
struct EcsOptions {
  // STOPPED tasks stay in DescribeTasks/ListTasks this long (AWS time: divided by the time
  // scale). ECS documents "at least one hour".
  std::chrono::seconds stopped_task_ttl{3600};
  // Stopped bundles and unpacked layers (runtime/prune_plan.h), checked every prune_period.
  runtime::PruneLimits prune;
  std::chrono::seconds prune_period{30};
  // Each container's captured output on disk (runtime/log_segments.h).
  std::uint64_t log_segment_bytes = runtime::kDefaultLogSegmentBytes;
  std::uint64_t log_max_segments = runtime::kDefaultLogMaxSegments;
  // How often running tasks' metrics are published (AWS time): ECS's one minute, or less for
  // high-resolution metrics.
  std::chrono::seconds metrics_period{60};
};

std::unique_ptr<module::Module> make_ecs_module(module::ModuleContext& ctx, EcsPorts ports,
                                                EcsOptions options = {});

}  // namespace services::ecs

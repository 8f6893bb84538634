#pragma once
// The ECS module: the operation table, and, given the host network and runc, the task runtime:
// tasks as containers with an ENI in their VPC, the service scheduler, and the task metadata
// endpoint inside every VPC.

#include <memory>

#include "module/module.h"
#include "services/ec2/host_network.h"
#include "services/ec2/network_directory.h"
#include "services/ecr/image_store.h"
#include "services/logs/log_sink.h"

namespace services::ecs {

struct EcsPorts {
  ec2::NetworkDirectory& directory;  // subnets and security groups of awsvpc tasks
  ecr::ImageStore& images;           // task images pushed to Gantry's ECR
  logs::LogSink& logs;               // the awslogs driver
  ec2::HostNetwork* host = nullptr;  // null: tasks are stored as rows only
};

std::unique_ptr<module::Module> make_ecs_module(module::ModuleContext& ctx, EcsPorts ports);

}  // namespace services::ecs

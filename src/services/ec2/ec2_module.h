#pragma once
// The EC2 module: the "ec2" operation table (VPCs, subnets, gateways, routes, security groups,
// ENIs). It offers the NetworkDirectory that ELBv2, ECS and the host network read.

#include <memory>

#include "module/module.h"
#include "services/ec2/network_directory.h"

namespace services::ec2 {

class Ec2Module : public module::Module {
 public:
  virtual NetworkDirectory& directory() = 0;
};

std::unique_ptr<Ec2Module> make_ec2_module(module::ModuleContext& ctx);

}  // namespace services::ec2

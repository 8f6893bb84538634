#pragma once
// The host's network as the modules that put endpoints into VPCs see it (ECS tasks, ELBv2's load
// balancer nodes): one netplane, and the sync that keeps its VPC namespaces in step with EC2.
// The server creates it once, when it can (root, GANTRY_TASKS not "off"), and hands it to them;
// they get none otherwise.

#include "netplane/netplane.h"
#include "services/ec2/network_directory.h"
#include "services/ec2/netplane_sync.h"

namespace services::ec2 {

struct HostNetwork {
  netplane::Netplane& plane;
  NetplaneSync& sync;
  NetworkDirectory& directory;
};

}  // namespace services::ec2

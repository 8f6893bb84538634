#pragma once
// Builds a ContainerSpec from an ECS containerDefinition, its task definition and the image's
// config, merged the way Docker (and so the ECS agent) merges them:
//   - args: entryPoint set → entryPoint + command (the image's Cmd is ignored, as with
//     `docker run --entrypoint`); else image Entrypoint + (command, or else image Cmd).
//   - env, lowest first: image Env, `extra_environment` (AWS_ENDPOINT_URL, metadata URIs),
//     environmentFiles (top down, later files win), `environment`; PATH, HOSTNAME and HOME as
//     Docker sets them.
//   - workingDirectory, else the image's WorkingDir, else "/".
//   - user: "uid", "uid:gid", "name", "name:group" (or the image's User); names resolve in the
//     image's /etc/passwd and /etc/group, as Docker resolves them.
//   - memory: the container's `memory` (MiB), else the task's, is the hard limit;
//     memoryReservation is the soft limit. Task cpu (units) becomes a CFS quota, 1024 = 1 CPU;
//     the container's cpu becomes cpu shares.
//   - ulimits (Fargate's default nofile is 65535), capped to this host's hard limits.
//   - readonlyRootFilesystem, linuxParameters (initProcessEnabled, capabilities, tmpfs),
//     mountPoints over the task's volumes (host.sourcePath → bind; otherwise a task-scoped
//     volume), healthCheck (CMD, CMD-SHELL), dnsServers, dnsSearchDomains, extraHosts, hostname.
// `secrets` are not resolved here: the caller adds their values to `extra_environment`.

#include <boost/json/object.hpp>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "runtime/container_spec.h"
#include "runtime/image/image.h"
#include "runtime/result.h"

namespace services::ecs {

struct EcsContainerInput {
  std::string group;                    // the task ARN
  boost::json::object definition;       // one containerDefinition, as in the task definition
  boost::json::object task_definition;  // for cpu, memory and volumes
  runtime::image::ImageConfig image_config;
  std::string image_digest;
  std::vector<std::filesystem::path> layers;  // from LayerCache::prepare, bottom first
  std::string netns_path;
  std::vector<std::pair<std::string, std::string>> extra_environment;
  std::string hostname;    // e.g. "ip-10-0-1-5.ec2.internal"; the definition's hostname wins
  std::string private_ip;  // with hostname, added to /etc/hosts
  std::vector<std::string> dns_servers;  // when the definition has no dnsServers
  std::int64_t pids_limit = 4096;
};

// runtime::errc::invalid_spec with a Docker-worded message ("No command specified", "unable to find user
// x: no matching entries in passwd file", ...).
runtime::Result<runtime::ContainerSpec> build_ecs_container_spec(const EcsContainerInput& in);

}  // namespace services::ecs

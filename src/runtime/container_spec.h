#pragma once
// One container as the runtime runs it, with every ECS/Docker default already applied (see
// services/ecs/ecs_container_spec.h for the merge of a containerDefinition with its image). Plain data.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace runtime {

struct Ulimit {
  std::string name;  // ECS spelling: "nofile", "nproc", "core", "memlock", "stack", ...
  std::uint64_t soft = 0;
  std::uint64_t hard = 0;
};

struct MountSpec {
  enum class Kind {
    Bind,        // `source` is a host path
    TaskVolume,  // `source` names a volume shared by the containers of one group, removed with it
    Tmpfs,       // `source` unused; `tmpfs_size_mib` 0 means the kernel's default
  };
  Kind kind = Kind::Bind;
  std::string source;
  std::string destination;  // absolute path in the container
  bool read_only = false;
  std::uint64_t tmpfs_size_mib = 0;
};

struct HealthCheckSpec {
  std::vector<std::string> command;  // run with `runc exec`: CMD-SHELL is {"/bin/sh", "-c", cmd}
  std::chrono::seconds interval{30};
  std::chrono::seconds timeout{5};
  std::chrono::seconds start_period{0};
  int retries = 3;
};

struct ContainerSpec {
  std::string group;  // the containers of one ECS task share it (the lead uses the task ARN)
  std::string name;   // unique within the group
  std::string image_digest;
  std::vector<std::filesystem::path> layers;  // unpacked layers, bottom first; may be empty

  std::vector<std::string> args;  // entrypoint + command, resolved; never empty
  std::vector<std::string> env;   // "KEY=value"
  std::string cwd = "/";
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::vector<std::uint32_t> additional_gids;
  std::vector<Ulimit> ulimits;  // already capped to this host's hard limits
  bool readonly_rootfs = false;
  bool init = false;  // run an init (tini) as PID 1 that reaps zombies and forwards signals
  // Output capture at its segment cap (log_segments.h): true stops reading the container's
  // output until a reader deletes a segment (the container blocks on write: awslogs' blocking
  // mode); false drops the oldest segment.
  bool log_blocking = false;
  std::vector<std::string> cap_add;   // "NET_ADMIN" or "CAP_NET_ADMIN"
  std::vector<std::string> cap_drop;  // "ALL" drops every default capability
  std::vector<MountSpec> mounts;

  std::string hostname;
  std::vector<std::pair<std::string, std::string>> hosts;  // extra /etc/hosts lines: ip, names
  std::vector<std::string> dns_servers;
  std::vector<std::string> dns_search;
  std::string netns_path;  // empty: a fresh network namespace with only loopback

  std::int64_t cpu_quota_us = 0;  // per cpu_period_us; 0 means unlimited
  std::int64_t cpu_period_us = 100000;
  std::uint64_t cpu_shares = 0;               // 0: the kernel's default (1024)
  std::int64_t memory_limit_bytes = 0;        // hard limit; 0 means none
  std::int64_t memory_reservation_bytes = 0;  // soft limit; 0 means none
  std::int64_t pids_limit = 0;                // 0 means none

  std::optional<HealthCheckSpec> health_check;
};

}  // namespace runtime

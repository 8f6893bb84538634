#pragma once
// ContainerSpec → OCI runtime bundle (config.json plus the files a container expects Docker to
// provide: /etc/hosts, /etc/resolv.conf, /etc/hostname). The rootfs itself is an overlayfs of the
// spec's layers mounted on <dir>/rootfs by the shim.

#include <boost/json/object.hpp>
#include <filesystem>
#include <string>

#include "runtime/cgroup.h"
#include "runtime/container_spec.h"
#include "runtime/result.h"

namespace runtime {

struct BundleOptions {
  // cgroupsPath is /<parent>/<id>: runc's cgroupfs driver (the one Gantry uses, on v1 and v2
  // alike) reads it relative to each hierarchy's root; only the systemd driver would want
  // "slice:prefix:name".
  std::string cgroup_parent = "gantry";
  // The controllers whose limits go in linux.resources: those runc's own manager sets on this
  // host (Cgroups::runc_controllers()). The others are applied by Gantry through Cgroups.
  CgroupControllers runc_controllers{.cpu = true, .memory = true, .pids = true};
  std::filesystem::path init_path;        // a static init (tini-static) for spec.init; may be empty
  std::filesystem::path task_volume_dir;  // TaskVolume mounts are <task_volume_dir>/<source>
};

// The OCI config.json for `spec` run as container `id` from bundle directory `dir`. Pure.
boost::json::object oci_config(const ContainerSpec& spec, const std::string& id,
                               const std::filesystem::path& dir, const BundleOptions& options);

// Writes config.json, hosts, resolv.conf and hostname into `dir` (which exists), and creates
// rootfs/, upper/, work/ and the task volumes the spec names.
Result<void> write_bundle(const ContainerSpec& spec, const std::string& id,
                          const std::filesystem::path& dir, const BundleOptions& options);

// "/gantry/<id>": where runc puts the container in each cgroup hierarchy.
std::string cgroup_path(const BundleOptions& options, const std::string& id);

// The spec's cgroup limits, as Cgroups::apply() writes them; linux.resources carries the same.
CgroupLimits cgroup_limits(const ContainerSpec& spec);

}  // namespace runtime

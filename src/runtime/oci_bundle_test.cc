#include "runtime/oci_bundle.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "core/ids.h"

namespace runtime {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class OciBundleTest : public ::testing::Test {
 protected:
  ContainerSpec spec() {
    ContainerSpec s;
    s.group = "task";
    s.name = "web";
    s.args = {"httpd", "-f"};
    s.env = {"PATH=/bin"};
    s.uid = 33;
    s.gid = 33;
    s.hostname = "ip-10-0-0-5";
    return s;
  }
  json::object config(const ContainerSpec& s) {
    BundleOptions options;
    options.init_path = "/opt/gantry-init";
    options.task_volume_dir = "/data/volumes/abc";
    return oci_config(s, "c1", "/data/containers/c1", options);
  }
  static bool has_mount(const json::object& c, const std::string& destination) {
    for (const json::value& m : c.at("mounts").as_array()) {
      if (m.at("destination").as_string() == destination) {
        return true;
      }
    }
    return false;
  }
};

TEST_F(OciBundleTest, RunsTheArgsAsTheUserInTheBundleRootfs) {
  json::object c = config(spec());
  EXPECT_EQ(c.at("process").at("args"), json::parse(R"(["httpd","-f"])"));
  EXPECT_EQ(c.at("process").at("user").at("uid"), 33);
  EXPECT_EQ(c.at("root").at("path"), "/data/containers/c1/rootfs");
  EXPECT_EQ(c.at("root").at("readonly"), false);
  EXPECT_EQ(c.at("linux").at("cgroupsPath"), "/gantry/c1");
  EXPECT_TRUE(has_mount(c, "/etc/hosts"));
  EXPECT_TRUE(has_mount(c, "/etc/resolv.conf"));
}

TEST_F(OciBundleTest, AnInitRunsFirstAndIsMountedIn) {
  ContainerSpec s = spec();
  s.init = true;
  json::object c = config(s);
  EXPECT_EQ(c.at("process").at("args"), json::parse(R"(["/sbin/gantry-init","--","httpd","-f"])"));
  EXPECT_TRUE(has_mount(c, "/sbin/gantry-init"));
}

TEST_F(OciBundleTest, JoinsTheGivenNetworkNamespaceOrMakesANewOne) {
  ContainerSpec s = spec();
  json::array fresh = config(s).at("linux").at("namespaces").as_array();
  EXPECT_EQ(fresh.back(), json::parse(R"({"type":"network"})"));
  s.netns_path = "/run/netns/task-1";
  json::array joined = config(s).at("linux").at("namespaces").as_array();
  EXPECT_EQ(joined.back(), json::parse(R"({"type":"network","path":"/run/netns/task-1"})"));
}

TEST_F(OciBundleTest, LimitsBecomeCgroupResourcesWithoutSwap) {
  ContainerSpec s = spec();
  s.memory_limit_bytes = 512 << 20;
  s.memory_reservation_bytes = 256 << 20;
  s.cpu_quota_us = 25000;
  s.cpu_shares = 128;
  s.pids_limit = 4096;
  json::object r = config(s).at("linux").at("resources").as_object();
  EXPECT_EQ(r.at("memory").at("limit"), 512 << 20);
  EXPECT_EQ(r.at("memory").at("swap"), 512 << 20);
  EXPECT_EQ(r.at("memory").at("reservation"), 256 << 20);
  EXPECT_EQ(r.at("cpu").at("quota"), 25000);
  EXPECT_EQ(r.at("cpu").at("period"), 100000);
  EXPECT_EQ(r.at("cpu").at("shares"), 128);
  EXPECT_EQ(r.at("pids").at("limit"), 4096);
}

// A hybrid host whose memory and pids controllers live in cgroup v2: runc's v1 manager cannot set
// them (it fails the start), so Gantry applies them and leaves them out of config.json.
TEST_F(OciBundleTest, ResourcesRuncDoesNotManageAreLeftOut) {
  ContainerSpec s = spec();
  s.memory_limit_bytes = 512 << 20;
  s.cpu_quota_us = 25000;
  s.pids_limit = 4096;
  BundleOptions options;
  options.runc_controllers = {.cpu = true};
  json::object r =
      oci_config(s, "c1", "/data/containers/c1", options).at("linux").at("resources").as_object();
  EXPECT_EQ(r.at("cpu").at("quota"), 25000);
  EXPECT_FALSE(r.contains("memory"));
  EXPECT_FALSE(r.contains("pids"));
  CgroupLimits limits = cgroup_limits(s);
  EXPECT_EQ(limits.memory_limit_bytes, 512 << 20);
  EXPECT_EQ(limits.pids_limit, 4096);
  EXPECT_EQ(limits.cpu_period_us, 100000);
}

TEST_F(OciBundleTest, CapabilitiesStartFromDockersDefaults) {
  ContainerSpec s = spec();
  s.cap_add = {"NET_ADMIN"};
  s.cap_drop = {"NET_RAW"};
  json::array caps = config(s).at("process").at("capabilities").at("bounding").as_array();
  auto has = [&](const char* c) {
    return std::find(caps.begin(), caps.end(), json::value(c)) != caps.end();
  };
  EXPECT_TRUE(has("CAP_NET_ADMIN"));
  EXPECT_TRUE(has("CAP_CHOWN"));
  EXPECT_FALSE(has("CAP_NET_RAW"));
  EXPECT_FALSE(has("CAP_SYS_ADMIN"));
  s.cap_drop = {"ALL"};
  s.cap_add = {};
  EXPECT_TRUE(config(s).at("process").at("capabilities").at("bounding").as_array().empty());
}

TEST_F(OciBundleTest, TaskVolumesBindFromTheGroupsVolumeDirectory) {
  ContainerSpec s = spec();
  s.mounts.push_back({MountSpec::Kind::TaskVolume, "scratch", "/scratch", true, 0});
  json::object c = config(s);  // the loop below must not outlive it
  for (const json::value& m : c.at("mounts").as_array()) {
    if (m.at("destination") == "/scratch") {
      EXPECT_EQ(m.at("source"), "/data/volumes/abc/scratch");
      EXPECT_EQ(m.at("options"), json::parse(R"(["rbind","rprivate","ro"])"));
      return;
    }
  }
  ADD_FAILURE() << "no /scratch mount";
}

TEST_F(OciBundleTest, WritesHostsResolvConfAndHostname) {
  fs::path dir = fs::temp_directory_path() / ("gantry-bundle-" + core::ids::random_hex(8));
  fs::create_directories(dir);
  ContainerSpec s = spec();
  s.hosts = {{"10.0.0.5", "ip-10-0-0-5"}};
  s.dns_servers = {"10.0.0.2"};
  s.dns_search = {"ec2.internal"};
  BundleOptions options;
  options.task_volume_dir = dir / "volumes";
  ASSERT_TRUE(write_bundle(s, "c1", dir, options));
  auto read = [&](const char* f) {
    std::ifstream in(dir / f);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_NE(read("hosts").find("10.0.0.5\tip-10-0-0-5\n"), std::string::npos);
  EXPECT_EQ(read("resolv.conf"), "nameserver 10.0.0.2\nsearch ec2.internal\n");
  EXPECT_EQ(read("hostname"), "ip-10-0-0-5\n");
  EXPECT_TRUE(json::parse(read("config.json")).is_object());
  EXPECT_TRUE(fs::is_directory(dir / "rootfs"));
  fs::remove_all(dir);
}

// config.json holds the process environment, and so any secret an ECS task resolved into it.
TEST_F(OciBundleTest, ConfigJsonIsReadableByItsOwnerOnly) {
  fs::path dir = fs::temp_directory_path() / ("gantry-bundle-" + core::ids::random_hex(8));
  fs::create_directories(dir);
  ContainerSpec s = spec();
  s.env.push_back("DB_PASSWORD=hunter2");
  BundleOptions options;
  options.task_volume_dir = dir / "volumes";
  ASSERT_TRUE(write_bundle(s, "c1", dir, options));
  EXPECT_EQ(fs::status(dir / "config.json").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace runtime

#include "services/ecs/ecs_container_spec.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <fstream>

#include "core/ids.h"

namespace services::ecs {
namespace {

// The runtime's vocabulary, which the adapter under test translates ECS definitions into.
using runtime::ContainerSpec;
using runtime::Error;
using runtime::errc;
using runtime::MountSpec;
using runtime::Result;
namespace image = runtime::image;

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

class EcsContainerSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("gantry-spec-" + core::ids::random_hex(8));
    fs::create_directories(root_ / "base/etc");
    fs::create_directories(root_ / "top/etc");
    std::ofstream(root_ / "base/etc/passwd")
        << "root:x:0:0:root:/root:/bin/sh\n"
           "nginx:x:101:102:nginx:/var/cache/nginx:/bin/false\n";
    std::ofstream(root_ / "base/etc/group") << "root:x:0:\nnginx:x:102:\nwww:x:33:nginx\n";
    input_.group = "arn:aws:ecs:us-east-1:000000000000:task/c/abc";
    input_.layers = {root_ / "base", root_ / "top"};
    input_.image_config.cmd = std::vector<std::string>{"/bin/sh"};
    input_.image_config.env = {"PATH=/usr/bin:/bin", "FROM_IMAGE=1", "OVERRIDDEN=image"};
    input_.task_definition = json::parse(R"({"cpu":"256","memory":"512"})").as_object();
  }
  void TearDown() override { fs::remove_all(root_); }

  ContainerSpec build(const std::string& definition) {
    input_.definition = json::parse(definition).as_object();
    Result<ContainerSpec> spec = build_ecs_container_spec(input_);
    EXPECT_TRUE(spec) << spec.error().message;
    return spec ? *spec : ContainerSpec{};
  }
  Error build_error(const std::string& definition) {
    input_.definition = json::parse(definition).as_object();
    Result<ContainerSpec> spec = build_ecs_container_spec(input_);
    EXPECT_FALSE(spec);
    return spec ? Error{} : spec.error();
  }
  static bool has_env(const ContainerSpec& s, const std::string& kv) {
    return std::find(s.env.begin(), s.env.end(), kv) != s.env.end();
  }

  fs::path root_;
  EcsContainerInput input_;
};

TEST_F(EcsContainerSpecTest, CommandReplacesTheImageCmdAfterTheImageEntrypoint) {
  input_.image_config.entrypoint = std::vector<std::string>{"/entry.sh"};
  EXPECT_EQ(build(R"({"name":"app","command":["run","fast"]})").args,
            (std::vector<std::string>{"/entry.sh", "run", "fast"}));
  EXPECT_EQ(build(R"({"name":"app"})").args, (std::vector<std::string>{"/entry.sh", "/bin/sh"}));
}

TEST_F(EcsContainerSpecTest, AnEntryPointDropsTheImageCmdAsDockerDoes) {
  input_.image_config.entrypoint = std::vector<std::string>{"/entry.sh"};
  EXPECT_EQ(build(R"({"name":"app","entryPoint":["httpd"]})").args,
            (std::vector<std::string>{"httpd"}));
  EXPECT_EQ(build(R"({"name":"app","entryPoint":["httpd"],"command":["-f"]})").args,
            (std::vector<std::string>{"httpd", "-f"}));
}

TEST_F(EcsContainerSpecTest, NoCommandAnywhereIsAnError) {
  input_.image_config.cmd.reset();
  Error e = build_error(R"({"name":"app"})");
  EXPECT_EQ(e.code, errc::invalid_spec);
  EXPECT_EQ(e.message, "No command specified");
}

TEST_F(EcsContainerSpecTest, EnvironmentOverridesFilesWhichOverrideExtraAndImageEnv) {
  fs::path file = root_ / "app.env";
  std::ofstream(file) << "# comment\nFROM_FILE=1\nOVERRIDDEN=file\nBOTH=file\n";
  input_.extra_environment = {{"AWS_ENDPOINT_URL", "http://10.0.0.2:4566"}, {"BOTH", "extra"}};
  ContainerSpec s = build(R"({"name":"app",
      "environment":[{"name":"OVERRIDDEN","value":"definition"}],
      "environmentFiles":[{"value":")" +
                          file.string() + R"(","type":"s3"}]})");
  EXPECT_TRUE(has_env(s, "FROM_IMAGE=1"));
  EXPECT_TRUE(has_env(s, "FROM_FILE=1"));
  EXPECT_TRUE(has_env(s, "OVERRIDDEN=definition"));
  EXPECT_TRUE(has_env(s, "BOTH=file"));
  EXPECT_TRUE(has_env(s, "AWS_ENDPOINT_URL=http://10.0.0.2:4566"));
  EXPECT_TRUE(has_env(s, "PATH=/usr/bin:/bin"));
  EXPECT_TRUE(has_env(s, "HOME=/root"));
}

TEST_F(EcsContainerSpecTest, AnUnreadableEnvironmentFileIsAnError) {
  EXPECT_EQ(build_error(R"({"name":"app","environmentFiles":[{"value":"/no/such.env"}]})").code,
            errc::invalid_spec);
}

TEST_F(EcsContainerSpecTest, ResolvesUserNamesAndGroupsFromTheImage) {
  ContainerSpec s = build(R"({"name":"app","user":"nginx"})");
  EXPECT_EQ(s.uid, 101u);
  EXPECT_EQ(s.gid, 102u);
  EXPECT_EQ(s.additional_gids, std::vector<std::uint32_t>{33});
  EXPECT_TRUE(has_env(s, "HOME=/var/cache/nginx"));
  ContainerSpec numeric = build(R"({"name":"app","user":"1000:www"})");
  EXPECT_EQ(numeric.uid, 1000u);
  EXPECT_EQ(numeric.gid, 33u);
  ContainerSpec pair = build(R"({"name":"app","user":"5:6"})");
  EXPECT_EQ(pair.uid, 5u);
  EXPECT_EQ(pair.gid, 6u);
}

TEST_F(EcsContainerSpecTest, AnUnknownUserNameIsDockersError) {
  Error e = build_error(R"({"name":"app","user":"ghost"})");
  EXPECT_EQ(e.message, "unable to find user ghost: no matching entries in passwd file");
}

TEST_F(EcsContainerSpecTest, AWhiteoutInAnUpperLayerHidesThePasswdFile) {
  ASSERT_EQ(::mknod((root_ / "top/etc/passwd").c_str(), S_IFCHR, makedev(0, 0)), 0);
  EXPECT_EQ(build_error(R"({"name":"app","user":"nginx"})").code, errc::invalid_spec);
}

TEST_F(EcsContainerSpecTest, TaskCpuBecomesACfsQuotaAndMemoryAHardLimit) {
  ContainerSpec s = build(R"({"name":"app","cpu":128,"memoryReservation":64})");
  EXPECT_EQ(s.cpu_quota_us, 25000);  // 256 units of 1024 = a quarter CPU
  EXPECT_EQ(s.cpu_period_us, 100000);
  EXPECT_EQ(s.cpu_shares, 128u);
  EXPECT_EQ(s.memory_limit_bytes, 512 << 20);
  EXPECT_EQ(s.memory_reservation_bytes, 64 << 20);
  EXPECT_EQ(build(R"({"name":"app","memory":128})").memory_limit_bytes, 128 << 20);
}

TEST_F(EcsContainerSpecTest, UlimitsAreCappedToThisHostsHardLimits) {
  rlimit host{};
  ::getrlimit(RLIMIT_NOFILE, &host);
  ContainerSpec s = build(
      R"({"name":"app","ulimits":[{"name":"nofile","softLimit":1048576,"hardLimit":1048576}]})");
  ASSERT_EQ(s.ulimits.size(), 1u);
  EXPECT_EQ(s.ulimits[0].hard, std::min<std::uint64_t>(1048576, host.rlim_max));
  ContainerSpec fargate_default = build(R"({"name":"app"})");
  ASSERT_EQ(fargate_default.ulimits.size(), 1u);
  EXPECT_EQ(fargate_default.ulimits[0].name, "nofile");
  EXPECT_EQ(fargate_default.ulimits[0].hard, std::min<std::uint64_t>(65535, host.rlim_max));
}

TEST_F(EcsContainerSpecTest, MountPointsBindHostPathsAndShareTaskVolumes) {
  input_.task_definition["volumes"] =
      json::parse(R"([{"name":"host","host":{"sourcePath":"/srv/data"}},{"name":"scratch"}])");
  ContainerSpec s = build(R"({"name":"app","mountPoints":[
      {"sourceVolume":"host","containerPath":"/data","readOnly":true},
      {"sourceVolume":"scratch","containerPath":"/scratch"}],
      "linuxParameters":{"tmpfs":[{"containerPath":"/run","size":64}],"initProcessEnabled":true}})");
  ASSERT_EQ(s.mounts.size(), 3u);
  EXPECT_EQ(s.mounts[0].kind, MountSpec::Kind::Bind);
  EXPECT_EQ(s.mounts[0].source, "/srv/data");
  EXPECT_TRUE(s.mounts[0].read_only);
  EXPECT_EQ(s.mounts[1].kind, MountSpec::Kind::TaskVolume);
  EXPECT_EQ(s.mounts[1].source, "scratch");
  EXPECT_EQ(s.mounts[2].kind, MountSpec::Kind::Tmpfs);
  EXPECT_EQ(s.mounts[2].tmpfs_size_mib, 64u);
  EXPECT_TRUE(s.init);
}

TEST_F(EcsContainerSpecTest, AMountOfAnUnknownVolumeIsAnError) {
  EXPECT_EQ(
      build_error(R"({"name":"app","mountPoints":[{"sourceVolume":"x","containerPath":"/x"}]})")
          .code,
      errc::invalid_spec);
}

TEST_F(EcsContainerSpecTest, HealthChecksTakeEcsDefaults) {
  ContainerSpec shell =
      build(R"({"name":"app","healthCheck":{"command":["CMD-SHELL","curl -f localhost"]}})");
  ASSERT_TRUE(shell.health_check);
  EXPECT_EQ(shell.health_check->command,
            (std::vector<std::string>{"/bin/sh", "-c", "curl -f localhost"}));
  EXPECT_EQ(shell.health_check->interval, 30s);
  EXPECT_EQ(shell.health_check->timeout, 5s);
  EXPECT_EQ(shell.health_check->retries, 3);
  EXPECT_EQ(shell.health_check->start_period, 0s);
  ContainerSpec exec = build(
      R"({"name":"app","healthCheck":{"command":["CMD","true"],"interval":5,"retries":1,"startPeriod":10}})");
  ASSERT_TRUE(exec.health_check);
  EXPECT_EQ(exec.health_check->command, std::vector<std::string>{"true"});
  EXPECT_EQ(exec.health_check->interval, 5s);
  EXPECT_EQ(exec.health_check->start_period, 10s);
}

TEST_F(EcsContainerSpecTest, HostnameAndHostsAndDns) {
  input_.hostname = "ip-10-0-1-5.ec2.internal";
  input_.private_ip = "10.0.1.5";
  input_.dns_servers = {"10.0.0.2"};
  ContainerSpec s = build(R"({"name":"app","extraHosts":[{"hostname":"db","ipAddress":"10.0.9.9"}],
      "readonlyRootFilesystem":true,"workingDirectory":"/srv"})");
  EXPECT_EQ(s.hostname, "ip-10-0-1-5.ec2.internal");
  EXPECT_EQ(s.hosts.size(), 2u);
  EXPECT_EQ(s.dns_servers, std::vector<std::string>{"10.0.0.2"});
  EXPECT_TRUE(s.readonly_rootfs);
  EXPECT_EQ(s.cwd, "/srv");
  EXPECT_TRUE(has_env(s, "HOSTNAME=ip-10-0-1-5.ec2.internal"));
}

}  // namespace
}  // namespace services::ecs

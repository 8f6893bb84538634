// The whole runtime path an ECS task takes, as root: an OCI image made with umoci (two layers,
// the second deleting a file of the first) → ImagePuller → build_ecs_container_spec → run →
// logs. Skipped without root, runc, umoci or /bin/busybox.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>

#include "core/clock.h"
#include "core/ids.h"
#include "runtime/container_manager.h"
#include "services/ecs/ecs_container_spec.h"
#include "runtime/image/image_puller.h"
#include "runtime/image/oci_layout_source.h"
#include "runtime/process.h"

namespace services::ecs {
namespace {

// The runtime's vocabulary, which the adapter under test translates ECS definitions into.
using runtime::ContainerManager;
using runtime::ContainerManagerOptions;
using runtime::ContainerPhase;
using runtime::ContainerSpec;
using runtime::ContainerStatus;
using runtime::LogChunk;
using runtime::LogRecord;
using runtime::Result;
using runtime::errc;
using runtime::run_process;
namespace image = runtime::image;

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

class EcsContainerPrivilegedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "needs root";
    }
    if (run_process({"runc", "--version"}) != 0 || run_process({"umoci", "--version"}) != 0 ||
        !fs::exists("/bin/busybox")) {
      GTEST_SKIP() << "needs runc, umoci and /bin/busybox";
    }
    root_ = fs::temp_directory_path() / ("gantry-ecs-rt-" + core::ids::random_hex(8));
    fs::create_directories(root_);
    build_image();
    ContainerManagerOptions options;
    options.data_dir = root_ / "data";
    options.shim = GANTRY_SHIM_PATH;
    manager_ = std::make_unique<ContainerManager>(options, clock_);
    manager_->on_change([this](const ContainerStatus&) {
      std::lock_guard lock(mu_);
      cv_.notify_all();
    });
    manager_->start();
  }

  void TearDown() override {
    if (manager_) {
      for (const ContainerStatus& s : manager_->list_all()) {
        (void)manager_->remove(s.id);
      }
      manager_.reset();
    }
    fs::remove_all(root_);
  }

  void sh(const std::string& script) {
    std::string out;
    ASSERT_EQ(run_process({"sh", "-c", "cd " + root_.string() + " && " + script}, &out), 0)
        << script << ": " << out;
  }

  // Layer 1: busybox, /etc/passwd with an "app" user, /etc/motd. Layer 2: /etc/motd deleted.
  void build_image() {
    sh("umoci init --layout oci && umoci new --image oci:app && umoci unpack --image oci:app b");
    sh("mkdir -p b/rootfs/bin b/rootfs/etc b/rootfs/home/app && cp /bin/busybox b/rootfs/bin/ && "
       "for a in sh echo cat id ls; do ln -s busybox b/rootfs/bin/$a; done && "
       "printf 'root:x:0:0:root:/root:/bin/sh\\napp:x:1000:1000::/home/app:/bin/sh\\n' "
       "> b/rootfs/etc/passwd && echo hello > b/rootfs/etc/motd");
    sh("umoci repack --refresh-bundle --image oci:app b && rm b/rootfs/etc/motd && umoci repack "
       "--image oci:app b");
    sh("umoci config --image oci:app --config.entrypoint /bin/sh --config.cmd -c "
       "--config.cmd 'echo image cmd' --config.env GREETING=image --config.workingdir /home");
  }

  ContainerStatus wait_exited(const std::string& id) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 20s, [&] { return manager_->status(id)->phase == ContainerPhase::Exited; });
    return *manager_->status(id);
  }

  std::vector<std::string> lines(const std::string& id) {
    std::vector<std::string> out;
    Result<LogChunk> chunk = manager_->read_logs(id, {});  // keep it alive through the loop
    for (const LogRecord& r : chunk->records) {
      out.push_back(r.message);
    }
    return out;
  }

  core::SystemClock clock_;
  fs::path root_;
  std::unique_ptr<ContainerManager> manager_;
  std::mutex mu_;
  std::condition_variable cv_;
};

TEST_F(EcsContainerPrivilegedTest, RunsAContainerDefinitionFromAnOciImage) {
  image::OciLayoutSource source(root_ / "oci");
  image::ImagePuller puller(root_ / "data");
  Result<image::PreparedImage> pulled = puller.pull(source, "app");
  ASSERT_TRUE(pulled) << pulled.error().message;
  ASSERT_EQ(pulled->layers.size(), 2u);

  EcsContainerInput in;
  in.group = "arn:aws:ecs:us-east-1:000000000000:task/default/0123";
  in.definition = json::parse(R"({"name":"web","user":"app",
      "command":["-c","echo $GREETING $(id -u) $(pwd); cat /etc/motd 2>/dev/null || echo no motd"],
      "environment":[{"name":"GREETING","value":"definition"}]})")
                      .as_object();
  in.task_definition = json::parse(R"({"cpu":"256","memory":"128"})").as_object();
  in.image_config = pulled->image.config;
  in.image_digest = pulled->image.manifest_digest;
  in.layers = pulled->layers;
  in.hostname = "ip-10-0-0-9.ec2.internal";
  Result<ContainerSpec> spec = build_ecs_container_spec(in);
  ASSERT_TRUE(spec) << spec.error().message;

  Result<std::string> id = manager_->run(*spec);
  ASSERT_TRUE(id) << id.error().message;
  ContainerStatus s = wait_exited(*id);
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_EQ(lines(*id), (std::vector<std::string>{"definition 1000 /home", "no motd"}));
  // The second layer's OCI whiteout became an overlayfs one, which hid the first layer's file.
  EXPECT_TRUE(fs::is_character_file(fs::symlink_status(pulled->layers.back() / "etc" / "motd")));
}

TEST_F(EcsContainerPrivilegedTest, AnUnknownImageFailsThePullWithEcsWording) {
  image::OciLayoutSource source(root_ / "oci");
  image::ImagePuller puller(root_ / "data");
  Result<image::PreparedImage> pulled = puller.pull(source, "nosuch:v1");
  ASSERT_FALSE(pulled);
  EXPECT_EQ(pulled.error().code, errc::image_not_found);
  EXPECT_EQ(pulled.error().message,
            "pull image manifest has been retried 1 time(s): failed to resolve ref nosuch:v1: "
            "nosuch:v1: not found");
}

TEST_F(EcsContainerPrivilegedTest, AReadOnlyRootfsRejectsWritesButTmpfsAndVolumesAccept) {
  image::OciLayoutSource source(root_ / "oci");
  image::ImagePuller puller(root_ / "data");
  Result<image::PreparedImage> pulled = puller.pull(source, "app");
  ASSERT_TRUE(pulled) << pulled.error().message;
  EcsContainerInput in;
  in.group = "task-ro";
  in.definition = json::parse(R"({"name":"ro","readonlyRootFilesystem":true,
      "mountPoints":[{"sourceVolume":"scratch","containerPath":"/scratch"}],
      "linuxParameters":{"tmpfs":[{"containerPath":"/run","size":8}]},
      "command":["-c","(echo x > /etc/x) 2>/dev/null || echo ro; echo a > /run/a && echo tmpfs; echo b > /scratch/b && echo volume"]})")
                      .as_object();
  in.task_definition = json::parse(R"({"volumes":[{"name":"scratch"}]})").as_object();
  in.image_config = pulled->image.config;
  in.layers = pulled->layers;
  Result<ContainerSpec> spec = build_ecs_container_spec(in);
  ASSERT_TRUE(spec) << spec.error().message;
  Result<std::string> id = manager_->run(*spec);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(wait_exited(*id).exit_code, 0);
  EXPECT_EQ(lines(*id), (std::vector<std::string>{"ro", "tmpfs", "volume"}));
}

}  // namespace
}  // namespace services::ecs

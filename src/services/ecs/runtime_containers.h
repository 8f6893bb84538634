#pragma once
// The ContainerPort of real tasks: images resolved in Gantry's ECR store and unpacked by the
// runtime's ImagePuller, containers run by runtime::ContainerManager (runc under one shim each),
// and the awslogs driver: a forwarder thread reads each container's captured output and appends
// it to CloudWatch Logs through logs::LogSink, persisting how far it got in
// <data_dir>/logfwd/<container id>.json so that output written while the server was down is sent
// after a restart and nothing is sent twice.
//
// Containers are grouped by task ARN (ContainerSpec::group). Thread-safe.

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/clock.h"
#include "runtime/container_manager.h"
#include "runtime/image/image_puller.h"
#include "services/ecr/image_store.h"
#include "services/ecs/task_metadata.h"
#include "services/ecs/task_ports.h"
#include "services/logs/log_sink.h"

namespace services::ecs {

struct RuntimeContainersOptions {
  std::filesystem::path data_dir;
  std::chrono::milliseconds log_poll{200};
  // remove(task) leaves the stopped containers' bundles to the RuntimePruner (which keeps them
  // this long) rather than deleting them at once.
  bool keep_stopped_bundles = false;
};

class RuntimeContainers final : public ContainerPort {
 public:
  // `images` (Gantry's ECR) and `logs` (CloudWatch Logs, for awslogs) must outlive it.
  RuntimeContainers(runtime::ContainerManager& manager, runtime::image::ImagePuller& puller,
                    ecr::ImageStore& images, logs::LogSink& logs, const core::Clock& clock,
                    RuntimeContainersOptions options);
  ~RuntimeContainers() override;

  // Starts and stops the log forwarder.
  void start();
  void stop();

  protocol::Result<std::string> pull(const TaskRef& task, const std::string& image) override;
  protocol::Result<void> prepare_logging(const TaskRef& task,
                                         const boost::json::object& definition) override;
  protocol::Result<std::string> start(const TaskRef& task, const ContainerLaunch& launch) override;
  void stop(const TaskRef& task, const std::string& container, int stop_timeout_seconds) override;
  std::vector<ContainerState> observe(const TaskRef& task) override;
  void remove(const TaskRef& task) override;
  void on_change(std::function<void(const TaskRef&)> callback) override;

  // Resource usage of a running container, for the task metadata endpoint's /stats.
  std::optional<ContainerStats> stats(const std::string& task_arn, const std::string& container);

  // Sends every container's pending output now (tests; before a task is reported STOPPED).
  void forward_logs();

  // Deletes one container: its bundle, its log and its forwarder state (the RuntimePruner).
  void discard(const std::string& container_id);
  // remove(task) whatever keep_stopped_bundles says (POST /_gantry/reset).
  void remove_now(const TaskRef& task);
  // Layer directories pulled for tasks whose containers have not all started yet.
  std::vector<std::filesystem::path> pulled_layers();

 private:
  struct Forward {
    std::string account, region, group, stream;
    runtime::LogPosition position;
  };
  std::optional<runtime::ContainerStatus> find(const std::string& task_arn,
                                               const std::string& name);
  // Forwards the task's last output, forgets its images, and deletes its containers unless
  // `keep_bundles` (the RuntimePruner deletes them later).
  void remove(const TaskRef& task, bool keep_bundles);
  void forward_loop();
  // Up to kRoundsPerPass reads of one container; true when it has more to read.
  bool forward_one(const std::string& id, Forward& f);
  // One pass over every container; true when some container has more to read.
  bool forward_pass();
  void save(const std::string& id, const Forward& f);
  void load_forwards();

  runtime::ContainerManager& manager_;
  runtime::image::ImagePuller& puller_;
  ecr::ImageStore& images_store_;
  logs::LogSink& logs_;
  const core::Clock& clock_;
  RuntimeContainersOptions options_;

  std::mutex images_mu_;
  std::map<std::string, runtime::image::PreparedImage> images_;  // by reference

  std::mutex forward_mu_;  // guards forwards_ and serialises forwarding passes
  std::map<std::string, Forward> forwards_;  // by container id
  std::mutex wake_mu_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_ = false;
  std::thread forwarder_;
};

// TaskRef of a task ARN: arn:aws:ecs:<region>:<account>:task/<cluster>/<id>.
TaskRef task_ref_of(const std::string& task_arn);

}  // namespace services::ecs

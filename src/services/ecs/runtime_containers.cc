#include "services/ecs/runtime_containers.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/log.h"
#include "services/ecs/ecs_container_spec.h"
#include "runtime/image/oci_layout_source.h"
#include "services/ecr/image_store.h"
#include "services/ecs/ecs_json.h"
#include "services/logs/log_sink.h"

namespace services::ecs {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr int kRoundsPerPass = 4;  // reads of one container between flushes (4 MiB each at most)

// One pull's view of the ECR store: the repository that resolve() found serves the blobs.
// Manifests live in ECR's tables, not in its blob store: they are written (once, by digest)
// under `manifests_dir` for the runtime, which reads every part of an image from files.
class EcrImageSource final : public runtime::image::ImageSource {
 public:
  EcrImageSource(ecr::ImageStore& store, fs::path manifests_dir)
      : store_(store), manifests_dir_(std::move(manifests_dir)) {}

  runtime::Result<std::string> resolve(std::string_view reference) const override {
    std::string error;
    std::optional<ecr::ResolvedImage> r = store_.resolve(reference, &error);
    if (!r) {
      core::log::info("image not resolved", {{"image", std::string(reference)}, {"error", error}});
      return runtime::Error(runtime::errc::image_not_found, error);
    }
    std::lock_guard lock(mu_);
    repo_ = r->reference;
    return r->reference.digest;
  }

  std::optional<fs::path> blob_path(std::string_view digest) const override {
    std::lock_guard lock(mu_);
    if (std::optional<fs::path> p = store_.blob_path(repo_, digest)) return p;
    std::optional<ecr::ResolvedImage> m = store_.manifest(repo_, digest);
    if (!m) {
      core::log::info("image blob missing",
                      {{"repository", repo_.repository}, {"digest", std::string(digest)}});
      return std::nullopt;
    }
    fs::path file = manifests_dir_ / std::string(digest);
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      fs::create_directories(manifests_dir_, ec);
      fs::path tmp = file;
      tmp += ".tmp";
      std::ofstream(tmp, std::ios::binary | std::ios::trunc) << m->manifest;
      fs::rename(tmp, file, ec);
    }
    return file;
  }

 private:
  ecr::ImageStore& store_;
  fs::path manifests_dir_;
  mutable std::mutex mu_;
  mutable ecr::ImageReference repo_;
};

protocol::AwsError runtime_error(std::string code, std::string message) {
  return protocol::AwsError{std::move(code), std::move(message), 500, false};
}

ContainerPhase phase_of(runtime::ContainerPhase p) {
  switch (p) {
    case runtime::ContainerPhase::Created: return ContainerPhase::Created;
    case runtime::ContainerPhase::Running: return ContainerPhase::Running;
    case runtime::ContainerPhase::Exited: return ContainerPhase::Exited;
  }
  return ContainerPhase::Absent;
}

// The awslogs options of a container definition; nullopt when it logs elsewhere.
struct AwsLogs {
  std::string region, group, prefix;
  bool create_group = false;
  bool blocking = false;  // mode "blocking"; ECS's default has been "non-blocking" since 2025
};
std::optional<AwsLogs> awslogs_of(const json::object& definition, const std::string& region) {
  const json::object* lc = obj(definition, "logConfiguration");
  if (!lc || str(*lc, "logDriver") != "awslogs") return std::nullopt;
  const json::object* opts = obj(*lc, "options");
  if (!opts) return AwsLogs{region, "", "", false, false};
  return AwsLogs{str(*opts, "awslogs-region", region), str(*opts, "awslogs-group"),
                 str(*opts, "awslogs-stream-prefix"),
                 str(*opts, "awslogs-create-group") == "true", str(*opts, "mode") == "blocking"};
}

}  // namespace

TaskRef task_ref_of(const std::string& task_arn) {
  // arn:aws:ecs:<region>:<account>:task/<cluster>/<id>
  TaskRef ref;
  ref.task_arn = task_arn;
  std::vector<std::string> parts;
  std::stringstream s(task_arn);
  for (std::string p; std::getline(s, p, ':');) parts.push_back(p);
  if (parts.size() < 6) return ref;
  ref.region = parts[3];
  ref.account = parts[4];
  std::string resource = parts[5];
  std::size_t a = resource.find('/'), b = resource.rfind('/');
  if (a != std::string::npos && b > a) {
    ref.cluster_arn = "arn:aws:ecs:" + ref.region + ":" + ref.account + ":cluster/" +
                      resource.substr(a + 1, b - a - 1);
  }
  return ref;
}

RuntimeContainers::RuntimeContainers(runtime::ContainerManager& manager,
                                     runtime::image::ImagePuller& puller, ecr::ImageStore& images,
                                     logs::LogSink& logs, const core::Clock& clock,
                                     RuntimeContainersOptions options)
    : manager_(manager),
      puller_(puller),
      images_store_(images),
      logs_(logs),
      clock_(clock),
      options_(std::move(options)) {
  std::error_code ec;
  fs::create_directories(options_.data_dir / "logfwd", ec);
  load_forwards();
}

RuntimeContainers::~RuntimeContainers() { stop(); }

void RuntimeContainers::start() {
  std::lock_guard lock(wake_mu_);
  if (forwarder_.joinable()) return;
  stopping_ = false;
  forwarder_ = std::thread([this] { forward_loop(); });
}

void RuntimeContainers::stop() {
  {
    std::lock_guard lock(wake_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (forwarder_.joinable()) forwarder_.join();
  forward_logs();
}

protocol::Result<std::string> RuntimeContainers::pull(const TaskRef& task,
                                                      const std::string& image) {
  EcrImageSource source(images_store_, options_.data_dir / "runtime" / "manifests");
  runtime::Result<runtime::image::PreparedImage> prepared = puller_.pull(source, image);
  if (!prepared && prepared.error().code == runtime::errc::image_not_found &&
      fs::exists(options_.data_dir / "images" / "index.json")) {
    // Not in ECR: images loaded with `gantry image load` (docker.io/library/nginx, busybox...).
    runtime::image::OciLayoutSource loaded(options_.data_dir / "images");
    if (runtime::Result<std::string> found = loaded.resolve(image); found) {
      prepared = puller_.pull(loaded, image);
    }
  }
  if (!prepared) {
    return runtime_error("CannotPullContainerError", prepared.error().message);
  }
  std::string digest = prepared->image.manifest_digest;
  std::lock_guard lock(images_mu_);
  images_[task.task_arn + "|" + image] = std::move(*prepared);
  return digest;
}

protocol::Result<void> RuntimeContainers::prepare_logging(const TaskRef& task,
                                                          const json::object& definition) {
  std::optional<AwsLogs> awslogs = awslogs_of(definition, task.region);
  if (!awslogs) return {};
  logs::LogSink* sink = &logs_;
  if (awslogs->group.empty()) {
    return runtime_error("ResourceInitializationError",
                         "ResourceInitializationError: failed to validate logger args: "
                         "awslogs-group is required");
  }
  if (auto r = sink->ensure_group(task.account, awslogs->region, awslogs->group,
                                  awslogs->create_group);
      !r) {
    return r.error();
  }
  return {};
}

protocol::Result<std::string> RuntimeContainers::start(const TaskRef& task,
                                                       const ContainerLaunch& launch) {
  std::string image = str(launch.definition, "image");
  std::string key = task.task_arn + "|" + image;
  std::optional<runtime::image::PreparedImage> prepared;
  {
    std::lock_guard lock(images_mu_);
    if (auto it = images_.find(key); it != images_.end()) prepared = it->second;
  }
  if (!prepared) {
    // The pull happened before a restart: the layers are cached, so this is quick.
    if (auto r = pull(task, image); !r) return r.error();
    std::lock_guard lock(images_mu_);
    prepared = images_.at(key);
  }
  EcsContainerInput in;
  in.group = task.task_arn;
  in.definition = launch.definition;
  in.task_definition = launch.task_definition;
  in.image_config = prepared->image.config;
  in.image_digest = prepared->image.manifest_digest;
  in.layers = prepared->layers;
  in.netns_path = launch.netns_path;
  in.extra_environment = launch.extra_environment;
  in.hostname = launch.hostname;
  in.private_ip = launch.private_ip;
  runtime::Result<runtime::ContainerSpec> spec = build_ecs_container_spec(in);
  if (!spec) {
    return runtime_error("CannotStartContainerError", spec.error().message);
  }
  std::optional<AwsLogs> awslogs = awslogs_of(launch.definition, task.region);
  // Only a forwarded container may block on its output: nothing else would ever make room.
  spec->log_blocking = awslogs && !awslogs->group.empty() && awslogs->blocking;
  runtime::Result<std::string> id = manager_.run(*spec);
  if (!id) {
    return runtime_error("CannotStartContainerError", id.error().message);
  }
  if (awslogs && !awslogs->group.empty()) {
    // awslogs' stream name: <prefix>/<container name>/<task id>, or the task id alone.
    std::string task_id = task.task_arn.substr(task.task_arn.rfind('/') + 1);
    std::string stream = awslogs->prefix.empty()
                             ? task_id
                             : awslogs->prefix + "/" + launch.name + "/" + task_id;
    Forward f{task.account, awslogs->region, awslogs->group, stream, {}};
    logs_.ensure_stream({f.account, f.region, f.group, f.stream});
    save(*id, f);
    std::lock_guard lock(forward_mu_);
    forwards_[*id] = f;
  }
  return *id;
}

std::optional<runtime::ContainerStatus> RuntimeContainers::find(const std::string& task_arn,
                                                                const std::string& name) {
  for (runtime::ContainerStatus& s : manager_.list(task_arn)) {
    if (s.name == name) return s;
  }
  return std::nullopt;
}

void RuntimeContainers::stop(const TaskRef& task, const std::string& container,
                             int stop_timeout_seconds) {
  if (std::optional<runtime::ContainerStatus> s = find(task.task_arn, container)) {
    manager_.kill(s->id, std::chrono::seconds(stop_timeout_seconds));
  }
}

std::vector<ContainerState> RuntimeContainers::observe(const TaskRef& task) {
  std::vector<runtime::ContainerStatus> all = manager_.list(task.task_arn);
  bool any_exited = false;
  for (const runtime::ContainerStatus& s : all) {
    any_exited = any_exited || s.phase == runtime::ContainerPhase::Exited;
  }
  if (any_exited) forward_logs();  // an exited container's last lines land before it is reported
  std::vector<ContainerState> out;
  for (const runtime::ContainerStatus& s : all) {
    ContainerState c;
    c.name = s.name;
    c.phase = phase_of(s.phase);
    c.exit_code = s.exit_code;
    if (s.phase == runtime::ContainerPhase::Exited && !s.exit_code) c.exit_code = 1;
    c.oom_killed = s.oom_killed;
    c.runtime_id = s.id;
    c.health = s.has_health_check ? runtime::health_status_name(s.health) : "UNKNOWN";
    c.image_digest = s.image_digest;
    out.push_back(std::move(c));
  }
  return out;
}

void RuntimeContainers::remove(const TaskRef& task) { remove(task, options_.keep_stopped_bundles); }

void RuntimeContainers::remove_now(const TaskRef& task) { remove(task, false); }

void RuntimeContainers::remove(const TaskRef& task, bool keep_bundles) {
  forward_logs();
  if (!keep_bundles) {
    for (const runtime::ContainerStatus& s : manager_.list(task.task_arn)) discard(s.id);
  }
  std::lock_guard lock(images_mu_);
  for (auto it = images_.begin(); it != images_.end();) {
    it = it->first.starts_with(task.task_arn + "|") ? images_.erase(it) : std::next(it);
  }
}

void RuntimeContainers::discard(const std::string& id) {
  if (auto r = manager_.remove(id); !r) {
    core::log::warn("container remove failed", {{"container", id}, {"error", r.error().message}});
    return;
  }
  std::lock_guard lock(forward_mu_);
  forwards_.erase(id);
  std::error_code ec;
  fs::remove(options_.data_dir / "logfwd" / (id + ".json"), ec);
}

std::vector<fs::path> RuntimeContainers::pulled_layers() {
  std::vector<fs::path> out;
  std::lock_guard lock(images_mu_);
  for (const auto& [key, image] : images_) {
    out.insert(out.end(), image.layers.begin(), image.layers.end());
  }
  return out;
}

void RuntimeContainers::on_change(std::function<void(const TaskRef&)> callback) {
  manager_.on_change([this, callback = std::move(callback)](const runtime::ContainerStatus& s) {
    if (s.phase == runtime::ContainerPhase::Exited) {
      std::lock_guard lock(wake_mu_);
      wake_.notify_all();
    }
    callback(task_ref_of(s.group));
  });
}

std::optional<ContainerStats> RuntimeContainers::stats(const std::string& task_arn,
                                                       const std::string& container) {
  std::optional<runtime::ContainerStatus> s = find(task_arn, container);
  if (!s) return std::nullopt;
  std::optional<runtime::CgroupStats> cgroup = manager_.stats(s->id);
  if (!cgroup) return std::nullopt;
  ContainerStats out;
  out.cgroup = std::move(*cgroup);
  out.online_cpus = static_cast<uint32_t>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  out.system_cpu_ns = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::steady_clock::now().time_since_epoch())
          .count() *
      out.online_cpus);
  out.host_memory = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) *
                    static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  out.read_at = core::to_epoch_seconds(clock_.now());
  if (s->phase == runtime::ContainerPhase::Running) {
    out.networks = read_net_dev(s->pid).value_or(std::vector<InterfaceCounters>{});
  }
  return out;
}

void RuntimeContainers::save(const std::string& id, const Forward& f) {
  json::object doc{{"account", f.account},
                   {"region", f.region},
                   {"group", f.group},
                   {"stream", f.stream},
                   {"segment", f.position.segment},
                   {"offset", f.position.offset}};
  fs::path path = options_.data_dir / "logfwd" / (id + ".json");
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << json::serialize(doc);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
}

void RuntimeContainers::load_forwards() {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(options_.data_dir / "logfwd", ec)) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    std::stringstream s;
    s << in.rdbuf();
    boost::system::error_code jec;
    json::value v = json::parse(s.str(), jec);
    if (jec || !v.is_object()) continue;
    const json::object& o = v.as_object();
    // Files written before log segments had no "segment": their offset is in segment 0, "log".
    Forward f{str(o, "account"),
              str(o, "region"),
              str(o, "group"),
              str(o, "stream"),
              {static_cast<uint64_t>(opt_int(o, "segment").value_or(0)),
               static_cast<uint64_t>(opt_int(o, "offset").value_or(0))}};
    forwards_[e.path().stem().string()] = f;
  }
}

bool RuntimeContainers::forward_one(const std::string& id, Forward& f) {
  for (int round = 0; round < kRoundsPerPass; ++round) {
    runtime::Result<runtime::LogChunk> chunk = manager_.read_logs(id, f.position);
    if (!chunk) return false;
    if (chunk->skipped_segments > 0) {
      core::log::warn("container output dropped before it was forwarded",
                      {{"container", id}, {"segments", std::to_string(chunk->skipped_segments)}});
    }
    f.position = chunk->next;
    if (chunk->records.empty()) return false;
    std::vector<logs::LogEvent> events;
    events.reserve(chunk->records.size());
    for (runtime::LogRecord& r : chunk->records) {
      events.push_back({r.timestamp_ms, std::move(r.message)});
    }
    logs_.append({f.account, f.region, f.group, f.stream}, std::move(events));
  }
  return true;
}

bool RuntimeContainers::forward_pass() {
  std::lock_guard lock(forward_mu_);
  std::map<std::string, runtime::LogPosition> before;
  bool more = false;
  for (auto& [id, f] : forwards_) {
    before[id] = f.position;
    more = forward_one(id, f) || more;
  }
  std::vector<std::string> moved;
  for (auto& [id, f] : forwards_) {
    if (before[id] != f.position) moved.push_back(id);
  }
  if (moved.empty()) return more;
  logs_.flush();
  // Offsets are saved only once the events are in the store (at least once, never lost), and
  // segments are deleted only once the saved position is past them.
  for (const std::string& id : moved) {
    save(id, forwards_.at(id));
    manager_.release_logs(id, forwards_.at(id).position);
  }
  return more;
}

void RuntimeContainers::forward_logs() {
  // Bounded (as many reads as one pass of 100 used to be), so that a chatty container elsewhere
  // cannot hold the caller.
  for (int pass = 0; pass < 25 && forward_pass(); ++pass) {
  }
}

void RuntimeContainers::forward_loop() {
  std::unique_lock lock(wake_mu_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.log_poll);
    if (stopping_) break;
    lock.unlock();
    // A chatty container is followed without pausing, so that its output is forwarded (and its
    // segments deleted) before the shim's cap drops any.
    while (forward_pass() && !stopping_) {
    }
    lock.lock();
  }
}

}  // namespace services::ecs

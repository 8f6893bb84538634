// The ECR module (ecr_module.h): the ECR JSON API, the /v2/ registry plane, the lifecycle-policy
// controller and blob garbage collection.

#include "services/ecr/ecr_module.h"

#include <cstdlib>
#include <memory>

#include "core/log.h"
#include "reconcile/controller.h"
#include "services/ecr/auth_token.h"
#include "services/ecr/blob_store.h"
#include "services/ecr/ecr_service.h"
#include "services/ecr/ecr_store.h"
#include "services/ecr/image_store.h"
#include "services/ecr/lifecycle_runner.h"
#include "services/ecr/registry/registry_plane.h"
#include "services/ecr/upload_store.h"

namespace services::ecr {
namespace {

using namespace std::chrono_literals;

// Abandoned pushes: upload sessions and blobs no manifest uses are kept this long.
constexpr core::Duration kUploadMaxAge = 24h * 7;
constexpr core::Duration kUnreferencedBlobGrace = 1h;
constexpr char kGcKey[] = "gc";

// "<account>.dkr.ecr.<region>.localhost:<port>", or GANTRY_ECR_REGISTRY_HOST with {account},
// {region} and {port} replaced.
std::string registry_host(const RepoKey& key, uint16_t port) {
  const char* env = std::getenv("GANTRY_ECR_REGISTRY_HOST");
  std::string host = env && *env ? env : "{account}.dkr.ecr.{region}.localhost:{port}";
  auto replace = [&](std::string_view var, const std::string& value) {
    for (std::size_t at = host.find(var); at != std::string::npos; at = host.find(var, at)) {
      host.replace(at, var.size(), value);
      at += value.size();
    }
  };
  replace("{account}", key.account);
  replace("{region}", key.region);
  replace("{port}", std::to_string(port));
  return host;
}

class EcrModuleImpl final : public EcrModule {
 public:
  explicit EcrModuleImpl(module::ModuleContext& ctx)
      : blobs_(ecr_dir(ctx.data_dir)),
        store_(ctx.db, blobs_, ctx.clock),
        uploads_(ctx.db, blobs_, ctx.clock),
        tokens_(ctx.data_dir),
        lifecycle_(store_, ctx.clock),
        service_(store_, uploads_, tokens_, ctx.clock,
                 EcrHooks{
                     .images_changed = [this](const RepoKey& key) { images_changed(key); },
                     .lifecycle_changed =
                         [this](const RepoKey& key) {
                           lifecycle_controller_.enqueue(repo_key_string(key));
                         },
                     .registry_host = [port = ctx.bound_port](
                                          const RepoKey& key) { return registry_host(key, port()); },
                 }),
        image_store_(ctx.db, ctx.data_dir,
                     ReferenceContext{0, ctx.default_account, ctx.default_region}),
        lifecycle_controller_(
            "ecr-lifecycle", ctx.clock,
            [this](const std::string& key) { return reconcile_lifecycle(key); },
            {.workers = 1,
             .resync_period = core::Duration(1min),
             .list_keys = [this] { return store_.lifecycle_keys(); }}),
        gc_controller_(
            "ecr-gc", ctx.clock, [this](const std::string&) { return collect(); },
            {.workers = 1,
             .resync_period = core::Duration(10min),
             .list_keys = [] { return std::vector<std::string>{kGcKey}; }}) {
    // Nothing else writes yet: a temporary blob left by a crash mid-upload can go.
    blobs_.remove_temporaries();
    service_.register_operations(ctx.registry);
    ctx.add_plane(std::make_shared<RegistryPlane>(
        store_, uploads_, tokens_, ctx.clock,
        RegistryOptions{
            .default_account = ctx.default_account,
            .default_region = ctx.default_region,
            .strict_auth = ctx.auth_mode != protocol::AuthMode::Default,
            .on_images_changed = [this](const RepoKey& key) { images_changed(key); },
        }));
    ctx.on_reset([this] {
      uploads_.wipe();
      blobs_.wipe();
      service_.reset();
    });
  }

  ~EcrModuleImpl() override { stop(); }

  ImageStore& images() override { return image_store_; }

  void start() override {
    lifecycle_controller_.start();
    gc_controller_.start();
  }

  void stop() override {
    lifecycle_controller_.stop();
    gc_controller_.stop();
  }

 private:
  void images_changed(const RepoKey& key) {
    lifecycle_controller_.enqueue(repo_key_string(key));
    gc_controller_.enqueue(kGcKey);
  }

  reconcile::ReconcileResult reconcile_lifecycle(const std::string& key) {
    std::size_t first = key.find('/');
    std::size_t second = key.find('/', first + 1);
    RepoKey repo{key.substr(0, first), key.substr(first + 1, second - first - 1),
                 key.substr(second + 1)};
    if (lifecycle_.run(repo) > 0) {
      gc_controller_.enqueue(kGcKey);
    }
    return reconcile::ReconcileResult::done();
  }

  reconcile::ReconcileResult collect() {
    uploads_.expire(kUploadMaxAge);
    store_.collect_garbage(kUnreferencedBlobGrace);
    return reconcile::ReconcileResult::done();
  }

  BlobStore blobs_;
  EcrStore store_;
  UploadStore uploads_;
  TokenIssuer tokens_;
  LifecycleRunner lifecycle_;
  EcrService service_;
  ImageStore image_store_;
  reconcile::Controller lifecycle_controller_;
  reconcile::Controller gc_controller_;
};

}  // namespace

std::unique_ptr<EcrModule> make_ecr_module(module::ModuleContext& ctx) {
  return std::make_unique<EcrModuleImpl>(ctx);
}

}  // namespace services::ecr

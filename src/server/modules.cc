#include "server/modules.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>
#include <utility>

#include "core/log.h"
#include "netplane/instance_names.h"
#include "netplane/nft_netplane.h"
#include "services/authz/authz_module.h"
#include "services/autoscaling/autoscaling_module.h"
#include "services/cloudformation/cloudformation_module.h"
#include "services/cloudwatch/cloudwatch_module.h"
#include "services/ec2/ec2_module.h"
#include "services/ec2/host_network.h"
#include "services/ec2/netplane_sync.h"
#include "services/ecr/ecr_module.h"
#include "services/ecs/ecs_module.h"
#include "services/elbv2/elbv2_module.h"
#include "services/iam/iam_module.h"
#include "services/kms/kms_module.h"
#include "services/logs/logs_module.h"
#include "services/secretsmanager/secretsmanager_module.h"
#include "services/ssm/ssm_module.h"
#include "services/sts/sts_module.h"

namespace server {

namespace {

// Network namespaces need root; GANTRY_TASKS=off keeps a root server's tasks and load balancers
// as rows only (the control-plane tests run that way).
bool host_network_wanted() {
  const char* flag = std::getenv("GANTRY_TASKS");
  if (flag && std::string_view(flag) == "off") return false;
  return ::geteuid() == 0;
}

}  // namespace

struct Modules::Host {
  Host(services::ec2::NetworkDirectory& directory, const module::ModuleContext& ctx)
      : plane(netplane::InstanceNames::for_data_dir(ctx.data_dir.string())),
        sync(directory, plane, ctx.clock),
        network{plane, sync, directory} {}

  netplane::NftNetplane plane;
  services::ec2::NetplaneSync sync;
  services::ec2::HostNetwork network;
};

Modules::Modules(module::ModuleContext& ctx, std::vector<services::sts::StaticKey> static_keys,
                 services::ecs::EcsOptions ecs_options,
                 std::map<std::string, std::filesystem::path> oidc_jwks) {
  // IAM, STS and the policy evaluator need each other's ports: authz is made first and
  // connected once IAM's directory and STS's identities exist (authz_module.h).
  std::unique_ptr<services::authz::AuthzModule> authz = services::authz::make_authz_module(ctx);
  std::unique_ptr<services::iam::IamModule> iam =
      services::iam::make_iam_module(ctx, {.authority = &authz->authority()});
  std::unique_ptr<services::sts::StsModule> sts =
      services::sts::make_sts_module(ctx, {.static_keys = std::move(static_keys),
                                           .directory = &iam->directory(),
                                           .authority = &authz->authority(),
                                           .oidc_jwks = std::move(oidc_jwks)});
  identities_ = &sts->identities();
  authz->connect({.directory = &iam->directory(), .identities = identities_});
  authorizer_ = &authz->authorizer();
  std::unique_ptr<services::ec2::Ec2Module> ec2 = services::ec2::make_ec2_module(ctx);
  std::unique_ptr<services::ecr::EcrModule> ecr = services::ecr::make_ecr_module(ctx);
  std::unique_ptr<services::cloudwatch::CloudWatchModule> cloudwatch =
      services::cloudwatch::make_cloudwatch_module(ctx);
  std::unique_ptr<services::logs::LogsModule> logs =
      services::logs::make_logs_module(ctx, {.metrics = &cloudwatch->metrics()});
  std::unique_ptr<services::kms::KmsModule> kms = services::kms::make_kms_module(ctx);
  std::unique_ptr<services::ssm::SsmModule> ssm =
      services::ssm::make_ssm_module(ctx, {.keys = kms->keys()});
  std::unique_ptr<services::secretsmanager::SecretsManagerModule> secretsmanager =
      services::secretsmanager::make_secretsmanager_module(ctx, {.keys = kms->keys()});
  if (host_network_wanted()) {
    host_ = std::make_unique<Host>(ec2->directory(), ctx);
  } else {
    core::log::info("no host network: tasks and load balancers are rows only");
  }
  services::ec2::HostNetwork* host = host_ ? &host_->network : nullptr;
  std::unique_ptr<module::Module> ecs = services::ecs::make_ecs_module(
      ctx,
      {.directory = ec2->directory(),
       .images = ecr->images(),
       .logs = logs->sink(),
       .host = host,
       .metrics = &cloudwatch->metrics(),
       .credentials = &sts->issuer(),
       .parameters = &ssm->parameters(),
       .secrets = &secretsmanager->secrets(),
       .authority = &authz->authority()},
      ecs_options);
  std::unique_ptr<module::Module> elbv2 =
      services::elbv2::make_elbv2_module(ctx, {.directory = ec2->directory(),
                                               .host = host,
                                               .metrics = &cloudwatch->metrics()});
  std::unique_ptr<services::autoscaling::AutoscalingModule> autoscaling =
      services::autoscaling::make_autoscaling_module(ctx);
  cloudwatch->add_action_sink(autoscaling->action_sink());
  if (host_) {
    // After every module's own reset hook: whatever namespaces are left go.
    ctx.on_reset([this] {
      host_->sync.forget_all();
      if (auto r = host_->plane.remove_all(); !r) {
        core::log::warn("network reset failed", {{"error", r.error().message}});
      }
    });
  }
  // ECS re-adopts its tasks' namespaces before ELBv2's nodes come up in the same VPCs.
  modules_.push_back(std::move(iam));
  modules_.push_back(std::move(sts));
  modules_.push_back(std::move(authz));
  modules_.push_back(std::move(ec2));
  modules_.push_back(std::move(ecr));
  modules_.push_back(std::move(logs));
  modules_.push_back(std::move(cloudwatch));
  modules_.push_back(std::move(kms));
  modules_.push_back(std::move(ssm));
  modules_.push_back(std::move(secretsmanager));
  modules_.push_back(std::move(ecs));
  modules_.push_back(std::move(elbv2));
  modules_.push_back(std::move(autoscaling));
  // Last: its providers call every other service through the in-process client.
  modules_.push_back(services::cloudformation::make_cloudformation_module(ctx));
}

Modules::~Modules() { stop(); }

void Modules::start() {
  if (host_) host_->sync.start();
  for (auto& m : modules_) m->start();
  started_ = true;
}

void Modules::stop() {
  if (!std::exchange(started_, false)) return;
  for (auto it = modules_.rbegin(); it != modules_.rend(); ++it) (*it)->stop();
  if (host_) host_->sync.stop();
}

}  // namespace server

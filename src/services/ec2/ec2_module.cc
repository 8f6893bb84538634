// Installs EC2 networking into the server (see src/module/module.h): the "ec2" operation table
// and the process-wide NetworkDirectory that ECS and the netplane use.

#include <memory>

#include "module/module.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/store_network_directory.h"

namespace services::ec2 {
namespace {

class Ec2Module final : public module::Module {
 public:
  explicit Ec2Module(module::ModuleContext& ctx)
      : service_(ctx.db, ctx.clock), directory_(service_) {
    service_.register_operations(ctx.registry);
    set_network_directory_instance(&directory_);
    // Reset wipes every table, ec2_defaults included: the next call in each account and region
    // makes a fresh default VPC, as a new AWS account has. Listeners hear of every VPC now, before
    // the wipe; they reconcile later, find the VPC gone and tear down what they built for it.
    if (ctx.on_reset) {
      ctx.on_reset([this] { service_.notify_every_vpc(); });
    }
  }
  ~Ec2Module() override { set_network_directory_instance(nullptr); }

 private:
  Ec2Service service_;
  StoreNetworkDirectory directory_;
};

}  // namespace
}  // namespace services::ec2

namespace module {

std::unique_ptr<Module> make_ec2_module(ModuleContext& ctx) {
  return std::make_unique<services::ec2::Ec2Module>(ctx);
}

}  // namespace module

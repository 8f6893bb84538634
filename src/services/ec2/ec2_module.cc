// The EC2 module (ec2_module.h).

#include "services/ec2/ec2_module.h"

#include <memory>

#include "services/ec2/ec2_service.h"
#include "services/ec2/store_network_directory.h"

namespace services::ec2 {
namespace {

class Ec2ModuleImpl final : public Ec2Module {
 public:
  explicit Ec2ModuleImpl(module::ModuleContext& ctx)
      : service_(ctx.db, ctx.clock), directory_(service_) {
    service_.register_operations(ctx.registry);
    // Reset wipes every table, ec2_defaults included: the next call in each account and region
    // makes a fresh default VPC, as a new AWS account has. Listeners hear of every VPC now, before
    // the wipe; they reconcile later, find the VPC gone and tear down what they built for it.
    if (ctx.on_reset) {
      ctx.on_reset([this] { service_.notify_every_vpc(); });
    }
  }
  NetworkDirectory& directory() override { return directory_; }

 private:
  Ec2Service service_;
  StoreNetworkDirectory directory_;
};

}  // namespace

std::unique_ptr<Ec2Module> make_ec2_module(module::ModuleContext& ctx) {
  return std::make_unique<Ec2ModuleImpl>(ctx);
}

}  // namespace services::ec2

// Installs ELBv2 into the server (see src/module/module.h) and exposes the control plane's
// contract with the data plane (alb_control.h).

#include <atomic>
#include <memory>

#include "module/module.h"
#include "services/elbv2/alb_control.h"
#include "services/elbv2/elbv2_service.h"

namespace services::elbv2 {
namespace {

std::atomic<AlbControl*> g_instance{nullptr};

class Elbv2Module final : public module::Module {
 public:
  explicit Elbv2Module(module::ModuleContext& ctx)
      : network_(make_ec2_network_lookup()), service_(ctx.db, ctx.clock, *network_) {
    service_.register_operations(ctx.registry);
    control_.snapshots = &service_.snapshots();
    control_.health = &service_.health_reporter();
    g_instance.store(&control_);
    ctx.on_reset([this] { service_.reset(); });
  }
  ~Elbv2Module() override {
    AlbControl* expected = &control_;
    g_instance.compare_exchange_strong(expected, nullptr);
  }

  void start() override { service_.start(); }
  void stop() override { service_.stop(); }

 private:
  std::unique_ptr<NetworkLookup> network_;
  Elbv2Service service_;
  AlbControl control_;
};

}  // namespace

AlbControl* alb_control_instance() { return g_instance.load(); }

}  // namespace services::elbv2

namespace module {

std::unique_ptr<Module> make_elbv2_module(ModuleContext& ctx) {
  return std::make_unique<services::elbv2::Elbv2Module>(ctx);
}

}  // namespace module

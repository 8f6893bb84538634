// The KMS module (kms_module.h): the operation table and the in-process Keys, over one KeyRing.

#include "services/kms/kms_module.h"

#include <memory>

#include "core/log.h"
#include "services/kms/aes_gcm.h"
#include "services/kms/key_ring.h"
#include "services/kms/kms_service.h"

namespace services::kms {
namespace {

HostKey host_key_for(const module::ModuleContext& ctx) {
  if (ctx.data_dir.empty()) {
    // No data directory (an in-memory server in tests): keys last as long as the process.
    core::log::warn("kms: no data directory; KMS keys will not survive a restart");
    return HostKey::from_bytes(aes_gcm::random_bytes(aes_gcm::kKeyBytes));
  }
  return HostKey::load_or_create(ctx.data_dir / "kms" / "host.key");
}

class KmsModuleImpl final : public KmsModule {
 public:
  explicit KmsModuleImpl(module::ModuleContext& ctx)
      : ring_(ctx.db, ctx.clock, host_key_for(ctx)), service_(ring_) {
    service_.register_operations(ctx.registry);
  }

  Keys& keys() override { return ring_; }

 private:
  KeyRing ring_;
  KmsService service_;
};

}  // namespace

std::unique_ptr<KmsModule> make_kms_module(module::ModuleContext& ctx) {
  return std::make_unique<KmsModuleImpl>(ctx);
}

}  // namespace services::kms

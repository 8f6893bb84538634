#pragma once
// The STS module: the operation table (GetCallerIdentity, AssumeRole, GetSessionToken) and the
// identities behind access keys, which it offers to the API plane so that SigV4 can resolve
// the keys it issues and the ones configured at start-up.

#include <memory>
#include <vector>

#include "module/module.h"
#include "protocol/identity.h"
#include "services/sts/identity_store.h"

namespace services::sts {

struct StsPorts {
  std::vector<StaticKey> static_keys;  // --credentials
};

class StsModule : public module::Module {
 public:
  virtual protocol::IdentityResolver& identities() = 0;
};

std::unique_ptr<StsModule> make_sts_module(module::ModuleContext& ctx, StsPorts ports);

}  // namespace services::sts

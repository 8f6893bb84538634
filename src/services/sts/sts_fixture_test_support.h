#pragma once
// The STS operation table over an in-memory store, with fakes of IAM's Directory and Authority,
// called the way the HTTP path calls it (model validation included).

#include <gtest/gtest.h>

#include <memory>

#include "protocol/service_registry.h"
#include "services/sts/sts_service.h"
#include "services/sts/sts_test_support.h"
#include "store/db.h"
#include "testing/manual_clock.h"
#include "testing/registry_calls.h"

namespace services::sts::test {

namespace json = boost::json;

// The STS operation table over an in-memory store, with fakes of IAM's Directory and
// Authority (wired or not, trust enforced or not).
class StsFixture : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  StsFixture() : RegistryCalls(registry_, "sts") { wire(true, false); }

  void wire(bool with_iam, bool enforce) {
    registry_ = protocol::ServiceRegistry();
    const iam::Directory* dir = with_iam ? &directory_ : nullptr;
    identities_ = std::make_unique<IdentityStore>(db_, std::vector<StaticKey>{}, kAccount, dir);
    sessions_ = std::make_unique<RoleSessions>(
        *identities_, clock_,
        RoleSessionsOptions{.directory = dir,
                            .authority = with_iam ? &authority_ : nullptr,
                            .enforce_trust = enforce});
    service_ = std::make_unique<StsService>(*identities_, *sessions_, oidc_keys_, clock_);
    service_->register_operations(registry_);
  }

  // The context of a request signed with `access_key_id`, as the API plane resolves it.
  protocol::RequestContext signed_with(const std::string& access_key_id) {
    protocol::RequestContext c = ctx();
    std::optional<protocol::Principal> p = identities_->lookup(access_key_id);
    EXPECT_TRUE(p) << access_key_id;
    c.access_key_id = access_key_id;
    c.caller_arn = p ? p->arn : "";
    c.caller_user_id = p ? p->user_id : "";
    return c;
  }

  json::object assume(const std::string& role, const std::string& session = "s1") {
    return ok("AssumeRole", json::object{{"RoleArn", arn(role)}, {"RoleSessionName", session}});
  }
  static std::string arn(const std::string& role) {
    return std::string("arn:aws:iam::") + kAccount + ":role/" + role;
  }
  static std::string text(const json::value& v) { return std::string(v.as_string()); }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  FakeDirectory directory_;
  FakeAuthority authority_;
  OidcKeys oidc_keys_;
  std::unique_ptr<IdentityStore> identities_;
  std::unique_ptr<RoleSessions> sessions_;
  std::unique_ptr<StsService> service_;
};

}  // namespace services::sts::test

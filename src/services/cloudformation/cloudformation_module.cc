// The CloudFormation module (cloudformation_module.h).

#include "services/cloudformation/cloudformation_module.h"

#include <boost/json.hpp>

#include "core/json.h"
#include "core/log.h"
#include "services/cloudformation/cloudformation_service.h"
#include "services/cloudformation/resources/providers.h"
#include "services/cloudformation/stack_store.h"
#include "store/statement.h"

namespace services::cloudformation {
namespace {

namespace json = boost::json;

// Parameter Store and Secrets Manager values for parameters and dynamic references, read through
// the in-process client as the stack's account.
StackEnvironment environment(const resources::ServiceClient& client) {
  auto get_parameter = [&client](const engine::StackIdentity& id, std::string_view name,
                                 bool decrypt) -> protocol::Result<std::string> {
    auto r = client.call(id, "ssm", "GetParameter",
                         {{"Name", std::string(name)}, {"WithDecryption", decrypt}});
    if (!r) return r.error();
    const json::object* p = core::obj(*r, "Parameter");
    return p ? core::str(*p, "Value") : std::string();
  };
  StackEnvironment env;
  env.ssm_parameter = [get_parameter](const engine::StackIdentity& id) {
    return engine::SsmParameterLookup(
        [get_parameter, id](std::string_view name) { return get_parameter(id, name, false); });
  };
  env.dynamic_refs = [get_parameter, &client](const engine::StackIdentity& id) {
    engine::DynamicReferenceHooks h;
    h.ssm = [get_parameter, id](std::string_view name, std::optional<int64_t> version,
                                bool secure) {
      std::string n(name);
      if (version) n += ":" + std::to_string(*version);
      return get_parameter(id, n, secure);
    };
    h.secret_string = [&client, id](const engine::SecretReference& ref)
        -> protocol::Result<std::string> {
      json::object in{{"SecretId", ref.secret_id}};
      if (!ref.version_id.empty()) in["VersionId"] = ref.version_id;
      if (!ref.version_stage.empty()) in["VersionStage"] = ref.version_stage;
      auto r = client.call(id, "secretsmanager", "GetSecretValue", in);
      if (!r) return r.error();
      return core::str(*r, "SecretString");
    };
    return h;
  };
  return env;
}

class CloudFormationModule final : public module::Module {
 public:
  explicit CloudFormationModule(module::ModuleContext& ctx)
      : db_(ctx.db),
        client_(ctx.registry, &ctx.clock),
        worker_(ctx.db, ctx.clock, providers_, environment(client_)),
        service_(ctx.db, ctx.clock, worker_) {
    resources::add_all_providers(providers_, client_);
    service_.register_operations(ctx.registry);
  }

  // An operation that Gantry's last stop interrupted cannot be resumed: its stack is marked
  // failed, so that the user can delete it or update it again.
  void start() override {
    store::Transaction tx = db_.begin();
    StackStore store(tx);
    std::vector<std::pair<std::string, std::string>> places;
    tx.query("SELECT DISTINCT account, region FROM cfn_stacks",
             [&](const store::Statement& r) { places.emplace_back(r.text(0), r.text(1)); });
    std::vector<Stack> all;
    for (const auto& [account, region] : places) {
      for (Stack& s : store.list(account, region)) all.push_back(std::move(s));
    }
    for (Stack& s : all) {
      if (is_settled(s.status) || s.status == status::kReviewInProgress) continue;
      std::string was = s.status;
      s.status = was.starts_with("DELETE") ? status::kDeleteFailed
                 : was.starts_with("CREATE") || was.starts_with("ROLLBACK")
                     ? status::kRollbackFailed
                     : status::kUpdateRollbackFailed;
      s.status_reason = "Gantry stopped while the stack was in " + was;
      store.update(s);
      core::log::warn("cloudformation: interrupted stack operation",
                      {{"stack", s.name}, {"was", was}, {"now", s.status}});
    }
    tx.commit();
  }

  void stop() override { worker_.stop(); }

 private:
  store::Db& db_;
  resources::ServiceClient client_;
  engine::ResourceProviders providers_;
  StackWorker worker_;
  CloudFormationService service_;
};

}  // namespace

std::unique_ptr<module::Module> make_cloudformation_module(module::ModuleContext& ctx) {
  return std::make_unique<CloudFormationModule>(ctx);
}

}  // namespace services::cloudformation

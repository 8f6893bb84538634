// KMS aliases: CreateAlias, DeleteAlias, UpdateAlias, ListAliases.
// https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html

#include <boost/json.hpp>
#include <map>

#include "core/json.h"
#include "services/kms/errors.h"
#include "services/kms/kms_service.h"

namespace services::kms {

namespace json = boost::json;

namespace {

// "The alias name must begin with alias/ followed by a name ... The alias name cannot begin
// with alias/aws/. The alias/aws/ prefix is reserved for AWS managed keys."
protocol::Result<void> check_alias_name(std::string_view name) {
  // The model's pattern ^[a-zA-Z0-9:/_-]+$, which the validator leaves to the service.
  for (char c : name) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == ':' || c == '/' || c == '_' || c == '-';
    if (!allowed) {
      return errors::constraint("aliasName", std::string(name),
                                "Member must satisfy regular expression pattern: "
                                "^[a-zA-Z0-9:/_-]+$");
    }
  }
  if (!name.starts_with("alias/")) return errors::alias_prefix();
  if (name.starts_with("alias/aws/")) return errors::reserved_alias();
  if (name.size() == 6) {
    return errors::invalid_alias_name("Alias name must have at least one character after alias/");
  }
  return {};
}

// CreateAlias and UpdateAlias: a valid name, and a TargetKeyId that names a key (id or ARN),
// never an alias.
protocol::Result<void> check_alias_request(std::string_view name, std::string_view target) {
  if (auto ok = check_alias_name(name); !ok) return ok;
  if (target.starts_with("alias/") || target.find(":alias/") != std::string_view::npos) {
    return errors::validation("Aliases must refer to keys. Not aliases");
  }
  return {};
}

}  // namespace

protocol::Result<KeyRow> KmsService::alias_target_in(KmsStore& st, const Ctx& ctx,
                                                     std::string_view target,
                                                     std::string_view action) {
  protocol::Result<KeyRow> key = ring_.resolve_in(st, ctx.account, ctx.region, target);
  if (!key) return key;
  if (auto ok = customer_managed(ctx, *key, action); !ok) return ok.error();
  if (key->state == kPendingDeletion) return errors::pending_deletion(key_arn(*key));
  return key;
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
Reply KmsService::create_alias(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "AliasName");
  std::string target = core::str(in, "TargetKeyId");
  if (auto ok = check_alias_request(name, target); !ok) return ok.error();
  store::Transaction tx = ring_.db().begin();
  KmsStore st(tx);
  if (st.alias(ctx.account, ctx.region, name)) {
    return errors::alias_exists(alias_arn(ctx.account, ctx.region, name));
  }
  protocol::Result<KeyRow> key = alias_target_in(st, ctx, target, "CreateAlias");
  if (!key) return key.error();
  int64_t now = ring_.now_ms();
  st.insert_alias(AliasRow{ctx.account, ctx.region, name, key->key_id, now, now});
  tx.commit();
  return json::object{};
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html
Reply KmsService::delete_alias(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "AliasName");
  if (auto ok = check_alias_name(name); !ok) return ok.error();
  store::Transaction tx = ring_.db().begin();
  KmsStore st(tx);
  std::optional<AliasRow> alias = st.alias(ctx.account, ctx.region, name);
  if (!alias) return errors::alias_not_found(alias_arn(ctx.account, ctx.region, name));
  st.delete_alias(*alias);
  tx.commit();
  return json::object{};
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html
// "If the destination KMS key is pending deletion, the command fails with error:
// KMSInvalidStateException : <key ARN> is pending deletion."
Reply KmsService::update_alias(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "AliasName");
  std::string target = core::str(in, "TargetKeyId");
  if (auto ok = check_alias_request(name, target); !ok) return ok.error();
  store::Transaction tx = ring_.db().begin();
  KmsStore st(tx);
  std::optional<AliasRow> alias = st.alias(ctx.account, ctx.region, name);
  if (!alias) return errors::alias_not_found(alias_arn(ctx.account, ctx.region, name));
  protocol::Result<KeyRow> key = alias_target_in(st, ctx, target, "UpdateAlias");
  if (!key) return key.error();
  st.retarget_alias(*alias, key->key_id, ring_.now_ms());
  tx.commit();
  return json::object{};
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html
// Without KeyId the list also has the predefined aliases of AWS managed keys that do not exist
// yet, "aliases without a TargetKeyId field", as AWS lists them.
Reply KmsService::list_aliases(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> after = page_after(in);
  if (!after) return after.error();
  int64_t limit = page_limit(in, 100);
  store::Transaction tx = ring_.db().begin();
  KmsStore st(tx);
  std::optional<std::string> key_id;
  if (std::optional<std::string> ref = core::opt_str(in, "KeyId")) {
    protocol::Result<KeyRow> key = ring_.resolve_in(st, ctx.account, ctx.region, *ref);
    if (!key) return key.error();
    key_id = key->key_id;
  } else {
    st.purge_deleted(ctx.account, ctx.region, ring_.now_ms());
  }
  std::map<std::string, json::object> page;  // by name
  for (const AliasRow& a : st.aliases_after(ctx.account, ctx.region, *after, limit + 1, key_id)) {
    page.emplace(a.name, alias_entry(a));
  }
  if (!key_id) {
    for (const ManagedAlias& m : managed_aliases()) {
      if (std::string(m.name) > *after && !page.contains(std::string(m.name)) &&
          !st.alias(ctx.account, ctx.region, m.name)) {
        page.emplace(std::string(m.name),
                     json::object{{"AliasName", m.name},
                                  {"AliasArn", alias_arn(ctx.account, ctx.region, m.name)}});
      }
    }
  }
  tx.commit();
  json::array list;
  bool truncated = static_cast<int64_t>(page.size()) > limit;
  for (auto& [name, entry] : page) {
    if (static_cast<int64_t>(list.size()) == limit) break;
    list.push_back(std::move(entry));
  }
  json::object out{{"Truncated", truncated}};
  if (truncated) out["NextMarker"] = marker(list.back().as_object().at("AliasName").as_string());
  out["Aliases"] = std::move(list);
  return out;
}

}  // namespace services::kms

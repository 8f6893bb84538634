#include "services/kms/kms_service.h"

#include "core/json.h"
#include "services/kms/errors.h"

namespace services::kms {

void KmsService::register_operations(protocol::ServiceRegistry& registry) {
  registry.add(
      "kms",
      {
          {"CreateKey", protocol::method(this, &KmsService::create_key)},
          {"DescribeKey", protocol::method(this, &KmsService::describe_key)},
          {"ListKeys", protocol::method(this, &KmsService::list_keys)},
          {"EnableKey", protocol::method(this, &KmsService::enable_key)},
          {"DisableKey", protocol::method(this, &KmsService::disable_key)},
          {"ScheduleKeyDeletion", protocol::method(this, &KmsService::schedule_key_deletion)},
          {"CancelKeyDeletion", protocol::method(this, &KmsService::cancel_key_deletion)},
          {"TagResource", protocol::method(this, &KmsService::tag_resource)},
          {"UntagResource", protocol::method(this, &KmsService::untag_resource)},
          {"ListResourceTags", protocol::method(this, &KmsService::list_resource_tags)},
          {"GetKeyPolicy", protocol::method(this, &KmsService::get_key_policy)},
          {"PutKeyPolicy", protocol::method(this, &KmsService::put_key_policy)},
          {"EnableKeyRotation", protocol::method(this, &KmsService::enable_key_rotation)},
          {"DisableKeyRotation", protocol::method(this, &KmsService::disable_key_rotation)},
          {"GetKeyRotationStatus", protocol::method(this, &KmsService::get_key_rotation_status)},
          {"CreateAlias", protocol::method(this, &KmsService::create_alias)},
          {"DeleteAlias", protocol::method(this, &KmsService::delete_alias)},
          {"UpdateAlias", protocol::method(this, &KmsService::update_alias)},
          {"ListAliases", protocol::method(this, &KmsService::list_aliases)},
          {"Encrypt", protocol::method(this, &KmsService::encrypt)},
          {"Decrypt", protocol::method(this, &KmsService::decrypt)},
          {"ReEncrypt", protocol::method(this, &KmsService::re_encrypt)},
          {"GenerateDataKey", protocol::method(this, &KmsService::generate_data_key)},
          {"GenerateDataKeyWithoutPlaintext",
           protocol::method(this, &KmsService::generate_data_key_without_plaintext)},
          {"GenerateRandom", protocol::method(this, &KmsService::generate_random)},
      });
}

Reply KmsService::with_key(const Ctx& ctx, const Doc& in, const KeyStep& step) {
  store::Transaction tx = ring_.db().begin();
  KmsStore st(tx);
  protocol::Result<KeyRow> key =
      ring_.resolve_in(st, ctx.account, ctx.region, core::str(in, "KeyId"));
  if (!key) return key.error();
  Reply out = step(st, *key);
  if (out) tx.commit();
  return out;
}

Reply KmsService::change_key(const Ctx& ctx, const Doc& in, std::string_view action,
                             const KeyStep& step) {
  return with_key(ctx, in, [&](KmsStore& st, KeyRow& key) -> Reply {
    if (auto ok = customer_managed(ctx, key, action); !ok) return ok.error();
    if (key.state == kPendingDeletion) return errors::pending_deletion(key_arn(key));
    return step(st, key);
  });
}

protocol::Result<void> customer_managed(const Ctx& ctx, const KeyRow& key,
                                        std::string_view action) {
  if (key.key_manager == "AWS") {
    return errors::access_denied(ctx.caller_arn, std::string(action), key_arn(key));
  }
  return {};
}

int64_t page_limit(const Doc& in, int64_t fallback) {
  return core::opt_int(in, "Limit").value_or(fallback);
}

protocol::Result<std::string> page_after(const Doc& in) {
  std::optional<std::string> m = core::opt_str(in, "Marker");
  if (!m) return std::string();
  std::optional<std::string> after = parse_marker(*m);
  if (!after) return errors::invalid_marker();
  return std::move(*after);
}

}  // namespace services::kms

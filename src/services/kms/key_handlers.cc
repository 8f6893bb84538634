// KMS keys: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion,
// CancelKeyDeletion.

#include <boost/json.hpp>
#include <chrono>

#include "core/json.h"
#include "services/kms/errors.h"
#include "services/kms/key_settings.h"
#include "services/kms/kms_service.h"

namespace services::kms {

namespace json = boost::json;

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// The KeyUsage values each KeySpec allows, from CreateKey's KeySpec documentation.
bool usage_fits(std::string_view spec, std::string_view usage) {
  if (spec == "SYMMETRIC_DEFAULT") return usage == "ENCRYPT_DECRYPT";
  if (spec.starts_with("RSA_")) return usage == "ENCRYPT_DECRYPT" || usage == "SIGN_VERIFY";
  if (spec.starts_with("HMAC_")) return usage == "GENERATE_VERIFY_MAC";
  if (spec == "SM2") return usage != "GENERATE_VERIFY_MAC";
  if (spec.starts_with("ECC_NIST_P")) return usage == "SIGN_VERIFY" || usage == "KEY_AGREEMENT";
  return usage == "SIGN_VERIFY";  // ECC_SECG_P256K1, ECC_NIST_EDWARDS25519, ML_DSA_*
}

// CreateKey's choices that AWS accepts but Gantry does not emulate answer
// UnsupportedOperationException; combinations AWS rejects answer ValidationException.
protocol::Result<void> check_key_kind(const Doc& in) {
  std::optional<std::string> spec = core::opt_str(in, "KeySpec");
  std::optional<std::string> legacy = core::opt_str(in, "CustomerMasterKeySpec");
  if (spec && legacy) {
    return errors::validation(
        "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. "
        "CustomerMasterKeySpec parameter is deprecated. Use KeySpec parameter instead.");
  }
  std::string key_spec = spec ? *spec : legacy.value_or("SYMMETRIC_DEFAULT");
  std::string usage = core::str(in, "KeyUsage", "ENCRYPT_DECRYPT");
  if (!usage_fits(key_spec, usage)) {
    return errors::validation("KeyUsage " + usage + " is not compatible with KeySpec " + key_spec +
                              ".");
  }
  if (key_spec != "SYMMETRIC_DEFAULT") {
    return errors::unsupported(
        "Gantry implements only symmetric encryption KMS keys "
        "(SYMMETRIC_DEFAULT); KeySpec " +
        key_spec + " is not supported.");
  }
  std::string origin = core::str(in, "Origin", "AWS_KMS");
  if (origin != "AWS_KMS") {
    return errors::unsupported(
        "Gantry implements only KMS keys with key material from KMS "
        "(AWS_KMS); Origin " +
        origin + " is not supported.");
  }
  if (std::optional<std::string> store = core::opt_str(in, "CustomKeyStoreId")) {
    return protocol::AwsError{"CustomKeyStoreNotFoundException",
                              "Custom key store " + *store + " does not exist."};
  }
  if (core::opt_bool(in, "MultiRegion").value_or(false)) {
    return errors::unsupported("Gantry does not implement multi-Region KMS keys.");
  }
  return {};
}

json::object key_reply(const KeyRow& key) {
  return json::object{{"KeyMetadata", key_metadata(key)}};
}

}  // namespace

// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html
Reply KmsService::create_key(const Ctx& ctx, const Doc& in) {
  if (auto ok = check_key_kind(in); !ok) return ok.error();
  KeyRow key = ring_.new_key(ctx.account, ctx.region);
  if (std::optional<std::string> policy = core::opt_str(in, "Policy")) {
    if (auto ok = check_policy(*policy); !ok) return ok.error();
    key.policy = *policy;
  }
  key.description = core::str(in, "Description");
  if (const json::array* tags = core::arr(in, "Tags")) {
    if (auto ok = merge_tags(*tags, key.tags, ctx.via_cloudformation()); !ok) return ok.error();
  }
  store::Transaction tx = ring_.db().begin();
  KmsStore(tx).insert_key(key);
  tx.commit();
  return key_reply(key);
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
Reply KmsService::describe_key(const Ctx& ctx, const Doc& in) {
  return with_key(ctx, in, [](KmsStore&, KeyRow& key) -> Reply { return key_reply(key); });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html
Reply KmsService::list_keys(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> after = page_after(in);
  if (!after) return after.error();
  int64_t limit = page_limit(in, 100);
  store::Transaction tx = ring_.db().begin();
  KmsStore st(tx);
  st.purge_deleted(ctx.account, ctx.region, ring_.now_ms());
  std::vector<KeyRow> keys = st.keys_after(ctx.account, ctx.region, *after, limit + 1);
  tx.commit();
  bool truncated = static_cast<int64_t>(keys.size()) > limit;
  if (truncated) keys.resize(static_cast<std::size_t>(limit));
  json::array list;
  for (const KeyRow& k : keys) {
    list.push_back(json::object{{"KeyId", k.key_id}, {"KeyArn", key_arn(k)}});
  }
  json::object out{{"Keys", std::move(list)}, {"Truncated", truncated}};
  if (truncated) out["NextMarker"] = marker(keys.back().key_id);
  return out;
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html
Reply KmsService::enable_key(const Ctx& ctx, const Doc& in) {
  return change_key(ctx, in, "EnableKey", [](KmsStore& st, KeyRow& key) -> Reply {
    key.state = std::string(kEnabled);
    st.update_key(key);
    return json::object{};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html
Reply KmsService::disable_key(const Ctx& ctx, const Doc& in) {
  return change_key(ctx, in, "DisableKey", [](KmsStore& st, KeyRow& key) -> Reply {
    key.state = std::string(kDisabled);
    st.update_key(key);
    return json::object{};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
// "This value is optional. If you include a value, it must be between 7 and 30, inclusive. If you
// do not include a value, it defaults to 30."
Reply KmsService::schedule_key_deletion(const Ctx& ctx, const Doc& in) {
  int64_t days = core::opt_int(in, "PendingWindowInDays").value_or(30);
  if (days < 7 || days > 30) {
    return errors::validation("PendingWindowInDays should be between 7 and 30, but it is " +
                              std::to_string(days));
  }
  return change_key(ctx, in, "ScheduleKeyDeletion", [&](KmsStore& st, KeyRow& key) -> Reply {
    int64_t now = ring_.now_ms();
    auto window = std::chrono::milliseconds(days * kDayMs);
    key.state = std::string(kPendingDeletion);
    key.deletion_date_ms = now + days * kDayMs;
    key.deletion_due_ms =
        now +
        std::chrono::duration_cast<std::chrono::milliseconds>(ring_.clock().scaled(window)).count();
    key.pending_window_days = days;
    st.update_key(key);
    return json::object{{"KeyId", key_arn(key)},
                        {"DeletionDate", epoch_seconds(*key.deletion_date_ms)},
                        {"KeyState", key.state},
                        {"PendingWindowInDays", days}};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html
// "When this operation succeeds, the key state of the KMS key is Disabled."
Reply KmsService::cancel_key_deletion(const Ctx& ctx, const Doc& in) {
  return with_key(ctx, in, [&](KmsStore& st, KeyRow& key) -> Reply {
    if (auto ok = customer_managed(ctx, key, "CancelKeyDeletion"); !ok) return ok.error();
    if (key.state != kPendingDeletion) return errors::not_pending_deletion(key_arn(key));
    key.state = std::string(kDisabled);
    key.deletion_date_ms.reset();
    key.deletion_due_ms.reset();
    key.pending_window_days.reset();
    st.update_key(key);
    return json::object{{"KeyId", key_arn(key)}};
  });
}

}  // namespace services::kms

// What a key carries besides its material: TagResource, UntagResource, ListResourceTags,
// GetKeyPolicy, PutKeyPolicy, EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/kms/errors.h"
#include "services/kms/key_settings.h"
#include "services/kms/kms_service.h"

namespace services::kms {

namespace json = boost::json;

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// GetKeyPolicy and PutKeyPolicy: "The only valid name is default."
protocol::Result<void> check_policy_name(const Doc& in) {
  std::string name = core::str(in, "PolicyName", "default");
  if (name != "default") {
    return protocol::AwsError{"NotFoundException", "No such policy exists"};
  }
  return {};
}

// Rotation changes: the key must be Enabled (DisabledException, KMSInvalidStateException).
protocol::Result<void> rotation_allowed(const Ctx& ctx, const KeyRow& key,
                                        std::string_view action) {
  if (auto ok = customer_managed(ctx, key, action); !ok) return ok;
  return KeyRing::check_enabled(key);
}

}  // namespace

// https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html
Reply KmsService::tag_resource(const Ctx& ctx, const Doc& in) {
  return change_key(ctx, in, "TagResource", [&](KmsStore& st, KeyRow& key) -> Reply {
    static const json::array kNone;
    const json::array* tags = core::arr(in, "Tags");
    if (auto ok = merge_tags(tags ? *tags : kNone, key.tags, ctx.via_cloudformation()); !ok)
      return ok.error();
    st.update_key(key);
    return json::object{};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html
Reply KmsService::untag_resource(const Ctx& ctx, const Doc& in) {
  return change_key(ctx, in, "UntagResource", [&](KmsStore& st, KeyRow& key) -> Reply {
    for (const std::string& k : core::strings(in, "TagKeys")) {
      key.tags.erase(k);
    }
    st.update_key(key);
    return json::object{};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html
Reply KmsService::list_resource_tags(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> after = page_after(in);
  if (!after) return after.error();
  int64_t limit = page_limit(in, 50);
  return with_key(ctx, in, [&](KmsStore&, KeyRow& key) -> Reply {
    json::array page;
    bool truncated = false;
    for (json::value& tag : tag_list(key.tags)) {
      if (std::string(tag.as_object().at("TagKey").as_string()) <= *after) continue;
      if (static_cast<int64_t>(page.size()) == limit) {
        truncated = true;
        break;
      }
      page.push_back(std::move(tag));
    }
    json::object out{{"Truncated", truncated}};
    if (truncated) {
      out["NextMarker"] = marker(page.back().as_object().at("TagKey").as_string());
    }
    out["Tags"] = std::move(page);
    return out;
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
Reply KmsService::get_key_policy(const Ctx& ctx, const Doc& in) {
  if (auto ok = check_policy_name(in); !ok) return ok.error();
  return with_key(ctx, in, [](KmsStore&, KeyRow& key) -> Reply {
    return json::object{{"Policy", key.policy}, {"PolicyName", "default"}};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
Reply KmsService::put_key_policy(const Ctx& ctx, const Doc& in) {
  if (auto ok = check_policy_name(in); !ok) return ok.error();
  std::string policy = core::str(in, "Policy");
  if (auto ok = check_policy(policy); !ok) return ok.error();
  return with_key(ctx, in, [&](KmsStore& st, KeyRow& key) -> Reply {
    if (auto ok = customer_managed(ctx, key, "PutKeyPolicy"); !ok) return ok.error();
    key.policy = policy;
    st.update_key(key);
    return json::object{};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html
// "RotationPeriodInDays ... If no value is specified, the default value is 365 days."
Reply KmsService::enable_key_rotation(const Ctx& ctx, const Doc& in) {
  int64_t period = core::opt_int(in, "RotationPeriodInDays").value_or(365);
  return with_key(ctx, in, [&](KmsStore& st, KeyRow& key) -> Reply {
    if (auto ok = rotation_allowed(ctx, key, "EnableKeyRotation"); !ok) return ok.error();
    key.rotation_enabled = true;
    key.rotation_period_days = period;
    key.next_rotation_ms = ring_.now_ms() + period * kDayMs;
    st.update_key(key);
    return json::object{};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html
Reply KmsService::disable_key_rotation(const Ctx& ctx, const Doc& in) {
  return with_key(ctx, in, [&](KmsStore& st, KeyRow& key) -> Reply {
    if (auto ok = rotation_allowed(ctx, key, "DisableKeyRotation"); !ok) return ok.error();
    key.rotation_enabled = false;
    key.next_rotation_ms.reset();
    st.update_key(key);
    return json::object{};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html
Reply KmsService::get_key_rotation_status(const Ctx& ctx, const Doc& in) {
  return with_key(ctx, in, [](KmsStore&, KeyRow& key) -> Reply {
    json::object out{{"KeyRotationEnabled", key.rotation_enabled}, {"KeyId", key_arn(key)}};
    if (key.rotation_enabled) {
      out["RotationPeriodInDays"] = key.rotation_period_days.value_or(365);
      if (key.next_rotation_ms) out["NextRotationDate"] = epoch_seconds(*key.next_rotation_ms);
    }
    return out;
  });
}

}  // namespace services::kms

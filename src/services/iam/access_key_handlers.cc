// Access keys of IAM users: AKIA + 16 characters with a 40-character secret, at most two per
// user. SigV4 resolves them through Directory::find_access_key.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_service.h"

namespace services::iam {

namespace json = boost::json;

namespace {

// IAM's quota of access keys per user.
constexpr std::size_t kMaxKeys = 2;

protocol::AwsError no_key(const std::string& id) {
  return errors::no_such_entity("The Access Key with id " + id + " cannot be found");
}

// The user a key call is about: in["UserName"], else the calling user.
protocol::Result<std::string> key_user(const Ctx& ctx, const Doc& in) {
  if (std::optional<std::string> name = core::opt_str(in, "UserName")) return *name;
  if (std::optional<std::string> name = caller_user_name(ctx)) return *name;
  return errors::validation("Must specify userName when calling with non-User credentials");
}

// The key `id` of user `name` in the caller's account, or NoSuchEntity.
protocol::Result<void> owned_key(IamStore& st, const Ctx& ctx, const std::string& name,
                                 const std::string& id) {
  std::optional<AccessKeyRow> key = st.key(id);
  if (!key || key->account != ctx.account || key->user_key != name_key(name)) return no_key(id);
  return {};
}

}  // namespace

// CreateAccessKey — https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html
Reply IamService::create_access_key(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> name = key_user(ctx, in);
  if (!name) return name.error();
  return write([&](IamStore& st) -> Reply {
    protocol::Result<Doc> user = need(st, ctx, Kind::User, "user", *name);
    if (!user) return user.error();
    if (st.keys_of(ctx.account, *name).size() >= kMaxKeys) {
      return errors::limit_exceeded("Cannot exceed quota for AccessKeysPerUser: 2");
    }
    AccessKeyRow key;
    key.access_key_id = "AKIA" + core::ids::random_upper_alnum(16);
    key.account = ctx.account;
    key.user_key = name_key(*name);
    key.secret = core::ids::random_secret(40);
    key.created_at = now();
    st.insert_key(key);
    return Doc{{"AccessKey",
                {{"UserName", user->at("UserName")},
                 {"AccessKeyId", key.access_key_id},
                 {"Status", key.status},
                 {"SecretAccessKey", key.secret},
                 {"CreateDate", key.created_at}}}};
  });
}

// ListAccessKeys — https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html
Reply IamService::list_access_keys(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> name = key_user(ctx, in);
  if (!name) return name.error();
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> user = need(st, ctx, Kind::User, "user", *name);
    if (!user) return user.error();
    json::array keys;
    for (const AccessKeyRow& k : st.keys_of(ctx.account, *name)) {
      keys.push_back(json::object{{"UserName", user->at("UserName")},
                                  {"AccessKeyId", k.access_key_id},
                                  {"Status", k.status},
                                  {"CreateDate", k.created_at}});
    }
    return Doc{{"AccessKeyMetadata", std::move(keys)}, {"IsTruncated", false}};
  });
}

// UpdateAccessKey — https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html
Reply IamService::update_access_key(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> name = key_user(ctx, in);
  if (!name) return name.error();
  std::string id = core::str(in, "AccessKeyId");
  return write([&](IamStore& st) -> Reply {
    if (auto ok = owned_key(st, ctx, *name, id); !ok) return ok.error();
    st.set_key_status(id, core::str(in, "Status"));
    return Doc{};
  });
}

// DeleteAccessKey — https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteAccessKey.html
Reply IamService::delete_access_key(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> name = key_user(ctx, in);
  if (!name) return name.error();
  std::string id = core::str(in, "AccessKeyId");
  return write([&](IamStore& st) -> Reply {
    if (auto ok = owned_key(st, ctx, *name, id); !ok) return ok.error();
    st.delete_key(id);
    return Doc{};
  });
}

// GetAccessKeyLastUsed —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html
Reply IamService::get_access_key_last_used(const Ctx& ctx, const Doc& in) {
  std::string id = core::str(in, "AccessKeyId");
  return read([&](IamStore& st) -> Reply {
    std::optional<AccessKeyRow> key = st.key(id);
    if (!key || key->account != ctx.account) return no_key(id);
    std::optional<Doc> user = st.get(ctx.account, Kind::User, key->user_key);
    json::object used{{"ServiceName", "N/A"}, {"Region", "N/A"}};
    if (key->last_used_at) {
      used = {{"LastUsedDate", *key->last_used_at},
              {"ServiceName", key->last_used_service},
              {"Region", key->last_used_region}};
    }
    return Doc{{"UserName", user ? user->at("UserName") : json::value(key->user_key)},
               {"AccessKeyLastUsed", std::move(used)}};
  });
}

}  // namespace services::iam

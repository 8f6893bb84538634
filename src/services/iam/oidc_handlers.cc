// OpenID Connect identity providers (GitHub Actions, EKS, ...), keyed by their URL without
// "https://". AssumeRoleWithWebIdentity finds them through Directory::find_oidc_provider.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html

#include <algorithm>
#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_json.h"
#include "services/iam/iam_service.h"
#include "services/iam/tags.h"

namespace services::iam {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxThumbprints = 5;
constexpr std::size_t kMaxClientIds = 100;

// The provider's key: its URL without the scheme or a trailing "/".
std::string provider_key(std::string_view url) {
  if (url.starts_with("https://")) url.remove_prefix(8);
  while (url.ends_with('/')) url.remove_suffix(1);
  return std::string(url);
}

protocol::AwsError no_provider(std::string_view arn) {
  return errors::no_such_entity("OpenIDConnect Provider not found for arn " + std::string(arn));
}

// The key of a provider ARN of the caller's account, "" for anything else.
std::string key_of_arn(const Ctx& ctx, std::string_view arn) {
  std::string prefix = "arn:aws:iam::" + ctx.account + ":oidc-provider/";
  return arn.starts_with(prefix) ? std::string(arn.substr(prefix.size())) : std::string();
}

json::array unique_strings(const std::vector<std::string>& in) {
  json::array out;
  for (const std::string& s : in) {
    if (std::find(out.begin(), out.end(), json::value(s)) == out.end())
      out.push_back(json::value(s));
  }
  return out;
}

// Runs `step` on the provider in["OpenIDConnectProviderArn"] names, storing it back when
// `store` and the step succeeds.
Reply with_provider(IamStore& st, const Ctx& ctx, const Doc& in, bool store,
                    const std::function<Reply(Doc&)>& step) {
  std::string arn = core::str(in, "OpenIDConnectProviderArn");
  std::string key = key_of_arn(ctx, arn);
  std::optional<Doc> provider =
      key.empty() ? std::nullopt : st.get(ctx.account, Kind::OidcProvider, key);
  if (!provider) return no_provider(arn);
  Reply out = step(*provider);
  if (out && store) st.put(ctx.account, Kind::OidcProvider, key, *provider);
  return out;
}

}  // namespace

// CreateOpenIDConnectProvider —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
Reply IamService::create_oidc_provider(const Ctx& ctx, const Doc& in) {
  std::string url = core::str(in, "Url");
  std::string key = provider_key(url);
  if (!url.starts_with("https://") || key.empty() || key.find('/') == 0) {
    return errors::validation("Invalid Open ID Connect Provider URL");
  }
  std::vector<std::string> thumbprints = core::strings(in, "ThumbprintList");
  std::vector<std::string> client_ids = core::strings(in, "ClientIDList");
  if (thumbprints.size() > kMaxThumbprints) {
    return errors::invalid_input("Thumbprint list must contain fewer than 5 entries.");
  }
  if (client_ids.size() > kMaxClientIds) {
    return errors::limit_exceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
  }
  std::string arn = "arn:aws:iam::" + ctx.account + ":oidc-provider/" + key;
  Doc provider{{"Url", key},
               {"Arn", arn},
               {"ClientIDList", unique_strings(client_ids)},
               {"ThumbprintList", unique_strings(thumbprints)},
               {"CreateDate", now()},
               {"Tags", json::array{}}};
  add_tags(provider, in);
  return write([&](IamStore& st) -> Reply {
    if (!st.insert(ctx.account, Kind::OidcProvider, key, provider)) {
      return errors::already_exists("Provider with url https://" + key + " already exists.");
    }
    Doc out{{"OpenIDConnectProviderArn", arn}};
    if (!provider.at("Tags").as_array().empty()) out["Tags"] = provider.at("Tags");
    return out;
  });
}

// GetOpenIDConnectProvider —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetOpenIDConnectProvider.html
Reply IamService::get_oidc_provider(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) {
    return with_provider(st, ctx, in, false, [](Doc& p) -> Reply {
      Doc out = public_view(p);
      out.erase("Arn");
      return out;
    });
  });
}

// ListOpenIDConnectProviders —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOpenIDConnectProviders.html
Reply IamService::list_oidc_providers(const Ctx& ctx, const Doc&) {
  return read([&](IamStore& st) -> Reply {
    json::array list;
    for (const Doc& p : st.all(ctx.account, Kind::OidcProvider)) {
      list.push_back(json::object{{"Arn", p.at("Arn")}});
    }
    return Doc{{"OpenIDConnectProviderList", std::move(list)}};
  });
}

// DeleteOpenIDConnectProvider —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteOpenIDConnectProvider.html
Reply IamService::delete_oidc_provider(const Ctx& ctx, const Doc& in) {
  return write([&](IamStore& st) {
    return with_provider(st, ctx, in, false, [&](Doc& p) -> Reply {
      st.erase(ctx.account, Kind::OidcProvider, core::str(p, "Url"));
      return Doc{};
    });
  });
}

// AddClientIDToOpenIDConnectProvider —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddClientIDToOpenIDConnectProvider.html
Reply IamService::add_client_id_to_oidc_provider(const Ctx& ctx, const Doc& in) {
  return write([&](IamStore& st) {
    return with_provider(st, ctx, in, true, [&](Doc& p) -> Reply {
      std::vector<std::string> ids = core::strings(p, "ClientIDList");
      ids.push_back(core::str(in, "ClientID"));
      if (ids.size() > kMaxClientIds) {
        return errors::limit_exceeded(
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
      }
      p["ClientIDList"] = unique_strings(ids);
      return Doc{};
    });
  });
}

// RemoveClientIDFromOpenIDConnectProvider —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveClientIDFromOpenIDConnectProvider.html
Reply IamService::remove_client_id_from_oidc_provider(const Ctx& ctx, const Doc& in) {
  return write([&](IamStore& st) {
    return with_provider(st, ctx, in, true, [&](Doc& p) -> Reply {
      std::vector<std::string> ids = core::strings(p, "ClientIDList");
      std::erase(ids, core::str(in, "ClientID"));
      p["ClientIDList"] = unique_strings(ids);
      return Doc{};
    });
  });
}

// UpdateOpenIDConnectProviderThumbprint —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateOpenIDConnectProviderThumbprint.html
Reply IamService::update_oidc_provider_thumbprint(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> thumbprints = core::strings(in, "ThumbprintList");
  if (thumbprints.size() > kMaxThumbprints) {
    return errors::invalid_input("Thumbprint list must contain fewer than 5 entries.");
  }
  return write([&](IamStore& st) {
    return with_provider(st, ctx, in, true, [&](Doc& p) -> Reply {
      p["ThumbprintList"] = unique_strings(thumbprints);
      return Doc{};
    });
  });
}

// TagOpenIDConnectProvider —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagOpenIDConnectProvider.html
Reply IamService::tag_oidc_provider(const Ctx& ctx, const Doc& in) {
  return write([&](IamStore& st) {
    return with_provider(st, ctx, in, true, [&](Doc& p) -> Reply {
      add_tags(p, in);
      return Doc{};
    });
  });
}

// UntagOpenIDConnectProvider —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagOpenIDConnectProvider.html
Reply IamService::untag_oidc_provider(const Ctx& ctx, const Doc& in) {
  return write([&](IamStore& st) {
    return with_provider(st, ctx, in, true, [&](Doc& p) -> Reply {
      remove_tags(p, in);
      return Doc{};
    });
  });
}

// ListOpenIDConnectProviderTags —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOpenIDConnectProviderTags.html
Reply IamService::list_oidc_provider_tags(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) {
    return with_provider(st, ctx, in, false, [&](Doc& p) -> Reply { return tags_page(p, in); });
  });
}

}  // namespace services::iam

// Repositories, their tags and settings, GetAuthorizationToken and DescribeRegistry.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/base64.h"
#include "core/ids.h"
#include "services/ecr/ecr_service.h"
#include "services/ecr/errors.h"

namespace services::ecr {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTags = 50;

json::array parse_tags(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_array() ? v.get_array() : json::array{};
}

// Merges `add` (a TagList) into `tags`, replacing values of existing keys.
protocol::Result<json::array> merge_tags(json::array tags, const json::value* add) {
  if (!add || !add->is_array()) {
    return tags;
  }
  for (const json::value& t : add->get_array()) {
    const json::object* o = t.if_object();
    const json::value* k = o ? o->if_contains("Key") : nullptr;
    const json::value* v = o ? o->if_contains("Value") : nullptr;
    if (!k || !k->is_string() || k->get_string().empty() || k->get_string().size() > 128) {
      return errors::invalid_tag_parameter("Tag keys must be between 1 and 128 characters long");
    }
    std::string value = v && v->is_string() ? std::string(v->get_string()) : std::string();
    if (value.size() > 256) {
      return errors::invalid_tag_parameter("Tag values must be at most 256 characters long");
    }
    bool replaced = false;
    for (json::value& existing : tags) {
      if (existing.as_object()["Key"] == k->get_string()) {
        existing.as_object()["Value"] = value;
        replaced = true;
      }
    }
    if (!replaced) {
      tags.push_back(json::object{{"Key", k->get_string()}, {"Value", value}});
    }
  }
  if (tags.size() > kMaxTags) {
    return errors::too_many_tags("The repository can have at most 50 tags");
  }
  return tags;
}

// arn:aws:ecr:<region>:<account>:repository/<name>
protocol::Result<RepoKey> key_from_arn(std::string_view arn) {
  core::ids::ParsedArn parsed;
  if (!core::ids::parse_arn(arn, &parsed) || parsed.service != "ecr" ||
      !parsed.resource.starts_with("repository/")) {
    return errors::invalid_parameter("Invalid parameter at 'resourceArn' failed to satisfy "
                                     "constraint: 'Invalid ARN'");
  }
  return RepoKey{parsed.account, parsed.region, parsed.resource.substr(11)};
}

}  // namespace

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
Reply EcrService::create_repository(const Ctx& ctx, const Doc& in) {
  Repository r;
  RepoKey key = key_of(ctx, in);
  if (!is_valid_repository_name(key.name)) {
    return errors::invalid_parameter(
        "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy "
        "regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''");
  }
  r.account = key.account;
  r.region = key.region;
  r.name = key.name;
  r.created_at_ms = core::to_epoch_millis(clock_.now());
  r.tag_mutability = str(in, "imageTagMutability", "MUTABLE");
  if (r.tag_mutability != "MUTABLE" && r.tag_mutability != "IMMUTABLE") {
    return errors::invalid_parameter("Invalid parameter at 'imageTagMutability' failed to "
                                     "satisfy constraint: 'Member must satisfy enum value set: "
                                     "[MUTABLE, IMMUTABLE]'");
  }
  if (const json::value* scan = in.if_contains("imageScanningConfiguration");
      scan && scan->is_object()) {
    if (const json::value* s = scan->get_object().if_contains("scanOnPush"); s && s->is_bool()) {
      r.scan_on_push = s->get_bool();
    }
  }
  if (const json::value* enc = in.if_contains("encryptionConfiguration");
      enc && enc->is_object()) {
    r.encryption_type = str(enc->get_object(), "encryptionType", "AES256");
    std::string kms = str(enc->get_object(), "kmsKey");
    if (r.encryption_type == "AES256" && !kms.empty()) {
      return errors::invalid_parameter(
          "Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'kmsKey "
          "can only be specified when encryptionType is KMS'");
    }
    if (r.encryption_type != "AES256" && r.encryption_type != "KMS" &&
        r.encryption_type != "KMS_DSSE") {
      return errors::invalid_parameter("Invalid parameter at 'encryptionType' failed to satisfy "
                                       "constraint: 'Member must satisfy enum value set: "
                                       "[AES256, KMS, KMS_DSSE]'");
    }
    if (r.encryption_type != "AES256") {
      r.kms_key = kms.empty() ? core::ids::arn("kms", key.region, key.account,
                                               "alias/aws/ecr")
                              : kms;
    }
  }
  auto tags = merge_tags({}, in.if_contains("tags"));
  if (!tags) {
    return tags.error();
  }
  r.tags_json = json::serialize(*tags);
  if (!store_.create_repository(r)) {
    return errors::repository_already_exists(key);
  }
  return Doc{{"repository", repository_json(r)}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html
Reply EcrService::describe_repositories(const Ctx& ctx, const Doc& in) {
  std::string account = str(in, "registryId", ctx.account);
  Doc out;
  json::array repos;
  const json::value* names = in.if_contains("repositoryNames");
  if (names && names->is_array()) {
    if (in.contains("nextToken") || in.contains("maxResults")) {
      return errors::invalid_parameter("Invalid parameter: maxResults and nextToken cannot be "
                                       "used with repositoryNames");
    }
    for (const json::value& n : names->get_array()) {
      RepoKey key{account, ctx.region, n.is_string() ? std::string(n.get_string()) : ""};
      std::optional<Repository> r = store_.find_repository(key);
      if (!r) {
        return errors::repository_not_found(key);
      }
      repos.push_back(repository_json(*r));
    }
  } else {
    std::vector<Repository> all = store_.list_repositories(account, ctx.region);
    auto bounds = page_bounds(in, all.size(), 1000, out);
    if (!bounds) {
      return bounds.error();
    }
    for (std::size_t i = bounds->first; i < bounds->second; ++i) {
      repos.push_back(repository_json(all[i]));
    }
  }
  out["repositories"] = std::move(repos);
  return out;
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepository.html
Reply EcrService::delete_repository(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  const json::value* force = in.if_contains("force");
  if (!(force && force->is_bool() && force->get_bool()) && store_.image_count(key) > 0) {
    return errors::repository_not_empty(key);
  }
  store_.delete_repository(key);
  if (hooks_.images_changed) {
    hooks_.images_changed(key);
  }
  return Doc{{"repository", repository_json(*repo)}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImageTagMutability.html
Reply EcrService::put_image_tag_mutability(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  std::string mutability = str(in, "imageTagMutability");
  if (mutability != "MUTABLE" && mutability != "IMMUTABLE") {
    return errors::invalid_parameter("Invalid parameter at 'imageTagMutability' failed to "
                                     "satisfy constraint: 'Member must satisfy enum value set: "
                                     "[MUTABLE, IMMUTABLE]'");
  }
  repo->tag_mutability = mutability;
  store_.update_repository(*repo);
  return Doc{{"registryId", repo->account},
             {"repositoryName", repo->name},
             {"imageTagMutability", mutability}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImageScanningConfiguration.html
Reply EcrService::put_image_scanning_configuration(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  if (const json::value* scan = in.if_contains("imageScanningConfiguration");
      scan && scan->is_object()) {
    if (const json::value* s = scan->get_object().if_contains("scanOnPush"); s && s->is_bool()) {
      repo->scan_on_push = s->get_bool();
    }
  }
  store_.update_repository(*repo);
  return Doc{{"registryId", repo->account},
             {"repositoryName", repo->name},
             {"imageScanningConfiguration", json::object{{"scanOnPush", repo->scan_on_push}}}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_TagResource.html
Reply EcrService::tag_resource(const Ctx& ctx, const Doc& in) {
  auto key = key_from_arn(str(in, "resourceArn"));
  if (!key) {
    return key.error();
  }
  std::optional<Repository> repo = store_.find_repository(*key);
  if (!repo) {
    return errors::repository_not_found(*key);
  }
  auto tags = merge_tags(parse_tags(repo->tags_json), in.if_contains("tags"));
  if (!tags) {
    return tags.error();
  }
  repo->tags_json = json::serialize(*tags);
  store_.update_repository(*repo);
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_UntagResource.html
Reply EcrService::untag_resource(const Ctx& ctx, const Doc& in) {
  auto key = key_from_arn(str(in, "resourceArn"));
  if (!key) {
    return key.error();
  }
  std::optional<Repository> repo = store_.find_repository(*key);
  if (!repo) {
    return errors::repository_not_found(*key);
  }
  json::array kept;
  const json::value* remove = in.if_contains("tagKeys");
  for (json::value& t : parse_tags(repo->tags_json)) {
    bool drop = false;
    if (remove && remove->is_array()) {
      for (const json::value& k : remove->get_array()) {
        drop = drop || t.as_object()["Key"] == k;
      }
    }
    if (!drop) {
      kept.push_back(std::move(t));
    }
  }
  repo->tags_json = json::serialize(kept);
  store_.update_repository(*repo);
  return Doc{};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ListTagsForResource.html
Reply EcrService::list_tags_for_resource(const Ctx& ctx, const Doc& in) {
  auto key = key_from_arn(str(in, "resourceArn"));
  if (!key) {
    return key.error();
  }
  std::optional<Repository> repo = store_.find_repository(*key);
  if (!repo) {
    return errors::repository_not_found(*key);
  }
  return Doc{{"tags", parse_tags(repo->tags_json)}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAuthorizationToken.html
// The token is valid for 12 hours; proxyEndpoint names this server's registry over plain HTTP.
Reply EcrService::get_authorization_token(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> accounts;
  if (const json::value* ids = in.if_contains("registryIds"); ids && ids->is_array()) {
    for (const json::value& id : ids->get_array()) {
      if (id.is_string()) {
        accounts.emplace_back(id.get_string());
      }
    }
  }
  if (accounts.empty()) {
    accounts.push_back(ctx.account);
  }
  core::TimePoint expires = clock_.now() + std::chrono::hours(12);
  json::array data;
  for (const std::string& account : accounts) {
    std::string token = tokens_.issue(TokenClaims{account, ctx.region, expires});
    RepoKey key{account, ctx.region, ""};
    std::string host = hooks_.registry_host ? hooks_.registry_host(key)
                                            : account + ".dkr.ecr." + ctx.region + ".localhost";
    data.push_back(json::object{
        {"authorizationToken", core::base64_encode("AWS:" + token)},
        {"expiresAt", core::to_epoch_seconds(expires)},
        {"proxyEndpoint", "http://" + host},
    });
  }
  return Doc{{"authorizationData", std::move(data)}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRegistry.html
Reply EcrService::describe_registry(const Ctx& ctx, const Doc& in) {
  return Doc{{"registryId", ctx.account},
             {"replicationConfiguration", json::object{{"rules", json::array{}}}}};
}

}  // namespace services::ecr

// Repository policies and lifecycle policies (with previews).
#include <boost/json/parse.hpp>

#include "services/ecr/ecr_service.h"
#include "services/ecr/errors.h"
#include "services/ecr/lifecycle_policy.h"

namespace services::ecr {

namespace json = boost::json;

namespace {

// An IAM policy document: a JSON object with a Statement.
bool plausible_policy(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() && v.get_object().contains("Statement");
}

}  // namespace

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html
Reply EcrService::set_repository_policy(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  std::string text = str(in, "policyText");
  if (!plausible_policy(text)) {
    return errors::invalid_parameter("Invalid parameter at 'PolicyText' failed to satisfy "
                                     "constraint: 'Invalid repository policy provided'");
  }
  repo->policy = text;
  store_.update_repository(*repo);
  return Doc{{"registryId", repo->account},
             {"repositoryName", repo->name},
             {"policyText", text}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetRepositoryPolicy.html
Reply EcrService::get_repository_policy(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  if (!repo->policy) {
    return errors::repository_policy_not_found(RepoKey{repo->account, repo->region, repo->name});
  }
  return Doc{{"registryId", repo->account},
             {"repositoryName", repo->name},
             {"policyText", *repo->policy}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepositoryPolicy.html
Reply EcrService::delete_repository_policy(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  if (!repo->policy) {
    return errors::repository_policy_not_found(RepoKey{repo->account, repo->region, repo->name});
  }
  std::string text = *repo->policy;
  repo->policy.reset();
  store_.update_repository(*repo);
  return Doc{{"registryId", repo->account},
             {"repositoryName", repo->name},
             {"policyText", text}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutLifecyclePolicy.html
Reply EcrService::put_lifecycle_policy(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  std::string text = str(in, "lifecyclePolicyText");
  std::string error;
  if (!parse_lifecycle_policy(text, &error)) {
    return errors::invalid_parameter(
        "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: '" + error +
        "'");
  }
  repo->lifecycle_policy = text;
  store_.update_repository(*repo);
  if (hooks_.lifecycle_changed) {
    hooks_.lifecycle_changed(RepoKey{repo->account, repo->region, repo->name});
  }
  return Doc{{"registryId", repo->account},
             {"repositoryName", repo->name},
             {"lifecyclePolicyText", text}};
}

Reply EcrService::lifecycle_policy_of(const Repository& repo) const {
  RepoKey key{repo.account, repo.region, repo.name};
  if (!repo.lifecycle_policy) {
    return errors::lifecycle_policy_not_found(key);
  }
  Doc out{{"registryId", repo.account},
          {"repositoryName", repo.name},
          {"lifecyclePolicyText", *repo.lifecycle_policy}};
  if (std::optional<int64_t> at = store_.lifecycle_evaluated_at(key)) {
    out["lastEvaluatedAt"] = static_cast<double>(*at) / 1000.0;
  }
  return out;
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetLifecyclePolicy.html
Reply EcrService::get_lifecycle_policy(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  return lifecycle_policy_of(*repo);
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteLifecyclePolicy.html
Reply EcrService::delete_lifecycle_policy(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  Reply out = lifecycle_policy_of(*repo);
  if (!out) {
    return out;
  }
  repo->lifecycle_policy.reset();
  store_.update_repository(*repo);
  return out;
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_StartLifecyclePolicyPreview.html
// The preview is computed at once (it is cheap); GetLifecyclePolicyPreview then reports COMPLETE.
Reply EcrService::start_lifecycle_policy_preview(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  std::string text = str(in, "lifecyclePolicyText");
  if (text.empty()) {
    if (!repo->lifecycle_policy) {
      return errors::lifecycle_policy_not_found(key);
    }
    text = *repo->lifecycle_policy;
  }
  std::string error;
  std::optional<LifecyclePolicy> policy = parse_lifecycle_policy(text, &error);
  if (!policy) {
    return errors::invalid_parameter(
        "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: '" + error +
        "'");
  }
  std::vector<LifecycleCandidate> candidates;
  for (const Image& image : store_.list_images(key)) {
    candidates.push_back({image.digest, image.tags, core::from_epoch_millis(image.pushed_at_ms)});
  }
  json::array results;
  for (const LifecycleExpiry& e : evaluate_lifecycle_policy(*policy, candidates, clock_.now())) {
    json::object r{{"imageDigest", e.digest},
                   {"imagePushedAt", core::to_epoch_seconds(e.pushed_at)},
                   {"action", json::object{{"type", "EXPIRE"}}},
                   {"appliedRulePriority", e.rule_priority},
                   {"storageClass", "STANDARD"}};
    json::array tags;
    for (const std::string& t : e.tags) {
      tags.emplace_back(t);
    }
    r["imageTags"] = std::move(tags);
    results.push_back(std::move(r));
  }
  Doc preview{{"registryId", key.account},
              {"repositoryName", key.name},
              {"lifecyclePolicyText", text},
              {"status", "COMPLETE"},
              {"summary", json::object{{"expiringImageTotalCount",
                                        static_cast<int64_t>(results.size())}}},
              {"previewResults", std::move(results)}};
  {
    std::lock_guard lock(previews_mutex_);
    previews_[repo_key_string(key)] = preview;
  }
  return Doc{{"registryId", key.account},
             {"repositoryName", key.name},
             {"lifecyclePolicyText", text},
             {"status", "IN_PROGRESS"}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetLifecyclePolicyPreview.html
Reply EcrService::get_lifecycle_policy_preview(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  Doc preview;
  {
    std::lock_guard lock(previews_mutex_);
    auto it = previews_.find(repo_key_string(key));
    if (it == previews_.end()) {
      return errors::lifecycle_policy_preview_not_found(key);
    }
    preview = it->second;
  }
  json::array all = std::move(preview["previewResults"].as_array());
  Doc out = preview;
  auto bounds = page_bounds(in, all.size(), 100, out);
  if (!bounds) {
    return bounds.error();
  }
  json::array page;
  for (std::size_t i = bounds->first; i < bounds->second; ++i) {
    page.push_back(std::move(all[i]));
  }
  out["previewResults"] = std::move(page);
  return out;
}

}  // namespace services::ecr

#include "services/secretsmanager/staging.h"

#include <algorithm>

#include "services/secretsmanager/errors.h"

namespace services::secretsmanager {

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

bool has(const VersionRow& v, std::string_view stage) {
  return std::find(v.stages.begin(), v.stages.end(), stage) != v.stages.end();
}

void drop(VersionRow& v, std::string_view stage) { std::erase(v.stages, std::string(stage)); }

void add(VersionRow& v, std::string_view stage) {
  if (!has(v, stage)) v.stages.emplace_back(stage);
}

VersionRow* find_version(std::vector<VersionRow>& versions, std::string_view id) {
  for (VersionRow& v : versions) {
    if (v.version_id == id) return &v;
  }
  return nullptr;
}

// Puts `stage` on `to`, taking it from whoever held it (with the AWSPREVIOUS rule).
void put_stage(std::vector<VersionRow>& versions, VersionRow& to, std::string_view stage) {
  VersionRow* from = holder(versions, stage);
  if (from == &to) return;
  if (from) drop(*from, stage);
  add(to, stage);
  if (stage == kCurrent && from) {
    if (VersionRow* prev = holder(versions, kPrevious)) drop(*prev, kPrevious);
    add(*from, kPrevious);
  }
}

}  // namespace

VersionRow* holder(std::vector<VersionRow>& versions, std::string_view stage) {
  for (VersionRow& v : versions) {
    if (has(v, stage)) return &v;
  }
  return nullptr;
}

const VersionRow* holder(const std::vector<VersionRow>& versions, std::string_view stage) {
  for (const VersionRow& v : versions) {
    if (has(v, stage)) return &v;
  }
  return nullptr;
}

void attach_stages(std::vector<VersionRow>& versions, std::size_t target,
                   const std::vector<std::string>& stages) {
  for (const std::string& stage : stages) {
    put_stage(versions, versions[target], stage);
  }
}

protocol::Result<void> move_stage(std::vector<VersionRow>& versions, const std::string& stage,
                                  const std::string& remove_from, const std::string& move_to) {
  VersionRow* to = nullptr;
  if (!move_to.empty()) {
    to = find_version(versions, move_to);
    if (!to) return errors::value_not_found("VersionId", move_to);
  }
  VersionRow* from = nullptr;
  if (!remove_from.empty()) {
    from = find_version(versions, remove_from);
    if (!from) return errors::value_not_found("VersionId", remove_from);
  }
  VersionRow* held = holder(versions, stage);
  if (held && held != to && held != from) {
    return errors::invalid_parameter(
        "The parameter RemoveFromVersionId can't be empty. Staging label " + stage +
        " is currently attached to version " + held->version_id +
        ", so you must explicitly reference that version in RemoveFromVersionId.");
  }
  if (from && held != from) {
    return errors::invalid_parameter("The staging label " + stage +
                                     " isn't attached to the version " + remove_from +
                                     " that RemoveFromVersionId specifies.");
  }
  if (stage == kCurrent && !to) {
    return errors::invalid_parameter(
        "You can't remove the staging label AWSCURRENT from a version without attaching it to "
        "another version with MoveToVersionId.");
  }
  if (to) {
    put_stage(versions, *to, stage);
  } else if (from) {
    drop(*from, stage);
  }
  return {};
}

std::vector<VersionRow> versions_to_prune(const std::vector<VersionRow>& versions, int64_t now_ms) {
  std::vector<VersionRow> out;
  std::size_t left = versions.size();
  for (const VersionRow& v : versions) {  // oldest first
    if (left <= kKeptVersions) break;
    if (v.stages.empty() && v.created_at_ms <= now_ms - kDayMs) {
      out.push_back(v);
      --left;
    }
  }
  return out;
}

}  // namespace services::secretsmanager

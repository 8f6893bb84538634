// The operations that name no secret: ListSecrets and GetRandomPassword.

#include <algorithm>
#include <boost/json.hpp>

#include "core/json.h"
#include "services/secretsmanager/errors.h"
#include "services/secretsmanager/password.h"
#include "services/secretsmanager/secretsmanager_service.h"
#include "services/secretsmanager/sm_json.h"

namespace services::secretsmanager {

namespace json = boost::json;

namespace {

using Found = std::pair<SecretRow, std::vector<VersionRow>>;

// SortBy: "If not specified, secrets are listed by CreatedDate."
void sort_found(std::vector<Found>& found, const std::string& by, bool descending) {
  auto key = [&](const SecretRow& s) -> int64_t {
    if (by == "last-changed-date") return s.last_changed_ms;
    if (by == "last-accessed-date") return s.last_accessed_ms.value_or(0);
    return s.created_at_ms;
  };
  std::stable_sort(found.begin(), found.end(), [&](const Found& a, const Found& b) {
    bool less = by == "name" ? a.first.name < b.first.name : key(a.first) < key(b.first);
    bool greater = by == "name" ? b.first.name < a.first.name : key(b.first) < key(a.first);
    return descending ? greater : less;
  });
}

}  // namespace

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html
Reply SecretsManagerService::list_secrets(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::size_t> offset = token_offset(in);
  if (!offset) return offset.error();
  if (const json::array* fs = core::arr(in, "Filters")) {
    for (const json::value& f : *fs) {
      if (!f.is_object() || !core::arr(f.as_object(), "Values")) {
        return errors::invalid_parameter("Invalid filter values: a filter needs Key and Values.");
      }
    }
  }
  bool deleted = core::opt_bool(in, "IncludePlannedDeletion").value_or(false);
  std::vector<Found> found = find_secrets(ctx, in, deleted);
  sort_found(found, core::str(in, "SortBy", "created-date"), core::str(in, "SortOrder") == "desc");
  auto limit = static_cast<std::size_t>(core::opt_int(in, "MaxResults").value_or(100));
  json::array list;
  std::size_t i = *offset;
  for (; i < found.size() && list.size() < limit; ++i) {
    list.push_back(describe(found[i].first, found[i].second, true));
  }
  json::object out{{"SecretList", std::move(list)}};
  if (i < found.size()) out["NextToken"] = next_token(i);
  return out;
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html
Reply SecretsManagerService::get_random_password(const Ctx&, const Doc& in) {
  PasswordRules rules;
  rules.length = core::opt_int(in, "PasswordLength").value_or(32);
  rules.exclude_characters = core::str(in, "ExcludeCharacters");
  rules.exclude_numbers = core::opt_bool(in, "ExcludeNumbers").value_or(false);
  rules.exclude_punctuation = core::opt_bool(in, "ExcludePunctuation").value_or(false);
  rules.exclude_uppercase = core::opt_bool(in, "ExcludeUppercase").value_or(false);
  rules.exclude_lowercase = core::opt_bool(in, "ExcludeLowercase").value_or(false);
  rules.include_space = core::opt_bool(in, "IncludeSpace").value_or(false);
  rules.require_each_included_type = core::opt_bool(in, "RequireEachIncludedType").value_or(true);
  protocol::Result<std::string> password = random_password(rules);
  if (!password) return password.error();
  return json::object{{"RandomPassword", std::move(*password)}};
}

}  // namespace services::secretsmanager

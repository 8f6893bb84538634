#pragma once
// ListSecrets and BatchGetSecretValue filters, as
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Filter.html describes them:
//   name, tag-key, tag-value, primary-region, owning-service: prefix match, case-sensitive;
//   description: prefix match, not case-sensitive;
//   all: "Breaks the filter value string into words and then searches all attributes for
//   matches. Not case-sensitive."
// "You can prefix your search value with an exclamation mark (!) in order to perform negation
// filters": a negated value matches a secret none of whose attributes match the value. The values
// of one filter are alternatives (any may match); every filter must match.

#include <string>
#include <string_view>
#include <vector>

#include "services/secretsmanager/sm_store.h"

namespace services::secretsmanager {

struct Filter {
  std::string key;  // "name", "description", "tag-key", "tag-value", "primary-region", ...
  std::vector<std::string> values;
};

bool matches(const SecretRow& secret, const std::vector<Filter>& filters);

// The words of a search string: runs of letters or digits, split where lower case turns to upper
// case and where letters turn to digits ("credsDatabase#892" -> creds, Database, 892).
std::vector<std::string> search_words(std::string_view text);

}  // namespace services::secretsmanager

#pragma once
// Row lookups inside a transaction, shared by ecr_store.cc and ecr_store_push.cc. Internal to
// this directory.

#include <optional>
#include <string>
#include <string_view>

#include "services/ecr/ecr_store.h"
#include "store/transaction.h"

namespace services::ecr::rows {

// The digest a tag points at, if the tag exists.
std::optional<std::string> digest_of_tag(store::Transaction& tx, const RepoKey& key,
                                         std::string_view tag);
bool image_exists(store::Transaction& tx, const RepoKey& key, std::string_view digest);

}  // namespace services::ecr::rows

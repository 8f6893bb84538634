#pragma once
// Schema migrations, embedded from src/store/migrations/NNNN_name.sql at build time.
// Each runs once, in version order, inside a transaction; PRAGMA user_version records the last.
// Add a new file for every change; never edit one that has shipped.

#include <span>
#include <string_view>

namespace store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> all_migrations();

}  // namespace store

#pragma once
// One page of a Query or Scan: rows of a table or index space in key order, each evaluated
// against the sort-key condition and the filter, until Limit items were evaluated or 1 MB was
// read, as DynamoDB pages. Items come out projected and in the core's wire form.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "services/dynamodb/core/expressions.h"
#include "services/dynamodb/ddb_store.h"
#include "services/dynamodb/table.h"

namespace services::dynamodb {

inline constexpr std::size_t kMaxPageBytes = 1024 * 1024;

struct PageSpec {
  const Table* table = nullptr;
  const Index* index = nullptr;  // reading an index's space
  RowRange range;
  const SortKeyCondition* sort = nullptr;  // re-checked on every row (Query)
  const Condition* filter = nullptr;
  const Projection* projection = nullptr;  // empty: every attribute the row has
  bool count_only = false;                 // Select COUNT
  bool fetch_from_table = false;           // an LSI read for attributes it does not project
  std::optional<int64_t> limit;
};

struct Page {
  boost::json::array items;
  int64_t count = 0;
  int64_t scanned = 0;
  std::size_t bytes = 0;  // of the items evaluated, for read capacity
  std::optional<boost::json::object> last_key;
};

Page read_page(DdbStore& st, const PageSpec& spec);

// ExclusiveStartKey → the row to resume after, in the table's or the index's space. Throws
// "The provided starting key is invalid: ..." for a key that does not fit the schema.
RowKey start_row(const Table& table, const Index* index, const boost::json::object& start);

}  // namespace services::dynamodb

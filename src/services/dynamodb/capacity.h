#pragma once
// Capacity units as DynamoDB counts them: a write costs one unit per started KB of the larger of
// the item before and after (at least 1), a strongly consistent read one unit per started 4 KB
// (at least 1) and an eventually consistent read half that; transactions cost twice.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html

#include <boost/json/object.hpp>
#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace services::dynamodb {

inline double write_units(std::size_t bytes) {
  return std::max(1.0, std::ceil(static_cast<double>(bytes) / 1024.0));
}
inline double read_units(std::size_t bytes, bool consistent) {
  double units = std::max(1.0, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

// What one request consumed: on the table and on each index it read or wrote.
struct Consumed {
  double table = 0;
  std::map<std::string, double> global_indexes;
  std::map<std::string, double> local_indexes;
  double total() const {
    double t = table;
    for (const auto& [n, u] : global_indexes) t += u;
    for (const auto& [n, u] : local_indexes) t += u;
    return t;
  }
};

// The ConsumedCapacity member for a request's ReturnConsumedCapacity ("TOTAL" or "INDEXES");
// nullopt-like empty object for "NONE" or absent. `read` adds ReadCapacityUnits /
// WriteCapacityUnits as AWS does for INDEXES.
inline boost::json::object consumed_capacity(std::string_view mode, const std::string& table,
                                             const Consumed& c) {
  if (mode != "TOTAL" && mode != "INDEXES") return {};
  boost::json::object out{{"TableName", table}, {"CapacityUnits", c.total()}};
  if (mode == "INDEXES") {
    out["Table"] = boost::json::object{{"CapacityUnits", c.table}};
    auto add = [&](const char* member, const std::map<std::string, double>& units) {
      if (units.empty()) return;
      boost::json::object m;
      for (const auto& [name, u] : units) m[name] = boost::json::object{{"CapacityUnits", u}};
      out[member] = std::move(m);
    };
    add("GlobalSecondaryIndexes", c.global_indexes);
    add("LocalSecondaryIndexes", c.local_indexes);
  }
  return out;
}

}  // namespace services::dynamodb

// Times the DynamoDB core's per-request work on its own (no HTTP, no SQLite): validating a 1 KB
// item, sort keys for numbers, parsing and evaluating a condition, parsing and applying an
// update, projecting, and exact number addition. What a PutItem/UpdateItem/Query spends in the
// core is the sum of a few of these.
//
// Usage: ddb_core_harness [--iterations 20000] [--smoke]
// Prints one line per operation: median and p99 microseconds over the iterations (each timed
// on its own), and operations per second of one thread.

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expressions.h"
#include "services/dynamodb/core/number.h"

namespace json = boost::json;
using namespace services::dynamodb;

namespace {

// About 1 KB of attributes of mixed types, as the service benchmark's items.
json::object sample_item() {
  json::object item;
  item["pk"] = {{"S", "user#000042"}};
  item["sk"] = {{"N", "1234.5"}};
  item["name"] = {{"S", std::string(600, 'n')}};
  item["count"] = {{"N", "17"}};
  item["active"] = {{"BOOL", true}};
  item["tags"] = {{"SS", json::array{"red", "green", "blue"}}};
  json::object address;
  address["city"] = {{"S", "Lisbon"}};
  address["zip"] = {{"S", "1000-001"}};
  address["lines"] = {{"L", json::array{json::object{{"S", std::string(200, 'l')}}}}};
  item["address"] = {{"M", address}};
  return item;
}

void run(const char* name, int iterations, const std::function<void()>& op) {
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(iterations));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    op();
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                     .count());
  }
  double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(us.begin(), us.end());
  std::printf("%-34s p50 %8.2f us  p99 %8.2f us  %10.0f ops/s\n", name, us[us.size() / 2],
              us[us.size() * 99 / 100], iterations / total_s);
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = 20000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
      iterations = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--smoke") == 0) {
      iterations = 200;
    }
  }
  const json::object item = sample_item();
  const json::object values = json::parse(R"({":pk": {"S": "user#000042"}, ":lo": {"N": "10"},
      ":hi": {"N": "20"}, ":red": {"S": "red"}, ":one": {"N": "1"}, ":city": {"S": "Lis"}})")
                                  .as_object();
  const json::object names = json::parse(R"({"#n": "name", "#c": "count"})").as_object();

  std::printf("item size %zu bytes, %d iterations\n", item_size(item), iterations);
  run("validate_item (1 KB)", iterations, [&] {
    json::object copy = item;
    validate_item(copy);
  });
  run("item_size (1 KB)", iterations, [&] { (void)item_size(item); });
  run("order_key (N)", iterations, [&] { (void)order_key(item.at("sk")); });
  run("Number::add", iterations, [&] {
    (void)Number::add(Number::parse("12345.678"), Number::parse("0.322")).to_string();
  });
  const char* condition =
      "pk = :pk AND #c BETWEEN :lo AND :hi AND contains(tags, :red) AND "
      "begins_with(address.city, :city) AND attribute_exists(#n)";
  run("parse_condition (5 terms)", iterations, [&] {
    ExpressionContext ctx(&names, &values);
    (void)parse_condition(condition, ctx, "ConditionExpression");
  });
  ExpressionContext cond_ctx(&names, &values);
  Condition parsed = parse_condition(condition, cond_ctx, "ConditionExpression");
  run("Condition::evaluate (5 terms)", iterations, [&] {
    if (!parsed.evaluate(item)) {
      std::abort();
    }
  });
  const char* update = "SET #c = #c + :one, address.zip = :pk REMOVE active ADD tags :red";
  json::object update_values = values;
  update_values[":red"] = {{"SS", json::array{"red", "pink"}}};
  run("parse_update", iterations, [&] {
    ExpressionContext ctx(&names, &update_values);
    (void)parse_update(update, ctx);
  });
  ExpressionContext update_ctx(&names, &update_values);
  Update parsed_update = parse_update(update, update_ctx);
  run("Update::apply (1 KB)", iterations, [&] { (void)parsed_update.apply(item); });
  ExpressionContext projection_ctx(&names, nullptr);
  Projection projection = parse_projection("pk, address.city, tags, #n", projection_ctx);
  run("Projection::apply (4 paths)", iterations, [&] { (void)projection.apply(item); });
  return 0;
}

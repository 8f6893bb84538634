// CloudWatch Logs filter patterns (FilterLogEvents' filterPattern, metric filters): parse any
// text, then match the pattern against fixed events (plain text, JSON, space-delimited) and
// against the input's own second part. Input: "<pattern>\n<event>" (the event is optional).

#include <string>

#include "fuzz/fuzz_support.h"
#include "services/logs/filter_pattern.h"

namespace {

constexpr std::string_view kEvents[] = {
    "ERROR Exception in thread main: INVALID ARGUMENTS 404",
    R"({"level":"error","latency":123.5,"user":{"id":7,"name":"x y"},"tags":["a","b"],)"
    R"("flag":true,"none":null,"msg":"failed"})",
    R"(127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326)",
    "",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = fuzz::as_view(data, size);
  size_t nl = input.find('\n');
  std::string_view text = input.substr(0, nl);
  std::string error;
  auto pattern = services::logs::FilterPattern::parse(text, &error);
  if (!pattern) return 0;
  for (std::string_view event : kEvents) (void)pattern->matches(event);
  if (nl != std::string_view::npos) (void)pattern->matches(input.substr(nl + 1));
  return 0;
}

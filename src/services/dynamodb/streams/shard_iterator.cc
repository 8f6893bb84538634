#include "services/dynamodb/streams/shard_iterator.h"

#include <charconv>
#include <cstdio>

#include "core/base64.h"
#include "core/ids.h"

namespace services::dynamodb::streams {
namespace {

constexpr std::string_view kIteratorMark = "|1|";

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::string format_sequence(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "1%020lld", static_cast<long long>(seq));
  return buf;
}

std::optional<int64_t> parse_sequence(std::string_view text) {
  if (text.size() != 21 || text.front() != '1') return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::string_view digits = text.substr(1);
  if (digits > "09223372036854775807") return std::nullopt;
  return parse_int(digits);
}

std::string make_shard_id(int64_t created_ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(created_ms));
  return "shardId-" + std::string(buf) + "-" + core::ids::random_hex(8);
}

std::string encode_iterator(const ShardIterator& it) {
  std::string token =
      it.shard_id + "|" + std::to_string(it.after) + "|" + std::to_string(it.issued_ms);
  return it.stream_arn + std::string(kIteratorMark) + core::base64_encode(token);
}

std::optional<ShardIterator> decode_iterator(std::string_view text) {
  std::size_t mark = text.find(kIteratorMark);
  if (mark == std::string_view::npos || mark == 0) return std::nullopt;
  std::optional<std::string> token = core::base64_decode(text.substr(mark + kIteratorMark.size()));
  if (!token) return std::nullopt;
  std::string_view t = *token;
  std::size_t a = t.find('|');
  std::size_t b = a == std::string_view::npos ? a : t.find('|', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  std::optional<int64_t> after = parse_int(t.substr(a + 1, b - a - 1));
  std::optional<int64_t> issued = parse_int(t.substr(b + 1));
  if (!after || !issued || !t.starts_with("shardId-")) return std::nullopt;
  return ShardIterator{std::string(text.substr(0, mark)), std::string(t.substr(0, a)), *after,
                       *issued};
}

}  // namespace services::dynamodb::streams

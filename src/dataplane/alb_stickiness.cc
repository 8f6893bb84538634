#include "dataplane/alb_stickiness.h"

#include <charconv>

#include "core/base64.h"
#include "core/time_format.h"

namespace dataplane {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits "a|b|c" into at most `n` fields; fewer when the text has fewer.
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    size_t i = s.find(sep);
    out.push_back(s.substr(0, i));
    if (i == std::string_view::npos) return out;
    s.remove_prefix(i + 1);
  }
}

template <class T>
std::optional<T> number(std::string_view s) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

int64_t epoch_seconds(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Fields of a decoded cookie of `kind` that has not expired, or empty.
std::vector<std::string> fields(std::string_view value, std::string_view kind, size_t count,
                                core::TimePoint now) {
  auto raw = core::base64_decode(value);
  if (!raw) return {};
  auto parts = split(*raw, '|');
  if (parts.size() != count || parts[0] != kind) return {};
  auto expiry = number<int64_t>(parts.back());
  if (!expiry || *expiry <= epoch_seconds(now)) return {};
  return {parts.begin(), parts.end()};
}

std::string cookie(std::string_view name, const std::string& value, core::TimePoint expires) {
  return std::string(name) + "=" + value + "; Expires=" + core::format_http_date(expires) +
         "; Path=/";
}

bool receives_traffic(const SnapshotTarget& t, bool checks_enabled) {
  if (t.state == TargetState::Healthy) return true;
  return !checks_enabled && t.state == TargetState::Unavailable;
}

}  // namespace

std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name) {
  for (std::string_view pair : split(header, ';')) {
    pair = trim(pair);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) {
      std::string_view v = trim(pair.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
  }
  return std::nullopt;
}

bool sets_cookie(std::string_view set_cookie, std::string_view name) {
  size_t eq = set_cookie.find('=');
  return eq != std::string_view::npos && trim(set_cookie.substr(0, eq)) == name;
}

std::string encode_target_cookie(std::string_view target_group_arn, std::string_view id,
                                 uint16_t port, core::TimePoint expires) {
  std::string raw = "t|" + std::string(target_group_arn) + "|" + std::string(id) + "|" +
                    std::to_string(port) + "|" + std::to_string(epoch_seconds(expires));
  return core::base64_encode(raw);
}

std::optional<StickyTarget> decode_target_cookie(std::string_view value,
                                                 std::string_view target_group_arn,
                                                 core::TimePoint now) {
  auto f = fields(value, "t", 5, now);
  if (f.empty() || f[1] != target_group_arn) return std::nullopt;
  auto port = number<uint16_t>(f[3]);
  if (!port) return std::nullopt;
  return StickyTarget{f[2], *port};
}

std::string encode_group_cookie(std::string_view target_group_arn, core::TimePoint expires) {
  return core::base64_encode("g|" + std::string(target_group_arn) + "|" +
                             std::to_string(epoch_seconds(expires)));
}

std::optional<std::string> decode_group_cookie(std::string_view value, core::TimePoint now) {
  auto f = fields(value, "g", 3, now);
  if (f.empty()) return std::nullopt;
  return f[1];
}

std::vector<std::string> lb_cookie_headers(const std::string& value, core::TimePoint expires) {
  return {cookie(kLbCookie, value, expires),
          cookie(kLbCorsCookie, value, expires) + "; SameSite=None; Secure"};
}

std::string app_cookie_header(const std::string& value, core::TimePoint expires) {
  return cookie(kAppCookie, value, expires);
}

std::vector<std::string> group_cookie_headers(const std::string& value, core::TimePoint expires) {
  return {cookie(kGroupCookie, value, expires),
          cookie(kGroupCorsCookie, value, expires) + "; SameSite=None; Secure"};
}

const SnapshotTarget* sticky_target(const SnapshotTargetGroup& group,
                                           const StickyTarget& wanted) {
  const SnapshotTarget* found = nullptr;
  bool any_healthy = false;
  for (const auto& t : group.targets) {
    if (t.id == wanted.id && t.port == wanted.port) found = &t;
    any_healthy = any_healthy || receives_traffic(t, group.health_check.enabled);
  }
  if (found == nullptr) return nullptr;
  if (receives_traffic(*found, group.health_check.enabled)) return found;
  bool fail_open = !any_healthy && found->state != TargetState::Draining &&
                   found->state != TargetState::Unused;
  return fail_open ? found : nullptr;
}

int stickiness_duration_seconds(const SnapshotTargetGroup& group) {
  std::string key = group.stickiness_type == "app_cookie" ? "stickiness.app_cookie.duration_seconds"
                                                          : "stickiness.lb_cookie.duration_seconds";
  auto it = group.attributes.find(key);
  if (it != group.attributes.end()) {
    if (auto v = number<int>(it->second)) return *v;
  }
  return group.stickiness_duration_seconds;
}

}  // namespace dataplane

#include "services/authz/conditions.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <ctime>

#include "core/time_format.h"

namespace services::authz {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool char_eq(char a, char b, bool ci) {
  if (!ci) return a == b;
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

// Wildcard match of pattern[pb, pe) against text: iterative, backtracking to the last `*` only.
bool match_range(const Pattern& p, std::size_t pb, std::size_t pe, std::string_view t, bool ci) {
  std::size_t pi = pb, ti = 0, star = std::string::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < pe && !p.literal[pi] && p.text[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < pe && ((!p.literal[pi] && p.text[pi] == '?') || char_eq(p.text[pi], t[ti], ci))) {
      ++pi;
      ++ti;
    } else if (star != std::string::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < pe && !p.literal[pi] && p.text[pi] == '*') ++pi;
  return pi == pe;
}

// Positions of the first five colons (an ARN's six components; the last keeps its colons).
std::vector<std::size_t> arn_splits(std::string_view s) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.size() && out.size() < 5; ++i) {
    if (s[i] == ':') out.push_back(i);
  }
  return out;
}

std::optional<double> number(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The positive test of an operator for one policy value and one request value; negated
// operators are this test's negation, applied by the caller (NOR over the policy values).
bool positive(ConditionOp op, const Pattern& pv, std::string_view rv) {
  switch (op) {
    case ConditionOp::StringEquals:
    case ConditionOp::StringNotEquals:
      return pv.text == rv;
    case ConditionOp::StringEqualsIgnoreCase:
    case ConditionOp::StringNotEqualsIgnoreCase:
      return iequal(pv.text, rv);
    case ConditionOp::StringLike:
    case ConditionOp::StringNotLike:
      return wildcard_match(pv, rv);
    case ConditionOp::Bool:
      return iequal(pv.text, rv);
    case ConditionOp::BinaryEquals:
      return pv.text == rv;
    case ConditionOp::IpAddress:
    case ConditionOp::NotIpAddress:
      return ip_in_cidr(rv, pv.text);
    case ConditionOp::ArnEquals:
    case ConditionOp::ArnNotEquals:
    case ConditionOp::ArnLike:
    case ConditionOp::ArnNotLike:
      return arn_match(pv, rv);
    case ConditionOp::Null:
      return false;  // handled by the caller
    default:
      break;
  }
  const bool dates = op >= ConditionOp::DateEquals && op <= ConditionOp::DateGreaterThanEquals;
  std::optional<double> a = dates ? parse_date(rv) : number(rv);
  std::optional<double> b = dates ? parse_date(pv.text) : number(pv.text);
  if (!a || !b) return false;
  switch (op) {
    case ConditionOp::NumericEquals:
    case ConditionOp::NumericNotEquals:
    case ConditionOp::DateEquals:
    case ConditionOp::DateNotEquals:
      return *a == *b;
    case ConditionOp::NumericLessThan:
    case ConditionOp::DateLessThan:
      return *a < *b;
    case ConditionOp::NumericLessThanEquals:
    case ConditionOp::DateLessThanEquals:
      return *a <= *b;
    case ConditionOp::NumericGreaterThan:
    case ConditionOp::DateGreaterThan:
      return *a > *b;
    default:
      return *a >= *b;
  }
}

bool negated(ConditionOp op) {
  switch (op) {
    case ConditionOp::StringNotEquals:
    case ConditionOp::StringNotEqualsIgnoreCase:
    case ConditionOp::StringNotLike:
    case ConditionOp::NumericNotEquals:
    case ConditionOp::DateNotEquals:
    case ConditionOp::NotIpAddress:
    case ConditionOp::ArnNotEquals:
    case ConditionOp::ArnNotLike:
      return true;
    default:
      return false;
  }
}

bool takes_variables(ConditionOp op) {
  return op <= ConditionOp::StringNotLike || op == ConditionOp::Bool ||
         (op >= ConditionOp::ArnEquals && op <= ConditionOp::ArnNotLike);
}

}  // namespace

KeyValues::KeyValues(const iam::ConditionKeys& keys) {
  for (const auto& [k, v] : keys) keys_[lower(k)] = v;
}

const std::vector<std::string>* KeyValues::find(std::string_view key) const {
  auto it = keys_.find(lower(key));
  return it == keys_.end() ? nullptr : &it->second;
}

void KeyValues::set(std::string_view key, std::vector<std::string> values) {
  keys_[lower(key)] = std::move(values);
}

void KeyValues::set_if_absent(std::string_view key, std::vector<std::string> values) {
  keys_.try_emplace(lower(key), std::move(values));
}

std::optional<Pattern> expand(std::string_view text, const KeyValues& keys, bool variables) {
  Pattern out;
  out.text.reserve(text.size());
  auto append = [&out](std::string_view s, bool literal) {
    out.text.append(s);
    out.literal.insert(out.literal.end(), s.size(), literal);
  };
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t open = variables ? text.find("${", i) : std::string_view::npos;
    std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      append(text.substr(i), false);
      break;
    }
    append(text.substr(i, open - i), false);
    std::string_view var = text.substr(open + 2, close - open - 2);
    i = close + 1;
    if (var == "*" || var == "?" || var == "$") {
      append(var, true);
      continue;
    }
    std::optional<std::string_view> fallback;
    if (std::size_t comma = var.find(','); comma != std::string_view::npos) {
      std::string_view d = var.substr(comma + 1);
      while (!d.empty() && d.front() == ' ') d.remove_prefix(1);
      if (d.size() >= 2 && d.front() == '\'' && d.back() == '\'') fallback = d.substr(1, d.size() - 2);
      var = var.substr(0, comma);
    }
    const std::vector<std::string>* v = keys.find(var);
    if (v && !v->empty()) {
      append(v->front(), true);
    } else if (fallback) {
      append(*fallback, true);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool wildcard_match(const Pattern& pattern, std::string_view text, bool case_insensitive) {
  return match_range(pattern, 0, pattern.text.size(), text, case_insensitive);
}

bool arn_match(const Pattern& pattern, std::string_view arn) {
  if (pattern.text == "*" && !pattern.literal[0]) return true;
  std::vector<std::size_t> ps = arn_splits(pattern.text);
  std::vector<std::size_t> ts = arn_splits(arn);
  if (ps.size() < 5 || ts.size() < 5) return wildcard_match(pattern, arn);
  std::size_t pb = 0, tb = 0;
  for (std::size_t seg = 0; seg < 6; ++seg) {
    std::size_t pe = seg < 5 ? ps[seg] : pattern.text.size();
    std::size_t te = seg < 5 ? ts[seg] : arn.size();
    if (!match_range(pattern, pb, pe, arn.substr(tb, te - tb), false)) return false;
    pb = pe + 1;
    tb = te + 1;
  }
  return true;
}

bool condition_holds(const ConditionClause& clause, const KeyValues& keys) {
  const std::vector<std::string>* values = keys.find(clause.key);
  const bool present = values != nullptr && !values->empty();
  if (clause.op == ConditionOp::Null) {
    // "true": the key must be absent; "false": present.
    for (const std::string& v : clause.values) {
      if (iequal(v, "true") ? !present : present) return true;
    }
    return false;
  }
  const bool neg = negated(clause.op);
  if (!present) {
    if (clause.if_exists) return true;
    if (clause.qualifier == SetQualifier::ForAllValues) return true;
    if (clause.qualifier == SetQualifier::ForAnyValue) return false;
    return neg;
  }
  std::vector<Pattern> policy;
  policy.reserve(clause.values.size());
  for (const std::string& v : clause.values) {
    if (auto p = expand(v, keys, takes_variables(clause.op))) policy.push_back(std::move(*p));
  }
  // One request value: OR over the policy values, NOR for a negated operator.
  auto one = [&](std::string_view rv) {
    bool any = std::any_of(policy.begin(), policy.end(),
                           [&](const Pattern& p) { return positive(clause.op, p, rv); });
    return neg ? !any : any;
  };
  switch (clause.qualifier) {
    case SetQualifier::ForAllValues:
      return std::all_of(values->begin(), values->end(), one);
    case SetQualifier::ForAnyValue:
      return std::any_of(values->begin(), values->end(), one);
    case SetQualifier::None:
      break;
  }
  return neg ? std::all_of(values->begin(), values->end(), one)
             : std::any_of(values->begin(), values->end(), one);
}

std::optional<double> parse_date(std::string_view s) {
  std::optional<core::TimePoint> t = core::parse_timestamp(s);
  if (!t && s.size() == 10) t = core::parse_timestamp(std::string(s) + "T00:00:00Z");  // a date
  if (!t) return std::nullopt;
  return core::to_epoch_seconds(*t);
}

std::string_view arn_account(std::string_view arn) {
  std::size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    pos = arn.find(':', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  std::size_t end = arn.find(':', pos);
  return end == std::string_view::npos ? std::string_view() : arn.substr(pos, end - pos);
}

bool ip_in_cidr(std::string_view ip, std::string_view cidr) {
  std::string net(cidr);
  int bits = -1;
  if (std::size_t slash = net.find('/'); slash != std::string::npos) {
    std::string_view b = std::string_view(net).substr(slash + 1);
    if (std::from_chars(b.data(), b.data() + b.size(), bits).ec != std::errc()) return false;
    net.resize(slash);
  }
  std::array<unsigned char, 16> a{}, n{};
  std::string addr(ip);
  int len = 0;
  if (inet_pton(AF_INET, addr.c_str(), a.data()) == 1 && inet_pton(AF_INET, net.c_str(), n.data()) == 1) {
    len = 4;
  } else if (inet_pton(AF_INET6, addr.c_str(), a.data()) == 1 &&
             inet_pton(AF_INET6, net.c_str(), n.data()) == 1) {
    len = 16;
  } else {
    return false;
  }
  if (bits < 0) bits = len * 8;
  if (bits > len * 8) return false;
  for (int i = 0; i < bits / 8; ++i) {
    if (a[i] != n[i]) return false;
  }
  if (int rem = bits % 8) {
    unsigned char mask = static_cast<unsigned char>(0xff << (8 - rem));
    if ((a[bits / 8] & mask) != (n[bits / 8] & mask)) return false;
  }
  return true;
}

}  // namespace services::authz

// FilterPattern::matches: evaluates a parsed pattern (filter_pattern_ast.h) against one message.
// Parsing is in filter_pattern_parser.cc.

#include "services/logs/filter_pattern.h"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <map>
#include <vector>

#include "core/glob.h"
#include "services/logs/filter_pattern_ast.h"

namespace services::logs {

namespace json = boost::json;

namespace pattern {

std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  double out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return out;
}

bool regex_search(std::string_view text, const re2::RE2& regex) {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), regex);
}

namespace {

using Bindings = std::map<std::string, std::string_view, std::less<>>;

bool compare_text(std::string_view field, Op op, const Value& v) {
  bool equal = v.kind == Value::Kind::Regex ? regex_search(field, *v.regex)
                                            : core::glob_match(v.text, field);
  return op == Op::Eq ? equal : op == Op::Ne ? !equal : false;
}

bool compare_number(double field, Op op, double v) {
  switch (op) {
    case Op::Eq:
      return field == v;
    case Op::Ne:
      return field != v;
    case Op::Lt:
      return field < v;
    case Op::Gt:
      return field > v;
    case Op::Le:
      return field <= v;
    case Op::Ge:
      return field >= v;
    default:
      return false;
  }
}

template <class Leaf>
bool evaluate(const Expr& e, const Leaf& leaf) {
  switch (e.kind) {
    case Expr::Kind::Leaf:
      return leaf(e.cmp);
    case Expr::Kind::And:
      for (const Expr& k : e.kids) {
        if (!evaluate(k, leaf)) {
          return false;
        }
      }
      return true;
    case Expr::Kind::Or:
      for (const Expr& k : e.kids) {
        if (evaluate(k, leaf)) {
          return true;
        }
      }
      return false;
  }
  return false;
}

const json::value* resolve(const json::value& root, const std::vector<PathStep>& path) {
  const json::value* at = &root;
  for (const PathStep& step : path) {
    if (step.index >= 0) {
      if (!at->is_array() || step.index >= static_cast<int64_t>(at->as_array().size())) {
        return nullptr;
      }
      at = &at->as_array()[step.index];
    } else {
      if (!at->is_object()) {
        return nullptr;
      }
      at = at->as_object().if_contains(step.key);
      if (at == nullptr) {
        return nullptr;
      }
    }
  }
  return at;
}

bool json_leaf(const json::value& root, const Comparison& c) {
  const json::value* v = resolve(root, c.path);
  switch (c.op) {
    case Op::NotExists:
      return v == nullptr;
    case Op::IsNull:
      return v != nullptr && v->is_null();
    case Op::IsTrue:
      return v != nullptr && v->is_bool() && v->as_bool();
    case Op::IsFalse:
      return v != nullptr && v->is_bool() && !v->as_bool();
    default:
      break;
  }
  if (v == nullptr) {
    return false;
  }
  if (c.value.kind == Value::Kind::Number) {
    if (!v->is_number()) {
      return false;
    }
    return compare_number(v->to_number<double>(), c.op, c.value.number);
  }
  if (v->is_string()) {
    return compare_text(v->as_string(), c.op, c.value);
  }
  if (v->is_number() || v->is_bool()) {
    return compare_text(json::serialize(*v), c.op, c.value);
  }
  return false;
}

bool delimited_leaf(const Bindings& fields, const Comparison& c) {
  auto it = fields.find(c.field);
  if (it == fields.end()) {
    return false;
  }
  if (c.value.kind == Value::Kind::Number) {
    std::optional<double> n = parse_number(it->second);
    return n && compare_number(*n, c.op, c.value.number);
  }
  return compare_text(it->second, c.op, c.value);
}

// Space-delimited fields of a message: a "quoted" or [bracketed] run is one field, without its
// delimiters.
std::vector<std::string_view> split_fields(std::string_view m) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < m.size()) {
    if (std::isspace(static_cast<unsigned char>(m[i]))) {
      ++i;
      continue;
    }
    char close = m[i] == '"' ? '"' : m[i] == '[' ? ']' : 0;
    if (close != 0) {
      size_t end = m.find(close, i + 1);
      if (end != std::string_view::npos) {
        out.push_back(m.substr(i + 1, end - i - 1));
        i = end + 1;
        continue;
      }
    }
    size_t end = i;
    while (end < m.size() && !std::isspace(static_cast<unsigned char>(m[end]))) {
      ++end;
    }
    out.push_back(m.substr(i, end - i));
    i = end;
  }
  return out;
}

// Binds the pattern's fields from fields[fi] on to the message tokens from tokens[ti] on, "..."
// taking any number of them, and checks the conditions once every field is bound.
bool match_delimited(const FilterPattern::Impl& p, const std::vector<std::string_view>& tokens,
                     size_t fi, size_t ti, Bindings& bound) {
  if (fi == p.fields.size()) {
    if (ti != tokens.size()) {
      return false;
    }
    for (const Expr& c : p.conditions) {
      if (!evaluate(c, [&](const Comparison& cmp) { return delimited_leaf(bound, cmp); })) {
        return false;
      }
    }
    return true;
  }
  if (p.fields[fi] == "...") {
    for (size_t skip = ti; skip <= tokens.size(); ++skip) {
      if (match_delimited(p, tokens, fi + 1, skip, bound)) {
        return true;
      }
    }
    return false;
  }
  if (ti >= tokens.size()) {
    return false;
  }
  bound[p.fields[fi]] = tokens[ti];
  return match_delimited(p, tokens, fi + 1, ti + 1, bound);
}

// Every Require term found, no Exclude term found, and one Any term found if there are any.
bool match_terms(const std::vector<Term>& terms, std::string_view message) {
  bool any_seen = false;
  bool any_found = false;
  for (const Term& t : terms) {
    bool found = t.found_in(message);
    switch (t.mode) {
      case Term::Mode::Require:
        if (!found) {
          return false;
        }
        break;
      case Term::Mode::Exclude:
        if (found) {
          return false;
        }
        break;
      case Term::Mode::Any:
        any_seen = true;
        any_found = any_found || found;
        break;
    }
  }
  return !any_seen || any_found;
}

}  // namespace
}  // namespace pattern

FilterPattern::FilterPattern() = default;

bool FilterPattern::matches(std::string_view message) const {
  if (!impl_) {
    return true;
  }
  switch (impl_->kind) {
    case Impl::Kind::Terms:
      return pattern::match_terms(impl_->terms, message);
    case Impl::Kind::Json: {
      boost::system::error_code ec;
      json::value doc = json::parse(message, ec);
      if (ec || !(doc.is_object() || doc.is_array())) {
        return false;
      }
      return pattern::evaluate(
          impl_->expr, [&](const pattern::Comparison& c) { return pattern::json_leaf(doc, c); });
    }
    case Impl::Kind::Delimited: {
      std::vector<std::string_view> tokens = pattern::split_fields(message);
      pattern::Bindings bound;
      return pattern::match_delimited(*impl_, tokens, 0, 0, bound);
    }
  }
  return false;
}

}  // namespace services::logs

// FilterPattern::matches: evaluates a parsed pattern (filter_pattern_ast.h) against one message.
// Parsing is in filter_pattern_parser.cc.

#include "services/logs/filter_pattern.h"

#include <algorithm>
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
// taking any number of them, and checks the conditions once every field is bound. owner[t] is
// set to the field token t bound to (-1: taken by "...").
bool match_delimited(const FilterPattern::Impl& p, const std::vector<std::string_view>& tokens,
                     size_t fi, size_t ti, Bindings& bound, std::vector<int>& owner) {
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
      if (skip > ti) {
        owner[skip - 1] = -1;
      }
      if (match_delimited(p, tokens, fi + 1, skip, bound, owner)) {
        return true;
      }
    }
    return false;
  }
  if (ti >= tokens.size()) {
    return false;
  }
  if (!p.fields[fi].empty()) {
    bound[p.fields[fi]] = tokens[ti];
  }
  owner[ti] = static_cast<int>(fi);
  return match_delimited(p, tokens, fi + 1, ti + 1, bound, owner);
}

// "[]" matches every event; its fields are all unnamed.
bool match_delimited(const FilterPattern::Impl& p, const std::vector<std::string_view>& tokens,
                     std::vector<int>& owner) {
  owner.assign(tokens.size(), -1);
  if (p.fields.empty()) {
    return true;
  }
  Bindings bound;
  return match_delimited(p, tokens, 0, 0, bound, owner);
}

// The text of a JSON scalar: a string without its quotes, a number or boolean as JSON writes it.
std::optional<std::string> scalar_text(const json::value* v) {
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_string()) {
    return std::string(v->as_string());
  }
  if (v->is_double()) {
    char buf[32];  // shortest round-trip form: 12.5, not JSON's 1.25E1
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v->get_double());
    return std::string(buf, ec == std::errc() ? end : buf);
  }
  if (v->is_number() || v->is_bool()) {
    return json::serialize(*v);
  }
  return std::nullopt;
}

void collect_selectors(const Expr& e, std::vector<const Comparison*>* out) {
  if (e.kind == Expr::Kind::Leaf) {
    out->push_back(&e.cmp);
  }
  for (const Expr& k : e.kids) {
    collect_selectors(k, out);
  }
}

// "$3" -> 3; nullopt for anything else.
std::optional<size_t> position_ref(std::string_view ref) {
  if (ref.size() < 2 || ref[0] != '$') {
    return std::nullopt;
  }
  size_t n = 0;
  auto [end, ec] = std::from_chars(ref.data() + 1, ref.data() + ref.size(), n);
  if (ec != std::errc() || end != ref.data() + ref.size() || n == 0) {
    return std::nullopt;
  }
  return n;
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
  return !impl_ || match(message).has_value();
}

struct FilterMatch::Json {
  json::value doc;
};

std::optional<FilterMatch> FilterPattern::match(std::string_view message) const {
  FilterMatch m;
  m.impl_ = impl_.get();
  if (!impl_ || impl_->kind == Impl::Kind::Terms) {
    bool found = !impl_ || pattern::match_terms(impl_->terms, message);
    return found ? std::optional<FilterMatch>(std::move(m)) : std::nullopt;
  }
  if (impl_->kind == Impl::Kind::Json) {
    boost::system::error_code ec;
    auto parsed = std::make_shared<FilterMatch::Json>();
    parsed->doc = json::parse(message, ec);
    if (ec || !(parsed->doc.is_object() || parsed->doc.is_array())) {
      return std::nullopt;
    }
    if (!pattern::evaluate(impl_->expr, [&](const pattern::Comparison& c) {
          return pattern::json_leaf(parsed->doc, c);
        })) {
      return std::nullopt;
    }
    m.json_ = std::move(parsed);
    return m;
  }
  m.tokens_ = pattern::split_fields(message);
  if (!pattern::match_delimited(*impl_, m.tokens_, m.owner_)) {
    return std::nullopt;
  }
  return m;
}

FilterPattern::Kind FilterPattern::kind() const {
  if (!impl_ || impl_->kind == Impl::Kind::Terms) {
    return Kind::Terms;
  }
  return impl_->kind == Impl::Kind::Json ? Kind::Json : Kind::Delimited;
}

bool FilterPattern::has_field(std::string_view ref) const {
  switch (kind()) {
    case Kind::Terms:
      return false;
    case Kind::Json: {
      std::vector<pattern::PathStep> path;
      std::string error;
      return ref.starts_with("$.") && pattern::parse_selector(ref, &path, &error) && !path.empty();
    }
    case Kind::Delimited:
      if (pattern::position_ref(ref)) {
        return true;
      }
      return ref.size() > 1 && ref[0] == '$' && ref.substr(1) != "..." &&
             std::find(impl_->fields.begin(), impl_->fields.end(), ref.substr(1)) !=
                 impl_->fields.end();
  }
  return false;
}

std::optional<std::string> FilterMatch::value(std::string_view ref) const {
  if (json_) {
    std::vector<pattern::PathStep> path;
    std::string error;
    if (!ref.starts_with("$.") || !pattern::parse_selector(ref, &path, &error)) {
      return std::nullopt;
    }
    return pattern::scalar_text(pattern::resolve(json_->doc, path));
  }
  if (impl_ == nullptr || impl_->kind != FilterPattern::Impl::Kind::Delimited) {
    return std::nullopt;
  }
  if (std::optional<size_t> n = pattern::position_ref(ref)) {
    return *n <= tokens_.size() ? std::optional<std::string>(tokens_[*n - 1]) : std::nullopt;
  }
  for (size_t t = 0; t < tokens_.size(); ++t) {
    if (owner_[t] >= 0 && "$" + impl_->fields[owner_[t]] == ref) {
      return std::string(tokens_[t]);
    }
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> FilterMatch::extracted() const {
  std::vector<std::pair<std::string, std::string>> out;
  if (json_) {
    std::vector<const pattern::Comparison*> leaves;
    pattern::collect_selectors(impl_->expr, &leaves);
    for (const pattern::Comparison* c : leaves) {
      std::optional<std::string> v = pattern::scalar_text(pattern::resolve(json_->doc, c->path));
      bool seen = std::any_of(out.begin(), out.end(), [&](const auto& e) { return e.first == c->field; });
      if (v && !seen) {
        out.emplace_back(c->field, std::move(*v));
      }
    }
    return out;
  }
  for (size_t t = 0; t < tokens_.size(); ++t) {
    bool named = owner_[t] >= 0 && !impl_->fields[owner_[t]].empty();
    out.emplace_back(named ? "$" + impl_->fields[owner_[t]] : "$" + std::to_string(t + 1),
                     std::string(tokens_[t]));
  }
  return out;
}

}  // namespace services::logs

#include "services/logs/filter_pattern.h"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>
#include <memory>
#include <re2/re2.h>
#include <vector>

#include "core/glob.h"

namespace services::logs {

namespace json = boost::json;

namespace {

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

// The bodies of %regex% terms and values come from users: RE2 matches in time linear in the
// message and without recursion, where std::regex could hang or overflow the stack on a crafted
// pattern. Its syntax covers what CloudWatch Logs documents (classes, anchors, quantifiers,
// alternation, groups); backreferences and lookaround are rejected, as Logs rejects them.
constexpr int64_t kRegexMaxMemory = 1 << 20;

std::shared_ptr<const re2::RE2> compile_regex(std::string_view body, std::string* error) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kRegexMaxMemory);
  auto regex = std::make_shared<const re2::RE2>(re2::StringPiece(body.data(), body.size()),
                                                options);
  if (!regex->ok()) {
    *error = "Invalid regular expression: %" + std::string(body) + "%";
    return nullptr;
  }
  return regex;
}

bool regex_search(std::string_view text, const re2::RE2& regex) {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), regex);
}

// ---- terms -------------------------------------------------------------------------------------

struct Term {
  enum class Mode { Require, Exclude, Any } mode = Mode::Require;
  std::string text;
  std::shared_ptr<const re2::RE2> regex;

  bool found_in(std::string_view message) const {
    if (regex) {
      return regex_search(message, *regex);
    }
    return message.find(text) != std::string_view::npos;
  }
};

// ---- expressions (JSON and space-delimited) ----------------------------------------------------

enum class Op { Eq, Ne, Lt, Gt, Le, Ge, IsNull, IsTrue, IsFalse, NotExists };

struct Value {
  enum class Kind { String, Number, Regex } kind = Kind::String;
  std::string text;
  double number = 0;
  std::shared_ptr<const re2::RE2> regex;
};

struct PathStep {
  std::string key;  // object member, when index < 0
  int64_t index = -1;
};

struct Comparison {
  std::string field;           // selector text or delimited field name
  std::vector<PathStep> path;  // JSON only
  Op op = Op::Eq;
  Value value;
};

struct Expr {
  enum class Kind { Leaf, And, Or } kind = Kind::Leaf;
  Comparison cmp;
  std::vector<Expr> kids;
};

bool compare_text(std::string_view field, Op op, const Value& v) {
  bool equal = v.kind == Value::Kind::Regex
                   ? regex_search(field, *v.regex)
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

bool delimited_leaf(const std::map<std::string, std::string_view, std::less<>>& fields,
                    const Comparison& c) {
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

// ---- lexer and parser for { ... } and [ ... ] --------------------------------------------------

struct Token {
  enum class Kind { End, LParen, RParen, And, Or, Op, Comma, Selector, String, Regex, Word } kind;
  std::string text;
  Op op = Op::Eq;
};

class Parser {
 public:
  Parser(std::string_view text, std::string* error) : s_(text), error_(error) { advance(); }

  bool failed() const { return !error_->empty(); }
  const Token& peek() const { return tok_; }

  Token take() {
    Token t = tok_;
    advance();
    return t;
  }

  bool fail(std::string message) {
    if (error_->empty()) {
      *error_ = std::move(message);
    }
    return false;
  }

  // or := and ('||' and)* ; and := unary ('&&' unary)* ; unary := '(' or ')' | comparison
  bool parse_or(Expr* out, bool json, const std::string& default_field) {
    Expr first;
    if (!parse_and(&first, json, default_field)) {
      return false;
    }
    if (tok_.kind != Token::Kind::Or) {
      *out = std::move(first);
      return true;
    }
    out->kind = Expr::Kind::Or;
    out->kids.push_back(std::move(first));
    while (tok_.kind == Token::Kind::Or) {
      advance();
      Expr next;
      if (!parse_and(&next, json, default_field)) {
        return false;
      }
      out->kids.push_back(std::move(next));
    }
    return true;
  }

 private:
  bool parse_and(Expr* out, bool json, const std::string& default_field) {
    Expr first;
    if (!parse_unary(&first, json, default_field)) {
      return false;
    }
    if (tok_.kind != Token::Kind::And) {
      *out = std::move(first);
      return true;
    }
    out->kind = Expr::Kind::And;
    out->kids.push_back(std::move(first));
    while (tok_.kind == Token::Kind::And) {
      advance();
      Expr next;
      if (!parse_unary(&next, json, default_field)) {
        return false;
      }
      out->kids.push_back(std::move(next));
    }
    return true;
  }

  bool parse_unary(Expr* out, bool json, const std::string& default_field) {
    if (tok_.kind == Token::Kind::LParen) {
      advance();
      if (!parse_or(out, json, default_field)) {
        return false;
      }
      if (tok_.kind != Token::Kind::RParen) {
        return fail("Missing ')' in filter pattern");
      }
      advance();
      return true;
    }
    out->kind = Expr::Kind::Leaf;
    Comparison& c = out->cmp;
    if (json) {
      if (tok_.kind != Token::Kind::Selector) {
        return fail("Expected a $. selector in JSON filter pattern");
      }
      c.field = tok_.text;
      if (!parse_path(c.field, &c.path)) {
        return false;
      }
      advance();
    } else if (tok_.kind == Token::Kind::Word) {
      c.field = take().text;
    } else {
      c.field = default_field;
    }
    if (tok_.kind == Token::Kind::Word && json) {
      std::string w = take().text;
      if (w == "IS") {
        std::string what = tok_.kind == Token::Kind::Word ? take().text : "";
        if (what == "NULL") {
          c.op = Op::IsNull;
        } else if (what == "TRUE") {
          c.op = Op::IsTrue;
        } else if (what == "FALSE") {
          c.op = Op::IsFalse;
        } else {
          return fail("Expected NULL, TRUE or FALSE after IS");
        }
        return true;
      }
      if (w == "NOT" && tok_.kind == Token::Kind::Word && tok_.text == "EXISTS") {
        advance();
        c.op = Op::NotExists;
        return true;
      }
      return fail("Unexpected '" + w + "' in filter pattern");
    }
    if (tok_.kind != Token::Kind::Op) {
      return fail("Expected a comparison operator in filter pattern");
    }
    c.op = take().op;
    Token v = take();
    switch (v.kind) {
      case Token::Kind::String:
        c.value.kind = Value::Kind::String;
        c.value.text = v.text;
        break;
      case Token::Kind::Regex:
        c.value.kind = Value::Kind::Regex;
        c.value.regex = compile_regex(v.text, error_);
        if (!c.value.regex) {
          return false;
        }
        break;
      case Token::Kind::Word:
        if (std::optional<double> n = parse_number(v.text)) {
          c.value.kind = Value::Kind::Number;
          c.value.number = *n;
        } else {
          c.value.kind = Value::Kind::String;
          c.value.text = v.text;
        }
        break;
      default:
        return fail("Expected a value after the comparison operator");
    }
    if (c.value.kind != Value::Kind::Number && c.op != Op::Eq && c.op != Op::Ne) {
      return fail("Only = and != compare strings in filter patterns");
    }
    return true;
  }

  // $.a.b[0].c, $.['dotted.key'], $['k']
  bool parse_path(std::string_view sel, std::vector<PathStep>* path) {
    size_t i = 1;  // past '$'
    while (i < sel.size()) {
      if (sel[i] == '.') {
        ++i;
        if (i < sel.size() && sel[i] == '[') {
          continue;
        }
        size_t end = i;
        while (end < sel.size() && sel[end] != '.' && sel[end] != '[') {
          ++end;
        }
        if (end == i) {
          return fail("Empty member name in selector " + std::string(sel));
        }
        path->push_back({std::string(sel.substr(i, end - i)), -1});
        i = end;
      } else if (sel[i] == '[') {
        size_t end = sel.find(']', i);
        if (end == std::string_view::npos) {
          return fail("Missing ']' in selector " + std::string(sel));
        }
        std::string_view inner = sel.substr(i + 1, end - i - 1);
        if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') &&
            inner.back() == inner.front()) {
          path->push_back({std::string(inner.substr(1, inner.size() - 2)), -1});
        } else {
          int64_t index = -1;
          auto [p, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), index);
          if (ec != std::errc() || p != inner.data() + inner.size() || index < 0) {
            return fail("Invalid array index in selector " + std::string(sel));
          }
          path->push_back({"", index});
        }
        i = end + 1;
      } else {
        return fail("Invalid selector " + std::string(sel));
      }
    }
    return true;
  }

  static bool stops_word(char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == ',' ||
           c == '&' || c == '|' || c == '=' || c == '!' || c == '<' || c == '>' || c == '"';
  }

  void advance() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) {
      ++pos_;
    }
    tok_ = Token{Token::Kind::End, {}};
    if (pos_ >= s_.size()) {
      return;
    }
    char c = s_[pos_];
    auto two = [&](std::string_view t) { return s_.substr(pos_, 2) == t; };
    if (c == '(') {
      tok_.kind = Token::Kind::LParen;
      ++pos_;
    } else if (c == ')') {
      tok_.kind = Token::Kind::RParen;
      ++pos_;
    } else if (c == ',') {
      tok_.kind = Token::Kind::Comma;
      ++pos_;
    } else if (two("&&")) {
      tok_.kind = Token::Kind::And;
      pos_ += 2;
    } else if (two("||")) {
      tok_.kind = Token::Kind::Or;
      pos_ += 2;
    } else if (two("!=") || two("<=") || two(">=")) {
      tok_.kind = Token::Kind::Op;
      tok_.op = c == '!' ? Op::Ne : c == '<' ? Op::Le : Op::Ge;
      pos_ += 2;
    } else if (c == '=' || c == '<' || c == '>') {
      tok_.kind = Token::Kind::Op;
      tok_.op = c == '=' ? Op::Eq : c == '<' ? Op::Lt : Op::Gt;
      pos_ += 1;
    } else if (c == '"') {
      tok_.kind = Token::Kind::String;
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {
          ++pos_;
        }
        tok_.text += s_[pos_++];
      }
      if (pos_ >= s_.size()) {
        fail("Unterminated quoted string in filter pattern");
        tok_.kind = Token::Kind::End;
        return;
      }
      ++pos_;
    } else if (c == '%') {
      size_t end = s_.find('%', pos_ + 1);
      if (end == std::string_view::npos) {
        fail("Unterminated regular expression in filter pattern");
        return;
      }
      tok_.kind = Token::Kind::Regex;
      tok_.text = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
    } else if (c == '$') {
      tok_.kind = Token::Kind::Selector;
      size_t end = pos_;
      int depth = 0;
      while (end < s_.size() && (depth > 0 || !stops_word(s_[end]))) {
        depth += s_[end] == '[' ? 1 : s_[end] == ']' ? -1 : 0;
        ++end;
      }
      tok_.text = std::string(s_.substr(pos_, end - pos_));
      pos_ = end;
    } else {
      tok_.kind = Token::Kind::Word;
      size_t end = pos_;
      while (end < s_.size() && !stops_word(s_[end])) {
        ++end;
      }
      if (end == pos_) {
        fail(std::string("Unexpected '") + c + "' in filter pattern");
        tok_.kind = Token::Kind::End;
        pos_ = s_.size();
        return;
      }
      tok_.text = std::string(s_.substr(pos_, end - pos_));
      pos_ = end;
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  Token tok_{Token::Kind::End, {}};
  std::string* error_;
};

void collect_fields(const Expr& e, std::vector<std::string>* out) {
  if (e.kind == Expr::Kind::Leaf) {
    out->push_back(e.cmp.field);
  }
  for (const Expr& k : e.kids) {
    collect_fields(k, out);
  }
}

}  // namespace

struct FilterPattern::Impl {
  enum class Kind { Terms, Json, Delimited } kind = Kind::Terms;
  std::vector<Term> terms;
  Expr expr;                        // Json
  std::vector<std::string> fields;  // Delimited: names, "..." for an ellipsis
  std::vector<Expr> conditions;     // Delimited: all must hold

  bool match_delimited(const std::vector<std::string_view>& tokens, size_t fi, size_t ti,
                       std::map<std::string, std::string_view, std::less<>>& bound) const {
    if (fi == fields.size()) {
      if (ti != tokens.size()) {
        return false;
      }
      for (const Expr& c : conditions) {
        if (!evaluate(c, [&](const Comparison& cmp) { return delimited_leaf(bound, cmp); })) {
          return false;
        }
      }
      return true;
    }
    if (fields[fi] == "...") {
      for (size_t skip = ti; skip <= tokens.size(); ++skip) {
        if (match_delimited(tokens, fi + 1, skip, bound)) {
          return true;
        }
      }
      return false;
    }
    if (ti >= tokens.size()) {
      return false;
    }
    bound[fields[fi]] = tokens[ti];
    return match_delimited(tokens, fi + 1, ti + 1, bound);
  }
};

FilterPattern::FilterPattern() = default;

std::optional<FilterPattern> FilterPattern::parse(std::string_view text, std::string* error) {
  error->clear();
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) {
    return FilterPattern();
  }
  size_t e = text.find_last_not_of(" \t\r\n");
  text = text.substr(b, e - b + 1);
  auto impl = std::make_shared<Impl>();

  if (text.front() == '{') {
    if (text.back() != '}') {
      *error = "Missing '}' at the end of the JSON filter pattern";
      return std::nullopt;
    }
    impl->kind = Impl::Kind::Json;
    Parser p(text.substr(1, text.size() - 2), error);
    if (!p.parse_or(&impl->expr, true, "") || p.failed()) {
      return std::nullopt;
    }
    if (p.peek().kind != Token::Kind::End) {
      *error = "Unexpected '" + p.peek().text + "' in JSON filter pattern";
      return std::nullopt;
    }
    return FilterPattern(std::move(impl));
  }

  if (text.front() == '[') {
    if (text.back() != ']') {
      *error = "Missing ']' at the end of the space-delimited filter pattern";
      return std::nullopt;
    }
    impl->kind = Impl::Kind::Delimited;
    Parser p(text.substr(1, text.size() - 2), error);
    while (p.peek().kind != Token::Kind::End) {
      if (p.peek().kind != Token::Kind::Word) {
        *error = "Expected a field name in the space-delimited filter pattern";
        return std::nullopt;
      }
      std::string name = p.take().text;
      impl->fields.push_back(name);
      if (name != "..." && p.peek().kind == Token::Kind::Op) {
        Expr cond;
        if (!p.parse_or(&cond, false, name)) {
          return std::nullopt;
        }
        impl->conditions.push_back(std::move(cond));
      }
      if (p.failed()) {
        return std::nullopt;
      }
      if (p.peek().kind == Token::Kind::Comma) {
        p.take();
      } else if (p.peek().kind != Token::Kind::End) {
        *error = "Expected ',' between fields of the space-delimited filter pattern";
        return std::nullopt;
      }
    }
    if (p.failed()) {
      return std::nullopt;
    }
    std::vector<std::string> used;
    for (const Expr& c : impl->conditions) {
      collect_fields(c, &used);
    }
    for (const std::string& f : used) {
      if (std::find(impl->fields.begin(), impl->fields.end(), f) == impl->fields.end()) {
        *error = "Unknown field '" + f + "' in the space-delimited filter pattern";
        return std::nullopt;
      }
    }
    return FilterPattern(std::move(impl));
  }

  impl->kind = Impl::Kind::Terms;
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    Term term;
    if (text[i] == '-' || text[i] == '?') {
      term.mode = text[i] == '-' ? Term::Mode::Exclude : Term::Mode::Any;
      ++i;
    }
    if (i < text.size() && text[i] == '"') {
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size()) {
          ++i;
        }
        term.text += text[i++];
      }
      if (i >= text.size()) {
        *error = "Unterminated quoted term in filter pattern";
        return std::nullopt;
      }
      ++i;
    } else if (i < text.size() && text[i] == '%') {
      size_t end = text.find('%', i + 1);
      if (end == std::string_view::npos) {
        *error = "Unterminated regular expression in filter pattern";
        return std::nullopt;
      }
      term.regex = compile_regex(text.substr(i + 1, end - i - 1), error);
      if (!term.regex) {
        return std::nullopt;
      }
      i = end + 1;
    } else {
      size_t end = i;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) {
        ++end;
      }
      term.text = std::string(text.substr(i, end - i));
      i = end;
    }
    if (term.text.empty() && !term.regex) {
      *error = "Empty term in filter pattern";
      return std::nullopt;
    }
    impl->terms.push_back(std::move(term));
  }
  return FilterPattern(std::move(impl));
}

bool FilterPattern::matches(std::string_view message) const {
  if (!impl_) {
    return true;
  }
  switch (impl_->kind) {
    case Impl::Kind::Terms: {
      bool any_seen = false;
      bool any_found = false;
      for (const Term& t : impl_->terms) {
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
    case Impl::Kind::Json: {
      boost::system::error_code ec;
      json::value doc = json::parse(message, ec);
      if (ec || !(doc.is_object() || doc.is_array())) {
        return false;
      }
      return evaluate(impl_->expr, [&](const Comparison& c) { return json_leaf(doc, c); });
    }
    case Impl::Kind::Delimited: {
      std::vector<std::string_view> tokens = split_fields(message);
      std::map<std::string, std::string_view, std::less<>> bound;
      return impl_->match_delimited(tokens, 0, 0, bound);
    }
  }
  return false;
}

}  // namespace services::logs

// FilterPattern::parse: text → FilterPattern::Impl (filter_pattern_ast.h). Matching is in
// filter_pattern.cc.

#include <algorithm>
#include <cctype>
#include <charconv>

#include "services/logs/filter_pattern.h"
#include "services/logs/filter_pattern_ast.h"
#include "services/logs/filter_pattern_lexer.h"

namespace services::logs {

namespace pattern {

// The bodies of %regex% terms and values come from users: RE2 matches in time linear in the
// message and without recursion, where std::regex could hang or overflow the stack on a crafted
// pattern. Its syntax covers what CloudWatch Logs documents (classes, anchors, quantifiers,
// alternation, groups); backreferences and lookaround are rejected, as Logs rejects them.
constexpr int64_t kRegexMaxMemory = 1 << 20;

std::shared_ptr<const re2::RE2> compile_regex(std::string_view body, std::string* error) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kRegexMaxMemory);
  auto regex =
      std::make_shared<const re2::RE2>(re2::StringPiece(body.data(), body.size()), options);
  if (!regex->ok()) {
    *error = "Invalid regular expression: %" + std::string(body) + "%";
    return nullptr;
  }
  return regex;
}

namespace {

// Recursive descent over the { JSON } and [ space-delimited ] expression grammar.
class Parser {
 public:
  Parser(std::string_view text, std::string* error) : lex_(text, error) {}

  Lexer& lexer() { return lex_; }
  bool selector(std::string_view sel, std::vector<PathStep>* path) { return parse_path(sel, path); }

  // or := and ('||' and)* ; and := unary ('&&' unary)* ; unary := '(' or ')' | comparison
  bool parse_or(Expr* out, bool json, const std::string& default_field) {
    return parse_chain(Token::Kind::Or, Expr::Kind::Or, &Parser::parse_and, out, json,
                       default_field);
  }

 private:
  using Operand = bool (Parser::*)(Expr*, bool, const std::string&);

  bool parse_and(Expr* out, bool json, const std::string& default_field) {
    return parse_chain(Token::Kind::And, Expr::Kind::And, &Parser::parse_unary, out, json,
                       default_field);
  }

  // operand (separator operand)*: the operand alone, or a `kind` node over all of them.
  bool parse_chain(Token::Kind separator, Expr::Kind kind, Operand operand, Expr* out, bool json,
                   const std::string& default_field) {
    Expr first;
    if (!(this->*operand)(&first, json, default_field)) {
      return false;
    }
    if (lex_.peek().kind != separator) {
      *out = std::move(first);
      return true;
    }
    out->kind = kind;
    out->kids.push_back(std::move(first));
    while (lex_.peek().kind == separator) {
      lex_.advance();
      Expr next;
      if (!(this->*operand)(&next, json, default_field)) {
        return false;
      }
      out->kids.push_back(std::move(next));
    }
    return true;
  }

  bool parse_unary(Expr* out, bool json, const std::string& default_field) {
    if (lex_.peek().kind == Token::Kind::LParen) {
      lex_.advance();
      if (!parse_or(out, json, default_field)) {
        return false;
      }
      if (lex_.peek().kind != Token::Kind::RParen) {
        return lex_.fail("Missing ')' in filter pattern");
      }
      lex_.advance();
      return true;
    }
    out->kind = Expr::Kind::Leaf;
    Comparison& c = out->cmp;
    if (!parse_subject(&c, json, default_field)) {
      return false;
    }
    if (lex_.peek().kind == Token::Kind::Word && json) {
      return parse_json_predicate(&c);
    }
    if (lex_.peek().kind != Token::Kind::Op) {
      return lex_.fail("Expected a comparison operator in filter pattern");
    }
    c.op = lex_.take().op;
    if (!parse_operand(&c.value)) {
      return false;
    }
    if (c.value.kind != Value::Kind::Number && c.op != Op::Eq && c.op != Op::Ne) {
      return lex_.fail("Only = and != compare strings in filter patterns");
    }
    return true;
  }

  // What a comparison looks at: a $. selector (JSON), a named field, or the field whose
  // condition this is ([status = 404] names none).
  bool parse_subject(Comparison* c, bool json, const std::string& default_field) {
    if (json) {
      if (lex_.peek().kind != Token::Kind::Selector) {
        return lex_.fail("Expected a $. selector in JSON filter pattern");
      }
      c->field = lex_.peek().text;
      if (!parse_path(c->field, &c->path)) {
        return false;
      }
      lex_.advance();
    } else if (lex_.peek().kind == Token::Kind::Word) {
      c->field = lex_.take().text;
    } else {
      c->field = default_field;
    }
    return true;
  }

  // IS NULL | IS TRUE | IS FALSE | NOT EXISTS, after a JSON selector.
  bool parse_json_predicate(Comparison* c) {
    std::string w = lex_.take().text;
    if (w == "IS") {
      std::string what = lex_.peek().kind == Token::Kind::Word ? lex_.take().text : "";
      if (what == "NULL") {
        c->op = Op::IsNull;
      } else if (what == "TRUE") {
        c->op = Op::IsTrue;
      } else if (what == "FALSE") {
        c->op = Op::IsFalse;
      } else {
        return lex_.fail("Expected NULL, TRUE or FALSE after IS");
      }
      return true;
    }
    if (w == "NOT" && lex_.peek().kind == Token::Kind::Word && lex_.peek().text == "EXISTS") {
      lex_.advance();
      c->op = Op::NotExists;
      return true;
    }
    return lex_.fail("Unexpected '" + w + "' in filter pattern");
  }

  // The right-hand side: "string", %regex%, a number, or a bare word (a string).
  bool parse_operand(Value* value) {
    Token v = lex_.take();
    switch (v.kind) {
      case Token::Kind::String:
        value->kind = Value::Kind::String;
        value->text = v.text;
        return true;
      case Token::Kind::Regex:
        value->kind = Value::Kind::Regex;
        value->regex = compile_regex(v.text, lex_.error());
        return value->regex != nullptr;
      case Token::Kind::Word:
        if (std::optional<double> n = parse_number(v.text)) {
          value->kind = Value::Kind::Number;
          value->number = *n;
        } else {
          value->kind = Value::Kind::String;
          value->text = v.text;
        }
        return true;
      default:
        return lex_.fail("Expected a value after the comparison operator");
    }
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
          return lex_.fail("Empty member name in selector " + std::string(sel));
        }
        path->push_back({std::string(sel.substr(i, end - i)), -1});
        i = end;
      } else if (sel[i] == '[') {
        size_t end = sel.find(']', i);
        if (end == std::string_view::npos) {
          return lex_.fail("Missing ']' in selector " + std::string(sel));
        }
        if (!parse_bracket_step(sel, sel.substr(i + 1, end - i - 1), path)) {
          return false;
        }
        i = end + 1;
      } else {
        return lex_.fail("Invalid selector " + std::string(sel));
      }
    }
    return true;
  }

  // The inside of [...] in a selector: a quoted member name or an array index.
  bool parse_bracket_step(std::string_view sel, std::string_view inner,
                          std::vector<PathStep>* path) {
    if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') &&
        inner.back() == inner.front()) {
      path->push_back({std::string(inner.substr(1, inner.size() - 2)), -1});
      return true;
    }
    int64_t index = -1;
    auto [p, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), index);
    if (ec != std::errc() || p != inner.data() + inner.size() || index < 0) {
      return lex_.fail("Invalid array index in selector " + std::string(sel));
    }
    path->push_back({"", index});
    return true;
  }

  Lexer lex_;
};

}  // namespace

bool parse_selector(std::string_view selector, std::vector<PathStep>* path, std::string* error) {
  Parser p("", error);
  return p.selector(selector, path) && !p.lexer().failed();
}

namespace {

void collect_fields(const Expr& e, std::vector<std::string>* out) {
  if (e.kind == Expr::Kind::Leaf) {
    out->push_back(e.cmp.field);
  }
  for (const Expr& k : e.kids) {
    collect_fields(k, out);
  }
}

// { expression }, `body` without the braces.
bool parse_json_pattern(std::string_view body, FilterPattern::Impl* impl, std::string* error) {
  impl->kind = FilterPattern::Impl::Kind::Json;
  Parser p(body, error);
  if (!p.parse_or(&impl->expr, true, "") || p.lexer().failed()) {
    return false;
  }
  if (p.lexer().peek().kind != Token::Kind::End) {
    *error = "Unexpected '" + p.lexer().peek().text + "' in JSON filter pattern";
    return false;
  }
  return true;
}

// Every field a condition names must be one of the pattern's fields.
bool check_condition_fields(const FilterPattern::Impl& impl, std::string* error) {
  std::vector<std::string> used;
  for (const Expr& c : impl.conditions) {
    collect_fields(c, &used);
  }
  for (const std::string& f : used) {
    if (std::find(impl.fields.begin(), impl.fields.end(), f) == impl.fields.end()) {
      *error = "Unknown field '" + f + "' in the space-delimited filter pattern";
      return false;
    }
  }
  return true;
}

// [field, field op value, ..., field], `body` without the brackets.
bool parse_delimited_pattern(std::string_view body, FilterPattern::Impl* impl, std::string* error) {
  impl->kind = FilterPattern::Impl::Kind::Delimited;
  Parser p(body, error);
  Lexer& lex = p.lexer();
  while (lex.peek().kind != Token::Kind::End) {
    if (lex.peek().kind == Token::Kind::Comma) {
      lex.take();  // an unnamed field: [a, , b]
      impl->fields.emplace_back();
      continue;
    }
    if (lex.peek().kind != Token::Kind::Word) {
      *error = "Expected a field name in the space-delimited filter pattern";
      return false;
    }
    std::string name = lex.take().text;
    impl->fields.push_back(name);
    if (name != "..." && lex.peek().kind == Token::Kind::Op) {
      Expr cond;
      if (!p.parse_or(&cond, false, name)) {
        return false;
      }
      impl->conditions.push_back(std::move(cond));
    }
    if (lex.failed()) {
      return false;
    }
    if (lex.peek().kind == Token::Kind::Comma) {
      lex.take();
      if (lex.peek().kind == Token::Kind::End) {
        impl->fields.emplace_back();  // a trailing unnamed field: [..., status,]
      }
    } else if (lex.peek().kind != Token::Kind::End) {
      *error = "Expected ',' between fields of the space-delimited filter pattern";
      return false;
    }
  }
  if (lex.failed()) {
    return false;
  }
  return check_condition_fields(*impl, error);
}

// One term starting at text[*i] (not a blank); *i moves past it.
bool parse_term(std::string_view text, size_t* at, Term* term, std::string* error) {
  size_t i = *at;
  if (text[i] == '-' || text[i] == '?') {
    term->mode = text[i] == '-' ? Term::Mode::Exclude : Term::Mode::Any;
    ++i;
  }
  if (i < text.size() && text[i] == '"') {
    ++i;
    while (i < text.size() && text[i] != '"') {
      if (text[i] == '\\' && i + 1 < text.size()) {
        ++i;
      }
      term->text += text[i++];
    }
    if (i >= text.size()) {
      *error = "Unterminated quoted term in filter pattern";
      return false;
    }
    ++i;
  } else if (i < text.size() && text[i] == '%') {
    size_t end = text.find('%', i + 1);
    if (end == std::string_view::npos) {
      *error = "Unterminated regular expression in filter pattern";
      return false;
    }
    term->regex = compile_regex(text.substr(i + 1, end - i - 1), error);
    if (!term->regex) {
      return false;
    }
    i = end + 1;
  } else {
    size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    term->text = std::string(text.substr(i, end - i));
    i = end;
  }
  *at = i;
  return true;
}

// Blank-separated terms.
bool parse_terms_pattern(std::string_view text, FilterPattern::Impl* impl, std::string* error) {
  impl->kind = FilterPattern::Impl::Kind::Terms;
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    Term term;
    if (!parse_term(text, &i, &term, error)) {
      return false;
    }
    if (term.text.empty() && !term.regex) {
      *error = "Empty term in filter pattern";
      return false;
    }
    impl->terms.push_back(std::move(term));
  }
  return true;
}

}  // namespace
}  // namespace pattern

std::optional<FilterPattern> FilterPattern::parse(std::string_view text, std::string* error) {
  error->clear();
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) {
    return FilterPattern();
  }
  size_t e = text.find_last_not_of(" \t\r\n");
  text = text.substr(b, e - b + 1);
  auto impl = std::make_shared<Impl>();
  bool ok = false;
  if (text.front() == '{') {
    if (text.back() != '}') {
      *error = "Missing '}' at the end of the JSON filter pattern";
      return std::nullopt;
    }
    ok = pattern::parse_json_pattern(text.substr(1, text.size() - 2), impl.get(), error);
  } else if (text.front() == '[') {
    if (text.back() != ']') {
      *error = "Missing ']' at the end of the space-delimited filter pattern";
      return std::nullopt;
    }
    ok = pattern::parse_delimited_pattern(text.substr(1, text.size() - 2), impl.get(), error);
  } else {
    ok = pattern::parse_terms_pattern(text, impl.get(), error);
  }
  if (!ok) {
    return std::nullopt;
  }
  return FilterPattern(std::move(impl));
}

}  // namespace services::logs

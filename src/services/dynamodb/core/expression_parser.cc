#include "services/dynamodb/core/expression_parser.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <limits>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"

namespace services::dynamodb::expr {
namespace json = boost::json;

namespace {

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_part(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    Token t;
    t.begin = i;
    if (i == text.size()) {
      t.kind = Token::Kind::End;
      t.text = "<EOF>";
      t.end = i;
      out.push_back(std::move(t));
      return out;
    }
    char c = text[i];
    std::size_t j = i + 1;
    if (ident_start(c)) {
      t.kind = Token::Kind::Identifier;
      while (j < text.size() && ident_part(text[j])) {
        ++j;
      }
    } else if (c == '#' || c == ':') {
      t.kind = c == '#' ? Token::Kind::Name : Token::Kind::Value;
      while (j < text.size() && ident_part(text[j])) {
        ++j;
      }
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      t.kind = Token::Kind::Number;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
        ++j;
      }
    } else {
      t.kind = Token::Kind::Punct;
      if (j < text.size() &&
          ((c == '<' && (text[j] == '>' || text[j] == '=')) || (c == '>' && text[j] == '='))) {
        ++j;
      }
    }
    t.end = j;
    t.text = std::string(text.substr(i, j - i));
    out.push_back(std::move(t));
    i = j;
  }
}

constexpr std::size_t kMaxExpressionSize = 4096;

constexpr std::array<std::string_view, 6> kConditionFunctions = {
    "attribute_exists", "attribute_not_exists",
    "attribute_type",   "begins_with",
    "contains",         "size"};
constexpr std::array<std::string_view, 2> kUpdateFunctions = {"if_not_exists", "list_append"};
constexpr std::array<std::string_view, 10> kTypeNames = {"S",    "N", "B",  "NULL", "SS",
                                                         "BOOL", "L", "BS", "NS",   "M"};

bool known(std::string_view name, auto const& list) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// The literal as DynamoDB prints it in BETWEEN messages: {N:5}.
std::string literal_message(const json::value& v) {
  std::string_view type = type_of(v);
  const json::value& m = v.as_object().begin()->value();
  return "AttributeValue: {" + std::string(type) + ":" +
         (m.is_string() ? std::string(m.get_string()) : json::serialize(m)) + "}";
}

}  // namespace

Parser::Parser(std::string_view text, ExpressionContext& ctx, std::string_view kind,
               std::vector<std::string_view> keywords)
    : text_(text), ctx_(ctx), kind_(kind), keywords_(std::move(keywords)) {
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    fail("The expression can not be empty;");
  }
  // "Expression parameters": an expression string is at most 4 KB.
  if (text.size() > kMaxExpressionSize) {
    fail("Expression size has exceeded the maximum allowed size; expression size: " +
         std::to_string(text.size()));
  }
  tokens_ = tokenize(text_);
}

const Token& Parser::peek(std::size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

Token Parser::next() {
  Token t = peek();
  if (pos_ < tokens_.size() - 1) {
    ++pos_;
  }
  return t;
}

bool Parser::at_punct(std::string_view p) const {
  return peek().kind == Token::Kind::Punct && peek().text == p;
}

bool Parser::accept_punct(std::string_view p) {
  if (!at_punct(p)) {
    return false;
  }
  next();
  return true;
}

void Parser::expect_punct(std::string_view p) {
  if (!accept_punct(p)) {
    syntax_error();
  }
}

bool Parser::at_keyword(std::string_view word) const {
  return peek().kind == Token::Kind::Identifier && iequals(peek().text, word);
}

bool Parser::accept_keyword(std::string_view word) {
  if (!at_keyword(word)) {
    return false;
  }
  next();
  return true;
}

void Parser::syntax_error() const { throw SyntaxError{pos_}; }

void Parser::throw_syntax_error(std::size_t pos) const {
  const Token& bad = tokens_[pos];
  std::size_t from = pos > 0 ? tokens_[pos - 1].begin : bad.begin;
  std::size_t to = pos + 1 < tokens_.size() ? tokens_[pos + 1].end : bad.end;
  if (bad.kind == Token::Kind::End) {
    to = bad.begin;
  }
  std::string near = text_.substr(from, to - from);
  while (!near.empty() && std::isspace(static_cast<unsigned char>(near.back()))) {
    near.pop_back();
  }
  fail("Syntax error; token: \"" + bad.text + "\", near: \"" + near + "\"");
}

void Parser::fail(std::string_view message) const {
  throw protocol::errors::validation("Invalid " + kind_ + ": " + std::string(message));
}

void Parser::record(Problem p, std::string message) {
  auto& slot = problems_[static_cast<std::size_t>(p)];
  if (!slot) {
    slot = std::move(message);
  }
}

void Parser::finish(std::initializer_list<Problem> order) const {
  for (Problem p : order) {
    const auto& slot = problems_[static_cast<std::size_t>(p)];
    if (slot) {
      fail(*slot);
    }
  }
}

PathElement Parser::parse_path_name() {
  const Token& t = peek();
  PathElement e;
  if (t.kind == Token::Kind::Identifier) {
    // Attribute names in a path start with a letter; keywords of the grammar are never names.
    bool keyword = std::any_of(keywords_.begin(), keywords_.end(),
                               [&](std::string_view k) { return iequals(k, t.text); });
    if (keyword || !std::isalpha(static_cast<unsigned char>(t.text[0]))) {
      syntax_error();
    }
    if (is_reserved_word(t.text)) {
      record(Problem::Reserved,
             "Attribute name is a reserved keyword; reserved keyword: " + t.text);
    }
    e.name = t.text;
  } else if (t.kind == Token::Kind::Name) {
    const std::string* name = ctx_.find_name(t.text);
    if (!name) {
      std::string m =
          "An expression attribute name used in the document path is not defined; attribute "
          "name: " +
          t.text;
      record(Problem::AttrName, m);
      record(Problem::AttrNameOrValue, m);
      e.name = t.text;
    } else {
      e.name = *name;
    }
  } else {
    syntax_error();
  }
  next();
  return e;
}

Path Parser::parse_path() {
  Path path;
  path.push_back(parse_path_name());
  while (true) {
    if (accept_punct(".")) {
      path.push_back(parse_path_name());
    } else if (accept_punct("[")) {
      if (peek().kind != Token::Kind::Number) {
        syntax_error();
      }
      Token n = next();
      PathElement e;
      e.index = n.text.size() > 9 ? std::numeric_limits<int>::max() : std::stoi(n.text);
      path.push_back(std::move(e));
      expect_punct("]");
    } else {
      return path;
    }
  }
}

OperandPtr Parser::parse_operand() {
  if (accept_punct("(")) {
    OperandPtr inner = parse_operand();
    if (last_was_parenthesized_) {
      record(Problem::Parens, "The expression has redundant parentheses;");
    }
    expect_punct(")");
    last_was_parenthesized_ = true;
    return inner;
  }
  auto op = std::make_shared<Operand>();
  const Token& t = peek();
  if (t.kind == Token::Kind::Value) {
    op->kind = Operand::Kind::Value;
    const json::value* v = ctx_.find_value(t.text);
    if (!v) {
      std::string m =
          "An expression attribute value used in expression is not defined; attribute value: " +
          t.text;
      record(Problem::AttrValue, m);
      record(Problem::AttrNameOrValue, m);
    } else {
      op->value = *v;
    }
    next();
  } else if (t.kind == Token::Kind::Identifier && peek(1).kind == Token::Kind::Punct &&
             peek(1).text == "(" &&
             std::none_of(keywords_.begin(), keywords_.end(),
                          [&](std::string_view k) { return iequals(k, t.text); })) {
    std::string name = next().text;
    return parse_call(std::move(name));
  } else {
    op->kind = Operand::Kind::Path;
    op->path = parse_path();
  }
  last_was_parenthesized_ = false;
  return op;
}

OperandPtr Parser::parse_call(std::string name) {
  auto call = std::make_shared<Operand>();
  call->kind = Operand::Kind::Function;
  call->function = std::move(name);
  expect_punct("(");
  do {
    call->args.push_back(parse_operand());
  } while (accept_punct(","));
  expect_punct(")");
  last_was_parenthesized_ = false;
  bool ok = update_mode ? known(call->function, kUpdateFunctions)
                        : known(call->function, kConditionFunctions);
  if (!ok) {
    // A function of the other expression kind is named as such, not as unknown.
    bool other_kind = update_mode ? known(call->function, kConditionFunctions)
                                  : known(call->function, kUpdateFunctions);
    record(Problem::UnknownFunction,
           other_kind ? "The function is not allowed in " +
                            std::string(update_mode ? "an update" : "a condition") +
                            " expression; function: " + call->function
                      : "Invalid function name; function: " + call->function);
    return call;
  }
  if (update_mode) {
    check_update_function(*call);
  } else {
    for (const OperandPtr& a : call->args) {
      check_misused(*a);
    }
    check_condition_function(*call);
  }
  return call;
}

std::string Parser::static_type(const Operand& op) {
  switch (op.kind) {
    case Operand::Kind::Value:
      return std::string(type_of(op.value));
    case Operand::Kind::Plus:
    case Operand::Kind::Minus:
      return "N";
    case Operand::Kind::Function:
      if (op.function == "size") {
        return "N";
      }
      if (op.function == "list_append") {
        return "L";
      }
      if (op.function == "if_not_exists") {
        return op.args.size() == 2 ? static_type(*op.args[1]) : "";
      }
      return "BOOL";
    case Operand::Kind::Path:
      return "";
  }
  return "";
}

void Parser::check_misused(const Operand& op) {
  if (op.kind == Operand::Kind::Function && op.function != "size") {
    record(Problem::MisusedFunction,
           "The function is not allowed to be used this way in an expression; function: " +
               op.function);
  }
}

void Parser::check_distinct(std::string_view name, const Operand& a, const Operand& b) {
  if (a.kind == Operand::Kind::Path && b.kind == Operand::Kind::Path && a.path == b.path) {
    record(Problem::Distinct,
           "The first operand must be distinct from the remaining operands for this operator or "
           "function; operator: " +
               std::string(name) + ", first operand: " + path_message(a.path));
  }
}

void Parser::check_between(const Operand& lo, const Operand& hi) {
  if (lo.kind != Operand::Kind::Value || hi.kind != Operand::Kind::Value || lo.value.is_null() ||
      hi.value.is_null()) {
    return;
  }
  std::string bounds = "lower bound operand: " + literal_message(lo.value) +
                       ", upper bound operand: " + literal_message(hi.value);
  if (type_of(lo.value) != type_of(hi.value)) {
    record(Problem::Function,
           "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
    return;
  }
  std::optional<int> c = compare_values(lo.value, hi.value);
  if (c && *c > 0) {
    record(Problem::Function,
           "The BETWEEN operator requires upper bound to be greater than or equal to lower "
           "bound; " +
               bounds);
  }
}

void Parser::check_condition_function(const Operand& call) {
  const std::string& name = call.function;
  std::size_t want =
      (name == "attribute_exists" || name == "attribute_not_exists" || name == "size") ? 1 : 2;
  if (call.args.size() != want) {
    record(Problem::Operand,
           "Incorrect number of operands for operator or function; operator or function: " + name +
               ", number of operands: " + std::to_string(call.args.size()));
    return;
  }
  if (want == 2) {
    check_distinct(name, *call.args[0], *call.args[1]);
  }
  auto bad_type = [&](const std::string& type) {
    record(Problem::Function,
           "Incorrect operand type for operator or function; operator or function: " + name +
               ", operand type: " + type);
  };
  if (name == "attribute_exists" || name == "attribute_not_exists") {
    if (call.args[0]->kind != Operand::Kind::Path) {
      record(Problem::Function,
             "Operator or function requires a document path; operator or function: " + name);
    }
  } else if (name == "begins_with") {
    for (const OperandPtr& a : call.args) {
      std::string t = static_type(*a);
      if (!t.empty() && t != "S" && t != "B") {
        bad_type(t);
        return;
      }
    }
  } else if (name == "attribute_type") {
    std::string t = static_type(*call.args[1]);
    if (t != "S") {
      bad_type(t.empty() ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : t);
      return;
    }
    std::string wanted(call.args[1]->value.as_object().begin()->value().get_string());
    if (!known(wanted, kTypeNames)) {
      record(Problem::Function, "Invalid attribute type name found; type: " + wanted +
                                    ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    }
  } else if (name == "size") {
    std::string t = static_type(*call.args[0]);
    if (t == "N" || t == "BOOL" || t == "NULL") {
      bad_type(t);
    }
  }
}

void Parser::check_update_function(const Operand& call) {
  const std::string& name = call.function;
  if (call.args.size() != 2) {
    record(Problem::Function,
           "Incorrect number of operands for operator or function; operator or function: " + name +
               ", number of operands: " + std::to_string(call.args.size()));
    return;
  }
  if (name == "if_not_exists") {
    if (call.args[0]->kind != Operand::Kind::Path) {
      record(Problem::Function,
             "Operator or function requires a document path; operator or function: " + name);
    }
    return;
  }
  for (const OperandPtr& a : call.args) {  // list_append
    if (a->kind == Operand::Kind::Value && !a->value.is_null() && type_of(a->value) != "L") {
      record(Problem::Function,
             "Incorrect operand type for operator or function; operator or function: " + name +
                 ", operand type: " + std::string(type_of(a->value)));
      return;
    }
  }
}

}  // namespace services::dynamodb::expr

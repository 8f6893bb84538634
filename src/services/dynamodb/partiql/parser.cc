#include "services/dynamodb/partiql/parser.h"

#include <algorithm>
#include <cctype>

#include "services/dynamodb/errors.h"
#include "services/dynamodb/partiql/lexer.h"

namespace services::dynamodb::partiql {
namespace {

namespace json = boost::json;
using Kind = Token::Kind;

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

ExprPtr make(Expr e) { return std::make_shared<const Expr>(std::move(e)); }

class Parser {
 public:
  Parser(std::vector<Token> tokens, const json::array& params)
      : tokens_(std::move(tokens)), params_(params) {}

  Statement statement();

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool at_word(std::string_view w, std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == Kind::Word && upper(t.text) == w;
  }
  bool accept_word(std::string_view w) {
    if (!at_word(w)) return false;
    ++pos_;
    return true;
  }
  void expect_word(std::string_view w) {
    if (!accept_word(w)) fail_here();
  }
  bool at_punct(std::string_view p) const {
    return peek().kind == Kind::Punct && peek().text == p;
  }
  bool accept_punct(std::string_view p) {
    if (!at_punct(p)) return false;
    ++pos_;
    return true;
  }
  void expect_punct(std::string_view p) {
    if (!accept_punct(p)) fail_here();
  }
  // The syntax error at the current token, in DynamoDB's words.
  [[noreturn]] void fail_here() const {
    const Token& t = peek();
    if (t.kind == Kind::End) throw errors::validation(malformed("Unexpected end of statement"));
    if (t.kind == Kind::Word && is_keyword(t.text)) {
      throw errors::validation(malformed("Unexpected keyword"));
    }
    throw errors::validation(malformed("Unexpected token"));
  }

  std::string name();  // an attribute or table name: a word that is no keyword, or "quoted"
  void source(Statement& st, bool allow_index);
  Path path();
  std::vector<Path> projection();
  json::value value();
  json::value param();
  json::value bag();
  json::object tuple();
  ExprPtr operand();
  ExprPtr set_value();
  ExprPtr call(std::string fn);
  ExprPtr binary(std::string_view word, Expr::Kind kind, ExprPtr (Parser::*next)());
  ExprPtr or_expr();
  ExprPtr and_expr();
  ExprPtr not_expr();
  ExprPtr predicate();
  ExprPtr is_expr(ExprPtr subject);
  void order_by(Statement& st);
  void returning(Statement& st);
  void where_and_returning(Statement& st);  // UPDATE's and DELETE's: WHERE is required
  Statement select();
  Statement insert();
  Statement update();
  Statement remove();

  std::vector<Token> tokens_;
  const json::array& params_;
  std::size_t pos_ = 0;
  std::size_t next_param_ = 0;
};

std::string Parser::name() {
  const Token& t = peek();
  if (t.kind == Kind::Quoted || (t.kind == Kind::Word && !is_keyword(t.text))) {
    ++pos_;
    return t.text;
  }
  fail_here();
}

void Parser::source(Statement& st, bool allow_index) {
  st.table = name();
  std::vector<std::string> parts{st.table};
  while (accept_punct(".")) parts.push_back(name());
  st.from_components = static_cast<int>(parts.size());
  for (const std::string& p : parts) {
    if (p.empty()) throw errors::validation("Path component cannot be an empty string");
  }
  if (parts.size() > 2) {
    throw errors::validation("A path may contain at most 2 components in the FROM clause");
  }
  if (parts.size() == 2) {
    if (!allow_index) {
      throw errors::validation(
          "FROM clause may only contain a single table name in data manipulation statements");
    }
    st.index = parts[1];
  }
}

Path Parser::path() {
  Path p;
  p.push_back(PathElement{name(), -1});
  for (;;) {
    if (accept_punct(".")) {
      p.push_back(PathElement{name(), -1});
    } else if (accept_punct("[")) {
      if (peek().kind != Kind::Number ||
          !std::all_of(peek().text.begin(), peek().text.end(), ::isdigit)) {
        fail_here();
      }
      p.push_back(PathElement{"", std::stoi(tokens_[pos_++].text)});
      expect_punct("]");
    } else {
      return p;
    }
  }
}

std::vector<Path> Parser::projection() {
  std::vector<Path> out;
  if (accept_punct("*")) {
    if (at_punct(",")) {
      throw errors::validation(
          "Other attributes should not be present in the projection when '*' is used.");
    }
    return out;
  }
  do {
    if (at_punct("*")) {
      throw errors::validation(
          "Other attributes should not be present in the projection when '*' is used.");
    }
    out.push_back(path());
  } while (accept_punct(","));
  return out;
}

json::value Parser::param() {
  if (next_param_ >= params_.size()) {
    throw errors::validation("Number of parameters in request and statement don't match.");
  }
  return params_[next_param_++];
}

json::value Parser::bag() {
  json::array members;
  std::string type;
  if (at_punct(">>")) throw errors::validation("Empty bags are not supported");
  do {
    const Token& t = peek();
    std::string member_type = t.kind == Kind::String ? "S" : t.kind == Kind::Number ? "N" : "";
    bool negative = member_type.empty() && at_punct("-") && peek(1).kind == Kind::Number;
    if (negative) member_type = "N";
    if (member_type.empty() || (!type.empty() && type != member_type)) {
      throw errors::validation(
          "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in "
          "bags");
    }
    type = member_type;
    if (negative) ++pos_;
    members.push_back(json::string((negative ? "-" : "") + tokens_[pos_++].text));
  } while (accept_punct(","));
  expect_punct(">>");
  return json::object{{type + "S", std::move(members)}};
}

json::object Parser::tuple() {
  json::object m;
  if (accept_punct("}")) return m;
  do {
    if (peek().kind != Kind::String) fail_here();
    std::string key = tokens_[pos_++].text;
    expect_punct(":");
    m[key] = value();
  } while (accept_punct(","));
  expect_punct("}");
  return m;
}

// A literal or a parameter, as an AttributeValue.
json::value Parser::value() {
  const Token& t = peek();
  if (t.kind == Kind::Param) {
    ++pos_;
    return param();
  }
  if (t.kind == Kind::String) {
    ++pos_;
    return json::object{{"S", t.text}};
  }
  if (t.kind == Kind::Number || (at_punct("-") && peek(1).kind == Kind::Number) ||
      (at_punct("+") && peek(1).kind == Kind::Number)) {
    std::string sign = t.kind == Kind::Punct ? t.text : "";
    if (!sign.empty()) ++pos_;
    return json::object{{"N", (sign == "-" ? "-" : "") + tokens_[pos_++].text}};
  }
  if (accept_word("TRUE")) return json::object{{"BOOL", true}};
  if (accept_word("FALSE")) return json::object{{"BOOL", false}};
  if (accept_word("NULL")) return json::object{{"NULL", true}};
  if (at_word("MISSING")) throw errors::validation("MISSING must be compared using IS operator");
  if (accept_punct("<<")) return bag();
  if (accept_punct("{")) return json::object{{"M", tuple()}};
  if (accept_punct("[")) {
    json::array list;
    if (!accept_punct("]")) {
      do {
        list.push_back(value());
      } while (accept_punct(","));
      expect_punct("]");
    }
    return json::object{{"L", std::move(list)}};
  }
  fail_here();
}

bool starts_value(const Token& t) {
  return t.kind == Kind::Param || t.kind == Kind::String || t.kind == Kind::Number;
}

// operand := value | function-call | path
ExprPtr Parser::operand() {
  const Token& t = peek();
  bool call_next = peek(1).kind == Kind::Punct && peek(1).text == "(";
  if (t.kind == Kind::Word && call_next) {
    ++pos_;
    ++pos_;
    std::string fn = t.text;
    std::transform(fn.begin(), fn.end(), fn.begin(), ::tolower);
    return call(fn);
  }
  bool literal = starts_value(t) || at_punct("<<") || at_punct("{") || at_punct("[") ||
                 at_punct("-") || at_punct("+") || at_word("TRUE") || at_word("FALSE") ||
                 at_word("NULL") || at_word("MISSING");
  if (literal) {
    Expr e;
    e.kind = Expr::Kind::Value;
    e.value = value();
    return make(std::move(e));
  }
  Expr e;
  e.kind = Expr::Kind::Path;
  e.path = path();
  return make(std::move(e));
}

// After "fn(": the arguments and ")".
ExprPtr Parser::call(std::string fn) {
  static constexpr std::string_view kKnown[] = {"begins_with", "contains",   "attribute_type",
                                                "size",        "list_append", "set_add",
                                                "set_delete",  "if_not_exists"};
  if (std::find(std::begin(kKnown), std::end(kKnown), fn) == std::end(kKnown)) {
    throw errors::validation("Unrecognized function: " + fn);
  }
  Expr e;
  e.kind = Expr::Kind::Call;
  e.op = std::move(fn);
  if (!accept_punct(")")) {
    do {
      e.args.push_back(operand());
    } while (accept_punct(","));
    expect_punct(")");
  }
  return make(std::move(e));
}

// SET's value: operand [(+|-) operand].
ExprPtr Parser::set_value() {
  ExprPtr left = operand();
  if (at_punct("+") || at_punct("-")) {
    Expr e;
    e.kind = tokens_[pos_++].text == "+" ? Expr::Kind::Plus : Expr::Kind::Minus;
    e.args = {left, operand()};
    return make(std::move(e));
  }
  return left;
}

// left (WORD right)*, left-associative: OR over and_expr, AND over not_expr.
ExprPtr Parser::binary(std::string_view word, Expr::Kind kind, ExprPtr (Parser::*next)()) {
  ExprPtr left = (this->*next)();
  while (accept_word(word)) {
    Expr e;
    e.kind = kind;
    e.args = {left, (this->*next)()};
    left = make(std::move(e));
  }
  return left;
}

ExprPtr Parser::or_expr() { return binary("OR", Expr::Kind::Or, &Parser::and_expr); }
ExprPtr Parser::and_expr() { return binary("AND", Expr::Kind::And, &Parser::not_expr); }

ExprPtr Parser::not_expr() {
  if (accept_word("NOT")) {
    Expr e;
    e.kind = Expr::Kind::Not;
    e.args = {not_expr()};
    return make(std::move(e));
  }
  return predicate();
}

ExprPtr Parser::is_expr(ExprPtr subject) {
  Expr e;
  e.kind = Expr::Kind::Is;
  e.negated = accept_word("NOT");
  static constexpr std::string_view kTypes[] = {"MISSING", "NULL",   "BOOLEAN", "BLOB",
                                                "STRING",  "NUMERIC", "STRUCT", "TUPLE", "LIST"};
  const Token& t = peek();
  std::string type = t.kind == Kind::Word ? upper(t.text) : "";
  if (std::find(std::begin(kTypes), std::end(kTypes), type) == std::end(kTypes)) {
    if (t.kind != Kind::Word) fail_here();
    throw errors::validation("Unsupported data type for IS operator: " + t.text +
                             ". Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, "
                             "NUMERIC, STRUCT, TUPLE, LIST]");
  }
  ++pos_;
  if (subject->kind != Expr::Kind::Path) {
    throw errors::validation(
        "The left hand side argument to IS must be a Variable Reference, Literal, or Path");
  }
  e.op = type == "TUPLE" ? "STRUCT" : type;
  e.args = {std::move(subject)};
  return make(std::move(e));
}

ExprPtr Parser::predicate() {
  if (accept_punct("(")) {
    ExprPtr inner = or_expr();
    expect_punct(")");
    return inner;
  }
  ExprPtr subject = operand();
  static constexpr std::string_view kCompare[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
  if (peek().kind == Kind::Punct &&
      std::find(std::begin(kCompare), std::end(kCompare), peek().text) != std::end(kCompare)) {
    Expr e;
    e.kind = Expr::Kind::Compare;
    e.op = tokens_[pos_++].text == "!=" ? "<>" : tokens_[pos_ - 1].text;
    e.args = {subject, operand()};
    return make(std::move(e));
  }
  bool negated_between = at_word("NOT") && (at_word("BETWEEN", 1) || at_word("IN", 1));
  if (negated_between) ++pos_;
  Expr e;
  if (accept_word("BETWEEN")) {
    e.kind = Expr::Kind::Between;
    ExprPtr low = operand();
    expect_word("AND");
    e.args = {subject, low, operand()};
  } else if (accept_word("IN")) {
    e.kind = Expr::Kind::In;
    e.args = {subject};
    std::string close = accept_punct("[") ? "]" : (expect_punct("("), ")");
    do {
      e.args.push_back(operand());
    } while (accept_punct(","));
    expect_punct(close);
  } else if (accept_word("IS")) {
    return is_expr(subject);
  } else {
    if (subject->kind == Expr::Kind::Call) return subject;  // begins_with(...) and friends
    fail_here();
  }
  ExprPtr node = make(std::move(e));
  if (!negated_between) return node;
  Expr n;
  n.kind = Expr::Kind::Not;
  n.args = {node};
  return make(std::move(n));
}

void Parser::order_by(Statement& st) {
  if (!accept_word("ORDER")) return;
  expect_word("BY");
  do {
    Statement::Order o;
    o.name = name();
    if (accept_word("DESC")) {
      o.descending = true;
    } else {
      accept_word("ASC");
    }
    st.order_by.push_back(std::move(o));
  } while (accept_punct(","));
}

// RETURNING (ALL|MODIFIED) (OLD|NEW) *
void Parser::returning(Statement& st) {
  if (!accept_word("RETURNING")) return;
  std::string which = upper(peek().text);
  std::string age = upper(peek(1).text);
  if ((which != "ALL" && which != "MODIFIED") || (age != "OLD" && age != "NEW")) fail_here();
  pos_ += 2;
  if (!accept_punct("*")) {
    throw errors::validation(
        "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
  }
  st.returning = (which == "ALL" ? "ALL_" : "UPDATED_") + age;
  st.returning_text = which + " " + age + " *";
}

Statement Parser::select() {
  Statement st;
  st.kind = Statement::Kind::Select;
  st.projection = projection();
  expect_word("FROM");
  source(st, true);
  if (accept_word("WHERE")) st.where = or_expr();
  order_by(st);
  if (!st.order_by.empty() && !st.where) {
    throw errors::validation("Must have WHERE clause in the statement when using ORDER BY clause.");
  }
  return st;
}

Statement Parser::insert() {
  Statement st;
  st.kind = Statement::Kind::Insert;
  expect_word("INTO");
  source(st, false);
  if (at_word("VALUES")) {
    throw errors::validation(
        "Unsupported operation: Inserting multiple items in a single statement is not "
        "supported, use \"INSERT INTO tableName VALUE item\" instead");
  }
  expect_word("VALUE");
  if (!accept_punct("{")) {
    throw errors::validation(
        "Unsupported format in item expression. Please use struct format {...} to express item "
        "values for insert statement.");
  }
  st.item = tuple();
  if (at_word("RETURNING")) throw errors::validation("RETURNING is not supported in INSERT");
  return st;
}

Statement Parser::update() {
  Statement st;
  st.kind = Statement::Kind::Update;
  source(st, true);
  for (;;) {
    if (accept_word("SET")) {
      do {
        UpdateAction a;
        a.path = path();
        expect_punct("=");
        a.value = set_value();
        st.actions.push_back(std::move(a));
      } while (accept_punct(","));
    } else if (accept_word("REMOVE")) {
      do {
        UpdateAction a;
        a.kind = UpdateAction::Kind::Remove;
        a.path = path();
        st.actions.push_back(std::move(a));
      } while (accept_punct(","));
    } else {
      break;
    }
  }
  if (st.actions.empty()) fail_here();
  where_and_returning(st);
  return st;
}

void Parser::where_and_returning(Statement& st) {
  if (!accept_word("WHERE")) {
    if (peek().kind == Kind::End) {
      throw errors::validation(
          "Where clause does not contain a mandatory equality on all key attributes");
    }
    fail_here();
  }
  st.where = or_expr();
  returning(st);
}

Statement Parser::remove() {
  Statement st;
  st.kind = Statement::Kind::Delete;
  expect_word("FROM");
  source(st, true);
  where_and_returning(st);
  if (!st.returning.empty() && st.returning != "ALL_OLD") {
    throw errors::validation("Invalid returning clause: RETURNING " + st.returning_text +
                             ". Only RETURNING ALL OLD * is allowed in DELETE statements.");
  }
  return st;
}

Statement Parser::statement() {
  Statement st;
  if (accept_word("SELECT")) {
    st = select();
  } else if (accept_word("INSERT")) {
    st = insert();
  } else if (accept_word("UPDATE")) {
    st = update();
  } else if (accept_word("DELETE")) {
    st = remove();
  } else if (at_word("EXISTS") && peek(1).kind == Kind::Punct && peek(1).text == "(") {
    pos_ += 2;
    expect_word("SELECT");
    st = select();
    st.kind = Statement::Kind::Exists;
    expect_punct(")");
  } else {
    throw errors::validation(malformed("Expected data manipulation"));
  }
  accept_punct(";");
  if (peek().kind != Kind::End) {
    throw errors::validation(malformed("Unexpected token after expression"));
  }
  return st;
}

}  // namespace

std::string malformed(std::string_view detail) {
  return "Statement wasn't well formed, can't be processed: " + std::string(detail);
}

Statement parse_statement(std::string_view text, const json::array& parameters) {
  std::vector<Token> tokens = tokenize(text);
  std::size_t params = std::count_if(tokens.begin(), tokens.end(),
                                     [](const Token& t) { return t.kind == Kind::Param; });
  if (params > parameters.size()) {
    throw errors::validation("Number of parameters in request and statement don't match.");
  }
  Parser p(std::move(tokens), parameters);
  return p.statement();
}

}  // namespace services::dynamodb::partiql

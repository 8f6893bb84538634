#pragma once
// The tokenizer and recursive-descent parser shared by every expression kind. Internal.
//
// DynamoDB reports a syntax error at once ("Syntax error; token: \"x\", near: \"a x b\"", near
// being the source from the token before to the token after). Other problems are collected while
// parsing and the first one of the highest-ranked category is reported when parsing is done; the
// ranking differs between expression kinds and comes from the caller (finish()).

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/dynamodb/core/expression_ast.h"
#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb::expr {

struct Token {
  enum class Kind { Identifier, Name, Value, Number, Punct, End };
  Kind kind = Kind::End;
  std::string text;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The collected (non-syntax) problems, one slot per category.
enum class Problem {
  Parens,           // "The expression has redundant parentheses;"
  UnknownFunction,  // "Invalid function name; function: f"
  MisusedFunction,  // "The function is not allowed to be used this way in an expression; ..."
  Reserved,         // "Attribute name is a reserved keyword; reserved keyword: status"
  Section,          // "The \"SET\" section can only be used once in an update expression;"
  AttrName,         // undefined #name
  AttrValue,        // undefined :value
  AttrNameOrValue,  // whichever of the two came first (conditions rank them together)
  Overlap,          // two document paths overlap
  Conflict,         // two document paths conflict
  Operand,          // operand count (conditions) / ADD and DELETE operand types (updates)
  Distinct,         // "The first operand must be distinct from the remaining operands ..."
  Function,         // function operand types and counts
  Count
};

// Thrown inside the parser for a syntax error at token `pos`; the entry points turn it into the
// AwsError (see run()). Lets the parser backtrack over "(" without string matching.
struct SyntaxError {
  std::size_t pos;
};

class Parser {
 public:
  // `keywords` are the words that are never attribute names in this kind (AND, OR... or SET,
  // REMOVE...). Throws "The expression can not be empty;" for blank text.
  Parser(std::string_view text, ExpressionContext& ctx, std::string_view kind,
         std::vector<std::string_view> keywords);

  const Token& peek(std::size_t ahead = 0) const;
  Token next();
  bool at_end() const { return peek().kind == Token::Kind::End; }
  bool at_punct(std::string_view p) const;
  bool accept_punct(std::string_view p);
  void expect_punct(std::string_view p);
  bool at_keyword(std::string_view word) const;  // case-insensitive
  bool accept_keyword(std::string_view word);
  [[noreturn]] void syntax_error() const;  // at the current token
  std::size_t position() const { return pos_; }
  void rewind(std::size_t pos) { pos_ = pos; }

  // path := name ('.' name | '[' digits ']')*; names resolved, reserved words recorded.
  Path parse_path();
  // operand := '(' operand ')' | function-call | :value | path
  OperandPtr parse_operand();
  // The condition grammar (NOT > AND > OR), used by ConditionExpression, FilterExpression and
  // KeyConditionExpression.
  ConditionPtr parse_condition();

  void record(Problem p, std::string message);
  // Throws the first recorded problem among `order`, as "Invalid <kind>: <message>".
  void finish(std::initializer_list<Problem> order) const;
  [[noreturn]] void fail(std::string_view message) const;  // "Invalid <kind>: <message>"
  const std::string& kind() const { return kind_; }
  ExpressionContext& context() { return ctx_; }

  // Runs `parse` and turns a SyntaxError into DynamoDB's ValidationException.
  template <class F>
  auto run(F&& parse) -> decltype(parse()) {
    try {
      return parse();
    } catch (const SyntaxError& e) {
      throw_syntax_error(e.pos);
    }
  }
  [[noreturn]] void throw_syntax_error(std::size_t pos) const;
  bool update_mode = false;  // functions: if_not_exists and list_append instead of conditions'

  // Records the condition-function checks (counts, document paths, literal types).
  void check_condition_function(const Operand& call);
  // Type of an operand known before evaluation: a literal's type, N for size(), "" otherwise.
  static std::string static_type(const Operand& op);

 private:
  ConditionPtr parse_or();
  ConditionPtr parse_and();
  ConditionPtr parse_not();
  ConditionPtr parse_primary();
  ConditionPtr parse_comparison();
  OperandPtr parse_call(std::string name);
  void check_misused(const Operand& op);
  void check_distinct(std::string_view op, const Operand& a, const Operand& b);
  void check_between(const Operand& lo, const Operand& hi);
  void check_update_function(const Operand& call);
  PathElement parse_path_name();

  std::string text_;
  ExpressionContext& ctx_;
  std::string kind_;
  std::vector<std::string_view> keywords_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::array<std::optional<std::string>, static_cast<std::size_t>(Problem::Count)> problems_;
  bool last_was_parenthesized_ = false;
};

}  // namespace services::dynamodb::expr

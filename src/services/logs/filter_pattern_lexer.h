#pragma once
// Tokens of the { JSON } and [ space-delimited ] filter pattern forms. Internal to this directory.

#include <string>
#include <string_view>

#include "services/logs/filter_pattern_ast.h"

namespace services::logs::pattern {

struct Token {
  enum class Kind { End, LParen, RParen, And, Or, Op, Comma, Selector, String, Regex, Word } kind;
  std::string text;
  Op op = Op::Eq;
};

// Splits a pattern body into tokens, one ahead. The first error is kept in *error (which must
// outlive the lexer); the token stream then ends.
class Lexer {
 public:
  Lexer(std::string_view text, std::string* error) : s_(text), error_(error) { advance(); }

  bool failed() const { return !error_->empty(); }
  const Token& peek() const { return tok_; }
  // Moves past the current token.
  void advance();
  // Returns the current token and moves past it.
  Token take() {
    Token t = tok_;
    advance();
    return t;
  }
  // Records `message` unless an error is already recorded; returns false.
  bool fail(std::string message) {
    if (error_->empty()) {
      *error_ = std::move(message);
    }
    return false;
  }
  std::string* error() const { return error_; }

 private:
  bool lex_punctuation(char c);
  void lex_string();
  void lex_regex();
  void lex_selector();
  void lex_word(char c);

  std::string_view s_;
  size_t pos_ = 0;
  Token tok_{Token::Kind::End, {}};
  std::string* error_;
};

}  // namespace services::logs::pattern

#include "services/logs/filter_pattern_lexer.h"

#include <cctype>

namespace services::logs::pattern {

namespace {

bool stops_word(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == ',' ||
         c == '&' || c == '|' || c == '=' || c == '!' || c == '<' || c == '>' || c == '"';
}

}  // namespace

void Lexer::advance() {
  while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) {
    ++pos_;
  }
  tok_ = Token{Token::Kind::End, {}};
  if (pos_ >= s_.size()) {
    return;
  }
  char c = s_[pos_];
  if (lex_punctuation(c)) {
    return;
  }
  if (c == '"') {
    lex_string();
  } else if (c == '%') {
    lex_regex();
  } else if (c == '$') {
    lex_selector();
  } else {
    lex_word(c);
  }
}

// Parentheses, commas, && and ||, and the comparison operators; false when `c` starts none.
bool Lexer::lex_punctuation(char c) {
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
  } else {
    return false;
  }
  return true;
}

// "quoted", with \ escaping the next character.
void Lexer::lex_string() {
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
}

// %regex%, the body kept as written.
void Lexer::lex_regex() {
  size_t end = s_.find('%', pos_ + 1);
  if (end == std::string_view::npos) {
    fail("Unterminated regular expression in filter pattern");
    return;
  }
  tok_.kind = Token::Kind::Regex;
  tok_.text = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
  pos_ = end + 1;
}

// $.a.b[0]['x y']: up to the first word stop outside brackets.
void Lexer::lex_selector() {
  tok_.kind = Token::Kind::Selector;
  size_t end = pos_;
  int depth = 0;
  while (end < s_.size() && (depth > 0 || !stops_word(s_[end]))) {
    depth += s_[end] == '[' ? 1 : s_[end] == ']' ? -1 : 0;
    ++end;
  }
  tok_.text = std::string(s_.substr(pos_, end - pos_));
  pos_ = end;
}

// A bare word (field name, value, IS, NULL, ...); `c` that starts no token ends the stream.
void Lexer::lex_word(char c) {
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

}  // namespace services::logs::pattern

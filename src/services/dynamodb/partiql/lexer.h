#pragma once
// The tokens of a PartiQL statement. Internal to the parser.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace services::dynamodb::partiql {

struct Token {
  enum class Kind { Word, Quoted, String, Number, Param, Punct, End };
  Kind kind = Kind::End;
  std::string text;  // Word: as written; Quoted/String: unescaped content; Punct: the symbol
};

// Splits `text` into tokens ending with one End; skips blanks and comments. Throws the
// malformed-statement ValidationException for an unterminated quote or an unknown character.
std::vector<Token> tokenize(std::string_view text);

// Whether `word` (any case) is one of SQL-92's reserved words, which PartiQL reserves too.
bool is_keyword(std::string_view word);

}  // namespace services::dynamodb::partiql

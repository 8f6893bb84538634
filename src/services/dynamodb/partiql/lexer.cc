#include "services/dynamodb/partiql/lexer.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "services/dynamodb/errors.h"
#include "services/dynamodb/partiql/parser.h"

namespace services::dynamodb::partiql {
namespace {

// SQL-92's reserved words (ANSI X3.135-1992, 5.2), sorted for binary search.
constexpr std::array<std::string_view, 227> kKeywords = {
    "ABSOLUTE", "ACTION", "ADD", "ALL", "ALLOCATE", "ALTER", "AND", "ANY", "ARE", "AS", "ASC",
    "ASSERTION", "AT", "AUTHORIZATION", "AVG", "BEGIN", "BETWEEN", "BIT", "BIT_LENGTH", "BOTH",
    "BY", "CASCADE", "CASCADED", "CASE", "CAST", "CATALOG", "CHAR", "CHARACTER",
    "CHARACTER_LENGTH", "CHAR_LENGTH", "CHECK", "CLOSE", "COALESCE", "COLLATE", "COLLATION",
    "COLUMN", "COMMIT", "CONNECT", "CONNECTION", "CONSTRAINT", "CONSTRAINTS", "CONTINUE",
    "CONVERT", "CORRESPONDING", "COUNT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE",
    "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "CURSOR", "DATE", "DAY", "DEALLOCATE",
    "DEC", "DECIMAL", "DECLARE", "DEFAULT", "DEFERRABLE", "DEFERRED", "DELETE", "DESC",
    "DESCRIBE", "DESCRIPTOR", "DIAGNOSTICS", "DISCONNECT", "DISTINCT", "DOMAIN", "DOUBLE",
    "DROP", "ELSE", "END", "END-EXEC", "ESCAPE", "EXCEPT", "EXCEPTION", "EXEC", "EXECUTE",
    "EXISTS", "EXTERNAL", "EXTRACT", "FALSE", "FETCH", "FIRST", "FLOAT", "FOR", "FOREIGN",
    "FOUND", "FROM", "FULL", "GET", "GLOBAL", "GO", "GOTO", "GRANT", "GROUP", "HAVING", "HOUR",
    "IDENTITY", "IMMEDIATE", "IN", "INDICATOR", "INITIALLY", "INNER", "INPUT", "INSENSITIVE",
    "INSERT", "INT", "INTEGER", "INTERSECT", "INTERVAL", "INTO", "IS", "ISOLATION", "JOIN", "KEY",
    "LANGUAGE", "LAST", "LEADING", "LEFT", "LEVEL", "LIKE", "LOCAL", "LOWER", "MATCH", "MAX",
    "MIN", "MINUTE", "MODULE", "MONTH", "NAMES", "NATIONAL", "NATURAL", "NCHAR", "NEXT", "NO",
    "NOT", "NULL", "NULLIF", "NUMERIC", "OCTET_LENGTH", "OF", "ON", "ONLY", "OPEN", "OPTION",
    "OR", "ORDER", "OUTER", "OUTPUT", "OVERLAPS", "PAD", "PARTIAL", "POSITION", "PRECISION",
    "PREPARE", "PRESERVE", "PRIMARY", "PRIOR", "PRIVILEGES", "PROCEDURE", "PUBLIC", "READ",
    "REAL", "REFERENCES", "RELATIVE", "RESTRICT", "REVOKE", "RIGHT", "ROLLBACK", "ROWS",
    "SCHEMA", "SCROLL", "SECOND", "SECTION", "SELECT", "SESSION", "SESSION_USER", "SET", "SIZE",
    "SMALLINT", "SOME", "SPACE", "SQL", "SQLCODE", "SQLERROR", "SQLSTATE", "SUBSTRING", "SUM",
    "SYSTEM_USER", "TABLE", "TEMPORARY", "THEN", "TIME", "TIMESTAMP", "TIMEZONE_HOUR",
    "TIMEZONE_MINUTE", "TO", "TRAILING", "TRANSACTION", "TRANSLATE", "TRANSLATION", "TRIM",
    "TRUE", "UNION", "UNIQUE", "UNKNOWN", "UPDATE", "UPPER", "USAGE", "USER", "USING", "VALUE",
    "VALUES", "VARCHAR", "VARYING", "VIEW", "WHEN", "WHENEVER", "WHERE", "WITH", "WORK", "WRITE",
    "YEAR", "ZONE"};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// The content of a quote starting at text[i] (the opening quote), doubled quotes unescaped;
// i ends after the closing quote.
std::string quoted(std::string_view text, std::size_t& i) {
  char q = text[i++];
  std::string out;
  while (i < text.size()) {
    if (text[i] == q) {
      if (i + 1 < text.size() && text[i + 1] == q) {
        out += q;
        i += 2;
        continue;
      }
      ++i;
      return out;
    }
    out += text[i++];
  }
  throw errors::validation(malformed(""));
}

std::string number(std::string_view text, std::size_t& i) {
  std::size_t start = i;
  auto digits = [&] {
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  };
  digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    digits();
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t e = i++;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exp_start = i;
    digits();
    if (i == exp_start) i = e;  // not an exponent after all
  }
  return std::string(text.substr(start, i - start));
}

// Skips blanks and comments from i.
void skip_blank(std::string_view text, std::size_t& i) {
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text.substr(i, 2) == "--") {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (text.substr(i, 2) == "/*") {
      std::size_t end = text.find("*/", i + 2);
      if (end == std::string_view::npos) throw errors::validation(malformed(""));
      i = end + 2;
    } else {
      return;
    }
  }
}

}  // namespace

bool is_keyword(std::string_view word) {
  std::string upper(word);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return std::binary_search(kKeywords.begin(), kKeywords.end(), std::string_view(upper));
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  std::size_t i = 0;
  static constexpr std::string_view kTwo[] = {"<>", "!=", "<=", ">=", "<<", ">>"};
  for (skip_blank(text, i); i < text.size(); skip_blank(text, i)) {
    char c = text[i];
    Token t;
    if (c == '"' || c == '\'') {
      t.kind = c == '"' ? Token::Kind::Quoted : Token::Kind::String;
      t.text = quoted(text, i);
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < text.size() &&
                std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      t.kind = Token::Kind::Number;
      t.text = number(text, i);
    } else if (word_char(c)) {
      t.kind = Token::Kind::Word;
      std::size_t start = i;
      while (i < text.size() && word_char(text[i])) ++i;
      t.text = std::string(text.substr(start, i - start));
    } else if (c == '?') {
      t.kind = Token::Kind::Param;
      t.text = "?";
      ++i;
    } else {
      t.kind = Token::Kind::Punct;
      std::string_view two = text.substr(i, 2);
      bool pair = std::find(std::begin(kTwo), std::end(kTwo), two) != std::end(kTwo);
      t.text = std::string(text.substr(i, pair ? 2 : 1));
      if (!pair && std::string_view("=<>,.[](){}:*+-;").find(c) == std::string_view::npos) {
        throw errors::validation(malformed("Unexpected character"));
      }
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
  out.push_back(Token{});
  return out;
}

}  // namespace services::dynamodb::partiql

#pragma once
// The parsed form of a CloudWatch Logs filter pattern (see filter_pattern.h), shared by the parser
// (filter_pattern_parser.cc) and the matcher (filter_pattern.cc). Internal to this directory.

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/logs/filter_pattern.h"

namespace services::logs::pattern {

// A whole-text decimal number ("42", "-1.5"), or nullopt.
std::optional<double> parse_number(std::string_view text);

// Compiles the body of a %regex% term or value; null with *error set when RE2 rejects it.
std::shared_ptr<const re2::RE2> compile_regex(std::string_view body, std::string* error);

// Whether `regex` matches anywhere in `text`.
bool regex_search(std::string_view text, const re2::RE2& regex);

// One term of a plain (unstructured) pattern: `ERROR`, `-MISSING`, `?WARN`, `"a phrase"`, `%re%`.
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

// The path of a JSON selector ("$.a.b[0]", "$['k']"); false with *error set when it is invalid.
bool parse_selector(std::string_view selector, std::vector<PathStep>* path, std::string* error);

struct Comparison {
  std::string field;           // selector text or delimited field name
  std::vector<PathStep> path;  // JSON only
  Op op = Op::Eq;
  Value value;
};

// A boolean tree of comparisons: `a && (b || c)`.
struct Expr {
  enum class Kind { Leaf, And, Or } kind = Kind::Leaf;
  Comparison cmp;
  std::vector<Expr> kids;
};

}  // namespace services::logs::pattern

namespace services::logs {

struct FilterPattern::Impl {
  enum class Kind { Terms, Json, Delimited } kind = Kind::Terms;
  std::vector<pattern::Term> terms;
  pattern::Expr expr;                     // Json
  std::vector<std::string> fields;        // Delimited: names, "..." for an ellipsis
  std::vector<pattern::Expr> conditions;  // Delimited: all must hold
};

}  // namespace services::logs

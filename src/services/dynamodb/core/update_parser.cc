// UpdateExpression grammar:
//   update  := section+ ; each of SET, REMOVE, ADD, DELETE at most once
//   SET     := path '=' value (',' path '=' value)*
//   value   := '(' value ')' | operand ('+' | '-') operand | operand
//   REMOVE  := path (',' path)*
//   ADD     := path :value (',' path :value)*      DELETE likewise
// Operands in SET are paths, :values, if_not_exists(path, operand) and list_append(a, b).

#include <map>
#include <set>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expression_parser.h"

namespace services::dynamodb {
namespace {

using expr::Operand;
using expr::OperandPtr;
using expr::Parser;
using expr::Problem;
using expr::UpdateAction;

const std::map<std::string_view, std::string_view> kLongTypeNames = {
    {"S", "STRING"},     {"N", "NUMBER"}, {"B", "BINARY"}, {"NULL", "NULL"},
    {"BOOL", "BOOLEAN"}, {"L", "LIST"},   {"M", "MAP"}};

// Two paths of one update (or projection) may neither overlap (one is a prefix of the other) nor
// conflict (one has a list index where the other has a map key).
void check_paths(Parser& p, const Path& one, const Path& two) {
  for (std::size_t i = 0; i < one.size() && i < two.size(); ++i) {
    if (one[i].is_index() != two[i].is_index()) {
      p.record(Problem::Conflict,
               "Two document paths conflict with each other; must remove or rewrite one of these "
               "paths; path one: " +
                   expr::path_message(one) + ", path two: " + expr::path_message(two));
      return;
    }
    if (!(one[i] == two[i])) {
      return;
    }
  }
  p.record(Problem::Overlap,
           "Two document paths overlap with each other; must remove or rewrite one of these "
           "paths; path one: " +
               expr::path_message(one) + ", path two: " + expr::path_message(two));
}

class UpdateParser {
 public:
  UpdateParser(std::string_view text, ExpressionContext& ctx)
      : p_(text, ctx, "UpdateExpression", {"SET", "REMOVE", "ADD", "DELETE"}) {
    p_.update_mode = true;
  }

  std::vector<std::shared_ptr<const UpdateAction>> parse() {
    auto actions = p_.run([&] { return parse_sections(); });
    p_.finish({Problem::Reserved, Problem::UnknownFunction, Problem::Section, Problem::AttrName,
               Problem::AttrValue, Problem::Overlap, Problem::Conflict, Problem::Operand,
               Problem::Function});
    return actions;
  }

 private:
  std::vector<std::shared_ptr<const UpdateAction>> parse_sections() {
    do {
      std::string section;
      for (std::string_view s : {"SET", "REMOVE", "ADD", "DELETE"}) {
        if (p_.accept_keyword(s)) {
          section = s;
          break;
        }
      }
      if (section.empty()) {
        p_.syntax_error();
      }
      if (!sections_.insert(section).second) {
        p_.record(Problem::Section, "The \"" + section +
                                        "\" section can only be used once in an update "
                                        "expression;");
      }
      do {
        parse_action(section);
      } while (p_.accept_punct(","));
    } while (!p_.at_end());
    return std::move(actions_);
  }

  void parse_action(const std::string& section) {
    auto action = std::make_shared<UpdateAction>();
    action->path = p_.parse_path();
    if (section == "SET") {
      action->kind = UpdateAction::Kind::Set;
      p_.expect_punct("=");
      action->value = parse_set_value();
    } else if (section == "REMOVE") {
      action->kind = UpdateAction::Kind::Remove;
    } else {
      action->kind = section == "ADD" ? UpdateAction::Kind::Add : UpdateAction::Kind::Delete;
      if (p_.peek().kind != expr::Token::Kind::Value) {
        p_.syntax_error();
      }
      action->value = p_.parse_operand();
      check_operand_type(section, *action->value);
    }
    for (const Path& seen : paths_) {
      check_paths(p_, seen, action->path);
    }
    paths_.push_back(action->path);
    actions_.push_back(std::move(action));
  }

  // ADD takes a number or a set, DELETE a set.
  void check_operand_type(const std::string& section, const Operand& value) {
    std::string_view type = type_of(value.value);
    auto it = kLongTypeNames.find(type);
    if (it == kLongTypeNames.end() || (section == "ADD" && type == "N")) {
      return;
    }
    p_.record(Problem::Operand, "Incorrect operand type for operator or function; operator: " +
                                    section + ", operand type: " + std::string(it->second) +
                                    ", typeSet: ALLOWED_FOR_" + section + "_OPERAND");
  }

  OperandPtr parse_set_value() {
    if (p_.at_punct("(")) {
      std::size_t start = p_.position();
      try {
        p_.next();
        OperandPtr inner = parse_set_value();
        p_.expect_punct(")");
        if (p_.at_end() || p_.at_punct(",") || at_section()) {
          return inner;
        }
      } catch (const expr::SyntaxError&) {
      }
      p_.rewind(start);
    }
    OperandPtr a = p_.parse_operand();
    bool plus = p_.at_punct("+");
    if (!plus && !p_.at_punct("-")) {
      return a;
    }
    std::string op = p_.next().text;
    OperandPtr b = p_.parse_operand();
    auto node = std::make_shared<Operand>();
    node->kind = plus ? Operand::Kind::Plus : Operand::Kind::Minus;
    node->function = op;
    node->args = {a, b};
    for (const OperandPtr& x : node->args) {
      std::string type = Parser::static_type(*x);
      if (!type.empty() && type != "N") {
        p_.record(Problem::Function,
                  "Incorrect operand type for operator or function; operator or function: " + op +
                      ", operand type: " + type);
        break;
      }
    }
    return node;
  }

  bool at_section() const {
    return p_.at_keyword("SET") || p_.at_keyword("REMOVE") || p_.at_keyword("ADD") ||
           p_.at_keyword("DELETE");
  }

  Parser p_;
  std::set<std::string> sections_;
  std::vector<Path> paths_;
  std::vector<std::shared_ptr<const UpdateAction>> actions_;
};

}  // namespace

Update parse_update(std::string_view text, ExpressionContext& ctx) {
  UpdateParser parser(text, ctx);
  return Update(parser.parse());
}

Update::Update(std::vector<std::shared_ptr<const expr::UpdateAction>> actions)
    : actions_(std::move(actions)) {}

std::vector<Path> Update::paths() const {
  std::vector<Path> out;
  for (const auto& a : actions_) {
    out.push_back(a->path);
  }
  return out;
}

// ProjectionExpression: path (',' path)*, with the same overlap and conflict rules.
Projection parse_projection(std::string_view text, ExpressionContext& ctx) {
  Parser p(text, ctx, "ProjectionExpression", {});
  std::vector<Path> paths = p.run([&] {
    std::vector<Path> out;
    do {
      Path path = p.parse_path();
      for (const Path& seen : out) {
        check_paths(p, seen, path);
      }
      out.push_back(std::move(path));
    } while (p.accept_punct(","));
    if (!p.at_end()) {
      p.syntax_error();
    }
    return out;
  });
  p.finish({Problem::Reserved, Problem::AttrName, Problem::Overlap, Problem::Conflict});
  return Projection(std::move(paths));
}

}  // namespace services::dynamodb

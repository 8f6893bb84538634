// The condition grammar (ConditionExpression, FilterExpression, KeyConditionExpression):
//   or      := and (OR and)*
//   and     := not (AND not)*
//   not     := NOT not | primary
//   primary := '(' or ')' | operand comparator operand | operand BETWEEN operand AND operand
//            | operand IN '(' operand (',' operand)* ')' | function-call

#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expression_parser.h"

namespace services::dynamodb {
namespace expr {
namespace {

constexpr std::array<std::string_view, 6> kComparators = {"=", "<>", "<", "<=", ">", ">="};

ConditionNode::Cmp comparator(std::string_view text) {
  if (text == "=") {
    return ConditionNode::Cmp::Eq;
  }
  if (text == "<>") {
    return ConditionNode::Cmp::Ne;
  }
  if (text == "<") {
    return ConditionNode::Cmp::Lt;
  }
  if (text == "<=") {
    return ConditionNode::Cmp::Le;
  }
  if (text == ">") {
    return ConditionNode::Cmp::Gt;
  }
  return ConditionNode::Cmp::Ge;
}

ConditionPtr binary(ConditionNode::Kind kind, ConditionPtr a, ConditionPtr b) {
  auto node = std::make_shared<ConditionNode>();
  node->kind = kind;
  node->children = {std::move(a), std::move(b)};
  return node;
}

}  // namespace

ConditionPtr Parser::parse_condition() {
  ConditionPtr c = parse_or();
  if (!at_end()) {
    syntax_error();
  }
  return c;
}

ConditionPtr Parser::parse_or() {
  ConditionPtr left = parse_and();
  while (accept_keyword("OR")) {
    left = binary(ConditionNode::Kind::Or, left, parse_and());
    last_was_parenthesized_ = false;
  }
  return left;
}

ConditionPtr Parser::parse_and() {
  ConditionPtr left = parse_not();
  while (accept_keyword("AND")) {
    left = binary(ConditionNode::Kind::And, left, parse_not());
    last_was_parenthesized_ = false;
  }
  return left;
}

ConditionPtr Parser::parse_not() {
  if (accept_keyword("NOT")) {
    auto node = std::make_shared<ConditionNode>();
    node->kind = ConditionNode::Kind::Not;
    node->children = {parse_not()};
    last_was_parenthesized_ = false;
    return node;
  }
  return parse_primary();
}

// "(" opens either a parenthesized condition or a parenthesized operand ("(a) = :v"). The
// operand reading is tried first; if it fails, the condition reading is, and when both fail the
// error that got further through the text is the one reported.
ConditionPtr Parser::parse_primary() {
  if (!at_punct("(")) {
    return parse_comparison();
  }
  std::size_t start = position();
  auto saved = problems_;
  std::size_t first_error = 0;
  try {
    return parse_comparison();
  } catch (const SyntaxError& e) {
    first_error = e.pos;
  }
  rewind(start);
  problems_ = saved;
  try {
    expect_punct("(");
    ConditionPtr inner = parse_or();
    if (last_was_parenthesized_) {
      record(Problem::Parens, "The expression has redundant parentheses;");
    }
    expect_punct(")");
    last_was_parenthesized_ = true;
    return inner;
  } catch (const SyntaxError& e) {
    throw SyntaxError{std::max(first_error, e.pos)};
  }
}

ConditionPtr Parser::parse_comparison() {
  auto node = std::make_shared<ConditionNode>();
  OperandPtr a = parse_operand();
  const Token& t = peek();
  if (t.kind == Token::Kind::Punct &&
      std::find(kComparators.begin(), kComparators.end(), t.text) != kComparators.end()) {
    std::string op = next().text;
    OperandPtr b = parse_operand();
    check_misused(*a);
    check_misused(*b);
    check_distinct(op, *a, *b);
    node->kind = ConditionNode::Kind::Compare;
    node->cmp = comparator(op);
    if (op != "=" && op != "<>") {
      for (const OperandPtr& x : {a, b}) {
        std::string type = static_type(*x);
        if (!type.empty() && type != "S" && type != "N" && type != "B") {
          record(Problem::Function,
                 "Incorrect operand type for operator or function; operator or function: " + op +
                     ", operand type: " + type);
        }
      }
    }
    node->operands = {a, b};
  } else if (accept_keyword("BETWEEN")) {
    OperandPtr lo = parse_operand();
    if (!accept_keyword("AND")) {
      syntax_error();
    }
    OperandPtr hi = parse_operand();
    for (const OperandPtr& x : {a, lo, hi}) {
      check_misused(*x);
    }
    check_between(*lo, *hi);
    node->kind = ConditionNode::Kind::Between;
    node->operands = {a, lo, hi};
  } else if (accept_keyword("IN")) {
    expect_punct("(");
    node->kind = ConditionNode::Kind::In;
    node->operands.push_back(a);
    do {
      node->operands.push_back(parse_operand());
    } while (accept_punct(","));
    expect_punct(")");
    for (const OperandPtr& x : node->operands) {
      check_misused(*x);
    }
  } else if (a->kind == Operand::Kind::Function) {
    if (a->function == "size") {
      record(Problem::MisusedFunction,
             "The function is not allowed to be used this way in an expression; function: size");
    }
    node->kind = ConditionNode::Kind::Function;
    node->operands = {a};
  } else {
    syntax_error();
  }
  last_was_parenthesized_ = false;
  return node;
}

}  // namespace expr

Condition parse_condition(std::string_view text, ExpressionContext& ctx, std::string_view kind) {
  expr::Parser parser(text, ctx, kind, {"AND", "OR", "NOT", "BETWEEN", "IN"});
  expr::ConditionPtr root = parser.run([&] { return parser.parse_condition(); });
  using expr::Problem;
  parser.finish({Problem::Parens, Problem::UnknownFunction, Problem::MisusedFunction,
                 Problem::Reserved, Problem::AttrNameOrValue, Problem::Operand, Problem::Distinct,
                 Problem::Function});
  return Condition(std::move(root));
}

namespace {

void collect_names(const expr::Operand& op, std::vector<std::string>& out) {
  if (op.kind == expr::Operand::Kind::Path && !op.path.empty()) {
    if (std::find(out.begin(), out.end(), op.path[0].name) == out.end()) {
      out.push_back(op.path[0].name);
    }
  }
  for (const expr::OperandPtr& a : op.args) {
    collect_names(*a, out);
  }
}

void collect_names(const expr::ConditionNode& node, std::vector<std::string>& out) {
  for (const expr::OperandPtr& op : node.operands) {
    collect_names(*op, out);
  }
  for (const expr::ConditionPtr& c : node.children) {
    collect_names(*c, out);
  }
}

}  // namespace

bool Condition::evaluate(const boost::json::object& item) const {
  return !root_ || expr::evaluate(*root_, item);
}

std::vector<std::string> Condition::attribute_names() const {
  std::vector<std::string> out;
  if (root_) {
    collect_names(*root_, out);
  }
  return out;
}

}  // namespace services::dynamodb

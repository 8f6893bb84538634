#include <cctype>
#include <string>

#include "protocol/aws_error.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/core/expression_ast.h"
#include "services/dynamodb/core/expressions.h"

namespace services::dynamodb {
namespace json = boost::json;

namespace {

[[noreturn]] void invalid(std::string message) {
  throw protocol::errors::validation(std::move(message));
}

// "#name" / ":value": the sigil then one or more letters, digits or underscores.
bool valid_placeholder(std::string_view key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) {
    return false;
  }
  for (char c : key.substr(1)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

template <class Map, class Used>
std::string unused_keys(const Map& all, const Used& used) {
  std::string keys;
  for (const auto& [key, value] : all) {
    if (!used.contains(key)) {
      keys += keys.empty() ? "" : ", ";
      keys += key;
    }
  }
  return keys;
}

}  // namespace

ExpressionContext::ExpressionContext(const json::object* names, const json::object* values) {
  if (names) {
    if (names->empty()) {
      invalid("ExpressionAttributeNames must not be empty");
    }
    for (const auto& kv : *names) {
      if (!valid_placeholder(kv.key(), '#')) {
        invalid("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" +
                std::string(kv.key()) + "\"");
      }
      if (!kv.value().is_string()) {
        throw protocol::AwsError("SerializationException", "Unexpected value type in payload");
      }
      names_.emplace(std::string(kv.key()), std::string(kv.value().get_string()));
    }
  }
  if (values) {
    if (values->empty()) {
      invalid("ExpressionAttributeValues must not be empty");
    }
    for (const auto& kv : *values) {
      if (!valid_placeholder(kv.key(), ':')) {
        invalid("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" +
                std::string(kv.key()) + "\"");
      }
      json::value v = kv.value();
      try {
        validate_value(v);
      } catch (const protocol::AwsError& e) {
        if (e.code != "ValidationException") {
          throw;
        }
        invalid("ExpressionAttributeValues contains invalid value: " + e.message + " for key " +
                std::string(kv.key()));
      }
      values_.emplace(std::string(kv.key()), std::move(v));
    }
  }
}

const std::string* ExpressionContext::find_name(std::string_view placeholder) {
  auto it = names_.find(placeholder);
  if (it == names_.end()) {
    return nullptr;
  }
  used_names_.insert(it->first);
  return &it->second;
}

const json::value* ExpressionContext::find_value(std::string_view placeholder) {
  auto it = values_.find(placeholder);
  if (it == values_.end()) {
    return nullptr;
  }
  used_values_.insert(it->first);
  return &it->second;
}

void ExpressionContext::check_unused() const {
  std::string names = unused_keys(names_, used_names_);
  if (!names.empty()) {
    invalid("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + names +
            "}");
  }
  std::string values = unused_keys(values_, used_values_);
  if (!values.empty()) {
    invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + values +
            "}");
  }
}

std::string path_to_string(const Path& path) {
  std::string out;
  for (const PathElement& e : path) {
    if (e.is_index()) {
      out += "[" + std::to_string(e.index) + "]";
    } else {
      out += out.empty() ? "" : ".";
      out += e.name;
    }
  }
  return out;
}

namespace expr {

std::string path_message(const Path& path) {
  std::string out = "[";
  for (std::size_t i = 0; i < path.size(); ++i) {
    out += i ? ", " : "";
    out += path[i].is_index() ? "[" + std::to_string(path[i].index) + "]" : path[i].name;
  }
  return out + "]";
}

}  // namespace expr
}  // namespace services::dynamodb

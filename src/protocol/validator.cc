#include "protocol/validator.h"

#include <boost/json.hpp>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace protocol {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxReported = 10;
constexpr int kMaxDepth = 64;

struct Violation {
  std::string path;   // Coral-style: 'containerDefinitions.1.member.name'
  std::string value;  // rendered value or "null"
  std::string constraint;
  bool missing = false;
  std::string wire_name;  // ec2: the parameter name as sent
};

// Coral names members with a lower-case first letter in its messages ("at 'roleArn'").
std::string coral_name(std::string_view member) {
  std::string out(member);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

std::string ec2_name(const MemberDef& m) {
  if (!m.query_name.empty()) return std::string(m.query_name);
  std::string out(m.location_name.empty() ? m.name : m.location_name);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string render(const json::value& v) {
  if (v.is_string()) {
    std::string s(v.get_string());
    return "'" + s + "'";
  }
  if (v.is_array() || v.is_object()) return "'" + json::serialize(v) + "'";
  return "'" + json::serialize(v) + "'";
}

std::string format_number(double d) {
  if (std::floor(d) == d && std::fabs(d) < 9.2e18) return std::to_string(static_cast<int64_t>(d));
  std::string s = std::to_string(d);
  return s;
}

class Validator {
 public:
  explicit Validator(const ServiceModel& model) : model_(model) {}

  void check_struct(const ShapeDef& shape, const json::object& obj, const std::string& prefix,
                    int depth) {
    if (depth > kMaxDepth) return;
    for (const MemberDef& m : model_.members_of(shape)) {
      std::string path = prefix.empty() ? coral_name(m.name) : prefix + "." + coral_name(m.name);
      const json::value* v = obj.if_contains(m.name);
      if (v == nullptr || v->is_null()) {
        if (m.required) {
          add({path, "null", "Member must not be null", true, ec2_name(m)});
        }
        continue;
      }
      check_value(m.shape, *v, path, depth + 1);
    }
  }

  void check_value(uint32_t shape_index, const json::value& v, const std::string& path,
                   int depth) {
    if (shape_index == kNoShape || depth > kMaxDepth) return;
    const ShapeDef& s = table_name_rules(model_.shape(shape_index), v);
    if (&s != &model_.shape(shape_index)) {
      check_length(s, utf8_length(v.get_string()), v, path);
      check_table_name_characters(s, v, path);
      return;
    }
    switch (s.type) {
      case ShapeType::Structure:
      case ShapeType::Union:
        if (!v.is_object()) {
          add({path, shown(s, v), "Member must be a structure"});
          return;
        }
        check_struct(s, v.get_object(), path, depth);
        return;
      case ShapeType::List:
        if (!v.is_array()) {
          add({path, shown(s, v), "Member must be a list"});
          return;
        }
        check_list(s, v, path, depth);
        return;
      case ShapeType::Map:
        if (!v.is_object()) {
          add({path, shown(s, v), "Member must be a map"});
          return;
        }
        check_map(s, v, path, depth);
        return;
      case ShapeType::String:
        if (!v.is_string()) {
          add({path, shown(s, v), "Member must be a string"});
          return;
        }
        check_length(s, utf8_length(v.get_string()), v, path);
        check_enum(s, v, path);
        return;
      case ShapeType::Blob:
        if (!v.is_string()) {
          add({path, shown(s, v), "Member must be a blob"});
          return;
        }
        check_length(s, v.get_string().size(), v, path);
        return;
      case ShapeType::Integer:
      case ShapeType::Long:
      case ShapeType::BigInteger:
        if (!v.is_int64() && !v.is_uint64()) {
          add({path, shown(s, v), "Member must be an integer"});
          return;
        }
        check_range(s, v.is_int64() ? static_cast<double>(v.get_int64())
                                    : static_cast<double>(v.get_uint64()),
                    v, path);
        return;
      case ShapeType::Float:
      case ShapeType::Double:
      case ShapeType::BigDecimal:
        if (!v.is_number()) {
          add({path, shown(s, v), "Member must be a number"});
          return;
        }
        check_range(s, v.to_number<double>(), v, path);
        return;
      case ShapeType::Boolean:
        if (!v.is_bool()) add({path, shown(s, v), "Member must be a boolean"});
        return;
      case ShapeType::Timestamp:
        if (!v.is_number()) add({path, shown(s, v), "Member must be a timestamp"});
        return;
      case ShapeType::Document:
        return;
    }
  }

  // The value as Coral shows it: never a sensitive one ("Value at 'plaintext' failed to ...",
  // moto's AWS-verified KMS tests), and a blob as the Java buffer that holds it.
  static std::string shown(const ShapeDef& s, const json::value& v) {
    if (s.sensitive) return "";
    if (s.type == ShapeType::Blob && v.is_string()) {
      std::string n = std::to_string(v.get_string().size());
      return "'java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]'";
    }
    return render(v);
  }

  std::vector<Violation> take() { return std::move(violations_); }
  std::size_t total() const { return total_; }

 private:
  // A list's length and each item (null items are violations).
  void check_list(const ShapeDef& s, const json::value& v, const std::string& path, int depth) {
    const json::array& a = v.get_array();
    check_length(s, a.size(), v, path);
    const MemberDef& member = model_.members[s.members_begin];
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_null()) {
        add({path + "." + std::to_string(i + 1) + ".member", "null", "Member must not be null"});
        continue;
      }
      check_value(member.shape, a[i], path + "." + std::to_string(i + 1) + ".member", depth + 1);
    }
  }

  // A map's size, each key and each non-null value.
  void check_map(const ShapeDef& s, const json::value& v, const std::string& path, int depth) {
    const json::object& o = v.get_object();
    check_length(s, o.size(), v, path);
    const MemberDef& key = model_.members[s.members_begin];
    const MemberDef& value = model_.members[s.members_begin + 1];
    for (const auto& kv : o) {
      check_value(key.shape, json::value(kv.key()), path + ".key", depth + 1);
      if (!kv.value().is_null()) {
        check_value(value.shape, kv.value(), path + "." + std::string(kv.key()), depth + 1);
      }
    }
  }

  // DynamoDB's TableName members take a name or a table ARN (shape TableArn, 1 to 1024
  // characters; an empty one fails that); a name is held to the TableName shape's rules (3 to 255
  // of [a-zA-Z0-9_.-], moto's AWS-verified test_update_item_with_invalid_table_name).
  const ShapeDef& table_name_rules(const ShapeDef& s, const json::value& v) const {
    if (s.name != "TableArn" || model_.name != "dynamodb" || !v.is_string() ||
        v.get_string().empty() || v.get_string().starts_with("arn:")) {
      return s;
    }
    static const ShapeDef* const name_shape = [this]() -> const ShapeDef* {
      for (const ShapeDef& candidate : model_.shapes) {
        if (candidate.name == "TableName") return &candidate;
      }
      return nullptr;
    }();
    return name_shape ? *name_shape : s;
  }

  // The TableName shape's pattern, [a-zA-Z0-9_.-]+, the one pattern the validator checks (the
  // models' patterns are otherwise left to the handlers).
  void check_table_name_characters(const ShapeDef& s, const json::value& v,
                                   const std::string& path) {
    std::string_view name = v.get_string();
    bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
    if (!ok) add({path, shown(s, v), "Member must satisfy regular expression pattern: " +
                                         std::string(s.pattern)});
  }

  // The order in which a service lists an enum's values in this message where it is not the
  // model's (moto's AWS-verified tests); the values are the model's either way.
  static const std::vector<std::string_view>* message_order(std::string_view service,
                                                            std::string_view shape) {
    static const std::map<std::pair<std::string_view, std::string_view>,
                          std::vector<std::string_view>>
        kOrders = {
            {{"dynamodb", "Select"},
             {"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"}},
            {{"application-autoscaling", "PolicyType"},
             {"PredictiveScaling", "StepScaling", "TargetTrackingScaling"}},
        };
    auto it = kOrders.find({service, shape});
    return it == kOrders.end() ? nullptr : &it->second;
  }

  // A string of an enum shape must be one of its values.
  void check_enum(const ShapeDef& s, const json::value& v, const std::string& path) {
    auto values = model_.enum_values(s);
    if (values.empty()) return;
    if (const auto* order = message_order(model_.name, s.name);
        order && order->size() == values.size()) {
      values = std::span<const std::string_view>(*order);
    }
    std::string_view str = v.get_string();
    bool found = false;
    for (std::string_view e : values) found = found || e == str;
    if (found) return;
    std::string set = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) set += ", ";
      set += values[i];
    }
    set += "]";
    add({path, shown(s, v), "Member must satisfy enum value set: " + set});
  }

  static std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }

  void check_length(const ShapeDef& s, std::size_t len, const json::value& v,
                    const std::string& path) {
    if (s.has_min && static_cast<double>(len) < s.min) {
      add({path, shown(s, v),
           "Member must have length greater than or equal to " + format_number(s.min)});
    } else if (s.has_max && static_cast<double>(len) > s.max) {
      add({path, shown(s, v),
           "Member must have length less than or equal to " + format_number(s.max)});
    }
  }

  void check_range(const ShapeDef& s, double d, const json::value& v, const std::string& path) {
    if (s.has_min && d < s.min) {
      add({path, shown(s, v),
           "Member must have value greater than or equal to " + format_number(s.min)});
    } else if (s.has_max && d > s.max) {
      add({path, shown(s, v),
           "Member must have value less than or equal to " + format_number(s.max)});
    }
  }

  void add(Violation v) {
    ++total_;
    if (violations_.size() < kMaxReported) violations_.push_back(std::move(v));
  }

  const ServiceModel& model_;
  std::vector<Violation> violations_;
  std::size_t total_ = 0;
};

}  // namespace

std::string validation_error_code(const ServiceModel& model, Protocol protocol) {
  auto has_error_shape = [&](std::string_view name) {
    for (const ShapeDef& s : model.shapes) {
      if (s.exception && s.name == name) return true;
    }
    return false;
  };
  if (protocol == Protocol::Query) return "ValidationError";
  // Services whose model has no ValidationException answer bad parameters with their own
  // error (ECS: InvalidParameterException).
  if (!has_error_shape("ValidationException") && has_error_shape("InvalidParameterException")) {
    return "InvalidParameterException";
  }
  return "ValidationException";
}

std::optional<AwsError> validate_input(const ServiceModel& model, const OperationDef& op,
                                       const json::object& input, Protocol protocol) {
  if (op.input == kNoShape) return std::nullopt;
  Validator validator(model);
  validator.check_struct(model.shape(op.input), input, "", 0);
  std::size_t total = validator.total();
  std::vector<Violation> violations = validator.take();
  if (violations.empty()) return std::nullopt;

  if (protocol == Protocol::Ec2) {
    const Violation& first = violations.front();
    if (first.missing && first.path.find('.') == std::string::npos) {
      return AwsError{"MissingParameter",
                      "The request must contain the parameter " + first.wire_name};
    }
    return AwsError{"InvalidParameterValue",
                    "Value " + (first.value.empty() ? std::string() : first.value + " ") +
                        "for parameter " + first.path +
                        " is invalid. " + first.constraint};
  }

  // Query-era services (CloudWatch) keep their query error codes in every protocol.
  auto has_code = [&](std::string_view code) {
    for (const ShapeDef& s : model.shapes) {
      if (s.exception && s.error_code == code) return true;
    }
    return false;
  };
  const Violation& first = violations.front();
  if (first.missing && first.path.find('.') == std::string::npos && has_code("MissingParameter")) {
    return AwsError{"MissingParameter", "The parameter " + first.wire_name + " is required."};
  }
  std::string message = std::to_string(total) +
                        (total == 1 ? " validation error detected: " : " validation errors detected: ");
  for (std::size_t i = 0; i < violations.size(); ++i) {
    if (i) message += "; ";
    const Violation& v = violations[i];
    message += "Value " + (v.value.empty() ? std::string() : v.value + " ") + "at '" + v.path +
               "' failed to satisfy constraint: " + v.constraint;
  }
  if (protocol != Protocol::Query && has_code("InvalidParameterValue")) {
    return AwsError{"InvalidParameterValue", message};
  }
  return AwsError{validation_error_code(model, protocol), message};
}

}  // namespace protocol

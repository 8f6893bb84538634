#include "services/dynamodb/core/attribute_value.h"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>
#include <vector>

#include "core/base64.h"
#include "protocol/aws_error.h"
#include "services/dynamodb/core/number.h"

namespace services::dynamodb {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 10> kTypes = {"S", "N", "B",  "BOOL", "NULL",
                                                     "M", "L", "SS", "NS",   "BS"};
const std::string kInvalid = "One or more parameter values were invalid: ";

[[noreturn]] void invalid(std::string message) {
  throw protocol::errors::validation(std::move(message));
}

// A member of the wrong JSON type never reaches DynamoDB's validation: its JSON reader rejects
// it as a SerializationException.
[[noreturn]] void serialization(std::string message) {
  throw protocol::AwsError("SerializationException", std::move(message));
}

std::string joined(const json::array& a) {
  std::string out = "[";
  for (std::size_t i = 0; i < a.size(); ++i) {
    out += i ? ", " : "";
    out += a[i].is_string() ? std::string(a[i].get_string()) : json::serialize(a[i]);
  }
  return out + "]";
}

std::string decode_binary(const json::value& v) {
  if (!v.is_string()) {
    serialization("Unexpected value type in payload");
  }
  std::string_view text = v.get_string();
  if (text.size() % 4 != 0) {
    serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " +
                  std::to_string(text.size()));
  }
  std::optional<std::string> bytes = core::base64_decode(text);
  if (!bytes) {
    serialization("Invalid Base64 character");
  }
  return *bytes;
}

void validate_set(std::string_view type, json::value& member) {
  if (!member.is_array()) {
    serialization("Unexpected value type in payload");
  }
  json::array& set = member.get_array();
  for (json::value& m : set) {
    if (!m.is_string()) {
      serialization("Unexpected value type in payload");
    }
  }
  if (type == "SS") {
    if (set.empty()) {
      invalid(kInvalid + "An string set  may not be empty");
    }
    std::set<std::string_view> seen;
    for (const json::value& m : set) {
      if (!seen.insert(m.get_string()).second) {
        invalid(kInvalid + "Input collection " + joined(set) + " contains duplicates.");
      }
    }
  } else if (type == "NS") {
    if (set.empty()) {
      invalid(kInvalid + "An number set  may not be empty");
    }
    std::set<std::string> seen;  // order keys: equal numbers ("1", "1.0") have equal keys
    for (json::value& m : set) {
      Number n = Number::parse(m.get_string());
      m = n.to_string();
      if (!seen.insert(n.order_key()).second) {
        invalid("Input collection contains duplicates");
      }
    }
  } else {
    if (set.empty()) {
      invalid(kInvalid + "Binary sets should not be empty");
    }
    std::set<std::string> seen;
    for (const json::value& m : set) {
      if (!seen.insert(decode_binary(m)).second) {
        invalid(kInvalid + "Input collection " + joined(set) + "of type BS contains duplicates.");
      }
    }
  }
}

void validate_at(json::value& v, int depth) {
  if (depth > kMaxNestingDepth) {
    invalid(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested "
        "levels beyond supported limit");
  }
  if (!v.is_object()) {
    serialization("Unexpected value type in payload");
  }
  json::object& o = v.as_object();
  // Members set to null are absent, as the JSON reader treats them; unknown members are ignored.
  std::string_view type;
  int count = 0;
  for (std::string_view t : kTypes) {
    auto it = o.find(t);
    if (it != o.end() && !it->value().is_null()) {
      type = t;
      ++count;
    }
  }
  if (count == 0) {
    invalid(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  if (count > 1) {
    invalid(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
        "supported datatypes");
  }
  json::value& member = o[type];
  if (type == "S") {
    if (!member.is_string()) {
      serialization("Unexpected value type in payload");
    }
  } else if (type == "N") {
    if (!member.is_string()) {
      serialization("Unexpected value type in payload");
    }
    member = Number::parse(member.get_string()).to_string();
  } else if (type == "B") {
    decode_binary(member);
  } else if (type == "BOOL") {
    if (!member.is_bool()) {
      serialization("Unexpected value type in payload");
    }
  } else if (type == "NULL") {
    if (!member.is_bool() || !member.get_bool()) {
      invalid(kInvalid + "Null attribute value types must have the value of true");
    }
  } else if (type == "M") {
    if (!member.is_object()) {
      serialization("Unexpected value type in payload");
    }
    for (auto& kv : member.get_object()) {
      validate_at(kv.value(), depth + 1);
    }
  } else if (type == "L") {
    if (!member.is_array()) {
      serialization("Unexpected value type in payload");
    }
    for (json::value& e : member.get_array()) {
      validate_at(e, depth + 1);
    }
  } else {
    validate_set(type, member);
  }
  // Drop null and unknown members so that stored values have exactly one key.
  if (o.size() != 1) {
    json::value kept = std::move(member);
    o.clear();
    o[type] = std::move(kept);
  }
}

std::size_t number_size(std::string_view text) {
  return static_cast<std::size_t>((Number::parse(text).significant_digits() + 1) / 2 + 1);
}

// Members of a set as order keys: equal members (numerically, for NS) give equal keys.
std::set<std::string> set_keys(std::string_view set_type, const json::array& members) {
  std::set<std::string> keys;
  for (const json::value& m : members) {
    json::object scalar;
    scalar[set_type.substr(0, 1)] = m;
    keys.insert(order_key(json::value(std::move(scalar))));
  }
  return keys;
}

std::size_t binary_size(const json::value& v) {
  std::optional<std::string> bytes = core::base64_decode(v.get_string());
  return bytes ? bytes->size() : 0;
}

}  // namespace

std::string_view type_of(const json::value& v) {
  const json::object* o = v.if_object();
  if (!o || o->size() != 1) {
    return "";
  }
  std::string_view key = o->begin()->key();
  for (std::string_view t : kTypes) {
    if (t == key) {
      return t;
    }
  }
  return "";
}

void validate_value(json::value& v) { validate_at(v, 1); }

void validate_item(json::object& item) {
  for (auto& kv : item) {
    validate_at(kv.value(), 1);
  }
}

void check_key_value(std::string_view name, const json::value& v, std::string_view expected_type,
                     KeyRole role) {
  std::string_view type = type_of(v);
  if (type != expected_type) {
    invalid(kInvalid + "Type mismatch for key " + std::string(name) +
            " expected: " + std::string(expected_type) + " actual: " + std::string(type));
  }
  const json::value& member = v.as_object().begin()->value();
  if (member.get_string().empty()) {
    invalid(
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty " +
        std::string(type == "S" ? "string" : "binary") + " value. Key: " + std::string(name));
  }
  std::size_t size = value_size(v);
  if (role == KeyRole::Partition && size > kMaxPartitionKeySize) {
    invalid(kInvalid + "Size of hashkey has exceeded the maximum size limit of2048 bytes");
  }
  if (role == KeyRole::Sort && size > kMaxSortKeySize) {
    invalid(kInvalid +
            "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
  }
}

bool items_equal(const json::object& a, const json::object& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (const auto& kv : a) {
    auto it = b.find(kv.key());
    if (it == b.end() || !values_equal(kv.value(), it->value())) {
      return false;
    }
  }
  return true;
}

bool values_equal(const json::value& a, const json::value& b) {
  std::string_view ta = type_of(a);
  if (ta.empty() || ta != type_of(b)) {
    return false;
  }
  const json::value& x = a.as_object().begin()->value();
  const json::value& y = b.as_object().begin()->value();
  if (ta == "N") {
    return Number::parse(x.get_string()) == Number::parse(y.get_string());
  }
  if (ta == "B") {
    return core::base64_decode(x.get_string()) == core::base64_decode(y.get_string());
  }
  if (ta == "M") {
    return items_equal(x.get_object(), y.get_object());
  }
  if (ta == "L") {
    const json::array& lx = x.get_array();
    const json::array& ly = y.get_array();
    if (lx.size() != ly.size()) {
      return false;
    }
    for (std::size_t i = 0; i < lx.size(); ++i) {
      if (!values_equal(lx[i], ly[i])) {
        return false;
      }
    }
    return true;
  }
  if (ta == "SS" || ta == "NS" || ta == "BS") {
    const json::array& sx = x.get_array();
    const json::array& sy = y.get_array();
    if (sx.size() != sy.size()) {
      return false;
    }
    return set_keys(ta, sx) == set_keys(ta, sy);
  }
  return x == y;  // S, BOOL, NULL
}

std::optional<int> compare_values(const json::value& a, const json::value& b) {
  std::string_view ta = type_of(a);
  if (ta != type_of(b) || (ta != "S" && ta != "N" && ta != "B")) {
    return std::nullopt;
  }
  int c = order_key(a).compare(order_key(b));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string order_key(const json::value& v) {
  std::string_view type = type_of(v);
  const json::value& member = v.as_object().begin()->value();
  if (type == "N") {
    return Number::parse(member.get_string()).order_key();
  }
  if (type == "B") {
    return core::base64_decode(member.get_string()).value_or("");
  }
  return std::string(member.get_string());
}

std::size_t value_size(const json::value& v) {
  std::string_view type = type_of(v);
  if (type.empty()) {
    return 0;
  }
  const json::value& member = v.as_object().begin()->value();
  if (type == "S") {
    return member.get_string().size();
  }
  if (type == "N") {
    return number_size(member.get_string());
  }
  if (type == "B") {
    return binary_size(member);
  }
  if (type == "BOOL" || type == "NULL") {
    return 1;
  }
  std::size_t size = 0;
  if (type == "M") {
    size = 3;
    for (const auto& kv : member.get_object()) {
      size += 1 + kv.key().size() + value_size(kv.value());
    }
  } else if (type == "L") {
    size = 3;
    for (const json::value& e : member.get_array()) {
      size += 1 + value_size(e);
    }
  } else {
    for (const json::value& m : member.get_array()) {
      if (type == "SS") {
        size += m.get_string().size();
      } else if (type == "NS") {
        size += number_size(m.get_string());
      } else {
        size += binary_size(m);
      }
    }
  }
  return size;
}

std::size_t item_size(const json::object& item) {
  std::size_t size = 0;
  for (const auto& kv : item) {
    size += kv.key().size() + value_size(kv.value());
  }
  return size;
}

void check_item_size(const json::object& item, bool update) {
  if (item_size(item) > kMaxItemSize) {
    invalid(update ? "Item size to update has exceeded the maximum allowed size"
                   : "Item size has exceeded the maximum allowed size");
  }
}

json::object parse_stored_item(std::string_view text) {
  json::parse_options options;
  options.max_depth = 2 * kMaxNestingDepth + 2;  // the item, then {"M": {...}} per level
  json::value v = json::parse(text, json::storage_ptr(), options);
  return v.is_object() ? std::move(v.as_object()) : json::object();
}

}  // namespace services::dynamodb

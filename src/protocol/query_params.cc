#include "protocol/query_params.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <charconv>
#include <limits>
#include <set>

#include "core/percent.h"
#include "core/query_string.h"
#include "core/time_format.h"
#include "protocol/query_naming.h"

namespace protocol::query {
namespace {

namespace json = boost::json;

AwsError malformed(std::string message) { return {"MalformedQueryString", std::move(message)}; }

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool iprefix(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::iequals(s.substr(0, prefix.size()), prefix);
}

// botocore merges a member reference's traits over its target shape's, so a shape-level
// locationName or flattened counts when the reference sets none.
std::string validation_path(std::string_view key) {
  std::string out(key);
  bool at_start = true;
  for (char& c : out) {
    if (at_start) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    at_start = c == '.';
  }
  return out;
}

class Unflattener {
 public:
  Unflattener(const ServiceModel& model, const ParamMap& params, Dialect dialect)
      : model_(model), params_(params), dialect_(dialect) {}

  std::optional<AwsError>& error() { return error_; }

  json::object structure(const ShapeDef& shape, std::string_view prefix, int depth) {
    json::object out;
    for (const MemberDef& m : model_.members_of(shape)) {
      if (error_) {
        break;
      }
      std::optional<json::value> v =
          value(m, join(prefix, wire_name(model_, m, dialect_, m.name)), depth + 1);
      if (v) {
        out[m.name] = std::move(*v);
      }
    }
    return out;
  }

 private:
  const std::string* find(std::string_view key) const {
    auto it = params_.find(key);
    return it == params_.end() ? nullptr : &it->second;
  }

  bool has_children(std::string_view key) const {
    std::string dotted = std::string(key) + ".";
    auto it = params_.lower_bound(dotted);
    return it != params_.end() && starts_with(it->first, dotted);
  }

  // The element numbers N of keys `prefix.N` and `prefix.N.*`, ascending. Non-canonical numbers
  // ("01", "x") are not elements and are ignored, as unknown keys are.
  std::set<uint32_t> indices(std::string_view prefix) const {
    std::set<uint32_t> out;
    std::string dotted = std::string(prefix) + ".";
    for (auto it = params_.lower_bound(dotted);
         it != params_.end() && starts_with(it->first, dotted); ++it) {
      std::string_view rest = std::string_view(it->first).substr(dotted.size());
      rest = rest.substr(0, rest.find('.'));
      uint32_t n = 0;
      auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
      if (ec == std::errc() && end == rest.data() + rest.size() && n > 0 && rest[0] != '0') {
        out.insert(n);
      }
    }
    return out;
  }

  std::nullopt_t fail(std::string_view key, std::string_view text, std::string_view expected) {
    if (dialect_ == Dialect::Ec2) {
      error_ = AwsError("InvalidParameterValue",
                        "Value (" + std::string(text) + ") for parameter " + std::string(key) +
                            " is invalid. Expected: '" + std::string(expected) + "'.");
    } else {
      error_ = AwsError("ValidationError", "1 validation error detected: Value '" +
                                               std::string(text) + "' at '" + validation_path(key) +
                                               "' failed to satisfy constraint: Member must " +
                                               std::string(expected));
    }
    return std::nullopt;
  }

  std::optional<json::value> value(const MemberDef& m, const std::string& key, int depth) {
    const ShapeDef& shape = model_.shape(m.shape);
    switch (shape.type) {
      case ShapeType::Structure:
      case ShapeType::Union:
        if (!has_children(key)) {
          return std::nullopt;
        }
        if (!check_depth(depth)) {
          return std::nullopt;
        }
        return structure(shape, key, depth);
      case ShapeType::List:
        return list(m, shape, key, depth);
      case ShapeType::Map:
        return map(m, shape, key, depth);
      default:
        break;
    }
    const std::string* text = find(key);
    if (text == nullptr) {
      return std::nullopt;
    }
    return scalar(m, shape, key, *text);
  }

  bool check_depth(int depth) {
    if (depth > kMaxDepth) {
      error_ = malformed("Parameters are nested more than " + std::to_string(kMaxDepth) +
                         " levels deep.");
      return false;
    }
    return true;
  }

  std::optional<json::value> list(const MemberDef& m, const ShapeDef& shape, const std::string& key,
                                  int depth) {
    if (shape.members_count != 1 || !check_depth(depth)) {
      return std::nullopt;
    }
    const MemberDef& element = model_.members_of(shape)[0];
    std::string prefix = list_prefix(model_, m, element, key, dialect_);
    std::set<uint32_t> numbers = indices(prefix);
    if (numbers.empty()) {
      // botocore sends `Name=` for an empty list.
      const std::string* text = find(key);
      if (text != nullptr && text->empty()) {
        return json::array();
      }
      return std::nullopt;
    }
    json::array out;
    out.reserve(numbers.size());
    for (uint32_t n : numbers) {
      std::optional<json::value> v = value(element, join(prefix, std::to_string(n)), depth + 1);
      if (error_) {
        return std::nullopt;
      }
      if (v) {
        out.push_back(std::move(*v));
      }
    }
    return out;
  }

  std::optional<json::value> map(const MemberDef& m, const ShapeDef& shape, const std::string& key,
                                 int depth) {
    if (shape.members_count != 2 || !check_depth(depth)) {
      return std::nullopt;
    }
    const MemberDef& key_member = model_.members_of(shape)[0];
    const MemberDef& value_member = model_.members_of(shape)[1];
    std::string prefix = map_prefix(model_, m, key);
    std::string key_suffix = wire_name(model_, key_member, dialect_, "key");
    std::string value_suffix = wire_name(model_, value_member, dialect_, "value");
    std::set<uint32_t> numbers = indices(prefix);
    if (numbers.empty()) {
      const std::string* text = find(key);
      if (text != nullptr && text->empty()) {
        return json::object();
      }
      return std::nullopt;
    }
    json::object out;
    for (uint32_t n : numbers) {
      std::string entry = join(prefix, std::to_string(n));
      const std::string* k = find(join(entry, key_suffix));
      std::optional<json::value> v = value(value_member, join(entry, value_suffix), depth + 1);
      if (error_) {
        return std::nullopt;
      }
      if (k != nullptr && v) {
        out[*k] = std::move(*v);
      }
    }
    return out;
  }

  std::optional<json::value> scalar(const MemberDef& m, const ShapeDef& shape,
                                    const std::string& key, const std::string& text) {
    switch (shape.type) {
      case ShapeType::Integer:
      case ShapeType::Long:
      case ShapeType::BigInteger: {
        int64_t n = 0;
        const char* begin = text.data();
        const char* end = begin + text.size();
        if (begin != end && *begin == '+') {
          ++begin;
        }
        auto [ptr, ec] = std::from_chars(begin, end, n);
        if (ec != std::errc() || ptr != end || begin == end) {
          return fail(key, text, dialect_ == Dialect::Ec2 ? "Integer" : "be a number");
        }
        if (shape.type == ShapeType::Integer &&
            (n < std::numeric_limits<int32_t>::min() || n > std::numeric_limits<int32_t>::max())) {
          return fail(key, text, dialect_ == Dialect::Ec2 ? "Integer" : "be a 32-bit integer");
        }
        return json::value(n);
      }
      case ShapeType::Float:
      case ShapeType::Double:
      case ShapeType::BigDecimal: {
        double d = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
        if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
          return fail(key, text, dialect_ == Dialect::Ec2 ? "Double" : "be a number");
        }
        return json::value(d);
      }
      case ShapeType::Boolean:
        if (http::iequals(text, "true")) {
          return json::value(true);
        }
        if (http::iequals(text, "false")) {
          return json::value(false);
        }
        return fail(key, text, dialect_ == Dialect::Ec2 ? "Boolean" : "be a boolean");
      case ShapeType::Timestamp: {
        std::optional<core::TimePoint> t = core::parse_timestamp(text);
        if (!t) {
          return fail(key, text, dialect_ == Dialect::Ec2 ? "Timestamp" : "be a timestamp");
        }
        return json::value(core::to_epoch_seconds(*t));
      }
      case ShapeType::Blob: {
        std::optional<std::string> bytes = base64_decode(text);
        if (!bytes) {
          return fail(key, text, dialect_ == Dialect::Ec2 ? "Base64" : "be base64-encoded");
        }
        return json::value(json::string(*bytes));
      }
      default:
        return json::value(json::string(text));
    }
  }

  const ServiceModel& model_;
  const ParamMap& params_;
  Dialect dialect_;
  std::optional<AwsError> error_;
};

}  // namespace

Result<void> parse_form(std::string_view text, ParamMap& out) {
  for (const core::RawQueryParam& p : core::split_query(text)) {
    std::optional<std::string> key = core::percent_decode_strict(p.key, /*plus_is_space=*/true);
    std::optional<std::string> value = core::percent_decode_strict(p.value, true);
    if (!key || !value) {
      return malformed("The parameter " + std::string(p.key.substr(0, 128)) +
                       " is not correctly percent-encoded.");
    }
    if (static_cast<std::size_t>(std::count(key->begin(), key->end(), '.')) >= kMaxKeySegments) {
      return malformed("The parameter name " + key->substr(0, 128) + "... is nested too deeply.");
    }
    out[std::move(*key)] = std::move(*value);
  }
  return {};
}

Result<ParamMap> request_params(const http::Request& req) {
  ParamMap params;
  if (Result<void> r = parse_form(req.query(), params); !r) {
    return r.error();
  }
  std::string_view content_type = req.header("Content-Type");
  bool form = iprefix(content_type, "application/x-www-form-urlencoded") ||
              (content_type.empty() && req.method == "POST");
  if (form && !req.body.empty()) {
    if (Result<void> r = parse_form(req.body, params); !r) {
      return r.error();
    }
  }
  return params;
}

Result<DecodedRequest> decode_request(const ServiceModel& model, const http::Request& req,
                                      Dialect dialect) {
  Result<ParamMap> params = request_params(req);
  if (!params) {
    return params.error();
  }
  auto action = params->find("Action");
  if (action == params->end() || action->second.empty()) {
    if (dialect == Dialect::Ec2) {
      return AwsError("MissingAction", "The request must contain the parameter Action");
    }
    return AwsError("MissingAction", "Missing Action");
  }
  DecodedRequest out;
  out.operation = model.find_operation(action->second);
  if (out.operation == nullptr) {
    std::string name = action->second.substr(0, 256);
    if (dialect == Dialect::Ec2) {
      return AwsError("InvalidAction",
                      "The action " + name + " is not valid for this web service.");
    }
    auto version = params->find("Version");
    return AwsError("InvalidAction",
                    "Could not find operation " + name + " for version " +
                        (version != params->end() ? version->second.substr(0, 64)
                                                  : std::string(model.api_version)));
  }
  if (out.operation->input != kNoShape) {
    Result<json::object> input =
        unflatten(model, model.shape(out.operation->input), *params, dialect);
    if (!input) {
      return input.error();
    }
    out.input = std::move(*input);
  }
  return out;
}

Result<boost::json::object> unflatten(const ServiceModel& model, const ShapeDef& shape,
                                      const ParamMap& params, Dialect dialect) {
  Unflattener u(model, params, dialect);
  json::object out = u.structure(shape, "", 0);
  if (u.error()) {
    return std::move(*u.error());
  }
  return out;
}

}  // namespace protocol::query

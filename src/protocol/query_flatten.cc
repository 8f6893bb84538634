// flatten(), to_form() and base64: the request side of botocore's QuerySerializer/EC2Serializer,
// used to check unflatten() against and by in-process callers that build query requests.

#include <openssl/evp.h>

#include <boost/json/array.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <chrono>
#include <cmath>

#include "core/time_format.h"
#include "protocol/query_naming.h"
#include "protocol/query_params.h"

namespace protocol::query {
namespace {

namespace json = boost::json;

class Flattener {
 public:
  Flattener(const ServiceModel& model, Dialect dialect, ParamMap& out)
      : model_(model), dialect_(dialect), out_(out) {}

  void structure(const ShapeDef& shape, const json::object& doc, std::string_view prefix,
                 int depth) {
    if (depth > kMaxDepth) {
      return;
    }
    for (const MemberDef& m : model_.members_of(shape)) {
      auto it = doc.find(m.name);
      if (it != doc.end()) {
        value(m, it->value(), join(prefix, wire_name(model_, m, dialect_, m.name)), depth + 1);
      }
    }
  }

 private:
  void value(const MemberDef& m, const json::value& v, const std::string& key, int depth) {
    const ShapeDef& shape = model_.shape(m.shape);
    switch (shape.type) {
      case ShapeType::Structure:
      case ShapeType::Union:
        if (v.is_object()) {
          structure(shape, v.get_object(), key, depth);
        }
        return;
      case ShapeType::List: {
        if (!v.is_array() || shape.members_count != 1) {
          return;
        }
        const json::array& items = v.get_array();
        if (items.empty()) {
          if (dialect_ == Dialect::Query) {
            out_[key] = "";
          }
          return;
        }
        const MemberDef& element = model_.members_of(shape)[0];
        std::string prefix = list_prefix(model_, m, element, key, dialect_);
        for (std::size_t i = 0; i < items.size(); ++i) {
          value(element, items[i], join(prefix, std::to_string(i + 1)), depth + 1);
        }
        return;
      }
      case ShapeType::Map: {
        if (!v.is_object() || shape.members_count != 2) {
          return;
        }
        const MemberDef& key_member = model_.members_of(shape)[0];
        const MemberDef& value_member = model_.members_of(shape)[1];
        std::string prefix = map_prefix(model_, m, key);
        std::string key_suffix = wire_name(model_, key_member, dialect_, "key");
        std::string value_suffix = wire_name(model_, value_member, dialect_, "value");
        std::size_t i = 0;
        for (const auto& entry : v.get_object()) {
          std::string at = join(prefix, std::to_string(++i));
          out_[join(at, key_suffix)] = std::string(entry.key());
          value(value_member, entry.value(), join(at, value_suffix), depth + 1);
        }
        return;
      }
      default:
        break;
    }
    if (std::optional<std::string> text = scalar(m, shape, v)) {
      out_[key] = std::move(*text);
    }
  }

  std::optional<std::string> scalar(const MemberDef& m, const ShapeDef& shape,
                                    const json::value& v) {
    switch (shape.type) {
      case ShapeType::Integer:
      case ShapeType::Long:
      case ShapeType::BigInteger:
        if (v.is_int64()) {
          return std::to_string(v.get_int64());
        }
        if (v.is_uint64()) {
          return std::to_string(v.get_uint64());
        }
        return std::nullopt;
      case ShapeType::Float:
      case ShapeType::Double:
      case ShapeType::BigDecimal:
        if (std::optional<double> d = as_double(v)) {
          return format_double(*d);
        }
        return std::nullopt;
      case ShapeType::Boolean:
        if (v.is_bool()) {
          return v.get_bool() ? "true" : "false";
        }
        return std::nullopt;
      case ShapeType::Timestamp: {
        std::optional<double> secs = as_double(v);
        if (!secs) {
          return std::nullopt;
        }
        core::TimePoint t{std::chrono::milliseconds(std::llround(*secs * 1000))};
        std::string_view format = timestamp_format(model_, m);
        if (format == "unixTimestamp") {
          return format_double(std::round(*secs * 1000) / 1000);
        }
        if (format == "rfc822") {
          return core::format_http_date(t);
        }
        return core::format_iso8601(t);
      }
      case ShapeType::Blob:
        if (v.is_string()) {
          return base64_encode(v.get_string());
        }
        return std::nullopt;
      default:
        if (v.is_string()) {
          return std::string(v.get_string());
        }
        return std::nullopt;
    }
  }

  const ServiceModel& model_;
  Dialect dialect_;
  ParamMap& out_;
};

}  // namespace

ParamMap flatten(const ServiceModel& model, const ShapeDef& shape, const boost::json::object& doc,
                 Dialect dialect) {
  ParamMap out;
  Flattener(model, dialect, out).structure(shape, doc, "", 0);
  return out;
}

std::string to_form(const ParamMap& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) {
      out += '&';
    }
    out += boost::urls::encode(key, boost::urls::unreserved_chars);
    out += '=';
    out += boost::urls::encode(value, boost::urls::unreserved_chars);
  }
  return out;
}



}  // namespace protocol::query

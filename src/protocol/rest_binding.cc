#include "protocol/rest_binding.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <tuple>

#include "core/percent.h"
#include "core/query_string.h"
#include "protocol/rest_scalar.h"

namespace protocol::rest {
namespace {

namespace json = boost::json;

BindError malformed(std::string m) { return {BindError::Kind::Malformed, std::move(m)}; }
BindError bad_value(std::string m) { return {BindError::Kind::BadValue, std::move(m)}; }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t p = s.find(sep, start);
    out.push_back(
        s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

// Path segments without the leading '/'; "/" and "" have none.
std::vector<std::string_view> path_segments(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return {};
  return split(path, '/');
}

struct LiteralQuery {
  std::string_view name;
  std::optional<std::string_view> value;
};

struct Template {
  std::vector<std::string_view> segments;
  std::vector<LiteralQuery> query;
};

Template parse_template(std::string_view uri) {
  Template t;
  std::size_t q = uri.find('?');
  t.segments = path_segments(uri.substr(0, q));
  if (q != std::string_view::npos) {
    for (const core::RawQueryParam& part : core::split_query(uri.substr(q + 1))) {
      if (part.has_value) {
        t.query.push_back({part.key, part.value});
      } else {
        t.query.push_back({part.key, std::nullopt});
      }
    }
  }
  return t;
}

bool is_label(std::string_view seg) {
  return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
}
bool is_greedy(std::string_view seg) { return is_label(seg) && seg[seg.size() - 2] == '+'; }
std::string_view label_name(std::string_view seg) {
  seg = seg.substr(1, seg.size() - 2);
  if (!seg.empty() && seg.back() == '+') seg.remove_suffix(1);
  return seg;
}

std::string join(const std::vector<std::string_view>& segs, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i > from) out.push_back('/');
    out.append(segs[i]);
  }
  return out;
}

// Matches the template's path against the request's raw segments (already checked to decode).
bool match_path(const Template& t, const std::vector<std::string_view>& req,
                std::vector<std::pair<std::string, std::string>>& labels) {
  std::size_t n = req.size();
  // A trailing slash the template does not have is ignored ("/bucket/" is the bucket).
  bool greedy_template = std::any_of(t.segments.begin(), t.segments.end(), is_greedy);
  if (!greedy_template && n == t.segments.size() + 1 && req.back().empty()) --n;
  std::size_t j = 0;
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    std::string_view seg = t.segments[i];
    if (is_greedy(seg)) {
      std::size_t after = t.segments.size() - i - 1;
      if (n < j + after + 1) return false;
      std::size_t end = n - after;
      std::string raw = join(req, j, end);
      if (raw.empty()) return false;
      labels.emplace_back(std::string(label_name(seg)), *core::percent_decode_strict(raw, false));
      j = end;
      continue;
    }
    if (j >= n) return false;
    std::string decoded = *core::percent_decode_strict(req[j], false);
    if (is_label(seg)) {
      if (decoded.empty()) return false;
      labels.emplace_back(std::string(label_name(seg)), std::move(decoded));
    } else if (decoded != seg) {
      return false;
    }
    ++j;
  }
  return j == n;
}

const QueryParam* find_param(const std::vector<QueryParam>& query, std::string_view name) {
  for (const QueryParam& p : query) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

bool match_query(const Template& t, const std::vector<QueryParam>& query) {
  for (const LiteralQuery& lit : t.query) {
    const QueryParam* p = find_param(query, lit.name);
    if (p == nullptr) return false;
    if (lit.value && p->value != *lit.value) return false;
  }
  return true;
}

bool has_header(const http::HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (http::iequals(k, name)) return true;
  }
  return false;
}

std::optional<std::string_view> header_value(const http::HeaderList& headers,
                                             std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (http::iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

// (all required query/header members present, how many are present)
std::pair<int, int> required_presence(const ServiceModel& model, const OperationDef& op,
                                      const std::vector<QueryParam>& query,
                                      const http::HeaderList& headers) {
  if (op.input == kNoShape) return {1, 0};
  int present = 0;
  bool all = true;
  for (const MemberDef& m : model.members_of(model.shape(op.input))) {
    if (!m.required) continue;
    bool here;
    if (m.location == Location::QueryString) {
      here = find_param(query, wire_name(m)) != nullptr;
    } else if (m.location == Location::Header) {
      here = has_header(headers, wire_name(m));
    } else {
      continue;
    }
    present += here ? 1 : 0;
    all = all && here;
  }
  return {all ? 1 : 0, present};
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// RFC 7230 list: items separated by commas; an item in double quotes may hold commas and \".
std::vector<std::string> split_header_list(std::string_view v) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    if (i < v.size() && v[i] == '"') {
      std::string item;
      ++i;
      while (i < v.size() && v[i] != '"') {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        item.push_back(v[i++]);
      }
      out.push_back(std::move(item));
      std::size_t comma = v.find(',', i);
      if (comma == std::string_view::npos) break;
      i = comma + 1;
      continue;
    }
    std::size_t comma = v.find(',', i);
    out.push_back(trim(v.substr(i, comma == std::string_view::npos ? comma : comma - i)));
    if (comma == std::string_view::npos) break;
    i = comma + 1;
  }
  return out;
}

BindResult<json::value> text_value(const ServiceModel& model, const MemberDef& member,
                                   const ShapeDef& shape, std::string_view text,
                                   std::string_view where) {
  std::optional<json::value> v =
      scalar_from_text(shape, text, shape.type == ShapeType::Blob && where == "header");
  if (!v) {
    return bad_value("Invalid value '" + std::string(text) + "' for " + std::string(where) + " '" +
                     std::string(wire_name(member)) + "'");
  }
  return std::move(*v);
}

BindResult<json::value> header_member_value(const ServiceModel& model, const MemberDef& m,
                                            const ShapeDef& shape, std::string_view text) {
  if (m.json_value) {
    std::optional<std::string> raw = base64_decode(trim(text));
    json::error_code ec;
    json::value v;
    if (raw) v = json::parse(*raw, ec);
    if (!raw || ec) {
      return bad_value("Header '" + std::string(wire_name(m)) + "' is not base64-encoded JSON");
    }
    return v;
  }
  if (shape.type == ShapeType::List) {
    const MemberDef& item = model.members_of(shape)[0];
    const ShapeDef* item_shape = shape_of(model, item);
    if (item_shape == nullptr || !is_scalar(*item_shape)) return json::value(json::array());
    std::vector<std::string> items = split_header_list(text);
    // HTTP-dates hold a comma themselves: "Sun, 30 Aug 2015 ..." is one item, not two.
    if (item_shape->type == ShapeType::Timestamp &&
        timestamp_format_for(model, item, kRfc822) == kRfc822) {
      std::vector<std::string> merged;
      for (std::size_t i = 0; i < items.size(); i += 2) {
        merged.push_back(i + 1 < items.size() ? items[i] + ", " + items[i + 1] : items[i]);
      }
      items = std::move(merged);
    }
    json::array arr;
    for (const std::string& s : items) {
      BindResult<json::value> v = text_value(model, m, *item_shape, s, "header");
      if (!v) return v.error();
      arr.push_back(std::move(*v));
    }
    return json::value(std::move(arr));
  }
  if (!is_scalar(shape)) return json::value(nullptr);
  return text_value(model, m, shape,
                    shape.type == ShapeType::String ? std::string(text) : trim(text), "header");
}

bool header_safe(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::optional<std::string> header_text(const ServiceModel& model, const MemberDef& m,
                                       const ShapeDef& shape, const json::value& doc) {
  if (m.json_value) {
    return base64_encode(json::serialize(doc));
  }
  if (shape.type == ShapeType::List) {
    if (!doc.is_array()) return std::nullopt;
    const MemberDef& item = model.members_of(shape)[0];
    const ShapeDef* item_shape = shape_of(model, item);
    if (item_shape == nullptr || !is_scalar(*item_shape)) return std::nullopt;
    std::string out;
    bool first = true;
    for (const json::value& v : doc.get_array()) {
      std::optional<std::string> s =
          scalar_to_text(*item_shape, v, timestamp_format_for(model, item, kRfc822), true);
      if (!s) continue;
      if (item_shape->type == ShapeType::String && s->find_first_of(",\"") != std::string::npos) {
        std::string quoted = "\"";
        for (char c : *s) {
          if (c == '"' || c == '\\') quoted.push_back('\\');
          quoted.push_back(c);
        }
        *s = quoted + "\"";
      }
      if (!first) out.append(",");
      out.append(*s);
      first = false;
    }
    return out;
  }
  if (!is_scalar(shape)) return std::nullopt;
  return scalar_to_text(shape, doc, timestamp_format_for(model, m, kRfc822), true);
}

}  // namespace

void throw_exception_from_error(const BindError& e, const boost::source_location&) {
  throw std::runtime_error(e.message);
}

std::string_view wire_name(const MemberDef& member) {
  return member.location_name.empty() ? member.name : member.location_name;
}

const MemberDef* payload_member(const ServiceModel& model, const ShapeDef& shape) {
  for (const MemberDef& m : model.members_of(shape)) {
    if (m.is_payload) return &m;
  }
  return nullptr;
}

bool has_body_members(const ServiceModel& model, const ShapeDef& shape) {
  for (const MemberDef& m : model.members_of(shape)) {
    if (m.location == Location::Body) return true;
  }
  return false;
}

BindResult<std::vector<QueryParam>> parse_query(std::string_view raw_query) {
  std::vector<QueryParam> out;
  if (raw_query.empty()) return out;
  for (const core::RawQueryParam& part : core::split_query(raw_query)) {
    QueryParam p;
    std::optional<std::string> name = core::percent_decode_strict(part.key, true);
    if (!name) return malformed("Invalid percent-encoding in query parameter name");
    p.name = std::move(*name);
    if (part.has_value) {
      std::optional<std::string> value = core::percent_decode_strict(part.value, true);
      if (!value) return malformed("Invalid percent-encoding in query parameter '" + p.name + "'");
      p.value = std::move(*value);
      p.has_value = true;
    }
    out.push_back(std::move(p));
  }
  return out;
}

BindResult<RouteMatch> match_route(const ServiceModel& model, std::string_view method,
                                   std::string_view path, const std::vector<QueryParam>& query,
                                   const http::HeaderList& headers) {
  std::vector<std::string_view> segs = path_segments(path);
  for (std::string_view s : segs) {
    if (!core::percent_decode_strict(s, false)) {
      return malformed("Invalid percent-encoding in request path");
    }
  }
  using Score = std::tuple<int, int, int, int, int>;
  std::optional<Score> best_score;
  RouteMatch best;
  bool other_method = false;
  for (const OperationDef& op : model.operations) {
    Template t = parse_template(op.request_uri);
    std::vector<std::pair<std::string, std::string>> labels;
    if (!match_path(t, segs, labels) || !match_query(t, query)) continue;
    if (op.http_method != method) {
      other_method = true;
      continue;
    }
    int literals = 0;
    int greedy = 0;
    for (std::string_view s : t.segments) {
      literals += is_label(s) ? 0 : 1;
      greedy += is_greedy(s) ? 1 : 0;
    }
    auto [all_required, required] = required_presence(model, op, query, headers);
    Score score{literals, static_cast<int>(t.query.size()), all_required, required, -greedy};
    if (best_score && score <= *best_score) continue;
    best_score = score;
    best.operation = &op;
    best.labels = std::move(labels);
    best.literal_query_keys.clear();
    for (const LiteralQuery& q : t.query) best.literal_query_keys.emplace_back(q.name);
  }
  if (best.operation != nullptr) return best;
  std::string where = std::string(method) + " " + std::string(path);
  if (other_method) {
    return BindError{BindError::Kind::MethodNotAllowed,
                     "The specified method is not allowed against this resource: " + where};
  }
  return BindError{BindError::Kind::NoRoute, "No operation matches " + where};
}

namespace {

// Query keys that named members or the route's literals claim; a querystring map gets the rest.
std::vector<std::string_view> claimed_query_keys(const ServiceModel& model, const ShapeDef& input,
                                                 const RouteMatch& route) {
  std::vector<std::string_view> claimed(route.literal_query_keys.begin(),
                                        route.literal_query_keys.end());
  for (const MemberDef& m : model.members_of(input)) {
    const ShapeDef* shape = shape_of(model, m);
    if (m.location == Location::QueryString && shape != nullptr && shape->type != ShapeType::Map) {
      claimed.push_back(wire_name(m));
    }
  }
  return claimed;
}

// A querystring map member: every query parameter no other member claims (all values of a
// repeated key when the map's values are lists, else the first).
json::object unclaimed_query_map(const ServiceModel& model, const ShapeDef& map_shape,
                                 const std::vector<QueryParam>& query,
                                 const std::vector<std::string_view>& claimed) {
  const ShapeDef* value_shape = shape_of(model, model.members_of(map_shape)[1]);
  bool multi = value_shape != nullptr && value_shape->type == ShapeType::List;
  json::object map;
  for (const QueryParam& p : query) {
    if (std::find(claimed.begin(), claimed.end(), p.name) != claimed.end()) continue;
    if (multi) {
      json::value& slot = map[p.name];
      if (!slot.is_array()) slot = json::array();
      slot.get_array().emplace_back(p.value);
    } else if (!map.contains(p.name)) {
      map[p.name] = p.value;
    }
  }
  return map;
}

// A member bound to the query string: a map of the unclaimed parameters, a list of every value
// of its key, or a scalar from the first.
BindResult<void> bind_query_member(const ServiceModel& model, const MemberDef& m,
                                   const ShapeDef& shape, const std::vector<QueryParam>& query,
                                   const std::vector<std::string_view>& claimed,
                                   json::object& out) {
  if (shape.type == ShapeType::Map) {
    json::object map = unclaimed_query_map(model, shape, query, claimed);
    if (!map.empty()) out[m.name] = std::move(map);
  } else if (shape.type == ShapeType::List) {
    const MemberDef& item = model.members_of(shape)[0];
    const ShapeDef* item_shape = shape_of(model, item);
    if (item_shape == nullptr || !is_scalar(*item_shape)) return {};
    json::array arr;
    for (const QueryParam& p : query) {
      if (p.name != wire_name(m)) continue;
      BindResult<json::value> v = text_value(model, m, *item_shape, p.value, "query");
      if (!v) return v.error();
      arr.push_back(std::move(*v));
    }
    if (!arr.empty()) out[m.name] = std::move(arr);
  } else if (is_scalar(shape)) {
    if (const QueryParam* p = find_param(query, wire_name(m))) {
      BindResult<json::value> v = text_value(model, m, shape, p->value, "query");
      if (!v) return v.error();
      out[m.name] = std::move(*v);
    }
  }
  return {};
}

// A prefix-headers member (x-amz-meta-*): the matching headers by their lowercased suffix, the
// first of each.
json::object prefixed_headers(const MemberDef& m, const http::HeaderList& headers) {
  std::string prefix(m.location_name);
  for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  json::object map;
  for (const auto& [k, v] : headers) {
    if (k.size() < prefix.size() || !http::iequals(k.substr(0, prefix.size()), prefix)) {
      continue;
    }
    std::string key = k.substr(prefix.size());
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!map.contains(key)) map[key] = v;
  }
  return map;
}

}  // namespace

BindResult<void> bind_input_members(const ServiceModel& model, const ShapeDef& input,
                                    const RouteMatch& route, const std::vector<QueryParam>& query,
                                    const http::HeaderList& headers, json::object& out) {
  std::vector<std::string_view> claimed = claimed_query_keys(model, input, route);
  for (const MemberDef& m : model.members_of(input)) {
    const ShapeDef* shape = shape_of(model, m);
    if (shape == nullptr) continue;
    switch (m.location) {
      case Location::Uri: {
        for (const auto& [name, value] : route.labels) {
          if (name != wire_name(m) || !is_scalar(*shape)) continue;
          BindResult<json::value> v = text_value(model, m, *shape, value, "label");
          if (!v) return v.error();
          out[m.name] = std::move(*v);
        }
        break;
      }
      case Location::QueryString:
        if (auto r = bind_query_member(model, m, *shape, query, claimed, out); !r) {
          return r.error();
        }
        break;
      case Location::Header: {
        std::optional<std::string_view> text = header_value(headers, wire_name(m));
        if (!text) break;
        // botocore never sends an empty list header; an empty one means "no items".
        if (shape->type == ShapeType::List && trim(*text).empty()) break;
        BindResult<json::value> v = header_member_value(model, m, *shape, *text);
        if (!v) return v.error();
        if (!v->is_null()) out[m.name] = std::move(*v);
        break;
      }
      case Location::Headers: {
        json::object map = prefixed_headers(m, headers);
        if (!map.empty()) out[m.name] = std::move(map);
        break;
      }
      case Location::StatusCode:
      case Location::Body:
        break;
    }
  }
  return {};
}

void encode_output_members(const ServiceModel& model, const ShapeDef& output,
                           const json::object& doc, http::Response& res) {
  for (const MemberDef& m : model.members_of(output)) {
    const ShapeDef* shape = shape_of(model, m);
    auto it = doc.find(m.name);
    if (shape == nullptr || it == doc.end() || it->value().is_null()) continue;
    const json::value& v = it->value();
    switch (m.location) {
      case Location::Header: {
        std::optional<std::string> text = header_text(model, m, *shape, v);
        if (text && header_safe(*text)) res.set_header(std::string(wire_name(m)), *text);
        break;
      }
      case Location::Headers: {
        if (!v.is_object()) break;
        for (const auto& kv : v.get_object()) {
          if (!kv.value().is_string()) continue;
          std::string name = std::string(m.location_name) + std::string(kv.key());
          std::string_view text = kv.value().get_string();
          if (header_safe(name) && header_safe(text) &&
              name.find_first_of(" :\t") == std::string::npos) {
            res.set_header(std::move(name), std::string(text));
          }
        }
        break;
      }
      case Location::StatusCode:
        if (v.is_int64() && v.get_int64() >= 100 && v.get_int64() <= 599) {
          res.status = static_cast<int>(v.get_int64());
        } else if (v.is_uint64() && v.get_uint64() >= 100 && v.get_uint64() <= 599) {
          res.status = static_cast<int>(v.get_uint64());
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace protocol::rest

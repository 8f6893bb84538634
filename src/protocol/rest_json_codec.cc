// rest-json (Lambda and other API Gateway-style services): the operation comes from the method
// and path, members travel in the URI, query string and headers, the rest in a JSON body or a raw
// payload. Wire rules follow botocore serialize.py RestJSONSerializer (requests) and parsers.py
// RestJSONParser (responses and errors).

#include <boost/json/serialize.hpp>

#include "protocol/codec.h"
#include "protocol/rest_binding.h"
#include "protocol/rest_body_json.h"
#include "protocol/rest_scalar.h"

namespace protocol {
namespace {

namespace json = boost::json;

AwsError to_aws_error(const rest::BindError& e) {
  switch (e.kind) {
    case rest::BindError::Kind::NoRoute:
    case rest::BindError::Kind::MethodNotAllowed:
      return {"UnknownOperationException", e.message, 404};
    case rest::BindError::Kind::Malformed:
    case rest::BindError::Kind::BadValue:
      break;
  }
  return {"SerializationException", e.message, 400};
}

bool blank(std::string_view body) {
  return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool is_raw_payload(const ShapeDef& shape) {
  return shape.type == ShapeType::Blob || shape.type == ShapeType::String;
}

// The exception shape named `code`, or nullptr.
const ShapeDef* error_shape(const ServiceModel& model, std::string_view code) {
  for (const ShapeDef& s : model.shapes) {
    if (s.exception && (s.name == code || s.error_code == code)) return &s;
  }
  return nullptr;
}

class RestJsonCodec final : public Codec {
 public:
  Protocol protocol() const override { return Protocol::RestJson; }

  Result<DecodedRequest> decode(const ServiceModel& model,
                                const http::Request& req) const override {
    auto query = rest::parse_query(req.query());
    if (!query) return to_aws_error(query.error());
    auto route = rest::match_route(model, req.method, req.path(), *query, req.headers);
    if (!route) return to_aws_error(route.error());
    DecodedRequest out;
    out.operation = route->operation;
    if (out.operation->input == kNoShape) return out;
    const ShapeDef& input = model.shape(out.operation->input);
    if (auto r = rest::bind_input_members(model, input, *route, *query, req.headers, out.input);
        !r) {
      return to_aws_error(r.error());
    }
    if (const MemberDef* payload = rest::payload_member(model, input)) {
      const ShapeDef* ps = rest::shape_of(model, *payload);
      if (ps == nullptr) return out;
      if (is_raw_payload(*ps)) {
        if (!req.body.empty()) out.input[payload->name] = json::string(req.body);
        return out;
      }
      if (blank(req.body)) return out;
      auto wire = rest::parse_json_body(req.body);
      if (!wire) return to_aws_error(wire.error());
      auto doc = rest::json_to_document(model, *ps, *wire, false);
      if (!doc) return to_aws_error(doc.error());
      out.input[payload->name] = std::move(*doc);
      return out;
    }
    if (blank(req.body)) return out;
    auto wire = rest::parse_json_body(req.body);
    if (!wire) return to_aws_error(wire.error());
    if (!wire->is_object()) {
      return AwsError{"SerializationException", "The request body must be a JSON object", 400};
    }
    auto doc = rest::json_to_document(model, input, *wire, true);
    if (!doc) return to_aws_error(doc.error());
    for (auto& kv : doc->get_object()) out.input[kv.key()] = std::move(kv.value());
    return out;
  }

  void encode_output(const ServiceModel& model, const OperationDef& op, const json::object& output,
                     const RequestContext& ctx, http::Response& res) const override {
    res.status = op.response_code;
    res.set_header("x-amzn-RequestId", ctx.request_id);
    res.body.clear();
    if (op.output != kNoShape) {
      const ShapeDef& shape = model.shape(op.output);
      rest::encode_output_members(model, shape, output, res);
      if (const MemberDef* payload = rest::payload_member(model, shape)) {
        encode_payload(model, *payload, output, res);
      } else {
        auto body = rest::document_to_json(model, shape, json::value(output), true);
        res.body = json::serialize(body ? *body : json::value(json::object()));
        set_default_content_type(res, "application/json");
      }
    }
    if (res.status == 204 || res.status == 304 || op.http_method == "HEAD") res.body.clear();
  }

  void encode_error(const ServiceModel& model, const AwsError& error, const RequestContext& ctx,
                    http::Response& res) const override {
    res.status = error.http_status;
    res.body.clear();
    res.set_header("x-amzn-RequestId", ctx.request_id);
    res.set_header("X-Amzn-ErrorType", error.code);
    res.set_header("Content-Type", "application/json");
    // botocore reads the code from X-Amzn-ErrorType and the message from "message" or "Message";
    // modeled errors (Lambda's {"Type":"User","Message":...}) fill their members from the body.
    json::object body;
    const ShapeDef* shape = error_shape(model, error.code);
    std::string_view message_key = "message";
    if (shape != nullptr) {
      if (auto fields = rest::document_to_json(model, *shape, json::value(error.fields), true)) {
        body = std::move(fields->as_object());
      }
      for (const MemberDef& m : model.members_of(*shape)) {
        if (rest::wire_name(m) == "Message") message_key = "Message";
        if (rest::wire_name(m) == "Type" && !body.contains("Type")) {
          body["Type"] = error.sender_fault ? "User" : "Service";
        }
      }
    } else {
      body = error.fields;
    }
    if (!error.message.empty() || !body.contains(message_key)) body[message_key] = error.message;
    res.body = json::serialize(body);
  }

 private:
  static void set_default_content_type(http::Response& res, std::string_view type) {
    if (res.header("Content-Type").empty()) res.set_header("Content-Type", std::string(type));
  }

  static void encode_payload(const ServiceModel& model, const MemberDef& payload,
                             const json::object& output, http::Response& res) {
    const ShapeDef* ps = rest::shape_of(model, payload);
    auto it = output.find(payload.name);
    if (ps == nullptr || it == output.end() || it->value().is_null()) return;
    if (is_raw_payload(*ps)) {
      if (!it->value().is_string()) return;
      res.body = std::string(it->value().get_string());
      set_default_content_type(
          res, ps->type == ShapeType::Blob ? "application/octet-stream" : "text/plain");
      return;
    }
    auto body = rest::document_to_json(model, *ps, it->value(), false);
    if (!body) return;
    res.body = json::serialize(*body);
    set_default_content_type(res, "application/json");
  }
};

}  // namespace

const Codec& rest_json_codec() {
  static const RestJsonCodec codec;
  return codec;
}

}  // namespace protocol

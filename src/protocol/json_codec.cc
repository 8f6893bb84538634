// AWS JSON 1.0 / 1.1 (awsJson1_0, awsJson1_1): POST / with X-Amz-Target naming the operation and a
// JSON object body. https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
//
// Requests are what botocore's JSONSerializer writes; responses and errors are what its JSONParser
// reads (botocore/serialize.py, botocore/parsers.py).

#include <boost/json.hpp>
#include <string>

#include "protocol/codec.h"
#include "protocol/document_convert.h"
#include "protocol/wire_json_writer.h"

namespace protocol {
namespace {
namespace json = boost::json;

// DynamoDB (and DynamoDB Streams) qualify error types with DynamoDB's Coral namespace; botocore
// keeps what follows '#'.
constexpr std::string_view kDynamoDbErrorPrefix = "com.amazonaws.dynamodb.v20120810#";

AwsError unknown_operation() {
  return {"UnknownOperationException", "Unknown operation.", 400, true};
}

std::string content_type(const ServiceModel& model) {
  std::string_view version = model.json_version.empty() ? "1.0" : model.json_version;
  return "application/x-amz-json-" + std::string(version);
}

std::string parse_error_message(const boost::system::error_code& ec) {
  if (ec == json::error::too_deep) {
    return "Maximum nesting depth exceeded.";
  }
  if (ec == json::error::extra_data) {
    return "Unexpected character after the end of the JSON object.";
  }
  if (ec == json::error::incomplete) {
    return "Unexpected end of input in JSON body.";
  }
  return "Unexpected character in JSON body (" + ec.message() + ").";
}

Result<json::object> parse_body(std::string_view body) {
  if (body.empty()) {
    return json::object();
  }
  json::parse_options options;
  options.max_depth = kMaxWireDepth;
  boost::system::error_code ec;
  json::value value = json::parse(body, ec, json::storage_ptr(), options);
  if (ec) {
    return serialization_error(parse_error_message(ec));
  }
  if (value.is_array()) {
    return serialization_error("Start of list found where not expected");
  }
  if (!value.is_object()) {
    return serialization_error("Expected start of structure or map.");
  }
  return std::move(value.get_object());
}

class JsonCodec final : public Codec {
 public:
  Protocol protocol() const override { return Protocol::Json; }

  Result<DecodedRequest> decode(const ServiceModel& model,
                                const http::Request& req) const override {
    std::string_view target = req.header("X-Amz-Target");
    std::size_t dot = target.rfind('.');
    if (dot == std::string_view::npos || target.substr(0, dot) != model.target_prefix) {
      return unknown_operation();
    }
    const OperationDef* op = model.find_operation(target.substr(dot + 1));
    if (op == nullptr) {
      return unknown_operation();
    }
    Result<json::object> body = parse_body(req.body);
    if (!body) {
      return body.error();
    }
    DecodedRequest decoded;
    decoded.operation = op;
    if (op->input == kNoShape) {
      return decoded;
    }
    Result<json::value> input = from_wire_json(model, op->input, json::value(std::move(*body)));
    if (!input) {
      return input.error();
    }
    decoded.input = std::move(input->get_object());
    return decoded;
  }

  void encode_output(const ServiceModel& model, const OperationDef& op, const json::object& output,
                     const RequestContext& ctx, http::Response& res) const override {
    res.status = op.response_code;
    res.set_header("Content-Type", content_type(model));
    res.set_header("x-amzn-RequestId", ctx.request_id);
    if (op.output == kNoShape) {
      res.body = "{}";
      return;
    }
    // Written straight from the handler's reply: no converted copy is built (bench/RESULTS.md,
    // DescribeServices).
    res.body.clear();
    append_wire_json(res.body, model, op.output, output);
  }

  void encode_error(const ServiceModel& model, const AwsError& error, const RequestContext& ctx,
                    http::Response& res) const override {
    const ShapeDef* shape = find_error_shape(model, error.code);
    std::string type = error.code;
    if (model.name == "dynamodb" || model.name == "dynamodbstreams") {
      type = std::string(kDynamoDbErrorPrefix) + error.code;
    } else if (model.query_compatible && shape != nullptr) {
      // The JSON form of a query-compatible service names the error shape; the query code
      // travels in x-amzn-query-error, which botocore prefers.
      type = std::string(shape->name);
    }
    json::object body;
    body["__type"] = type;
    // DynamoDB spells it "Message" when the error carries the item (ConditionalCheckFailed with
    // ReturnValuesOnConditionCheckFailure ALL_OLD; moto's AWS-verified tests), so botocore adds
    // no top-level "message" to such a reply.
    bool capital = type.starts_with(kDynamoDbErrorPrefix) && error.fields.contains("Item");
    body[capital ? "Message" : "message"] = error.message;
    for (const auto& field : error.fields) {
      if (field.key() == "__type" || field.key() == "message") {
        continue;
      }
      const MemberDef* member = shape != nullptr ? model.find_member(*shape, field.key()) : nullptr;
      json::value wire = member != nullptr ? to_wire_json(model, member->shape, field.value(), 1,
                                                          member->timestamp_format)
                                           : field.value();
      if (!wire.is_null()) {
        std::string_view key =
            member != nullptr ? wire_name(*member) : std::string_view(field.key());
        body[key] = std::move(wire);
      }
    }
    res.status = error.http_status;
    res.set_header("Content-Type", content_type(model));
    res.set_header("x-amzn-RequestId", ctx.request_id);
    res.set_header("x-amzn-ErrorType", error.code);
    if (model.query_compatible) {
      res.set_header("x-amzn-query-error", query_error_header(model, error));
    }
    res.body = json::serialize(body);
  }
};

}  // namespace

const Codec& json_codec() {
  static const JsonCodec codec;
  return codec;
}

}  // namespace protocol

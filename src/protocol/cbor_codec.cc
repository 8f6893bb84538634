// Smithy RPC v2 CBOR: POST /service/<ServiceName>/operation/<Operation> with
// `smithy-protocol: rpc-v2-cbor` and a CBOR map body.
// https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html
//
// Requests are what botocore's RpcV2CBORSerializer writes (timestamps as tag 1 + epoch seconds,
// blobs as byte strings); responses and errors are what its RpcV2CBORParser reads. The body
// conversion itself lives in cbor_document.cc.

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "protocol/cbor_document.h"
#include "protocol/codec.h"
#include "protocol/document_convert.h"

namespace protocol {
namespace {
namespace json = boost::json;

AwsError unknown_operation() {
  return {"UnknownOperationException", "Unknown operation.", 404, true};
}

void set_common_headers(const RequestContext& ctx, http::Response& res) {
  res.set_header("smithy-protocol", "rpc-v2-cbor");
  res.set_header("Content-Type", "application/cbor");
  res.set_header("x-amzn-RequestId", ctx.request_id);
}

class CborCodec final : public Codec {
 public:
  Protocol protocol() const override { return Protocol::SmithyRpcV2Cbor; }

  Result<DecodedRequest> decode(const ServiceModel& model,
                                const http::Request& req) const override {
    // {prefix?}/service/{serviceName}/operation/{operationName}; serviceName may be the
    // absolute shape id with '.' for '#' ("com.amazonaws.cloudwatch.GraniteServiceVersion...").
    std::string_view path = req.path();
    std::size_t at = path.rfind("/service/");
    if (at == std::string_view::npos) {
      return unknown_operation();
    }
    std::string_view rest = path.substr(at + 9);
    std::size_t slash = rest.find("/operation/");
    if (slash == std::string_view::npos) {
      return unknown_operation();
    }
    std::string_view service = rest.substr(0, slash);
    std::string_view op_name = rest.substr(slash + 11);
    if (std::size_t dot = service.rfind('.'); dot != std::string_view::npos) {
      service = service.substr(dot + 1);
    }
    std::string_view expected =
        model.smithy_service_name.empty() ? model.target_prefix : model.smithy_service_name;
    if (service != expected || op_name.find('/') != std::string_view::npos) {
      return unknown_operation();
    }
    const OperationDef* op = model.find_operation(op_name);
    if (op == nullptr) {
      return unknown_operation();
    }

    Result<json::object> input = decode_cbor_body(model, op->input, req.body);
    if (!input) {
      return input.error();
    }
    DecodedRequest decoded;
    decoded.operation = op;
    decoded.input = std::move(*input);
    return decoded;
  }

  void encode_output(const ServiceModel& model, const OperationDef& op, const json::object& output,
                     const RequestContext& ctx, http::Response& res) const override {
    res.status = op.response_code;
    set_common_headers(ctx, res);
    CborWriter writer(model);
    if (op.output == kNoShape) {
      writer.map_start(0);
    } else {
      writer.encode(op.output, json::value(output), 0);
    }
    res.body = writer.take();
  }

  void encode_error(const ServiceModel& model, const AwsError& error, const RequestContext& ctx,
                    http::Response& res) const override {
    const ShapeDef* shape = find_error_shape(model, error.code);
    // Smithy servers send the error's absolute shape id; botocore keeps what follows '#'.
    std::string type = shape != nullptr ? "com.amazonaws." + std::string(model.name) + "#" +
                                              std::string(shape->name)
                                        : error.code;
    std::vector<std::pair<const MemberDef*, const json::key_value_pair*>> fields;
    for (const auto& field : error.fields) {
      if (field.key() == "__type" || field.key() == "message" || field.value().is_null()) {
        continue;
      }
      const MemberDef* member = shape != nullptr ? model.find_member(*shape, field.key()) : nullptr;
      fields.emplace_back(member, &field);
    }
    CborWriter writer(model);
    writer.map_start(fields.size() + 2);
    writer.text("__type");
    writer.text(type);
    writer.text("message");
    writer.text(error.message);
    for (const auto& [member, field] : fields) {
      writer.text(field->key());
      if (member != nullptr && writer.encodable(member->shape, field->value())) {
        writer.encode(member->shape, field->value(), 1);
      } else {
        writer.generic(field->value(), 1);
      }
    }
    res.status = error.http_status;
    set_common_headers(ctx, res);
    if (model.query_compatible) {
      res.set_header("x-amzn-query-error", query_error_header(model, error));
    }
    res.body = writer.take();
  }
};

}  // namespace

const Codec& cbor_codec() {
  static const CborCodec codec;
  return codec;
}

}  // namespace protocol

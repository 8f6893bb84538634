// awsquery: form-encoded parameters in, XML out (sts, iam, elbv2, cloudformation, cloudwatch's
// query mode). Requests are decoded as botocore's QuerySerializer writes them; responses are
// written as botocore's QueryParser reads them (see query_params.h and xml_writer.h).
//
// Successful response:
//   <OpResponse xmlns="ns"><OpResult>…</OpResult>
//   <ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></OpResponse>
// Error response:
//   <ErrorResponse xmlns="ns"><Error><Type>Sender</Type><Code>…</Code><Message>…</Message>
//   </Error><RequestId>id</RequestId></ErrorResponse>

#include <pugixml.hpp>

#include "protocol/codec.h"
#include "protocol/query_params.h"
#include "protocol/xml_writer.h"

namespace protocol {
namespace {

constexpr std::string_view kContentType = "text/xml";

// AWS writes namespaces with a trailing slash ("https://sts.amazonaws.com/doc/2011-06-15/").
std::string xml_namespace(const ServiceModel& model) {
  std::string ns(model.xml_namespace);
  if (!ns.empty() && ns.back() != '/') {
    ns += '/';
  }
  return ns;
}

pugi::xml_node root_element(pugi::xml_document& doc, const std::string& name,
                            const std::string& ns) {
  pugi::xml_node root = doc.append_child(name.c_str());
  if (!ns.empty()) {
    root.append_attribute("xmlns").set_value(ns.c_str());
  }
  return root;
}

void add_text(pugi::xml_node parent, const char* name, std::string_view text) {
  pugi::xml_node child = parent.append_child(name);
  if (!text.empty()) {
    child.append_child(pugi::node_pcdata).set_value(std::string(text).c_str());
  }
}

class QueryCodec final : public Codec {
 public:
  Protocol protocol() const override { return Protocol::Query; }

  Result<DecodedRequest> decode(const ServiceModel& model,
                                const http::Request& req) const override {
    return query::decode_request(model, req, query::Dialect::Query);
  }

  void encode_output(const ServiceModel& model, const OperationDef& op,
                     const boost::json::object& output, const RequestContext& ctx,
                     http::Response& res) const override {
    pugi::xml_document doc;
    pugi::xml_node root =
        root_element(doc, std::string(op.name) + "Response", xml_namespace(model));
    if (op.output != kNoShape) {
      pugi::xml_node result = root;
      if (!op.result_wrapper.empty()) {
        result = root.append_child(std::string(op.result_wrapper).c_str());
      }
      xml::write_members(result, model, model.shape(op.output), output);
    }
    add_text(root.append_child("ResponseMetadata"), "RequestId", ctx.request_id);
    res.status = op.response_code;
    res.body = xml::to_string(doc);
    res.set_header("Content-Type", std::string(kContentType));
    res.set_header("x-amzn-RequestId", ctx.request_id);
  }

  void encode_error(const ServiceModel& model, const AwsError& error, const RequestContext& ctx,
                    http::Response& res) const override {
    pugi::xml_document doc;
    pugi::xml_node root = root_element(doc, "ErrorResponse", xml_namespace(model));
    pugi::xml_node e = root.append_child("Error");
    add_text(e, "Type", error.sender_fault ? "Sender" : "Receiver");
    add_text(e, "Code", error.code);
    add_text(e, "Message", error.message);
    add_text(root, "RequestId", ctx.request_id);
    res.status = error.http_status;
    res.body = xml::to_string(doc);
    res.set_header("Content-Type", std::string(kContentType));
    res.set_header("x-amzn-RequestId", ctx.request_id);
  }
};

}  // namespace

const Codec& query_codec() {
  static const QueryCodec codec;
  return codec;
}

}  // namespace protocol

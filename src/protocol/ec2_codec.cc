// The EC2 dialect of the query protocol. Requests are decoded as botocore's EC2Serializer writes
// them (queryName or capitalized locationName, every list as Name.N); responses are written as
// botocore's EC2QueryParser reads them.
//
// Successful response (no result wrapper; element names are locationNames, lists hold <item>s):
//   <?xml version="1.0" encoding="UTF-8"?>
//   <OpResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>id</requestId>…
//   </OpResponse>
// Error response:
//   <Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors>
//   <RequestID>id</RequestID></Response>

#include <pugixml.hpp>

#include "protocol/codec.h"
#include "protocol/query_params.h"
#include "protocol/xml_writer.h"

namespace protocol {
namespace {

constexpr std::string_view kContentType = "text/xml;charset=UTF-8";

void add_text(pugi::xml_node parent, const char* name, std::string_view text) {
  pugi::xml_node child = parent.append_child(name);
  if (!text.empty()) {
    child.append_child(pugi::node_pcdata).set_value(std::string(text).c_str());
  }
}

class Ec2Codec final : public Codec {
 public:
  Protocol protocol() const override { return Protocol::Ec2; }

  Result<DecodedRequest> decode(const ServiceModel& model,
                                const http::Request& req) const override {
    return query::decode_request(model, req, query::Dialect::Ec2);
  }

  void encode_output(const ServiceModel& model, const OperationDef& op,
                     const boost::json::object& output, const RequestContext& ctx,
                     http::Response& res) const override {
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child((std::string(op.name) + "Response").c_str());
    // The model says "http://ec2.amazonaws.com/doc/2016-11-15"; EC2 itself adds the slash.
    std::string ns(model.xml_namespace);
    if (!ns.empty() && ns.back() != '/') {
      ns += '/';
    }
    if (!ns.empty()) {
      root.append_attribute("xmlns").set_value(ns.c_str());
    }
    add_text(root, "requestId", ctx.request_id);
    if (op.output != kNoShape) {
      xml::WriteOptions opts;
      opts.ec2 = true;
      xml::write_members(root, model, model.shape(op.output), output, opts);
    }
    res.status = op.response_code;
    res.body = xml::to_string(doc, /*declaration=*/true);
    res.set_header("Content-Type", std::string(kContentType));
    res.set_header("x-amzn-RequestId", ctx.request_id);
  }

  void encode_error(const ServiceModel& model, const AwsError& error, const RequestContext& ctx,
                    http::Response& res) const override {
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("Response");
    pugi::xml_node e = root.append_child("Errors").append_child("Error");
    add_text(e, "Code", error.code);
    add_text(e, "Message", error.message);
    add_text(root, "RequestID", ctx.request_id);
    res.status = error.http_status;
    res.body = xml::to_string(doc, /*declaration=*/true);
    res.set_header("Content-Type", std::string(kContentType));
    res.set_header("x-amzn-RequestId", ctx.request_id);
  }
};

}  // namespace

const Codec& ec2_codec() {
  static const Ec2Codec codec;
  return codec;
}

}  // namespace protocol

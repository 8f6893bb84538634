// rest-xml (S3; also Route 53 and CloudFront): the operation comes from the method, path and
// query, members travel in the URI, query string and headers, the rest in an XML body or a raw
// payload. Wire rules follow botocore serialize.py RestXMLSerializer (requests) and parsers.py
// RestXMLParser (responses and errors).

#include <array>
#include <boost/json/serialize.hpp>
#include <utility>

#include "protocol/codec.h"
#include "protocol/rest_binding.h"
#include "protocol/rest_body_xml.h"
#include "protocol/rest_scalar.h"

namespace protocol {
namespace {

namespace json = boost::json;

constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

bool is_s3(const ServiceModel& model) { return model.name == "s3"; }

// Root elements of S3 responses whose names the model does not carry (it has no locationName on
// output shapes); botocore ignores the root's name, but other SDKs and people read it.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kS3Roots{{
    {"CompleteMultipartUpload", "CompleteMultipartUploadResult"},
    {"CreateMultipartUpload", "InitiateMultipartUploadResult"},
    {"DeleteObjects", "DeleteResult"},
    {"GetBucketAccelerateConfiguration", "AccelerateConfiguration"},
    {"GetBucketAcl", "AccessControlPolicy"},
    {"GetBucketCors", "CORSConfiguration"},
    {"GetBucketLifecycleConfiguration", "LifecycleConfiguration"},
    {"GetBucketLogging", "BucketLoggingStatus"},
    {"GetBucketNotificationConfiguration", "NotificationConfiguration"},
    {"GetBucketRequestPayment", "RequestPaymentConfiguration"},
    {"GetBucketTagging", "Tagging"},
    {"GetBucketVersioning", "VersioningConfiguration"},
    {"GetBucketWebsite", "WebsiteConfiguration"},
    {"GetObjectAcl", "AccessControlPolicy"},
    {"GetObjectAttributes", "GetObjectAttributesResponse"},
    {"GetObjectTagging", "Tagging"},
    {"ListBuckets", "ListAllMyBucketsResult"},
    {"ListDirectoryBuckets", "ListAllMyDirectoryBucketsResult"},
    {"ListMultipartUploads", "ListMultipartUploadsResult"},
    {"ListObjectVersions", "ListVersionsResult"},
    {"ListObjects", "ListBucketResult"},
    {"ListObjectsV2", "ListBucketResult"},
}};

std::string root_element(const ServiceModel& model, const OperationDef& op,
                         const ShapeDef& output) {
  if (!output.location_name.empty()) return std::string(output.location_name);
  if (is_s3(model)) {
    for (const auto& [name, root] : kS3Roots) {
      if (name == op.name) return std::string(root);
    }
    return std::string(op.name) + "Result";
  }
  return std::string(op.name) + "Response";
}

std::string_view default_namespace(const ServiceModel& model) {
  if (!model.xml_namespace.empty()) return model.xml_namespace;
  return is_s3(model) ? kS3Namespace : std::string_view();
}

AwsError to_aws_error(const ServiceModel& model, const rest::BindError& e, bool in_body) {
  switch (e.kind) {
    case rest::BindError::Kind::MethodNotAllowed:
      return {"MethodNotAllowed", "The specified method is not allowed against this resource.",
              405};
    case rest::BindError::Kind::NoRoute:
      // Nearly every S3 path names a bucket or key operation; what is left is a bad request.
      if (is_s3(model)) return {"InvalidRequest", e.message, 400};
      return {"UnknownOperationException", e.message, 404};
    case rest::BindError::Kind::BadValue:
      return {"InvalidArgument", e.message, 400};
    case rest::BindError::Kind::Malformed:
      break;
  }
  if (in_body) {
    return {"MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published "
            "schema",
            400};
  }
  return {"InvalidURI", "Couldn't parse the specified URI.", 400};
}

bool blank(std::string_view body) {
  return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool is_raw_payload(const ShapeDef& shape) {
  return shape.type == ShapeType::Blob || shape.type == ShapeType::String;
}

// S3 virtual-hosted-style addressing puts the bucket in the Host header
// (amzn-s3-demo-bucket.s3.us-east-1.amazonaws.com, or bucket.localhost:4566 as botocore builds it
// for --endpoint-url http://localhost:4566). Returns the bucket, or empty for path style.
std::string_view host_bucket(std::string_view host) {
  if (!host.empty() && host.front() == '[') return {};  // IPv6 literal
  host = host.substr(0, host.find(':'));
  constexpr std::string_view kLocalhost = ".localhost";
  if (host.size() > kLocalhost.size() && host.ends_with(kLocalhost)) {
    return host.substr(0, host.size() - kLocalhost.size());
  }
  for (std::string_view marker : {".s3.", ".s3-"}) {
    std::size_t p = host.find(marker);
    if (p != std::string_view::npos && p > 0) return host.substr(0, p);
  }
  return {};
}

class RestXmlCodec final : public Codec {
 public:
  Protocol protocol() const override { return Protocol::RestXml; }

  Result<DecodedRequest> decode(const ServiceModel& model,
                                const http::Request& req) const override {
    auto query = rest::parse_query(req.query());
    if (!query) return to_aws_error(model, query.error(), false);
    std::string path(req.path());
    if (is_s3(model)) {
      std::string_view bucket = host_bucket(req.header("Host"));
      if (!bucket.empty()) path = "/" + std::string(bucket) + path;
    }
    auto route = rest::match_route(model, req.method, path, *query, req.headers);
    if (!route) return to_aws_error(model, route.error(), false);
    DecodedRequest out;
    out.operation = route->operation;
    if (out.operation->input == kNoShape) return out;
    const ShapeDef& input = model.shape(out.operation->input);
    if (auto r = rest::bind_input_members(model, input, *route, *query, req.headers, out.input);
        !r) {
      return to_aws_error(model, r.error(), false);
    }
    if (const MemberDef* payload = rest::payload_member(model, input)) {
      const ShapeDef* ps = rest::shape_of(model, *payload);
      if (ps == nullptr) return out;
      if (is_raw_payload(*ps)) {
        if (!req.body.empty()) out.input[payload->name] = json::string(req.body);
        return out;
      }
      if (blank(req.body)) return out;
      // The root is named by the member's locationName (<Tagging>, <Delete>); like S3 we do not
      // insist on it.
      auto doc = rest::xml_to_document(model, *ps, req.body, false);
      if (!doc) return to_aws_error(model, doc.error(), true);
      out.input[payload->name] = std::move(*doc);
      return out;
    }
    if (!rest::has_body_members(model, input) || blank(req.body)) return out;
    auto doc = rest::xml_to_document(model, input, req.body, true);
    if (!doc) return to_aws_error(model, doc.error(), true);
    for (auto& kv : *doc) out.input[kv.key()] = std::move(kv.value());
    return out;
  }

  void encode_output(const ServiceModel& model, const OperationDef& op, const json::object& output,
                     const RequestContext& ctx, http::Response& res) const override {
    res.status = op.response_code;
    res.body.clear();
    set_request_id_headers(model, ctx, res);
    if (op.output != kNoShape) {
      const ShapeDef& shape = model.shape(op.output);
      rest::encode_output_members(model, shape, output, res);
      if (const MemberDef* payload = rest::payload_member(model, shape)) {
        encode_payload(model, *payload, output, res);
      } else if (is_s3(model) && op.name == "GetBucketLocation") {
        // botocore parses this one by hand (handlers.py parse_get_bucket_location): the
        // region is the root element's text.
        auto it = output.find("LocationConstraint");
        // (A string_view, not `cond ? json::string : ""`, which would be a dangling temporary.)
        std::string_view region;
        if (it != output.end() && it->value().is_string()) region = it->value().get_string();
        res.body = rest::xml_text_document("LocationConstraint", kS3Namespace, region);
        set_default_content_type(res, "application/xml");
      } else if (rest::has_body_members(model, shape)) {
        std::string_view ns =
            shape.xml_namespace.empty() ? default_namespace(model) : shape.xml_namespace;
        res.body =
            rest::document_to_xml(model, shape, output, root_element(model, op, shape), ns, true);
        set_default_content_type(res, "application/xml");
      }
    }
    if (res.status == 204 || res.status == 304 || op.http_method == "HEAD") res.body.clear();
  }

  void encode_error(const ServiceModel& model, const AwsError& error, const RequestContext& ctx,
                    http::Response& res) const override {
    res.status = error.http_status;
    set_request_id_headers(model, ctx, res);
    res.set_header("Content-Type", "application/xml");
    pugi::xml_document xml;
    pugi::xml_node err;
    pugi::xml_node root;
    if (is_s3(model)) {
      // <Error><Code/><Message/>...<RequestId/><HostId/></Error>
      root = err = xml.append_child("Error");
    } else {
      // <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
      root = xml.append_child("ErrorResponse");
      std::string_view ns = default_namespace(model);
      if (!ns.empty()) root.append_attribute("xmlns") = std::string(ns).c_str();
      err = root.append_child("Error");
      err.append_child("Type").text().set(error.sender_fault ? "Sender" : "Receiver");
    }
    err.append_child("Code").text().set(error.code.c_str());
    err.append_child("Message").text().set(error.message.c_str());
    for (const auto& kv : error.fields) {
      std::string name(kv.key());
      if (name.empty() || name == "Code" || name == "Message" || name == "RequestId" ||
          name.find_first_of("<>&\"' /=") != std::string::npos) {
        continue;
      }
      const json::value& v = kv.value();
      std::string text;
      if (v.is_string()) {
        text = std::string(v.get_string());
      } else if (v.is_int64() || v.is_uint64() || v.is_bool()) {
        text = json::serialize(v);
      } else if (v.is_double()) {
        text = rest::format_double(v.get_double());
      } else {
        continue;
      }
      err.append_child(name.c_str()).text().set(text.c_str());
    }
    root.append_child("RequestId").text().set(ctx.request_id.c_str());
    if (is_s3(model)) root.append_child("HostId").text().set(host_id(ctx).c_str());
    res.body = rest::save_xml(xml);
  }

 private:
  static std::string host_id(const RequestContext& ctx) {
    return rest::base64_encode(ctx.request_id);
  }

  static void set_request_id_headers(const ServiceModel& model, const RequestContext& ctx,
                                     http::Response& res) {
    res.set_header("x-amzn-RequestId", ctx.request_id);
    if (is_s3(model)) {
      res.set_header("x-amz-request-id", ctx.request_id);
      res.set_header("x-amz-id-2", host_id(ctx));
    }
  }

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
    if (!it->value().is_object()) return;
    std::string_view root = !payload.location_name.empty() ? payload.location_name
                            : !ps->location_name.empty()   ? ps->location_name
                                                           : ps->name;
    std::string_view ns = !payload.xml_namespace.empty() ? payload.xml_namespace
                          : !ps->xml_namespace.empty()   ? ps->xml_namespace
                                                         : default_namespace(model);
    res.body = rest::document_to_xml(model, *ps, it->value().get_object(), root, ns, false);
    set_default_content_type(res, "application/xml");
  }
};

}  // namespace

const Codec& rest_xml_codec() {
  static const RestXmlCodec codec;
  return codec;
}

}  // namespace protocol

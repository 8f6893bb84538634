#pragma once
// The AWS service models (botocore's service-2.json) as C++ tables.
//
// tools/gen_models.py reads the models at build time from the installed botocore (or npm aws-sdk)
// and writes one table per service into <build>/gen/models/. Nothing here is hand-written per
// service: codecs, the validator and the dispatcher walk these tables.
//
// Indices: a ServiceModel owns flat arrays. ShapeDef::members_begin/members_count index `members`
// (a structure's members; a list's single "member"; a map's "key" then "value"). Enum values index
// `strings`. OperationDef::input/output index `shapes` (kNoShape when absent).
//
// The in-memory form of a value ("model document", a boost::json::value) is the same for every
// protocol: structure → object keyed by member name; list → array; map → object; string/enum →
// string; integer/long → int64; float/double → double; boolean → bool; timestamp → double epoch
// seconds; blob → string of raw bytes; document → any JSON value.

#include <cstdint>
#include <span>
#include <string_view>

namespace protocol {

inline constexpr uint32_t kNoShape = 0xffffffffu;

enum class Protocol : uint8_t { Json, Query, Ec2, RestJson, RestXml, SmithyRpcV2Cbor };
std::string_view protocol_name(Protocol p);

enum class ShapeType : uint8_t {
  Structure, List, Map, String, Integer, Long, Float, Double, Boolean, Timestamp, Blob,
  BigInteger, BigDecimal, Document, Union
};

enum class Location : uint8_t { Body, Uri, QueryString, Header, Headers, StatusCode };

struct MemberDef {
  std::string_view name;
  uint32_t shape = kNoShape;
  std::string_view location_name;  // wire name override ("locationName"); empty if none
  std::string_view query_name;     // ec2 protocol's "queryName"; empty if none
  Location location = Location::Body;
  bool required = false;
  bool flattened = false;          // member-level "flattened" (XML)
  bool xml_attribute = false;
  bool idempotency_token = false;
  bool host_label = false;
  bool is_payload = false;         // the parent's "payload" names this member
  bool json_value = false;         // header carrying base64 JSON
  std::string_view xml_namespace;  // xmlNamespace.uri on the member, if any
  std::string_view timestamp_format;  // member-level override
};

struct ShapeDef {
  std::string_view name;
  ShapeType type = ShapeType::String;
  uint32_t members_begin = 0;
  uint32_t members_count = 0;
  uint32_t enum_begin = 0;
  uint32_t enum_count = 0;
  bool has_min = false;
  bool has_max = false;
  double min = 0;  // length for strings/blobs/lists/maps, value for numbers
  double max = 0;
  std::string_view pattern;
  std::string_view timestamp_format;  // "iso8601", "rfc822", "unixTimestamp" or empty
  std::string_view location_name;     // shape-level locationName (rest-xml payload roots)
  std::string_view xml_namespace;     // xmlNamespace.uri
  bool flattened = false;             // list/map flattened
  bool sensitive = false;
  bool streaming = false;
  bool event_stream = false;
  bool document = false;
  bool union_ = false;
  // Error shapes ("exception": true).
  bool exception = false;
  bool fault = false;                 // server fault
  std::string_view error_code;        // error.code if the model sets one (query services)
  uint16_t error_status = 0;          // error.httpStatusCode, 0 if unset
  bool error_sender_fault = true;     // error.senderFault (query Type Sender/Receiver)
};

struct OperationDef {
  std::string_view name;
  std::string_view http_method;   // "POST"
  std::string_view request_uri;   // "/", "/2015-03-31/functions/{FunctionName}"
  uint16_t response_code = 200;
  uint32_t input = kNoShape;
  uint32_t output = kNoShape;
  std::string_view result_wrapper;        // query: <OpResult>
  std::string_view input_location_name;   // rest-xml: root element of the input payload
  std::string_view input_xml_namespace;
  uint32_t errors_begin = 0;              // into ServiceModel::error_refs
  uint32_t errors_count = 0;
  bool auth_none = false;                 // authtype "none": unsigned requests allowed
  bool deprecated = false;
};

struct ServiceModel {
  std::string_view name;          // botocore directory name: "ecs", "elbv2", "cloudwatch"
  std::string_view api_version;   // "2014-11-13"
  std::string_view endpoint_prefix;
  std::string_view signing_name;  // SigV4 service name (signingName, else endpointPrefix)
  std::string_view target_prefix; // JSON X-Amz-Target prefix
  std::string_view json_version;  // "1.0" / "1.1"
  std::string_view xml_namespace;
  std::string_view service_id;
  std::string_view service_full_name;
  std::string_view smithy_service_name;  // RPC v2 CBOR path segment (targetPrefix)
  bool query_compatible = false;  // awsQueryCompatible
  std::span<const Protocol> protocols;   // first is the preferred one
  std::span<const ShapeDef> shapes;
  std::span<const MemberDef> members;
  std::span<const std::string_view> strings;
  std::span<const OperationDef> operations;  // sorted by name
  std::span<const uint32_t> error_refs;

  const OperationDef* find_operation(std::string_view op_name) const;
  const ShapeDef& shape(uint32_t index) const { return shapes[index]; }
  std::span<const MemberDef> members_of(const ShapeDef& s) const {
    return members.subspan(s.members_begin, s.members_count);
  }
  // Member by name in a structure, or nullptr.
  const MemberDef* find_member(const ShapeDef& s, std::string_view member_name) const;
  std::span<const std::string_view> enum_values(const ShapeDef& s) const {
    return strings.subspan(s.enum_begin, s.enum_count);
  }
  bool speaks(Protocol p) const;
};

// Every generated model, sorted by name.
std::span<const ServiceModel* const> all_models();
const ServiceModel* find_model(std::string_view name);
// Which models were used, e.g. "botocore 1.43.11".
std::string_view models_source();

}  // namespace protocol

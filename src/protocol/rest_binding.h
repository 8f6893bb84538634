#pragma once
// The HTTP binding shared by the rest-json and rest-xml codecs: which operation a request is for
// (method, path and query against each operation's http.method/requestUri), and where the
// members of an input or output structure travel outside the body (location uri, querystring,
// header, headers, statusCode). The codecs add the body (JSON or XML).
//
// Route templates follow botocore (serialize.py BaseRestSerializer._render_uri_template):
//   {Name}   one path segment, percent-decoded;
//   {Key+}   a greedy label: the rest of the path, '/' included, percent-decoded;
//   ?acl, ?list-type=2, ?select&select-type=2   literal query keys (and values) that must be
//            present for the operation to match; they are not bound to any member.
// When several operations match, the most specific wins: more literal path segments, then more
// literal query keys, then the operation whose required querystring/header members are all
// present, then the one with more of them present (S3 UploadPart over PutObject when partNumber
// and uploadId are sent), then one without a greedy label; ties go to the first in model order.
//
// Thread-safety: every function is pure; call from any thread.

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"
#include "protocol/model.h"

namespace protocol::rest {

// Why binding failed; each codec turns it into its protocol's error.
struct BindError {
  enum class Kind {
    NoRoute,           // no operation has this path and query
    MethodNotAllowed,  // an operation has this path and query, but for another method
    Malformed,         // bad percent-encoding, unparsable body
    BadValue,          // a header/query/label value that does not fit its member's type
  };
  Kind kind = Kind::Malformed;
  std::string message;
};
template <class T>
using BindResult = boost::system::result<T, BindError>;
// Lets BindResult::value() throw when misused (boost::system::result finds it by ADL).
[[noreturn]] void throw_exception_from_error(const BindError& e, const boost::source_location&);

// One query-string parameter, percent-decoded ('+' is a space, as in forms).
struct QueryParam {
  std::string name;
  std::string value;
  bool has_value = false;  // "?acl" has none, "?acl=" has an empty one
};

// Splits and decodes a raw query string (the part after '?'). Malformed on a bad escape.
BindResult<std::vector<QueryParam>> parse_query(std::string_view raw_query);

// The operation a request is for, and the decoded values of its URI labels.
struct RouteMatch {
  const OperationDef* operation = nullptr;
  std::vector<std::pair<std::string, std::string>> labels;  // label name (no '+') → value
  std::vector<std::string> literal_query_keys;              // the requestUri's own query keys
};

// Matches `method` and the raw (still percent-encoded) `path` plus the decoded `query` against
// every operation of `model`. `headers` are consulted only to break ties (see above).
BindResult<RouteMatch> match_route(const ServiceModel& model, std::string_view method,
                                   std::string_view path, const std::vector<QueryParam>& query,
                                   const http::HeaderList& headers);

// Binds the uri, querystring, header and headers members of the input structure `input` into
// `out`, converting text by shape. Querystring timestamps are ISO 8601 by default and header
// timestamps HTTP-dates, but any form core::parse_timestamp reads is accepted. A map-typed
// querystring member collects every parameter no other member or literal claims. Header lists
// are comma-separated (quoted items may hold commas); jsonvalue headers are base64 JSON; the
// `headers` map collects the headers whose names start with its prefix (keys lower-cased, as S3
// does for x-amz-meta-*).
BindResult<void> bind_input_members(const ServiceModel& model, const ShapeDef& input,
                                    const RouteMatch& route, const std::vector<QueryParam>& query,
                                    const http::HeaderList& headers, boost::json::object& out);

// The reverse for responses: writes the header, headers and statusCode members of `output` that
// `doc` holds into `res` (status, headers). Values of the wrong type, and values containing CR, LF
// or NUL, are skipped.
void encode_output_members(const ServiceModel& model, const ShapeDef& output,
                           const boost::json::object& doc, http::Response& res);

// The member the structure's "payload" trait names, or nullptr.
const MemberDef* payload_member(const ServiceModel& model, const ShapeDef& shape);
// True if the structure has a member that travels in the body (location Body).
bool has_body_members(const ServiceModel& model, const ShapeDef& shape);
// The name a member has on the wire (headers, query keys, labels, JSON keys): locationName, else
// the member name.
std::string_view wire_name(const MemberDef& member);

}  // namespace protocol::rest

#pragma once
// Form parameters of the AWS query and EC2 protocols, and their mapping to model documents.
//
// botocore's QuerySerializer and EC2Serializer (serialize.py) flatten an input document into
// key=value pairs: structure members by wire name (`A.B.C`), lists as `Name.member.N` (query) or
// `Name.N` (flattened lists, and every EC2 list), maps as `Name.entry.N.key`/`.value`. unflatten()
// is exactly their inverse and flatten() reproduces them, so each can be tested against the other
// and against fixtures captured from botocore.
//
// Wire names:
//   query: the member's locationName, else its name.
//   ec2:   the member's queryName, else its locationName with the first letter capitalized, else
//          its name as written in the model.
//
// All functions are pure and thread-safe.

#include "core/base64.h"
#include <boost/json/object.hpp>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"
#include "protocol/aws_error.h"
#include "protocol/codec.h"
#include "protocol/model.h"

namespace protocol::query {

enum class Dialect { Query, Ec2 };

// Decoded parameter name → decoded value, sorted so that all keys under a prefix are adjacent.
using ParamMap = std::map<std::string, std::string, std::less<>>;

// Keys with more dot-separated segments than this are rejected before any decoding. A structure
// nesting of 64 levels needs at most 3 segments per level (map entries: `entry.N.key`).
inline constexpr std::size_t kMaxKeySegments = 192;
// Shape nesting depth unflatten() follows before giving up.
inline constexpr int kMaxDepth = 64;

// Parses application/x-www-form-urlencoded text ('+' is a space) into `out`. A key already in
// `out` is overwritten. Errors: MalformedQueryString for a bad percent escape or a key nested
// deeper than kMaxKeySegments.
Result<void> parse_form(std::string_view text, ParamMap& out);

// The parameters of a query/EC2 request: the query string, then a form body (POST with
// Content-Type application/x-www-form-urlencoded, or with no Content-Type) whose values win.
Result<ParamMap> request_params(const http::Request& req);

// The operation named by `Action` and its decoded input. Errors: MissingAction (no Action),
// InvalidAction (not an operation of `model`), and those of request_params() and unflatten().
Result<DecodedRequest> decode_request(const ServiceModel& model, const http::Request& req,
                                      Dialect dialect);

// Builds the model document of `shape` (a structure) from `params`, converting each value by its
// member's shape. Unknown keys are ignored. Errors: query → ValidationError, ec2 →
// InvalidParameterValue, naming the parameter and the expected type; MalformedQueryString when
// nesting exceeds kMaxDepth.
Result<boost::json::object> unflatten(const ServiceModel& model, const ShapeDef& shape,
                                      const ParamMap& params, Dialect dialect);

// The inverse of unflatten(): what botocore's serializer sends for `doc` (without Action and
// Version). Values of the wrong JSON type are skipped.
ParamMap flatten(const ServiceModel& model, const ShapeDef& shape, const boost::json::object& doc,
                 Dialect dialect);

// key=value&... with RFC 3986 percent-encoding (as botocore sends a body), in key order.
std::string to_form(const ParamMap& params);

using ::core::base64_decode;
using ::core::base64_encode;

}  // namespace protocol::query

#pragma once
// Shape-directed conversion between JSON as it travels on the wire (json, rest-json bodies) and the
// model document (model.h), plus the small pieces the JSON-family and CBOR codecs share: wire
// member names, base64, timestamps, and how an AwsError maps onto a modeled error shape.
//
// Wire JSON differs from the model document only in a few places: blobs are base64 strings,
// timestamps are epoch-seconds numbers (or strings when a timestampFormat trait says so), members
// may be renamed by locationName, and non-finite floats travel as "NaN"/"Infinity" strings.
//
// Thread-safety: every function is pure; call from any thread.

#include "core/base64.h"
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"
#include "protocol/model.h"

namespace protocol {

// Deepest nesting a decoder accepts (objects, arrays, CBOR maps/arrays/tags). Deeper input is a
// SerializationException, so hostile bodies cannot exhaust the stack. DynamoDB sets the real
// bound: it stores items nested 32 levels deep, two JSON levels each ({"M": {...}}) below its
// request's own (a TransactWriteItems Put's item starts 5 levels down), and rejects a deeper
// item with its own message, which the service must get to send.
inline constexpr int kMaxWireDepth = 128;

// SerializationException (400), the error AWS's JSON-family front ends answer for a body that is
// malformed or whose values have the wrong type.
AwsError serialization_error(std::string message);

// The name a member has on the wire: its locationName if the model sets one, else its name.
std::string_view wire_name(const MemberDef& member);

// The timestampFormat that applies to a member (member trait, else the target shape's trait, else
// empty, which means the protocol default).
std::string_view timestamp_format(const ServiceModel& model, const MemberDef& member);

// Converts `wire` (parsed from a JSON body) into the model document for `shape`. Structures read
// only body members (location Body), ignore unknown members and treat null as absent; lists and
// maps drop null entries. A value of the wrong JSON type, bad base64 or an unreadable timestamp is
// a SerializationException. `depth` is the nesting level of `wire` (0 for the body itself).
Result<boost::json::value> from_wire_json(const ServiceModel& model, uint32_t shape,
                                          const boost::json::value& wire, int depth = 0);

// Converts a model document into wire JSON for `shape`. Values of the wrong type are skipped and
// come back as null (a structure omits such members); never fails. `timestamp_format` overrides the
// shape's trait ("iso8601", "rfc822", "unixTimestamp"; empty: the shape's trait, else epoch
// seconds).
boost::json::value to_wire_json(const ServiceModel& model, uint32_t shape,
                                const boost::json::value& doc, int depth = 0,
                                std::string_view timestamp_format = {});

using ::core::base64_decode;
using ::core::base64_encode;

// Epoch seconds held by a document timestamp (double, int64 or uint64; an ISO 8601 or epoch string
// is accepted too). nullopt for anything else, including NaN, infinities and instants more than
// 10^13 seconds from the epoch.
std::optional<double> document_timestamp(const boost::json::value& doc);
// Epoch seconds rounded to milliseconds, the precision AWS keeps.
double round_to_millis(double epoch_seconds);

// The exception shape an AwsError stands for: the shape named `code`, or the shape whose
// error.code is `code` (query-compatible services). nullptr if the model has none.
const ShapeDef* find_error_shape(const ServiceModel& model, std::string_view code);

// Value for the x-amzn-query-error header of query-compatible services: "<query code>;Sender".
std::string query_error_header(const ServiceModel& model, const AwsError& error);

}  // namespace protocol

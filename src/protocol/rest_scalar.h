#pragma once
// Scalar values of the REST protocols as text: URI labels, query strings, HTTP headers and XML
// element text all carry numbers, booleans, timestamps and blobs as strings. These helpers convert
// such text to the model document form (model.h) by shape, and back.
//
// Thread-safety: every function is pure; call from any thread.

#include "core/base64.h"
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/model.h"

namespace protocol::rest {

// Timestamp formats a model may name in timestampFormat.
inline constexpr std::string_view kIso8601 = "iso8601";
inline constexpr std::string_view kRfc822 = "rfc822";
inline constexpr std::string_view kUnixTimestamp = "unixTimestamp";

// The timestampFormat that applies to a member: the member's trait, else its target shape's,
// else `fallback` (the protocol's default for the member's location).
std::string_view timestamp_format_for(const ServiceModel& model, const MemberDef& member,
                                      std::string_view fallback);

// Shape of a member, or nullptr when the member has none (malformed model).
const ShapeDef* shape_of(const ServiceModel& model, const MemberDef& member);

// True for string, enum, number, boolean, timestamp and blob shapes.
bool is_scalar(const ShapeDef& shape);

// Parses `text` as a value of the scalar `shape`. Timestamps accept every form
// core::parse_timestamp does, whatever the model's format. Blobs are base64 when `blob_base64`
// (XML bodies), else the raw bytes (headers, URI labels). nullopt when the text does not fit.
std::optional<boost::json::value> scalar_from_text(const ShapeDef& shape, std::string_view text,
                                                   bool blob_base64);

// Formats the document value `doc` of the scalar `shape` as text; timestamps in
// `timestamp_format`. nullopt when `doc` has the wrong JSON type for the shape.
std::optional<std::string> scalar_to_text(const ShapeDef& shape, const boost::json::value& doc,
                                          std::string_view timestamp_format, bool blob_base64);

// Epoch seconds held by a document timestamp (double, int64 or uint64), or nullopt.
std::optional<double> document_epoch_seconds(const boost::json::value& doc);
// A timestamp in one of the model's formats ("iso8601", "rfc822", "unixTimestamp").
std::string format_timestamp(double epoch_seconds, std::string_view format);
// Shortest text that reads back as the same double; "NaN", "Infinity", "-Infinity" otherwise.
std::string format_double(double v);

using ::core::base64_decode;
using ::core::base64_encode;

}  // namespace protocol::rest

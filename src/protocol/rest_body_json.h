#pragma once
// rest-json bodies: shape-directed conversion between wire JSON and the model document (model.h).
// On the wire, blobs are base64 strings, timestamps epoch-seconds numbers unless a timestampFormat
// trait says otherwise, members are named by locationName, and non-finite floats are the strings
// "NaN", "Infinity" and "-Infinity" (botocore serialize.py JSONSerializer).
//
// This duplicates the JSON half of document_convert.h (owned by the json codec) so that the REST
// codecs could be written at the same time; the two can be merged.
//
// Thread-safety: every function is pure; call from any thread.

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

#include "protocol/model.h"
#include "protocol/rest_binding.h"

namespace protocol::rest {

// Deepest nesting a decoder accepts; deeper input is malformed, so hostile bodies cannot exhaust
// the stack.
inline constexpr int kMaxDepth = 64;

// Parses a body as JSON. Malformed when it is not JSON or nests deeper than kMaxDepth.
BindResult<boost::json::value> parse_json_body(std::string_view body);

// Wire JSON → model document for `shape`. A `top_level` structure reads only its body members
// (location Body). Unknown members are ignored and null is absent. A value of the wrong JSON type,
// bad base64 or an unreadable timestamp is Malformed.
BindResult<boost::json::value> json_to_document(const ServiceModel& model, const ShapeDef& shape,
                                                const boost::json::value& wire, bool top_level,
                                                int depth = 0);

// Model document → wire JSON for `shape`; `timestamp_format` applies when `shape` is a timestamp
// (empty: the shape's trait, else epoch seconds). nullopt when `doc` has the wrong type; a
// structure omits such members. A `top_level` structure writes only its body members.
std::optional<boost::json::value> document_to_json(const ServiceModel& model, const ShapeDef& shape,
                                                   const boost::json::value& doc, bool top_level,
                                                   std::string_view timestamp_format = {},
                                                   int depth = 0);

}  // namespace protocol::rest

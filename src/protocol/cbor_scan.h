#pragma once
// Structural check of a CBOR body before anything is built from it: exactly one well-formed data
// item (RFC 8949 §3), nesting at most kMaxWireDepth deep (arrays, maps, tags and chunked strings
// each count), every declared length within the bytes that remain, indefinite-length items closed
// by a break, chunks of an indefinite string of the string's own major type.
//
// Thread-safety: pure; call from any thread.

#include <optional>
#include <string_view>

#include "protocol/aws_error.h"

namespace protocol {

// nullopt if `body` passes; else the SerializationException to answer.
std::optional<AwsError> check_cbor_body(std::string_view body);

}  // namespace protocol

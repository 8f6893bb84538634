#pragma once
// Shape-directed conversion between CBOR (RFC 8949) as Smithy RPC v2 CBOR sends it and the model
// document (model.h): timestamps are tag 1 around epoch seconds (integer or float), blobs are byte
// strings, structures are maps keyed by member name, null means absent.
//
// Thread-safety: decode_cbor_body is pure; a CborWriter belongs to one thread.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"
#include "protocol/model.h"

namespace protocol {

// Decodes a request body into the model document of the structure `shape`; with kNoShape the body
// is only checked. An empty body is an empty structure. The body must be exactly one well-formed
// CBOR map, at most kMaxWireDepth deep (tags count), whose declared lengths fit in the body; any
// other body, or a value of the wrong type for its member, is a SerializationException.
Result<boost::json::object> decode_cbor_body(const ServiceModel& model, uint32_t shape,
                                             std::string_view body);

// Appends CBOR items to a byte string with libcbor's encoders. Containers are definite-length.
class CborWriter {
 public:
  explicit CborWriter(const ServiceModel& model) : model_(model) {}

  std::string take() { return std::move(out_); }

  void map_start(std::size_t entries);
  void text(std::string_view s);
  void bytes(std::string_view s);
  void integer(int64_t v);
  // Any JSON value as the matching CBOR item (documents, unmodeled error fields).
  void generic(const boost::json::value& v, int depth = 0);

  // Whether `doc` has the right type for `shape`. encode() writes exactly the values this accepts,
  // which is how containers are counted before they are written.
  bool encodable(uint32_t shape, const boost::json::value& doc) const;
  // Writes `doc` as `shape`; `doc` must be encodable(). Structure members absent from the document
  // or of the wrong type are left out.
  void encode(uint32_t shape, const boost::json::value& doc, int depth = 0);

 private:
  template <class Encode, class... Args>
  void head(Encode encode, Args... args);
  void epoch_seconds(double secs);
  // encode() for containers: only the encodable() members, entries and items are written.
  void encode_structure(const ShapeDef& shape, const boost::json::object& obj, int depth);
  void encode_map(const ShapeDef& shape, const boost::json::object& obj, int depth);
  void encode_list(const ShapeDef& shape, const boost::json::array& arr, int depth);

  const ServiceModel& model_;
  std::string out_;
};

}  // namespace protocol

#pragma once
// Writes model documents (model.h) as XML the way AWS XML protocols do, over pugixml. Shared by
// the query and EC2 codecs, and general enough for rest-xml bodies.
//
// What botocore's XML parsers (parsers.py, BaseXMLResponseParser) expect, and so what is written:
//   - a member is an element named by its locationName (member reference, else target shape),
//     else the member name; an xmlAttribute member is an attribute of its parent instead;
//   - a list is <Name><member>…</member></Name>, the inner name being the list member's
//     locationName, else "member" ("item" in the EC2 dialect); a flattened list repeats
//     <Name>…</Name> once per element, Name being the list member's locationName when it has one;
//   - a map is <Name><entry><key>…</key><value>…</value></entry></Name> with the key/value
//     locationNames; a flattened map repeats <Name><key/><value/></Name>;
//   - booleans are true/false, timestamps ISO 8601 unless the member or shape sets timestampFormat
//     ("unixTimestamp", "rfc822"), blobs base64, numbers in their shortest round-trip form.
// Members whose document value has the wrong JSON type are skipped. Members bound outside the body
// (location header/uri/querystring/statusCode) are skipped. Thread-safe: no shared state.

#include <boost/json/object.hpp>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "protocol/model.h"

namespace protocol::xml {

struct WriteOptions {
  // EC2 dialect: list elements without a locationName are <item>, not <member>.
  bool ec2 = false;
  // Used when neither the member nor its shape sets timestampFormat.
  std::string_view default_timestamp_format = "iso8601";
};

// Appends the members of `doc` (a document of structure `shape`) to `parent`, in model order.
void write_members(pugi::xml_node parent, const ServiceModel& model, const ShapeDef& shape,
                   const boost::json::object& doc, const WriteOptions& opts = {});

// Appends the element(s) for one member whose value is `value`.
void write_member(pugi::xml_node parent, const ServiceModel& model, const MemberDef& member,
                  const boost::json::value& value, const WriteOptions& opts = {});

// Appends `value` (a document of `shape`) as the content of `element`: child elements for a
// structure, list or map, text for a scalar. `member` supplies per-reference traits (list/map
// flattening is decided by the caller through write_member; timestampFormat is read here).
void write_content(pugi::xml_node element, const ServiceModel& model, const MemberDef& member,
                   const boost::json::value& value, const WriteOptions& opts = {});

// The wire text of a scalar member value, or nullopt if `value` has the wrong JSON type or the
// member is not a scalar.
std::optional<std::string> scalar_text(const ServiceModel& model, const MemberDef& member,
                                       const boost::json::value& value,
                                       const WriteOptions& opts = {});

// The document as compact XML. With `declaration`, it starts with
// <?xml version="1.0" encoding="UTF-8"?>.
std::string to_string(const pugi::xml_document& doc, bool declaration = false);

}  // namespace protocol::xml

#pragma once
// rest-xml bodies: shape-directed conversion between XML (pugixml) and the model document
// (model.h), following botocore's RestXMLSerializer (what clients send) and
// BaseXMLResponseParser (what clients accept):
//   - a member's element is named by its locationName, else its shape's, else the member name;
//   - lists are wrapped (<Tags><member>..</member></Tags>, item name from the list member's
//     locationName) unless flattened (the item elements repeat directly in the parent: S3's
//     <Contents>);
//   - maps are <Name><entry><key/><value/></entry></Name>, or repeated <Name><key/><value/></Name>
//     when flattened;
//   - xmlAttribute members are attributes of their structure's element;
//   - timestamps are ISO 8601 unless a timestampFormat trait says otherwise, blobs base64.
// Element names are compared without a namespace prefix ("s3:Key" is "Key").
//
// This duplicates the XML half of what xml_writer.h (owned by the query codecs) does for output so
// that the REST codecs could be written at the same time; the two can be merged.
//
// Thread-safety: every function is pure; call from any thread.

#include <boost/json/object.hpp>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "protocol/model.h"
#include "protocol/rest_binding.h"

namespace protocol::rest {

// Parses an XML body and reads the structure `shape` from its root element (whatever the root is
// called). A `top_level` structure reads only its body members. Malformed when the XML is not
// well-formed, has a DOCTYPE (rejected outright: no entity can be declared, let alone expanded),
// nests deeper than kMaxDepth or holds a value that does not fit its member's type.
BindResult<boost::json::object> xml_to_document(const ServiceModel& model, const ShapeDef& shape,
                                                std::string_view body, bool top_level);

// Writes the structure `doc` of `shape` as an XML document (with an XML declaration) whose root
// element is `root_name`, with xmlns=`xml_namespace` if not empty. A `top_level` structure writes
// only its body members. Members of the wrong type are skipped.
std::string document_to_xml(const ServiceModel& model, const ShapeDef& shape,
                            const boost::json::object& doc, std::string_view root_name,
                            std::string_view xml_namespace, bool top_level);

// An XML document that is a single element holding text: <root xmlns="...">text</root>.
std::string xml_text_document(std::string_view root_name, std::string_view xml_namespace,
                              std::string_view text);

// Serializes a document without indentation, adding the XML declaration AWS sends.
std::string save_xml(const pugi::xml_document& doc);

}  // namespace protocol::rest

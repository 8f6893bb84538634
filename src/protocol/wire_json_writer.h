#pragma once
// Writes a model document as the wire JSON of its shape straight into a reply body: the same
// text as json::serialize(to_wire_json(...)) (document_convert.h), without building the
// converted document first. The JSON protocols' replies go through it.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "protocol/model.h"

namespace protocol {

// Appends the wire JSON of `doc`, an operation's output structure, to `out`; "{}" when nothing
// converts.
void append_wire_json(std::string& out, const ServiceModel& model, uint32_t structure_shape,
                      const boost::json::object& doc);

}  // namespace protocol

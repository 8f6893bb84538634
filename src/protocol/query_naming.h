#pragma once
// Wire naming rules of the query and EC2 protocols, shared by the parameter (un)flattening in
// query_params.cc / query_flatten.cc and the XML writer. Each function mirrors one botocore
// helper (serialize.py, parsers.py), named in its comment.

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/model.h"
#include "protocol/query_params.h"

namespace protocol::query {

// botocore merges a member reference's traits over its target shape's, so a shape-level
// locationName, flattened or timestampFormat counts when the reference sets none.
std::string_view location_name(const ServiceModel& model, const MemberDef& m);
bool is_flattened(const ServiceModel& model, const MemberDef& m);
std::string_view timestamp_format(const ServiceModel& model, const MemberDef& m);

// Serializer._get_serialized_name / EC2Serializer._get_serialized_name.
std::string wire_name(const ServiceModel& model, const MemberDef& m, Dialect dialect,
                      std::string_view default_name);

// "prefix.name", or "name" when prefix is empty.
std::string join(std::string_view prefix, std::string_view name);

// QuerySerializer._serialize_type_list: the key prefix under which list elements are numbered,
// for the list member `list_member` whose own key is `prefix`.
std::string list_prefix(const ServiceModel& model, const MemberDef& list_member,
                        const MemberDef& element, std::string_view prefix, Dialect dialect);
// QuerySerializer._serialize_type_map: the key prefix under which map entries are numbered.
std::string map_prefix(const ServiceModel& model, const MemberDef& map_member,
                       std::string_view prefix);

// Shortest round-trip text; "NaN", "Infinity", "-Infinity" as botocore's _handle_float sends.
std::string format_double(double v);
// A JSON number as a double (int64, uint64 or double), else nullopt.
std::optional<double> as_double(const boost::json::value& v);

}  // namespace protocol::query

#pragma once
// Blob values between the model document and the core's wire form. The JSON codec decodes every
// blob of the botocore model, so B and BS members arrive here as raw bytes; the core
// (core/attribute_value.h) keeps DynamoDB's wire form, base64, and so does the store. These walk
// attribute values, items and the request members that hold them, in place.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace services::dynamodb {

// Raw bytes → base64 in one attribute value (nested M and L too).
void blobs_to_wire(boost::json::value& v);
// base64 → raw bytes in one attribute value; an undecodable string is left as it is.
void blobs_from_wire(boost::json::value& v);

// The same over every value of an item (attribute name → value).
void item_to_wire(boost::json::object& item);
void item_from_wire(boost::json::object& item);

// The attribute values of a request (Item, Key, ExclusiveStartKey, ExpressionAttributeValues,
// Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter) to the wire form.
void request_to_wire(boost::json::object& in);

}  // namespace services::dynamodb

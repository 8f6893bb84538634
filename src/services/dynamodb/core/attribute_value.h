#pragma once
// DynamoDB attribute values in their wire form, kept as Boost.JSON: a value is an object with
// exactly one type key ({"S": "a"}, {"N": "1.5"}, {"B": "<base64>"}, {"BOOL": true},
// {"NULL": true}, {"M": {...}}, {"L": [...]}, {"SS": [...]}, {"NS": [...]}, {"BS": [...]}); an
// item is an object of attribute name → value. Nothing converts them to another model.
//
// Validation throws protocol::AwsError (ValidationException) with DynamoDB's messages, e.g.
//   "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
//   "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the
//    supported datatypes"
//   "One or more parameter values were invalid: An number set  may not be empty"
//   "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
//   "Nesting Levels have exceeded supported limits"
//   "Item size has exceeded the maximum allowed size"
// and the Number messages of number.h. All functions are pure and thread-safe.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace services::dynamodb {

inline constexpr std::size_t kMaxItemSize = 400 * 1024;
inline constexpr std::size_t kMaxPartitionKeySize = 2048;
inline constexpr std::size_t kMaxSortKeySize = 1024;
inline constexpr int kMaxNestingDepth = 32;

// The type key of a value ("S", "N", ..., "BS"); "" when `v` is not an object with exactly one
// known type key. Does not validate the content.
std::string_view type_of(const boost::json::value& v);

// Validates one attribute value as DynamoDB does and rewrites its numbers (N, NS, nested) in
// canonical form in place. Throws AwsError. Empty S and B are allowed (they are not in keys:
// see check_key_value()). Sets must be non-empty and unique; NS uniqueness is numeric ("1" and
// "1.0" are duplicates); BS members must be valid base64.
void validate_value(boost::json::value& v);
// validate_value() on every attribute of an item.
void validate_item(boost::json::object& item);

enum class KeyRole { Partition, Sort };
// Checks a key attribute already validated by validate_value(): its type must be `expected_type`
// ("S", "N" or "B"), S/B must not be empty and its size must fit the role's limit. Throws, e.g.
//   "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N"
//   "One or more parameter values are not valid. The AttributeValue for a key attribute cannot
//    contain an empty string value. Key: id"
//   "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size
//    limit of2048 bytes" (sic)
//   "One or more parameter values were invalid: Aggregated size of all range keys has exceeded
//    the size limit of 1024 bytes"
void check_key_value(std::string_view name, const boost::json::value& v,
                     std::string_view expected_type, KeyRole role);

// Deep equality with DynamoDB's meaning: numbers compare numerically, sets ignore order, maps
// ignore member order. Values of different types are never equal.
bool values_equal(const boost::json::value& a, const boost::json::value& b);
// The same attributes with equal values (an M value's comparison, for whole items).
bool items_equal(const boost::json::object& a, const boost::json::object& b);

// Orders two scalar values of the same type (S by UTF-8 bytes, N numerically, B by decoded
// bytes); nullopt when the types differ or are not S, N or B — a comparison that DynamoDB's
// <, <=, >, >=, BETWEEN treat as false.
std::optional<int> compare_values(const boost::json::value& a, const boost::json::value& b);

// A byte string whose memcmp order is DynamoDB's order for one S, N or B value: S → its UTF-8
// bytes, B → its decoded bytes, N → Number::order_key(). Only compare keys of the same type.
// Precondition: `v` was validated and is S, N or B.
std::string order_key(const boost::json::value& v);

// Sizes as DynamoDB documents them ("Item sizes and formats"): S by UTF-8 bytes, B by decoded
// bytes, N by significant digits ((digits + 1) / 2 + 1 bytes), BOOL and NULL 1 byte, M and L 3
// bytes plus 1 per element plus their contents (map member names included), sets the sum of
// their members. item_size() adds each attribute name's UTF-8 length.
std::size_t value_size(const boost::json::value& v);
std::size_t item_size(const boost::json::object& item);
// Throws "Item size has exceeded the maximum allowed size" when item_size() > 400 KB, or, for
// the result of an UpdateItem, "Item size to update has exceeded the maximum allowed size".
void check_item_size(const boost::json::object& item, bool update = false);

// Parses an item stored as JSON text (serialized from this wire form). An item may nest values
// kMaxNestingDepth levels deep, two JSON levels each, deeper than Boost.JSON's default limit of
// 32. Throws boost::system::system_error on text that is not JSON; a non-object gives {}.
boost::json::object parse_stored_item(std::string_view text);

}  // namespace services::dynamodb

#pragma once
// DynamoDB's Number: an exact decimal with at most 38 significant digits and a magnitude between
// 1E-130 and 9.9999999999999999999999999999999999999E+125 (or zero). No doubles anywhere: the
// coefficient is a Boost.Multiprecision integer and the value is coefficient × 10^exponent.
//
//   Number n = Number::parse("001.50");     // throws AwsError (ValidationException)
//   n.to_string();                          // "1.5", as DynamoDB returns it
//   Number::parse("-0").to_string();        // "0"
//   Number::add(a, b);                      // exact; throws on overflow / more than 38 digits
//
// Messages, as DynamoDB sends them:
//   "The parameter cannot be converted to a numeric value: abc"  (also for "" without the suffix)
//   "Number overflow. Attempting to store a number with magnitude larger than supported range"
//   "Number underflow. Attempting to store a number with magnitude smaller than supported range"
//   "Attempting to store more than 38 significant digits in a Number"
// Values are immutable and cheap to copy for ordinary sizes; all functions are thread-safe.

#include <boost/multiprecision/cpp_int.hpp>
#include <compare>
#include <string>
#include <string_view>

namespace services::dynamodb {

class Number {
 public:
  Number() = default;  // zero

  // Parses DynamoDB's number text: optional sign, digits with an optional point, optional
  // exponent (e/E, signed). Leading and trailing zeros do not count as significant digits.
  // Throws protocol::AwsError (ValidationException) with the messages above.
  static Number parse(std::string_view text);

  // Canonical text as DynamoDB returns it: no exponent, no leading or trailing zeros, no "+",
  // "-0" becomes "0" ("1.50" → "1.5", "1e3" → "1000", "0.00012" → "0.00012").
  std::string to_string() const;

  // Exact arithmetic; the result is checked against the range and precision limits and throws
  // the messages above (an ADD or SET a + b that overflows fails the request, as on AWS).
  static Number add(const Number& a, const Number& b);
  static Number subtract(const Number& a, const Number& b);

  std::strong_ordering operator<=>(const Number& other) const;
  bool operator==(const Number& other) const { return (*this <=> other) == 0; }

  bool is_zero() const { return coefficient_ == 0; }
  bool is_negative() const { return coefficient_ < 0; }
  // Significant digits of the canonical form (0 for zero): what DynamoDB's item size counts.
  int significant_digits() const;
  // Base-10 exponent of the leading digit in scientific form: 1.5 → 0, 1000 → 3, 0.01 → -2.
  // Undefined for zero.
  int scientific_exponent() const;

  // Sortable bytes: memcmp order of two keys equals numeric order. Fixed length is not
  // guaranteed; a key is never a prefix of a different number's key.
  std::string order_key() const;
  // DynamoDB's internal bytes of the number (Oracle's NUMBER layout), which its partition hash
  // reads: 1 → C1 02, 10 → C1 0B, 100 → C2 02, -1 → 3E 64 66, 0 → 80.
  std::string key_bytes() const;

 private:
  using Int = boost::multiprecision::cpp_int;
  Number(Int coefficient, int exponent);
  void normalize();           // strips trailing zeros of the coefficient into the exponent
  void check_limits() const;  // throws the range / precision errors

  Int coefficient_ = 0;  // no trailing decimal zeros unless zero
  int exponent_ = 0;     // value = coefficient_ × 10^exponent_
};

}  // namespace services::dynamodb

#include "services/dynamodb/core/number.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "protocol/aws_error.h"

namespace services::dynamodb {
namespace {

constexpr int kMaxDigits = 38;
constexpr int kMaxExponent = 125;   // 9.99...E+125
constexpr int kMinExponent = -130;  // 1E-130

[[noreturn]] void not_a_number(std::string_view text) {
  if (text.empty()) {
    throw protocol::errors::validation("The parameter cannot be converted to a numeric value");
  }
  throw protocol::errors::validation("The parameter cannot be converted to a numeric value: " +
                                     std::string(text));
}

[[noreturn]] void overflow() {
  throw protocol::errors::validation(
      "Number overflow. Attempting to store a number with magnitude larger than supported range");
}

[[noreturn]] void underflow() {
  throw protocol::errors::validation(
      "Number underflow. Attempting to store a number with magnitude smaller than supported "
      "range");
}

[[noreturn]] void too_precise() {
  throw protocol::errors::validation(
      "Attempting to store more than 38 significant digits in a Number");
}

// Range then precision, in the order DynamoDB checks them. `digits` has no leading or trailing
// zeros; `exponent` is the power of ten of its last digit.
void check(std::size_t digits, long long exponent) {
  long long scientific = exponent + static_cast<long long>(digits) - 1;
  if (scientific > kMaxExponent) {
    overflow();
  }
  if (scientific < kMinExponent) {
    underflow();
  }
  if (digits > static_cast<std::size_t>(kMaxDigits)) {
    too_precise();
  }
}

std::string abs_digits(const boost::multiprecision::cpp_int& c) {
  std::string s = c.str();
  if (!s.empty() && s[0] == '-') {
    s.erase(0, 1);
  }
  return s;
}

}  // namespace

Number::Number(Int coefficient, int exponent)
    : coefficient_(std::move(coefficient)), exponent_(exponent) {}

Number Number::parse(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  std::string digits;
  long long fraction_digits = 0;
  bool seen_point = false;
  bool seen_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (!(digits.empty() && c == '0')) {
        digits.push_back(c);
      }
      if (seen_point) {
        ++fraction_digits;
      }
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) {
    not_a_number(text);
  }
  long long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    if (i == text.size()) {
      not_a_number(text);
    }
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      // Saturates far beyond the supported range; a zero coefficient still reads as zero.
      exponent = std::min<long long>(exponent * 10 + (text[i] - '0'), 1'000'000'000);
    }
    if (exp_negative) {
      exponent = -exponent;
    }
  }
  if (i != text.size()) {
    not_a_number(text);
  }
  if (digits.empty()) {
    return Number();
  }
  exponent -= fraction_digits;
  while (digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  check(digits.size(), exponent);
  Int c(digits);
  if (negative) {
    c = -c;
  }
  return Number(std::move(c), static_cast<int>(exponent));
}

void Number::normalize() {
  if (coefficient_ == 0) {
    exponent_ = 0;
    return;
  }
  while (coefficient_ % 10 == 0) {
    coefficient_ /= 10;
    ++exponent_;
  }
}

void Number::check_limits() const {
  if (coefficient_ != 0) {
    check(abs_digits(coefficient_).size(), exponent_);
  }
}

std::string Number::to_string() const {
  if (coefficient_ == 0) {
    return "0";
  }
  std::string digits = abs_digits(coefficient_);
  std::string out = coefficient_ < 0 ? "-" : "";
  if (exponent_ >= 0) {
    out += digits;
    out.append(static_cast<std::size_t>(exponent_), '0');
  } else if (static_cast<std::size_t>(-exponent_) >= digits.size()) {
    out += "0.";
    out.append(static_cast<std::size_t>(-exponent_) - digits.size(), '0');
    out += digits;
  } else {
    std::size_t point = digits.size() - static_cast<std::size_t>(-exponent_);
    out += digits.substr(0, point);
    out += '.';
    out += digits.substr(point);
  }
  return out;
}

Number Number::add(const Number& a, const Number& b) {
  int e = std::min(a.exponent_, b.exponent_);
  Int x = a.coefficient_ * boost::multiprecision::pow(Int(10), a.exponent_ - e);
  Int y = b.coefficient_ * boost::multiprecision::pow(Int(10), b.exponent_ - e);
  Number sum(x + y, e);
  sum.normalize();
  sum.check_limits();
  return sum;
}

Number Number::subtract(const Number& a, const Number& b) {
  Number negated(-b.coefficient_, b.exponent_);
  return add(a, negated);
}

std::strong_ordering Number::operator<=>(const Number& other) const {
  int e = std::min(exponent_, other.exponent_);
  Int x = coefficient_ * boost::multiprecision::pow(Int(10), exponent_ - e);
  Int y = other.coefficient_ * boost::multiprecision::pow(Int(10), other.exponent_ - e);
  if (x < y) {
    return std::strong_ordering::less;
  }
  if (x > y) {
    return std::strong_ordering::greater;
  }
  return std::strong_ordering::equal;
}

int Number::significant_digits() const {
  if (coefficient_ == 0) {
    return 0;
  }
  return static_cast<int>(abs_digits(coefficient_).size());
}

int Number::scientific_exponent() const { return exponent_ + significant_digits() - 1; }

// Layout: a sign class byte (1 negative, 2 zero, 3 positive), then for non-zero values the
// scientific exponent biased into one byte and the digits as ASCII ending with 0x00. Negative
// numbers invert the exponent and digits and end with 0xFF, so that a larger magnitude sorts
// first and a shorter digit string (-1.5 > -1.51) sorts last.
std::string Number::order_key() const {
  if (coefficient_ == 0) {
    return std::string(1, '\x02');
  }
  std::string digits = abs_digits(coefficient_);
  int biased = scientific_exponent() - kMinExponent;  // 0..255
  std::string key;
  key.reserve(digits.size() + 3);
  if (coefficient_ > 0) {
    key.push_back('\x03');
    key.push_back(static_cast<char>(biased));
    key += digits;
    key.push_back('\x00');
  } else {
    key.push_back('\x01');
    key.push_back(static_cast<char>(255 - biased));
    for (char d : digits) {
      key.push_back(static_cast<char>('0' + ('9' - d)));
    }
    key.push_back('\xFF');
  }
  return key;
}

// DynamoDB's own byte form of a number, the one its partition hash reads (the form dynalite
// reproduced to match DynamoDB's scan order): base-100 digits after an exponent byte, as Oracle
// stores NUMBER. The value is 0.d1d2... × 100^k: the digits are padded with a leading zero when
// the decimal exponent is odd, each pair p is stored as p + 1 (negative: 101 - p) after the byte
// k + 192 (negative: its complement), and a negative number shorter than 20 digit bytes ends
// with 102. Zero is the single byte 0x80.
std::string Number::key_bytes() const {
  if (coefficient_ == 0) {
    return std::string(1, '\x80');
  }
  std::string digits = abs_digits(coefficient_);
  int decimal = scientific_exponent() + 1;  // value = 0.digits × 10^decimal
  bool pad = decimal % 2 != 0;
  if (pad) digits.insert(digits.begin(), '0');
  if (digits.size() % 2 != 0) digits.push_back('0');
  int hundreds = (decimal + (pad ? 1 : 0)) / 2;  // exact: the sum is even
  bool negative = coefficient_ < 0;
  std::string out;
  out.reserve(digits.size() / 2 + 2);
  auto head = static_cast<unsigned char>(hundreds + 192);
  out.push_back(static_cast<char>(negative ? static_cast<unsigned char>(~head) : head));
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    int pair = (digits[i] - '0') * 10 + (digits[i + 1] - '0');
    out.push_back(static_cast<char>(negative ? 101 - pair : pair + 1));
  }
  if (negative && out.size() - 1 < 20) out.push_back(static_cast<char>(102));
  return out;
}

}  // namespace services::dynamodb

#include "services/dynamodb/core/number.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "protocol/aws_error.h"

namespace services::dynamodb {
namespace {

std::string error_of(std::string_view text) {
  try {
    Number::parse(text);
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.code, "ValidationException");
    return e.message;
  }
  return "";
}

TEST(NumberTest, ReturnsNumbersInDynamoDbsCanonicalForm) {
  struct Case {
    std::string in;
    std::string out;
  };
  for (const Case& c : std::vector<Case>{
           {"1.50", "1.5"},
           {"-0", "0"},
           {"0.000", "0"},
           {"+7", "7"},
           {"007", "7"},
           {"1e3", "1000"},
           {"1E+3", "1000"},
           {"12.5e-3", "0.0125"},
           {".5", "0.5"},
           {"5.", "5"},
           {"-100.0100", "-100.01"},
           {"0e999999999999", "0"},
           {"1E-130", "0." + std::string(129, '0') + "1"},
           {"99999999999999999999999999999999999999", "99999999999999999999999999999999999999"},
           {"1.2345678901234567890123456789012345678", "1.2345678901234567890123456789012345678"},
       }) {
    EXPECT_EQ(Number::parse(c.in).to_string(), c.out) << c.in;
  }
}

TEST(NumberTest, RejectsTextThatIsNotANumber) {
  for (const char* text :
       {"abc", "1.2.3", "1e", "e5", " 1", "1 ", "--1", "0x10", "Infinity", "NaN", "1e5.5", "."}) {
    EXPECT_EQ(error_of(text),
              std::string("The parameter cannot be converted to a numeric value: ") + text);
  }
  EXPECT_EQ(error_of(""), "The parameter cannot be converted to a numeric value");
}

TEST(NumberTest, EnforcesDynamoDbsRangeAndPrecision) {
  const std::string overflow =
      "Number overflow. Attempting to store a number with magnitude larger than supported range";
  const std::string underflow =
      "Number underflow. Attempting to store a number with magnitude smaller than supported "
      "range";
  const std::string precision = "Attempting to store more than 38 significant digits in a Number";
  EXPECT_EQ(error_of("1e126"), overflow);
  EXPECT_EQ(error_of("-10e125"), overflow);
  EXPECT_EQ(error_of("1e-131"), underflow);
  EXPECT_EQ(error_of("0.1e-130"), underflow);
  EXPECT_EQ(error_of("123456789012345678901234567890123456789"), precision);
  // Leading and trailing zeros are not significant.
  EXPECT_EQ(error_of("000012345678901234567890123456789012345678000000"), "");
  EXPECT_EQ(error_of("9.9999999999999999999999999999999999999e125"), "");
  EXPECT_EQ(error_of("1e-130"), "");
}

TEST(NumberTest, ComparesExactlyAcrossScales) {
  EXPECT_EQ(Number::parse("1.0"), Number::parse("1"));
  EXPECT_LT(Number::parse("0.1"), Number::parse("0.10000000000000000000000000000000000001"));
  EXPECT_LT(Number::parse("-2"), Number::parse("-1.99999"));
  EXPECT_GT(Number::parse("1e125"), Number::parse("9.99e124"));
  EXPECT_LT(Number::parse("-1e125"), Number::parse("1e-130"));
}

TEST(NumberTest, AddsAndSubtractsWithoutBinaryRounding) {
  EXPECT_EQ(Number::add(Number::parse("0.1"), Number::parse("0.2")).to_string(), "0.3");
  EXPECT_EQ(Number::subtract(Number::parse("1"), Number::parse("1.00")).to_string(), "0");
  EXPECT_EQ(Number::subtract(Number::parse("5"), Number::parse("7.25")).to_string(), "-2.25");
  EXPECT_EQ(Number::add(Number::parse("12345678901234567890123456789012345678"), Number::parse("1"))
                .to_string(),
            "12345678901234567890123456789012345679");
  EXPECT_EQ(Number::add(Number::parse("1e100"), Number::parse("-1e100")).to_string(), "0");
}

TEST(NumberTest, ArithmeticBeyondTheLimitsFails) {
  try {
    Number::add(Number::parse("9.9999999999999999999999999999999999999e125"),
                Number::parse("1e125"));
    FAIL() << "no overflow";
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.message,
              "Number overflow. Attempting to store a number with magnitude larger than supported "
              "range");
  }
  try {
    Number::add(Number::parse("1e37"), Number::parse("1e-10"));
    FAIL() << "no precision error";
  } catch (const protocol::AwsError& e) {
    EXPECT_EQ(e.message, "Attempting to store more than 38 significant digits in a Number");
  }
}

TEST(NumberTest, OrderKeysSortLikeTheNumbers) {
  std::vector<std::string> texts = {"-1e125",  "-100", "-99.5",  "-1.51", "-1.5", "-1",   "-0.001",
                                    "-1e-130", "0",    "1e-130", "0.001", "0.01", "1",    "1.5",
                                    "1.51",    "2",    "10",     "99.99", "100",  "1e125"};
  std::vector<std::string> keys;
  for (const std::string& t : texts) {
    keys.push_back(Number::parse(t).order_key());
  }
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    EXPECT_LT(keys[i], keys[i + 1]) << texts[i] << " vs " << texts[i + 1];
  }
  EXPECT_EQ(Number::parse("1.50").order_key(), Number::parse("1.5").order_key());
}

// DynamoDB's own number bytes are Oracle's NUMBER layout; these are Oracle's documented forms.
TEST(NumberTest, KeyBytesAreOraclesNumberLayout) {
  auto bytes = [](std::string_view text) {
    std::string out;
    for (unsigned char c : Number::parse(text).key_bytes()) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%02X", c);
      out += (out.empty() ? "" : " ") + std::string(buf);
    }
    return out;
  };
  EXPECT_EQ(bytes("0"), "80");
  EXPECT_EQ(bytes("1"), "C1 02");
  EXPECT_EQ(bytes("10"), "C1 0B");
  EXPECT_EQ(bytes("100"), "C2 02");
  EXPECT_EQ(bytes("123.45"), "C2 02 18 2E");
  EXPECT_EQ(bytes("0.5"), "C0 33");
  EXPECT_EQ(bytes("1.50"), "C1 02 33");
  EXPECT_EQ(bytes("-1"), "3E 64 66");
  EXPECT_EQ(bytes("-123.45"), "3D 64 4E 38 66");
}

TEST(NumberTest, CountsSignificantDigits) {
  EXPECT_EQ(Number::parse("0").significant_digits(), 0);
  EXPECT_EQ(Number::parse("1000").significant_digits(), 1);
  EXPECT_EQ(Number::parse("-0.00123").significant_digits(), 3);
  EXPECT_EQ(Number::parse("0.00123").scientific_exponent(), -3);
  EXPECT_EQ(Number::parse("1500").scientific_exponent(), 3);
}

}  // namespace
}  // namespace services::dynamodb

#pragma once
// Helpers for the engine's unit tests.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "protocol/aws_error.h"

namespace services::cloudformation::engine {

// The value of `r`; a failed test (and an exception ending the test) when it holds an error.
template <class T>
T ok(protocol::Result<T> r) {
  if (!r) {
    ADD_FAILURE() << "unexpected " << r.error().code << ": " << r.error().message;
    throw std::runtime_error(r.error().message);
  }
  return std::move(*r);
}

inline void ok(protocol::Result<void> r) {
  if (!r) {
    ADD_FAILURE() << "unexpected " << r.error().code << ": " << r.error().message;
    throw std::runtime_error(r.error().message);
  }
}

// "<code>: <message>" of the error `r` holds; "" (and a failed test) when it holds a value.
template <class T>
std::string error_of(const protocol::Result<T>& r) {
  if (r) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return r.error().code + ": " + r.error().message;
}

}  // namespace services::cloudformation::engine

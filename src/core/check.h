#pragma once
// CHECK(cond) << "why it holds": for conditions that cannot happen. Aborts with the message.

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace core {

class CheckFailure {
 public:
  CheckFailure(const char* cond, const char* file, int line) {
    stream_ << file << ":" << line << ": CHECK(" << cond << ") failed: ";
  }
  [[noreturn]] ~CheckFailure() {
    std::cerr << stream_.str() << std::endl;
    std::abort();
  }
  template <class T>
  CheckFailure& operator<<(const T& v) {
    stream_ << v;
    return *this;
  }

 private:
  std::ostringstream stream_;
};

}  // namespace core

#define CHECK(cond) \
  if (cond) {       \
  } else            \
    ::core::CheckFailure(#cond, __FILE__, __LINE__)

#pragma once
// TransactWriteItems' ClientRequestToken: a token seen in the last 10 minutes (AWS time) with the
// same request is answered again without writing; with another request it is
// IdempotentParameterMismatchException. Kept in memory: a restart forgets the tokens.
// Thread-safe.

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace services::dynamodb {

class TransactionTokens {
 public:
  enum class Seen { New, Same, Different };
  // What `token` says about `request` (its canonical text) at `now_ms`; expired tokens go.
  Seen check(const std::string& key, const std::string& request, int64_t now_ms,
             int64_t window_ms);
  void remember(const std::string& key, const std::string& request, int64_t now_ms);
  void clear();

 private:
  struct Entry {
    std::string request;
    int64_t at_ms = 0;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> tokens_;
};

}  // namespace services::dynamodb

#include "services/dynamodb/transaction_tokens.h"

namespace services::dynamodb {

TransactionTokens::Seen TransactionTokens::check(const std::string& key,
                                                 const std::string& request, int64_t now_ms,
                                                 int64_t window_ms) {
  std::lock_guard lock(mutex_);
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    it = now_ms - it->second.at_ms > window_ms ? tokens_.erase(it) : std::next(it);
  }
  auto it = tokens_.find(key);
  if (it == tokens_.end()) return Seen::New;
  return it->second.request == request ? Seen::Same : Seen::Different;
}

void TransactionTokens::remember(const std::string& key, const std::string& request,
                                 int64_t now_ms) {
  std::lock_guard lock(mutex_);
  tokens_[key] = Entry{request, now_ms};
}

void TransactionTokens::clear() {
  std::lock_guard lock(mutex_);
  tokens_.clear();
}

}  // namespace services::dynamodb

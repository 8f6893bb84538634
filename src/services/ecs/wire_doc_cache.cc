#include "services/ecs/wire_doc_cache.h"

#include <boost/json/parse.hpp>

#include "core/check.h"

namespace services::ecs {

namespace json = boost::json;

json::object parse_stored_doc(std::string_view text) {
  json::value parsed = json::parse(text);
  CHECK(parsed.is_object()) << "ecs docs are stored as JSON objects";
  return std::move(parsed.get_object());
}

WireDocCache::WireDocCache(std::size_t capacity, WireForm wire_form)
    : capacity_(capacity), wire_form_(wire_form) {
  CHECK(capacity_ > 0) << "a cache holds at least one entry";
}

std::shared_ptr<const json::object> WireDocCache::get(const std::string& arn,
                                                      std::string_view text) {
  std::shared_ptr<const Entry> entry;
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(arn); it != entries_.end()) {
      entry = it->second;
    }
  }
  // Compared outside the lock: an entry is immutable once made.
  if (entry && entry->text == text) {
    return entry->doc;
  }
  auto fresh = std::make_shared<const Entry>(Entry{
      std::string(text), std::make_shared<const json::object>(wire_form_(parse_stored_doc(text)))});
  std::lock_guard lock(mutex_);
  if (entries_.size() >= capacity_ && !entries_.contains(arn)) {
    entries_.erase(entries_.begin());
  }
  entries_[arn] = fresh;
  return fresh->doc;
}

std::size_t WireDocCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace services::ecs

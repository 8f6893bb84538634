#pragma once
// Parsed wire forms of stored ECS documents, validated by the stored text itself.
//
// DescribeServices answers from here instead of parsing each stored service document on every
// call. An entry is keyed by ARN and keeps the exact document text it was made from; get() uses
// it only when the text the caller just read (in its own transaction) is that same text, byte for
// byte, and otherwise parses the new text and replaces the entry. So no write path (handlers, the
// scheduler on its own threads, crash recovery, a reset) needs to invalidate anything, and a stale
// entry can never be served: a changed row misses.
//
// Thread-safe. Bounded: past `capacity` entries, an arbitrary one makes room.

#include <boost/json/object.hpp>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace services::ecs {

// A stored document text parsed; CHECKs that it is a JSON object, as the store writes them.
boost::json::object parse_stored_doc(std::string_view text);

class WireDocCache {
 public:
  // Turns a stored document into the form the cache hands out (e.g. internal members dropped).
  using WireForm = boost::json::object (*)(boost::json::object stored);

  WireDocCache(std::size_t capacity, WireForm wire_form);

  // The wire form of `text`, the stored document of `arn`: cached when the text is unchanged,
  // parsed (and cached) otherwise. `text` must be a JSON object, as the store writes it.
  std::shared_ptr<const boost::json::object> get(const std::string& arn, std::string_view text);

  std::size_t size() const;

 private:
  struct Entry {
    std::string text;
    std::shared_ptr<const boost::json::object> doc;
  };

  const std::size_t capacity_;
  const WireForm wire_form_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Entry>> entries_;
};

}  // namespace services::ecs

#pragma once
// The plumbing of a subsystem's error codes (netplane::errc, runtime::errc, ...): a
// std::error_category whose messages are listed in code order, and the "<what>: <strerror>"
// message of an errno.
//
//   const std::error_category& runtime_category() {
//     static const core::ListedCategory category("runtime", {"image not found", "bad image"});
//     return category;
//   }

#include <initializer_list>
#include <string>
#include <system_error>
#include <vector>

namespace core {

class ListedCategory final : public std::error_category {
 public:
  // messages[0] is code 1's, messages[1] code 2's, ...
  ListedCategory(const char* name, std::initializer_list<const char*> messages)
      : name_(name), messages_(messages) {}
  const char* name() const noexcept override { return name_; }
  std::string message(int code) const override {
    if (code >= 1 && static_cast<size_t>(code) <= messages_.size()) return messages_[code - 1];
    return std::string("unknown ") + name_ + " error";
  }

 private:
  const char* name_;
  std::vector<const char*> messages_;
};

// "<what>: <strerror(err)>".
std::string errno_message(int err, const std::string& what);

}  // namespace core

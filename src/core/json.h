#pragma once
// Reading members of a JSON object (a model document or a stored row): absent, null or of
// another type reads as the fallback. The one copy that services, the runtime and the stores
// share.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core {

std::string str(const boost::json::object& o, std::string_view key, std::string_view fallback = "");
std::optional<std::string> opt_str(const boost::json::object& o, std::string_view key);
// Integers, and doubles truncated toward zero (JSON readers give 1.0 for 1 in some documents).
std::optional<int64_t> opt_int(const boost::json::object& o, std::string_view key);
std::optional<bool> opt_bool(const boost::json::object& o, std::string_view key);
const boost::json::array* arr(const boost::json::object& o, std::string_view key);
const boost::json::object* obj(const boost::json::object& o, std::string_view key);
// A list-of-strings member ([] when absent); members of other types are skipped.
std::vector<std::string> strings(const boost::json::object& o, std::string_view key);

// The JSON object in `file`; nullopt when it cannot be read or is not a JSON object.
std::optional<boost::json::object> read_json_object(const std::filesystem::path& file);

}  // namespace core

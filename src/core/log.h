#pragma once
// Structured logging: one line per event, `ts=... level=... msg="..." key=value ...`.
// Thread-safe; writes to stderr. The level is set once at start-up.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace core::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void set_level(Level level);
Level level();
bool parse_level(std::string_view text, Level* out);

using Field = std::pair<std::string_view, std::string>;

void write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void debug(std::string_view msg, std::initializer_list<Field> f = {}) {
  if (level() <= Level::Debug) write(Level::Debug, msg, f);
}
inline void info(std::string_view msg, std::initializer_list<Field> f = {}) {
  write(Level::Info, msg, f);
}
inline void warn(std::string_view msg, std::initializer_list<Field> f = {}) {
  write(Level::Warn, msg, f);
}
inline void error(std::string_view msg, std::initializer_list<Field> f = {}) {
  write(Level::Error, msg, f);
}

}  // namespace core::log

#include "core/percent.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>

namespace core {

std::string percent_decode(std::string_view text, bool plus_is_space) {
  return percent_decode_strict(text, plus_is_space).value_or(std::string(text));
}

std::optional<std::string> percent_decode_strict(std::string_view text, bool plus_is_space) {
  auto pct = boost::urls::make_pct_string_view(text);
  if (!pct) {
    return std::nullopt;
  }
  boost::urls::encoding_opts opts;
  opts.space_as_plus = plus_is_space;
  return pct->decode(opts);
}

}  // namespace core

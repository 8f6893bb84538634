#include "core/percent.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>

namespace core {

std::string percent_decode(std::string_view text, bool plus_is_space) {
  auto pct = boost::urls::make_pct_string_view(text);
  if (!pct) return std::string(text);
  boost::urls::encoding_opts opts;
  opts.space_as_plus = plus_is_space;
  return pct->decode(opts);
}

}  // namespace core

#pragma once
// Timestamp text forms used on the AWS wire: ISO 8601 (query, XML, JSON date-time),
// RFC 822 / IMF-fixdate (HTTP headers), and the SigV4 basic form (20150830T123600Z).

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace core {

// 2015-08-30T12:36:00.123Z (milliseconds only when non-zero, as AWS prints them).
std::string format_iso8601(TimePoint t);
// Sun, 30 Aug 2015 12:36:00 GMT
std::string format_http_date(TimePoint t);
// 20150830T123600Z
std::string format_amz_date(TimePoint t);
// Accepts ISO 8601 with or without fractional seconds and with Z or ±hh:mm, the basic SigV4 form,
// IMF-fixdate, and a plain epoch-seconds number.
std::optional<TimePoint> parse_timestamp(std::string_view text);

}  // namespace core

#include "protocol/sigv4.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <utility>

#include "core/hex.h"
#include "core/query_string.h"
#include "core/sha256.h"
#include "core/time_format.h"
#include "protocol/sigv4_detail.h"

namespace protocol::sigv4 {
namespace {

using namespace std::chrono_literals;
using detail::equal_signatures;
using detail::is_space;
using detail::lowercase;
using detail::mismatch;
using detail::trim;

constexpr core::Duration kMaxSkew = 15min;
constexpr int64_t kMaxExpiresSeconds = 7 * 24 * 3600;

AuthError incomplete(std::string message) { return {Failure::Incomplete, std::move(message)}; }

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// RFC 3986 encoding with uppercase hex, as Python's quote(s, safe='-_.~' [+ '/']).
std::string uri_encode(std::string_view s, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xf]);
    }
  }
  return out;
}

// Percent-decodes; '+' stays '+' (SigV4 clients encode a space as %20). A '%' that does not start a
// valid escape is kept literally, so it is re-encoded as %25.
std::string uri_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && core::hex_digit(s[i + 1]) >= 0 &&
        core::hex_digit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(core::hex_digit(s[i + 1]) * 16 + core::hex_digit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

struct QueryParam {
  std::string key;    // decoded
  std::string value;  // decoded
};

std::vector<QueryParam> split_query(std::string_view query) {
  std::vector<QueryParam> params;
  for (const core::RawQueryParam& p : core::split_query(query)) {
    params.push_back({uri_decode(p.key), uri_decode(p.value)});
  }
  return params;
}

const std::string* find_param(const std::vector<QueryParam>& params, std::string_view key) {
  for (const QueryParam& p : params) {
    if (p.key == key) return &p.value;
  }
  return nullptr;
}

// botocore.utils.remove_dot_segments: drops "." and empty segments, resolves "..", keeps the
// leading and (if anything is left) the trailing slash.
std::string remove_dot_segments(std::string_view path) {
  if (path.empty()) {
    return "";
  }
  std::vector<std::string_view> out;
  std::string_view rest = path;
  while (true) {
    std::size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!seg.empty() && seg != ".") {
      out.push_back(seg);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i > 0) result.push_back('/');
    result.append(out[i]);
  }
  if (path.back() == '/' && !out.empty()) {
    result.push_back('/');
  }
  return result;
}

std::string canonical_uri(std::string_view raw_path, bool s3_style) {
  if (s3_style) {
    return raw_path.empty() ? "/" : std::string(raw_path);
  }
  std::string normalized = raw_path.empty() ? "/" : remove_dot_segments(raw_path);
  return uri_encode(normalized, /*keep_slash=*/true);
}

std::string canonical_query(std::string_view query, bool presigned) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (QueryParam& p : split_query(query)) {
    if (presigned && p.key == "X-Amz-Signature") {
      continue;
    }
    pairs.emplace_back(uri_encode(p.key, false), uri_encode(p.value, false));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(k).append("=").append(v);
  }
  return out;
}

// Lowercase(name) ":" Trimall(value), same-name values joined with ','.
std::string canonical_header_value(const http::Request& req, std::string_view name) {
  std::string joined;
  bool first = true;
  for (const auto& [k, v] : req.headers) {
    if (!http::iequals(k, name)) {
      continue;
    }
    if (!first) joined.push_back(',');
    first = false;
    // Python's ' '.join(value.split()): trim and collapse every whitespace run to one space.
    bool pending_space = false;
    bool any = false;
    for (char c : v) {
      if (is_space(c)) {
        pending_space = any;
      } else {
        if (pending_space) joined.push_back(' ');
        pending_space = false;
        any = true;
        joined.push_back(c);
      }
    }
  }
  return joined;
}

bool is_basic_date(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return false;
  for (std::size_t i = 0; i < 15; ++i) {
    if (i != 8 && (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

// Normalizes X-Amz-Date / Date to the basic form the string to sign uses.
std::optional<std::string> basic_date(std::string_view value, bool amz_header) {
  value = trim(value);
  if (is_basic_date(value)) {
    return std::string(value);
  }
  if (amz_header) {
    return std::nullopt;
  }
  // RFC 822 with a numeric zone, as Python's email.utils.formatdate() writes it for botocore:
  // "Sun, 30 Aug 2015 12:36:00 -0000". core::parse_timestamp knows only the GMT spelling.
  int offset_seconds = 0;
  std::string text(value);
  if (text.size() == 31 && text[25] == ' ' && (text[26] == '+' || text[26] == '-')) {
    int hhmm = 0;
    auto [end, ec] = std::from_chars(text.data() + 27, text.data() + 31, hhmm);
    if (ec != std::errc{} || end != text.data() + 31) return std::nullopt;
    offset_seconds = (hhmm / 100 * 3600 + hhmm % 100 * 60) * (text[26] == '-' ? -1 : 1);
    text = text.substr(0, 25) + " GMT";
  }
  std::optional<core::TimePoint> t = core::parse_timestamp(text);
  if (!t) return std::nullopt;
  return core::format_amz_date(*t - std::chrono::seconds(offset_seconds));
}

AuthError bad_date(std::string_view value) {
  return incomplete("Date must be in ISO-8601 'basic format'. Got '" + std::string(value) +
                    "'. See http://en.wikipedia.org/wiki/ISO_8601");
}

boost::system::result<CredentialScope, AuthError> parse_credential(std::string_view credential) {
  std::vector<std::string_view> parts;
  std::string_view rest = credential;
  while (true) {
    std::size_t slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (parts.size() != 5 ||
      std::any_of(parts.begin(), parts.end(), [](std::string_view p) { return p.empty(); })) {
    return incomplete(
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got '" +
        std::string(credential) + "'");
  }
  if (parts[4] != "aws4_request") {
    return incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                      std::string(parts[4]) + "'.");
  }
  return CredentialScope{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
                         std::string(parts[3]), std::string(parts[4])};
}

// "content-type;host;x-amz-date" → lowercase names; empty entries dropped.
std::vector<std::string> split_signed_headers(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    std::size_t semi = list.find(';');
    std::string_view name = trim(list.substr(0, semi));
    if (!name.empty()) out.push_back(lowercase(name));
    list = semi == std::string_view::npos ? std::string_view{} : list.substr(semi + 1);
  }
  return out;
}

boost::system::result<ParsedAuth, AuthError> parse_header_form(const http::Request& req,
                                                               std::string_view header) {
  ParsedAuth auth;
  auth.signed_request = true;
  std::string_view params = trim(header.substr(kAlgorithm.size()));
  std::string credential, signed_headers, signature;
  while (!params.empty()) {
    std::size_t comma = params.find(',');
    std::string_view part = trim(params.substr(0, comma));
    params = comma == std::string_view::npos ? std::string_view{} : params.substr(comma + 1);
    if (part.empty()) {
      continue;
    }
    std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return incomplete("'" + std::string(part) +
                        "' not a valid key=value pair (missing equal-sign) in Authorization "
                        "header: '" +
                        std::string(header) + "'.");
    }
    std::string_view key = trim(part.substr(0, eq));
    std::string_view value = trim(part.substr(eq + 1));
    // None of the three values can contain '=': "Signature==abc" is garbage, not a signature.
    if (value.find('=') != std::string_view::npos) {
      return incomplete("'" + std::string(part) +
                        "' not a valid key=value pair (more than one equal-sign) in "
                        "Authorization header: '" +
                        std::string(header) + "'.");
    }
    if (key == "Credential") {
      credential = value;
    } else if (key == "SignedHeaders") {
      signed_headers = value;
    } else if (key == "Signature") {
      signature = value;
    }
  }
  std::vector<std::string> names = split_signed_headers(signed_headers);
  std::string_view amz_date = req.header("X-Amz-Date");
  std::string_view date = req.header("Date");
  bool has_date = !trim(amz_date).empty() || !trim(date).empty();

  std::string missing;
  if (credential.empty()) missing += "Authorization header requires 'Credential' parameter. ";
  if (signature.empty()) missing += "Authorization header requires 'Signature' parameter. ";
  if (names.empty()) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!missing.empty()) {
    if (!has_date) {
      missing +=
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    return incomplete(missing + "Authorization=" + std::string(trim(header)));
  }
  if (!has_date) {
    return AuthError{Failure::MissingDate,
                     "Authorization header requires existence of either a 'X-Amz-Date' or a "
                     "'Date' header. Authorization=" +
                         std::string(trim(header))};
  }
  auto scope = parse_credential(credential);
  if (!scope) {
    return scope.error();
  }
  bool use_amz = !trim(amz_date).empty();
  std::optional<std::string> basic = basic_date(use_amz ? amz_date : date, use_amz);
  if (!basic) {
    return bad_date(use_amz ? amz_date : date);
  }
  auth.scope = std::move(*scope);
  auth.signed_headers = std::move(names);
  auth.signature = std::move(signature);
  auth.amz_date = std::move(*basic);
  auth.payload_hash = std::string(trim(req.header("x-amz-content-sha256")));
  auth.security_token = std::string(req.header("X-Amz-Security-Token"));
  return auth;
}

boost::system::result<ParsedAuth, AuthError> parse_query_form(
    const http::Request& req, const std::vector<QueryParam>& params) {
  static constexpr std::string_view kRequired[] = {"X-Amz-Algorithm", "X-Amz-Credential",
                                                   "X-Amz-Signature", "X-Amz-Date",
                                                   "X-Amz-SignedHeaders"};
  std::string missing;
  for (std::string_view key : kRequired) {
    const std::string* value = find_param(params, key);
    if (value == nullptr || value->empty()) {
      missing += "AWS query-string parameters must include '" + std::string(key) + "'. ";
    }
  }
  if (!missing.empty()) {
    return incomplete(missing + "Re-examine the query-string parameters.");
  }
  if (*find_param(params, "X-Amz-Algorithm") != kAlgorithm) {
    return incomplete("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  ParsedAuth auth;
  auth.signed_request = true;
  auth.presigned = true;
  auto scope = parse_credential(*find_param(params, "X-Amz-Credential"));
  if (!scope) {
    return scope.error();
  }
  auth.scope = std::move(*scope);
  auth.signed_headers = split_signed_headers(*find_param(params, "X-Amz-SignedHeaders"));
  if (auth.signed_headers.empty()) {
    return incomplete(
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the "
        "query-string parameters.");
  }
  auth.signature = *find_param(params, "X-Amz-Signature");
  const std::string& date = *find_param(params, "X-Amz-Date");
  if (!is_basic_date(date)) {
    return bad_date(date);
  }
  auth.amz_date = date;
  if (const std::string* expires = find_param(params, "X-Amz-Expires")) {
    int64_t seconds = -1;
    auto [end, ec] = std::from_chars(expires->data(), expires->data() + expires->size(), seconds);
    if (ec != std::errc{} || end != expires->data() + expires->size() || seconds < 0) {
      return incomplete("X-Amz-Expires should be a number");
    }
    if (seconds > kMaxExpiresSeconds) {
      return incomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    auth.expires_seconds = seconds;
  }
  if (const std::string* token = find_param(params, "X-Amz-Security-Token")) {
    auth.security_token = *token;
  }
  auth.payload_hash = std::string(trim(req.header("x-amz-content-sha256")));
  return auth;
}

std::string format_seconds(core::TimePoint t) {
  return core::format_amz_date(std::chrono::time_point_cast<std::chrono::seconds>(t));
}

}  // namespace

std::string sha256_hex(std::string_view data) { return core::hex(core::sha256(data)); }

std::string scope_string(const CredentialScope& scope) {
  return scope.date + "/" + scope.region + "/" + scope.service + "/" + scope.terminator;
}

boost::system::result<ParsedAuth, AuthError> parse(const http::Request& req) {
  std::string_view header = trim(req.header("Authorization"));
  if (!header.empty()) {
    bool aws4 = header.size() >= kAlgorithm.size() &&
                header.substr(0, kAlgorithm.size()) == kAlgorithm &&
                (header.size() == kAlgorithm.size() || is_space(header[kAlgorithm.size()]));
    if (!aws4) {
      return incomplete(
          "Authorization header requires 'Credential' parameter. Authorization header requires "
          "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
          "Authorization=" +
          std::string(header));
    }
    return parse_header_form(req, header);
  }
  std::vector<QueryParam> params = split_query(req.query());
  if (find_param(params, "X-Amz-Algorithm") || find_param(params, "X-Amz-Signature") ||
      find_param(params, "X-Amz-Credential")) {
    return parse_query_form(req, params);
  }
  return ParsedAuth{};
}

std::string canonical_request(const http::Request& req, const ParsedAuth& auth, bool s3_style) {
  std::string cr;
  cr.append(req.method).append("\n");
  cr.append(canonical_uri(req.path(), s3_style)).append("\n");
  cr.append(canonical_query(req.query(), auth.presigned)).append("\n");
  std::string names;
  for (const std::string& name : auth.signed_headers) {
    cr.append(name).append(":").append(canonical_header_value(req, name)).append("\n");
    if (!names.empty()) names.push_back(';');
    names.append(name);
  }
  cr.append("\n").append(names).append("\n");
  if (!auth.payload_hash.empty()) {
    cr.append(auth.payload_hash);
  } else if (auth.presigned && s3_style) {
    cr.append(kUnsignedPayload);
  } else {
    cr.append(sha256_hex(req.body));
  }
  return cr;
}

std::string string_to_sign(const ParsedAuth& auth, std::string_view canonical_request) {
  std::string sts(kAlgorithm);
  sts.append("\n").append(auth.amz_date).append("\n");
  sts.append(scope_string(auth.scope)).append("\n");
  sts.append(sha256_hex(canonical_request));
  return sts;
}

std::string signing_key(std::string_view secret, const CredentialScope& scope) {
  std::string k_date = core::hmac_sha256("AWS4" + std::string(secret), scope.date);
  std::string k_region = core::hmac_sha256(k_date, scope.region);
  std::string k_service = core::hmac_sha256(k_region, scope.service);
  return core::hmac_sha256(k_service, scope.terminator);
}

std::string compute_signature(std::string_view secret, const ParsedAuth& auth,
                              const http::Request& req, bool s3_style) {
  std::string sts = string_to_sign(auth, canonical_request(req, auth, s3_style));
  return core::hex(core::hmac_sha256(signing_key(secret, auth.scope), sts));
}

std::optional<AuthError> verify(const http::Request& req, const ParsedAuth& auth,
                                std::string_view secret, core::TimePoint now, bool s3_style) {
  std::optional<core::TimePoint> signed_at = core::parse_timestamp(auth.amz_date);
  if (!signed_at) {
    return bad_date(auth.amz_date);
  }
  if (auth.scope.date != std::string_view(auth.amz_date).substr(0, 8)) {
    return AuthError{Failure::SignatureMismatch,
                     "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                     "date from HTTP: '" +
                         auth.scope.date + "' != '" + auth.amz_date.substr(0, 8) + "', from '" +
                         auth.amz_date + "'."};
  }
  if (auth.presigned && auth.expires_seconds > 0) {
    if (now > *signed_at + std::chrono::seconds(auth.expires_seconds)) {
      return AuthError{Failure::Expired, "Request has expired"};
    }
  } else if (*signed_at < now - kMaxSkew) {
    return AuthError{Failure::Expired, "Signature expired: " + auth.amz_date +
                                           " is now earlier than " +
                                           format_seconds(now - kMaxSkew) + " (" +
                                           format_seconds(now) + " - 15 min.)"};
  }
  if (*signed_at > now + kMaxSkew) {
    return AuthError{Failure::NotYetValid, "Signature not yet current: " + auth.amz_date +
                                               " is still later than " +
                                               format_seconds(now + kMaxSkew) + " (" +
                                               format_seconds(now) + " + 15 min.)"};
  }
  std::string expected = compute_signature(secret, auth, req, s3_style);
  if (!equal_signatures(expected, auth.signature)) {
    return mismatch();
  }
  // The hash was signed, but only the body proves it: S3's XAmzContentSHA256Mismatch.
  if (auth.payload_hash.size() == 64 && auth.payload_hash != sha256_hex(req.body)) {
    return AuthError{Failure::SignatureMismatch,
                     "The provided 'x-amz-content-sha256' header does not match what was "
                     "computed."};
  }
  return std::nullopt;
}

}  // namespace protocol::sigv4

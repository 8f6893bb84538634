#include "protocol/aws_chunked.h"

#include <charconv>
#include <utility>

#include "core/hex.h"
#include "core/sha256.h"
#include "protocol/sigv4_detail.h"

namespace protocol::sigv4 {
namespace {

using detail::equal_signatures;
using detail::lowercase;
using detail::mismatch;
using detail::trim;

constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

AuthError bad_chunk(std::string message) { return {Failure::BadChunk, std::move(message)}; }

// Reads CRLF-terminated lines and raw bytes from the body, front to back.
struct BodyReader {
  std::string_view body;
  std::size_t pos = 0;

  bool read_line(std::string_view* line) {
    std::size_t end = body.find("\r\n", pos);
    if (end == std::string_view::npos) return false;
    *line = body.substr(pos, end - pos);
    pos = end + 2;
    return true;
  }
};

// `<hex-size>[;chunk-signature=<sig>][;other extensions]`.
struct ChunkHeader {
  std::size_t size = 0;
  std::string_view signature;  // empty when absent
};

boost::system::result<ChunkHeader, AuthError> parse_chunk_header(std::string_view header) {
  std::string_view size_text = header.substr(0, header.find(';'));
  if (size_text.empty() || size_text.size() > 15) {
    return bad_chunk("Invalid chunk size: '" + std::string(size_text) + "'.");
  }
  ChunkHeader out;
  auto [end, ec] =
      std::from_chars(size_text.data(), size_text.data() + size_text.size(), out.size, 16);
  if (ec != std::errc{} || end != size_text.data() + size_text.size()) {
    return bad_chunk("Invalid chunk size: '" + std::string(size_text) + "'.");
  }
  std::string_view extensions =
      header.size() > size_text.size() ? header.substr(size_text.size() + 1) : std::string_view{};
  while (!extensions.empty()) {
    std::size_t semi = extensions.find(';');
    std::string_view ext = trim(extensions.substr(0, semi));
    extensions = semi == std::string_view::npos ? std::string_view{} : extensions.substr(semi + 1);
    constexpr std::string_view kKey = "chunk-signature=";
    if (ext.substr(0, kKey.size()) == kKey) {
      out.signature = ext.substr(kKey.size());
    }
  }
  return out;
}

// The chunk signature chain: each chunk is signed over the previous signature, seeded by the
// request's own. Checks nothing when `key` is empty (unsigned payload or no secret).
class SignatureChain {
 public:
  SignatureChain(const ParsedAuth& auth, std::string key)
      : auth_(auth), key_(std::move(key)), previous_(auth.signature) {}

  bool checking() const { return !key_.empty(); }

  // Whether `signature` signs `data` next in the chain; moves the chain on when it does.
  bool next_chunk(std::string_view data, std::string_view signature) {
    std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n";
    sts.append(auth_.amz_date).append("\n");
    sts.append(scope_string(auth_.scope)).append("\n");
    sts.append(previous_).append("\n");
    sts.append(kEmptySha256).append("\n");
    sts.append(sha256_hex(data));
    std::string expected = core::hex(core::hmac_sha256(key_, sts));
    if (!equal_signatures(expected, signature)) return false;
    previous_ = std::move(expected);
    return true;
  }

  // Whether `signature` (x-amz-trailer-signature) signs the canonical trailer lines.
  bool trailer(std::string_view canonical_trailers, std::string_view signature) const {
    std::string sts = "AWS4-HMAC-SHA256-TRAILER\n";
    sts.append(auth_.amz_date).append("\n");
    sts.append(scope_string(auth_.scope)).append("\n");
    sts.append(previous_).append("\n");
    sts.append(sha256_hex(canonical_trailers));
    return equal_signatures(core::hex(core::hmac_sha256(key_, sts)), signature);
  }

 private:
  const ParsedAuth& auth_;
  std::string key_;
  std::string previous_;
};

// Appends the data of every chunk up to the zero-size one to `out`, checking the chain.
std::optional<AuthError> read_chunks(BodyReader& in, bool signed_chunks, SignatureChain& chain,
                                     std::string& out) {
  while (true) {
    std::string_view line;
    if (!in.read_line(&line)) {
      return bad_chunk("The chunk header is not terminated by CRLF.");
    }
    auto header = parse_chunk_header(line);
    if (!header) return header.error();
    if (signed_chunks && header->signature.empty()) {
      return bad_chunk("The chunk is missing its chunk-signature.");
    }
    if (header->size > in.body.size() - in.pos) {
      return bad_chunk("The request body terminated unexpectedly.");
    }
    std::string_view data = in.body.substr(in.pos, header->size);
    in.pos += header->size;
    if (chain.checking() && !chain.next_chunk(data, header->signature)) {
      return mismatch();
    }
    if (header->size == 0) {
      return std::nullopt;
    }
    out.append(data);
    if (in.body.substr(in.pos, 2) != "\r\n") {
      return bad_chunk("The chunk data is not terminated by CRLF.");
    }
    in.pos += 2;
  }
}

// The trailer lines after the last chunk.
struct Trailers {
  std::string canonical;  // "name:value\n" per line, names lowercased, the signature left out
  std::optional<std::string_view> signature;  // x-amz-trailer-signature
};

// Trailer lines ("name:value") up to a blank line; the final CRLF may be missing when there are
// no trailers at all.
boost::system::result<Trailers, AuthError> read_trailers(BodyReader& in) {
  Trailers trailers;
  while (in.pos < in.body.size()) {
    std::string_view line;
    if (!in.read_line(&line)) {
      return bad_chunk("The trailer is not terminated by CRLF.");
    }
    if (line.empty()) {
      break;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return bad_chunk("Invalid trailer line: '" + std::string(line) + "'.");
    }
    std::string name = lowercase(trim(line.substr(0, colon)));
    std::string_view value = trim(line.substr(colon + 1));
    if (name == "x-amz-trailer-signature") {
      trailers.signature = value;
    } else {
      trailers.canonical.append(name).append(":").append(value).append("\n");
    }
  }
  return trailers;
}

}  // namespace

boost::system::result<std::string, AuthError> decode_aws_chunked(
    std::string_view body, const ParsedAuth& auth, std::optional<std::string_view> secret) {
  bool signed_chunks = auth.payload_hash == kStreamingSignedPayload ||
                       auth.payload_hash == kStreamingSignedPayloadTrailer;
  bool check = signed_chunks && secret.has_value();
  SignatureChain chain(auth, check ? signing_key(*secret, auth.scope) : std::string());
  BodyReader in{body};
  std::string out;
  if (auto error = read_chunks(in, signed_chunks, chain, out)) {
    return *error;
  }
  auto trailers = read_trailers(in);
  if (!trailers) return trailers.error();
  if (in.pos != body.size()) {
    return bad_chunk("Unexpected data after the final chunk.");
  }
  if (check && auth.payload_hash == kStreamingSignedPayloadTrailer) {
    if (!trailers->signature) {
      return bad_chunk("The trailer is missing x-amz-trailer-signature.");
    }
    if (!chain.trailer(trailers->canonical, *trailers->signature)) {
      return mismatch();
    }
  }
  return out;
}

}  // namespace protocol::sigv4

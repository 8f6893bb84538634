#pragma once
// aws-chunked bodies (S3-style streaming uploads, SigV4 "STREAMING-..." payloads): the chunk
// framing, the trailer lines and the chunk signature chain.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
//
// A pure function of its arguments; any thread may call it.

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/sigv4.h"

namespace protocol::sigv4 {

// Decodes an aws-chunked body: `<hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n`... ending with a
// zero-size chunk, then optional trailer lines and a blank line. When `secret` is given and the
// payload is signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]), each chunk signature is checked
// against the chain seeded by auth.signature, and so is x-amz-trailer-signature if present.
// Malformed framing is BadChunk; a wrong chunk signature is SignatureMismatch.
boost::system::result<std::string, AuthError> decode_aws_chunked(
    std::string_view body, const ParsedAuth& auth, std::optional<std::string_view> secret);

}  // namespace protocol::sigv4

// SigV4 on untrusted requests: parse the Authorization header or presigned query, rebuild the
// canonical request both ways (services and S3), verify against a fixed secret and time, and
// decode an aws-chunked body. Input: a raw HTTP request (fuzz_support.h).

#include <chrono>

#include "fuzz/fuzz_support.h"
#include "protocol/aws_chunked.h"
#include "protocol/sigv4.h"

namespace sigv4 = protocol::sigv4;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  http::Request req = fuzz::parse_raw_request(fuzz::as_view(data, size));
  auto parsed = sigv4::parse(req);
  if (!parsed || !parsed->signed_request) return 0;
  const sigv4::ParsedAuth& auth = *parsed;
  for (bool s3 : {false, true}) {
    std::string canonical = sigv4::canonical_request(req, auth, s3);
    (void)sigv4::string_to_sign(auth, canonical);
  }
  // The AWS test suite's date (20150830T123600Z): signatures from the seeds verify.
  core::TimePoint now{std::chrono::seconds(1440938160)};
  (void)sigv4::verify(req, auth, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", now, size % 2 == 0);
  if (auth.payload_hash.starts_with("STREAMING-")) {
    (void)sigv4::decode_aws_chunked(req.body, auth, std::string_view("secret"));
    (void)sigv4::decode_aws_chunked(req.body, auth, std::nullopt);
  }
  return 0;
}

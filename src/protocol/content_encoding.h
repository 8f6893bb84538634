#pragma once
// Request bodies sent with Content-Encoding: gzip. SDKs compress the bodies of operations whose
// model has the requestcompression trait (CloudWatch PutMetricData) once they pass 10 KiB; the
// signature covers the compressed bytes, so bodies are inflated after SigV4 and before decoding.
//
// Thread-safety: pure functions; call from any thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace protocol {

// True when the Content-Encoding header lists gzip.
bool gzip_encoded(std::string_view content_encoding);

// The inflated body; nullopt when it is not valid gzip or inflates past max_bytes.
std::optional<std::string> gunzip(std::string_view body, std::size_t max_bytes);

}  // namespace protocol

#pragma once
// Where each generated service model came from (tools/gen_models.py writes these beside the
// tables), for /_gantry/health and the start-up log.
//
// A model's `protocols` (model.h) are what Gantry answers: the model's own list, then those that
// clients in use send and the model predates (gen_models.py's CLIENT_PROTOCOLS). A build from
// Debian's botocore 1.29 lists CloudWatch as query only, yet still answers JSON 1.0 and CBOR.

#include <span>
#include <string_view>

#include "protocol/model.h"

namespace protocol {

struct ModelOrigin {
  std::string_view service;      // "cloudwatch"
  std::string_view source;       // "botocore 1.43.11", "aws-cli 2.9.19", "aws-sdk 2.1692.0"
  std::string_view api_version;  // "2010-08-01"
  std::span<const Protocol> model_protocols;  // what the model itself lists
};

// One per generated model, sorted by service name.
std::span<const ModelOrigin> model_origins();

}  // namespace protocol

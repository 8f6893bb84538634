#pragma once
// Chooses the service model and wire protocol of an API request, from (in order) the
// X-Amz-Target header (JSON), the Smithy RPC v2 path (CBOR), the Action/Version parameters
// (query and ec2) and the SigV4 credential scope's service name (REST protocols).

#include <optional>
#include <string_view>

#include "http/message.h"
#include "protocol/model.h"

namespace protocol {

struct Route {
  const ServiceModel* model = nullptr;
  Protocol protocol = Protocol::Json;
};

// `scope_service` is the SigV4 credential scope's service ("sts", "elasticloadbalancing"),
// empty for unsigned requests. Returns nullopt when no model fits.
std::optional<Route> route_request(const http::Request& req, std::string_view scope_service);

}  // namespace protocol

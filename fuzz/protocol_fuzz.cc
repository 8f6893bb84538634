// The six wire-protocol decoders driven through the botocore models and the model validator, the
// way ApiPlane runs them: decode the request against a service model, validate the input, then
// encode an output and an error. Input: one byte choosing the (service, protocol) pair from
// kPairs, then a raw HTTP request (fuzz_support.h). route_request() sees the request too.

#include <string_view>
#include <utility>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "protocol/codec.h"
#include "protocol/route.h"
#include "protocol/validator.h"

namespace {

using protocol::Protocol;

constexpr std::pair<std::string_view, Protocol> kPairs[] = {
    {"dynamodb", Protocol::Json},      {"ecs", Protocol::Json},
    {"logs", Protocol::Json},          {"ecr", Protocol::Json},
    {"application-autoscaling", Protocol::Json},
    {"elbv2", Protocol::Query},        {"sts", Protocol::Query},
    {"iam", Protocol::Query},          {"cloudformation", Protocol::Query},
    {"ec2", Protocol::Ec2},            {"lambda", Protocol::RestJson},
    {"s3", Protocol::RestXml},         {"cloudwatch", Protocol::SmithyRpcV2Cbor},
    {"cloudwatch", Protocol::Query},   {"cloudwatch", Protocol::Json},
    {"ssm", Protocol::Json},
};

struct Pair {
  const protocol::ServiceModel* model;
  Protocol protocol;
};

// The pairs whose model exists and speaks the protocol (the models come from the machine's
// botocore, so an older one may lack cloudwatch's CBOR).
const std::vector<Pair>& pairs() {
  static const std::vector<Pair> all = [] {
    std::vector<Pair> out;
    for (const auto& [name, p] : kPairs) {
      const protocol::ServiceModel* m = protocol::find_model(name);
      if (m != nullptr && m->speaks(p)) out.push_back({m, p});
    }
    return out;
  }();
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || pairs().empty()) return 0;
  const Pair& pair = pairs()[data[0] % pairs().size()];
  http::Request req = fuzz::parse_raw_request(fuzz::as_view(data + 1, size - 1));
  (void)protocol::route_request(req, "");
  const protocol::Codec& codec = protocol::codec_for(pair.protocol);
  protocol::RequestContext ctx{.request_id = "00000000-0000-0000-0000-000000000000"};
  auto decoded = codec.decode(*pair.model, req);
  http::Response res;
  if (!decoded) {
    codec.encode_error(*pair.model, decoded.error(), ctx, res);
    return 0;
  }
  std::optional<protocol::AwsError> invalid =
      protocol::validate_input(*pair.model, *decoded->operation, decoded->input, pair.protocol);
  if (invalid) {
    codec.encode_error(*pair.model, *invalid, ctx, res);
    return 0;
  }
  // The encoders take any document ("never fail"): the decoded input, read against the output
  // shape, is as good an arbitrary document as any.
  codec.encode_output(*pair.model, *decoded->operation, decoded->input, ctx, res);
  return 0;
}

#pragma once
// One codec per wire protocol. A codec is the only code that knows its protocol's wire shape:
// it finds the operation in a request, decodes the input into a model document (see model.h),
// and encodes an output document or an AwsError into an HTTP response.
//
// Decoders do type conversion only (a query-string "5" becomes int64 5 for an integer member);
// constraint checks (required, enum, min/max) are the validator's job (validator.h).
// Encoders never fail: a member whose document value has the wrong type is skipped.

#include <boost/json/object.hpp>

#include "http/message.h"
#include "protocol/aws_error.h"
#include "protocol/model.h"
#include "protocol/request_context.h"

namespace protocol {

struct DecodedRequest {
  const OperationDef* operation = nullptr;
  boost::json::object input;
};

class Codec {
 public:
  virtual ~Codec() = default;
  virtual Protocol protocol() const = 0;
  // Finds the operation and decodes its input. Errors: UnknownOperationException/InvalidAction,
  // SerializationException (malformed body), and the protocol's type-conversion errors.
  virtual Result<DecodedRequest> decode(const ServiceModel& model, const http::Request& req) const = 0;
  // Fills status, headers and body for a successful call (x-amzn-RequestId included).
  virtual void encode_output(const ServiceModel& model, const OperationDef& op,
                             const boost::json::object& output, const RequestContext& ctx,
                             http::Response& res) const = 0;
  virtual void encode_error(const ServiceModel& model, const AwsError& error,
                            const RequestContext& ctx, http::Response& res) const = 0;
};

// The codec for a protocol.
const Codec& codec_for(Protocol p);

// One singleton per protocol, each defined in its own <protocol>_codec.cc.
const Codec& json_codec();        // json_codec.cc: JSON 1.0 and 1.1 (X-Amz-Target)
const Codec& cbor_codec();        // cbor_codec.cc: Smithy RPC v2 CBOR
const Codec& query_codec();       // query_codec.cc: awsquery (form in, XML out)
const Codec& ec2_codec();         // ec2_codec.cc: EC2 query dialect
const Codec& rest_json_codec();   // rest_json_codec.cc
const Codec& rest_xml_codec();    // rest_xml_codec.cc

}  // namespace protocol

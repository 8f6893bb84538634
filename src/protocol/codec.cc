#include "protocol/codec.h"

namespace protocol {

const Codec& codec_for(Protocol p) {
  switch (p) {
    case Protocol::Json: return json_codec();
    case Protocol::Query: return query_codec();
    case Protocol::Ec2: return ec2_codec();
    case Protocol::RestJson: return rest_json_codec();
    case Protocol::RestXml: return rest_xml_codec();
    case Protocol::SmithyRpcV2Cbor: return cbor_codec();
  }
  return json_codec();
}

}  // namespace protocol

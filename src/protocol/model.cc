#include "protocol/model.h"

#include <algorithm>

namespace protocol {

std::string_view protocol_name(Protocol p) {
  switch (p) {
    case Protocol::Json: return "json";
    case Protocol::Query: return "query";
    case Protocol::Ec2: return "ec2";
    case Protocol::RestJson: return "rest-json";
    case Protocol::RestXml: return "rest-xml";
    case Protocol::SmithyRpcV2Cbor: return "smithy-rpc-v2-cbor";
  }
  return "json";
}

const OperationDef* ServiceModel::find_operation(std::string_view op_name) const {
  auto it = std::lower_bound(operations.begin(), operations.end(), op_name,
                             [](const OperationDef& op, std::string_view n) { return op.name < n; });
  if (it == operations.end() || it->name != op_name) return nullptr;
  return &*it;
}

const MemberDef* ServiceModel::find_member(const ShapeDef& s, std::string_view member_name) const {
  for (const MemberDef& m : members_of(s)) {
    if (m.name == member_name) return &m;
  }
  return nullptr;
}

bool ServiceModel::speaks(Protocol p) const {
  return std::find(protocols.begin(), protocols.end(), p) != protocols.end();
}

const ServiceModel* find_model(std::string_view name) {
  auto models = all_models();
  auto it = std::lower_bound(models.begin(), models.end(), name,
                             [](const ServiceModel* m, std::string_view n) { return m->name < n; });
  if (it == models.end() || (*it)->name != name) return nullptr;
  return *it;
}

}  // namespace protocol

#pragma once
// Describe<X>Attributes and Modify<X>Attributes share one shape for load balancers, target
// groups and listeners: look the row up by ARN, answer its attributes or validate and store the
// changes. Private to the ELBv2 handlers.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "services/elbv2/attributes.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_store.h"
#include "store/db.h"
#include "store/transaction.h"

namespace services::elbv2 {

template <class Row>
struct RowAttributes {
  std::optional<Row> (Elbv2Store::*get)(std::string_view arn);
  void (Elbv2Store::*put)(const Row& row);
  std::optional<protocol::AwsError> (*apply)(boost::json::object& attributes,
                                             const boost::json::array& changes);
};

template <class Row>
protocol::Result<boost::json::object> describe_attributes(store::Db& db,
                                                          const protocol::RequestContext& ctx,
                                                          const std::string& arn,
                                                          const RowAttributes<Row>& access,
                                                          const protocol::AwsError& not_found) {
  store::Transaction tx = db.read();
  Elbv2Store st(tx, ctx.account, ctx.region);
  std::optional<Row> row = (st.*access.get)(arn);
  tx.commit();
  if (!row) {
    return not_found;
  }
  return boost::json::object{{"Attributes", attributes_list(row->attributes)}};
}

// Stores the changes in in["Attributes"] when all are valid; the caller publishes the change.
template <class Row>
protocol::Result<boost::json::object> modify_attributes(store::Db& db,
                                                        const protocol::RequestContext& ctx,
                                                        const boost::json::object& in,
                                                        const std::string& arn,
                                                        const RowAttributes<Row>& access,
                                                        const protocol::AwsError& not_found) {
  store::Transaction tx = db.begin();
  Elbv2Store st(tx, ctx.account, ctx.region);
  std::optional<Row> row = (st.*access.get)(arn);
  if (!row) {
    return not_found;
  }
  const boost::json::array* changes = arr(in, "Attributes");
  if (auto e = access.apply(row->attributes, changes ? *changes : boost::json::array{})) {
    return *e;
  }
  (st.*access.put)(*row);
  tx.commit();
  return boost::json::object{{"Attributes", attributes_list(row->attributes)}};
}

}  // namespace services::elbv2

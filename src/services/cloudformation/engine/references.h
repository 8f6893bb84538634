#pragma once
// The names a template value refers to, without evaluating it: what the dependency graph and the
// section checks need. Fn::If follows only the branch its condition chooses when `conditions`
// knows it (both branches otherwise), as CloudFormation does: a branch not taken may name a
// resource whose condition removed it.

#include <boost/json/value.hpp>
#include <set>
#include <string>

#include "services/cloudformation/engine/intrinsics.h"

namespace services::cloudformation::engine {

struct References {
  std::set<std::string> refs;        // Ref X, ${X} in Fn::Sub
  std::set<std::string> get_atts;    // the resource of Fn::GetAtt [X, a], ${X.a}
  std::set<std::string> conditions;  // Condition X, Fn::If [X, ...]
};

void collect_references(const boost::json::value& v, const ConditionValues* conditions,
                        References& out);

}  // namespace services::cloudformation::engine

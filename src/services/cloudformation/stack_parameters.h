#pragma once
// A stack's parameters as stored and shown ([{ParameterKey, ParameterValue}]) and as the engine
// takes them (a map).

#include <boost/json/array.hpp>
#include <map>
#include <string>

namespace services::cloudformation {

std::map<std::string, std::string, std::less<>> parameter_map(const boost::json::array& params);

}  // namespace services::cloudformation

#pragma once
// Shared by the load_balancing group's provider tests: requests as the stack worker builds them,
// and the update-behaviour check each type repeats.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "services/cloudformation/engine/resource_provider.h"

namespace services::cloudformation::resources {

// A create request for `logical_id` with the JSON `props`.
inline engine::ResourceRequest make_request(const engine::StackIdentity& stack,
                                            std::string logical_id, std::string_view props) {
  engine::ResourceRequest req;
  req.stack = &stack;
  req.logical_id = std::move(logical_id);
  req.properties = boost::json::parse(props);
  return req;
}

// `req` as an update to `props`: its properties become the previous ones.
inline engine::ResourceRequest as_update(engine::ResourceRequest req, std::string_view props) {
  req.previous_properties = req.properties;
  req.properties = boost::json::parse(props);
  return req;
}

inline void expect_update_behaviors(const engine::ResourceProvider& p,
                                    std::initializer_list<const char*> replaced,
                                    std::initializer_list<const char*> in_place) {
  for (const char* property : replaced) {
    EXPECT_EQ(p.update_behavior(property), engine::UpdateBehavior::Replacement) << property;
  }
  for (const char* property : in_place) {
    EXPECT_EQ(p.update_behavior(property), engine::UpdateBehavior::NoInterruption) << property;
  }
}

}  // namespace services::cloudformation::resources

#pragma once
// Stored IAM entities (iam_store.h) -> wire shapes: the private relation members dropped, empty
// tag lists left out, policy documents URL-encoded as IAM sends them.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>

#include "services/iam/managed_policies.h"

namespace services::iam {

// Role, User, Group, InstanceProfile: the entity's wire members.
boost::json::object public_view(const boost::json::object& entity);
// An InstanceProfile with its Roles (each role as `role_of` gives it) for the wire.
boost::json::object profile_view(const boost::json::object& profile,
                                 const boost::json::array& roles);
// A Policy as GetPolicy returns it, with its AttachmentCount.
boost::json::object policy_view(const boost::json::object& policy, int64_t attachments);
boost::json::object policy_view(const ManagedPolicy& policy, int64_t attachments);

}  // namespace services::iam

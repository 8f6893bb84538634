#pragma once
// Tags of an IAM entity (its "Tags" member: [{"Key","Value"}], keys unique, IAM keeps the order
// they were first added in). Used by the Tag*/Untag*/List*Tags handlers of every entity kind.

#include <boost/json/object.hpp>

namespace services::iam {

// Adds or overwrites in["Tags"] on `entity`.
void add_tags(boost::json::object& entity, const boost::json::object& in);
// Removes in["TagKeys"] from `entity`.
void remove_tags(boost::json::object& entity, const boost::json::object& in);
// List*Tags's reply: one page of the entity's tags.
boost::json::object tags_page(const boost::json::object& entity, const boost::json::object& in);

}  // namespace services::iam

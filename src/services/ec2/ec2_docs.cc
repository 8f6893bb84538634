#include "services/ec2/ec2_docs.h"

#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

bool flag(const Doc& o, std::string_view key) { return opt_bool(o, key).value_or(false); }

std::string_view tag_member(std::string_view resource_id) {
  return resource_id.starts_with("eni-") ? "TagSet" : "Tags";
}

void merge_tags(Doc& doc, std::string_view member, const json::array& tags) {
  json::value& slot = doc[member];
  if (!slot.is_array()) {
    slot = json::array();
  }
  json::array& current = slot.as_array();
  for (const json::value& t : tags) {
    const Doc& tag = t.as_object();
    std::string key = str(tag, "Key");
    json::object entry{{"Key", key}, {"Value", str(tag, "Value")}};
    bool replaced = false;
    for (json::value& existing : current) {
      if (str(existing.as_object(), "Key") == key) {
        existing = entry;
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      current.push_back(std::move(entry));
    }
  }
}

protocol::Result<void> validate_tags(const json::array& tags, bool allow_reserved) {
  if (tags.size() > 50) {
    return protocol::AwsError{"TagLimitExceeded",
                              "The maximum number of Tags for a resource has been reached."};
  }
  for (const json::value& t : tags) {
    if (!t.is_object()) {
      return errors::invalid_parameter_value("Tag is invalid");
    }
    std::string key = str(t.as_object(), "Key");
    if (key.empty()) {
      return errors::invalid_parameter_value("Tag key cannot be null or empty");
    }
    // "aws:" keys are AWS's own: CloudFormation sets aws:cloudformation:stack-name, logical-id
    // and stack-id on the resources of a stack; nobody else may.
    if (key.starts_with("aws:") && !allow_reserved) {
      return errors::invalid_parameter_value(
          "Value ( " + key +
          " ) for parameter key is invalid. Tag keys starting with 'aws:' are "
          "reserved for internal use");
    }
  }
  return {};
}

protocol::Result<json::array> tags_from_specifications(const protocol::RequestContext& ctx,
                                                       const Doc& in,
                                                       std::string_view resource_type) {
  json::array out;
  const json::array* specs = arr(in, "TagSpecifications");
  if (!specs) {
    return out;
  }
  for (const json::value& s : *specs) {
    if (!s.is_object()) {
      continue;
    }
    const Doc& spec = s.as_object();
    std::string type = str(spec, "ResourceType");
    if (type != resource_type) {
      return errors::invalid_parameter_value(
          "'" + type + "' is not a valid taggable resource type for this operation.");
    }
    if (const json::array* tags = arr(spec, "Tags")) {
      if (auto ok = validate_tags(*tags, ctx.via_cloudformation()); !ok) {
        return ok.error();
      }
      for (const json::value& t : *tags) {
        out.push_back(t);
      }
    }
  }
  return out;
}

}  // namespace services::ec2

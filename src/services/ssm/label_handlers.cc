// Labels and tags: LabelParameterVersion, UnlabelParameterVersion, AddTagsToResource,
// RemoveTagsFromResource, ListTagsForResource.

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "core/json.h"
#include "services/ssm/errors.h"
#include "services/ssm/parameter_names.h"
#include "services/ssm/ssm_json.h"
#include "services/ssm/ssm_service.h"

namespace services::ssm {

namespace json = boost::json;

namespace {

// "A version of a parameter can have a maximum of 10 labels."
constexpr std::size_t kMaxLabels = 10;
constexpr std::size_t kMaxTags = 50;

// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-labels.html
// Labels use letters, numbers, '.', '-' and '_'; they can't begin with a number, "aws" or "ssm"
// (case-insensitive).
bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 100) return false;
  if (std::isdigit(static_cast<unsigned char>(label[0]))) return false;
  std::string lower(label);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.starts_with("aws") || lower.starts_with("ssm")) return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

VersionRow* version_in(ParameterRow& p, int64_t version) {
  auto it = std::find_if(p.versions.begin(), p.versions.end(),
                         [&](const VersionRow& v) { return v.version == version; });
  return it == p.versions.end() ? nullptr : &*it;
}

json::array to_array(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

// The parameter a tagging call names: ResourceType must be Parameter.
protocol::Result<std::string> tagged_name(const Doc& in) {
  if (core::str(in, "ResourceType") != "Parameter") return errors::invalid_resource_type();
  std::optional<Selector> s = parse_selector(core::str(in, "ResourceId"));
  if (!s || s->version || s->label) return errors::invalid_resource_id();
  return s->name;
}

}  // namespace

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_LabelParameterVersion.html
// A label is on one version at most: labelling another version moves it there.
Reply SsmService::label_parameter_version(const Ctx& ctx, const Doc& in) {
  std::optional<Selector> s = parse_selector(core::str(in, "Name"));
  if (!s) return errors::parameter_not_found();
  std::vector<std::string> labels = core::strings(in, "Labels");
  std::optional<int64_t> asked = core::opt_int(in, "ParameterVersion");
  return with_parameter(ctx, s->name, [&](SsmStore& st, ParameterRow& p) -> Reply {
    int64_t version = asked.value_or(p.current().version);
    VersionRow* target = version_in(p, version);
    if (!target) return errors::version_not_found(std::to_string(version), p.name);
    std::vector<std::string> invalid;
    std::vector<std::string> added;
    for (const std::string& l : labels) {
      if (!valid_label(l)) {
        if (!has(invalid, l)) invalid.push_back(l);
      } else if (!has(target->labels, l) && !has(added, l)) {
        added.push_back(l);
      }
    }
    if (target->labels.size() + added.size() > kMaxLabels) return errors::label_limit();
    for (VersionRow& v : p.versions) {
      if (v.version == version) continue;
      std::size_t before = v.labels.size();
      std::erase_if(v.labels, [&](const std::string& l) { return has(added, l); });
      if (v.labels.size() != before) st.set_labels(p, v);
    }
    target->labels.insert(target->labels.end(), added.begin(), added.end());
    st.set_labels(p, *target);
    return json::object{{"InvalidLabels", to_array(invalid)}, {"ParameterVersion", version}};
  });
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UnlabelParameterVersion.html
Reply SsmService::unlabel_parameter_version(const Ctx& ctx, const Doc& in) {
  std::optional<Selector> s = parse_selector(core::str(in, "Name"));
  if (!s) return errors::parameter_not_found();
  std::vector<std::string> labels = core::strings(in, "Labels");
  int64_t version = core::opt_int(in, "ParameterVersion").value_or(0);
  return with_parameter(ctx, s->name, [&](SsmStore& st, ParameterRow& p) -> Reply {
    VersionRow* target = version_in(p, version);
    if (!target) return errors::version_not_found(std::to_string(version), p.name);
    std::vector<std::string> removed;
    std::vector<std::string> invalid;
    for (const std::string& l : labels) {
      if (has(target->labels, l)) {
        std::erase(target->labels, l);
        removed.push_back(l);
      } else if (!has(invalid, l) && !has(removed, l)) {
        invalid.push_back(l);
      }
    }
    st.set_labels(p, *target);
    return json::object{{"RemovedLabels", to_array(removed)}, {"InvalidLabels", to_array(invalid)}};
  });
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html
Reply SsmService::add_tags_to_resource(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> name = tagged_name(in);
  if (!name) return name.error();
  const json::array* tags = core::arr(in, "Tags");
  Reply out = with_parameter(ctx, *name, [&](SsmStore& st, ParameterRow& p) -> Reply {
    for (const json::value& t : tags ? *tags : json::array{}) {
      if (!t.is_object()) continue;
      p.tags[core::str(t.as_object(), "Key")] = core::str(t.as_object(), "Value");
    }
    if (p.tags.size() > kMaxTags) return errors::too_many_tags();
    st.set_tags(p);
    return json::object{};
  });
  if (!out && out.error().code == "ParameterNotFound") return errors::invalid_resource_id();
  return out;
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RemoveTagsFromResource.html
Reply SsmService::remove_tags_from_resource(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> name = tagged_name(in);
  if (!name) return name.error();
  Reply out = with_parameter(ctx, *name, [&](SsmStore& st, ParameterRow& p) -> Reply {
    for (const std::string& k : core::strings(in, "TagKeys")) p.tags.erase(k);
    st.set_tags(p);
    return json::object{};
  });
  if (!out && out.error().code == "ParameterNotFound") return errors::invalid_resource_id();
  return out;
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListTagsForResource.html
Reply SsmService::list_tags_for_resource(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::string> name = tagged_name(in);
  if (!name) return name.error();
  Reply out = with_parameter(ctx, *name, [&](SsmStore&, ParameterRow& p) -> Reply {
    return json::object{{"TagList", tag_list(p.tags)}};
  });
  if (!out && out.error().code == "ParameterNotFound") return errors::invalid_resource_id();
  return out;
}

}  // namespace services::ssm

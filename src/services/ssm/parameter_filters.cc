#include "services/ssm/parameter_filters.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "core/json.h"
#include "services/ssm/errors.h"
#include "services/ssm/parameter_names.h"

namespace services::ssm {

namespace json = boost::json;

namespace {

bool known_key(const std::string& key) {
  static const std::vector<std::string> keys = {"Name",  "Type", "KeyId",   "Path",
                                                "Label", "Tier", "DataType"};
  return key.starts_with("tag:") ? key.size() > 4
                                 : std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

protocol::Result<void> check_values(const StringFilter& f) {
  auto check_enum = [&](const std::vector<std::string>& allowed) -> protocol::Result<void> {
    for (const std::string& v : f.values) {
      if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
        return errors::invalid_filter_value("The following filter value is not valid: " + v +
                                            ". Valid values include: [" + joined(allowed) + "].");
      }
    }
    return {};
  };
  if (f.key == "Type") return check_enum({"String", "StringList", "SecureString"});
  if (f.key == "Tier") return check_enum({"Standard", "Advanced", "Intelligent-Tiering"});
  if (f.key != "Path") return {};
  for (const std::string& v : f.values) {
    std::string lower(v);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.starts_with("/aws") || lower.starts_with("/ssm")) {
      return errors::validation(
          "Filters for common parameters can't be prefixed with \"aws\" or \"ssm\" "
          "(case-insensitive). When using global parameters, please specify within a global "
          "namespace.");
    }
    if (auto ok = check_path(v); !ok) return ok.error();
  }
  return {};
}

protocol::Result<void> check_option(const StringFilter& f) {
  std::vector<std::string> allowed = {"BeginsWith", "Equals"};
  if (f.key == "Path") allowed = {"Recursive", "OneLevel"};
  if (f.key == "Name") allowed.push_back("Contains");
  if (f.key == "Label") allowed = {"Equals"};
  if (std::find(allowed.begin(), allowed.end(), f.option) == allowed.end()) {
    return errors::invalid_filter_option("The following filter option is not valid: " + f.option +
                                         ". Valid options include: [" + joined(allowed) + "].");
  }
  return {};
}

protocol::Result<void> check_key(const StringFilter& f, FilterUse use, std::size_t index) {
  if (!known_key(f.key)) {
    return errors::constraint(
        "parameterFilters." + std::to_string(index + 1) + ".member.key", f.key,
        "Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|"
        "DataType");
  }
  if (use == FilterUse::Describe && f.key == "Label") {
    return errors::invalid_filter_key(
        "The following filter key is not valid: Label. Valid filter keys include: [Path, Name, "
        "Type, KeyId, Tier, DataType].");
  }
  if (use == FilterUse::ByPath && (f.key == "Name" || f.key == "Path" || f.key == "Tier")) {
    return errors::invalid_filter_key("The following filter key is not valid: " + f.key +
                                      ". Valid filter keys include: [Type, KeyId, Label, "
                                      "DataType].");
  }
  if (!f.key.starts_with("tag:") && f.values.empty()) {
    return errors::invalid_filter_value(
        "The following filter values are missing : null for "
        "filter key " +
        f.key + ".");
  }
  return {};
}

bool compare(const std::string& option, const std::string& what,
             const std::vector<std::string>& values) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& v) {
    if (option == "BeginsWith") return what.starts_with(v);
    if (option == "Contains") return what.find(v) != std::string::npos;
    return what == v;
  });
}

// "/" + the name without its leading slash: Path and Name filters compare hierarchies this way.
std::string rooted(std::string_view name) { return "/" + name_key(name); }

bool path_matches(const StringFilter& f, const std::string& what) {
  return std::any_of(f.values.begin(), f.values.end(), [&](const std::string& raw) {
    std::string base = raw;
    while (base.size() > 1 && base.ends_with('/')) base.pop_back();
    std::string prefix = base == "/" ? "/" : base + "/";
    if (!what.starts_with(prefix)) return false;
    return f.option == "Recursive" || what.find('/', prefix.size()) == std::string::npos;
  });
}

bool matches(const StringFilter& f, const ParameterRow& p, const VersionRow& v) {
  if (f.key == "Name") {
    if (f.option == "Contains") return compare(f.option, p.name, f.values);
    std::vector<std::string> values;
    for (const std::string& x : f.values) values.push_back(rooted(x));
    return compare(f.option, rooted(p.name), values);
  }
  if (f.key == "Path") return path_matches(f, rooted(p.name));
  if (f.key == "Type") return compare(f.option, v.type, f.values);
  if (f.key == "KeyId") {
    return !v.key_id.empty() &&
           (compare(f.option, v.key_id, f.values) || compare(f.option, v.key_arn, f.values));
  }
  if (f.key == "Tier") return compare(f.option, v.tier, f.values);
  if (f.key == "DataType") return compare(f.option, v.data_type, f.values);
  if (f.key.starts_with("tag:")) {
    const json::value* tag = p.tags.if_contains(f.key.substr(4));
    if (!tag || !tag->is_string()) return false;
    return f.values.empty() || compare(f.option, std::string(tag->as_string()), f.values);
  }
  return true;  // Label: chosen by select_version
}

}  // namespace

protocol::Result<std::vector<StringFilter>> parse_filters(const json::array* filters,
                                                          FilterUse use) {
  std::vector<StringFilter> out;
  if (!filters) return out;
  for (std::size_t i = 0; i < filters->size(); ++i) {
    if (!(*filters)[i].is_object()) continue;
    const json::object& o = (*filters)[i].as_object();
    StringFilter f;
    f.key = core::str(o, "Key");
    f.option = core::str(o, "Option", f.key == "Path" ? "OneLevel" : "Equals");
    f.values = core::strings(o, "Values");
    if (auto ok = check_key(f, use, i); !ok) return ok.error();
    for (const StringFilter& seen : out) {
      if (seen.key == f.key) {
        return errors::invalid_filter_key(
            "The following filter is duplicated in the request: " + f.key +
            ". A request can contain only one occurrence of a "
            "specific filter.");
      }
    }
    if (auto ok = check_option(f); !ok) return ok.error();
    if (auto ok = check_values(f); !ok) return ok.error();
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<StringFilter> legacy_filters(const json::array& filters) {
  std::vector<StringFilter> out;
  for (const json::value& v : filters) {
    if (!v.is_object()) continue;
    StringFilter f;
    f.key = core::str(v.as_object(), "Key");
    f.option = f.key == "Name" ? "BeginsWith" : "Equals";
    f.values = core::strings(v.as_object(), "Values");
    out.push_back(std::move(f));
  }
  return out;
}

const VersionRow* select_version(const std::vector<StringFilter>& filters, const ParameterRow& p) {
  const VersionRow* chosen = &p.current();
  for (const StringFilter& f : filters) {
    if (f.key != "Label") continue;
    auto it = std::find_if(p.versions.begin(), p.versions.end(), [&](const VersionRow& v) {
      return std::any_of(v.labels.begin(), v.labels.end(), [&](const std::string& l) {
        return std::find(f.values.begin(), f.values.end(), l) != f.values.end();
      });
    });
    if (it == p.versions.end()) return nullptr;
    chosen = &*it;
  }
  for (const StringFilter& f : filters) {
    if (!matches(f, p, *chosen)) return nullptr;
  }
  return chosen;
}

}  // namespace services::ssm

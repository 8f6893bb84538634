#include "services/elbv2/elbv2_json.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/base64.h"
#include "core/ids.h"
#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;

json::array to_array(const std::vector<std::string>& values) {
  json::array out;
  for (const std::string& v : values) {
    out.emplace_back(v);
  }
  return out;
}

double epoch(core::TimePoint t) { return static_cast<double>(core::to_epoch_millis(t)) / 1000.0; }

std::string elb_arn(const protocol::RequestContext& ctx, std::string_view resource) {
  return core::ids::arn("elasticloadbalancing", ctx.region, ctx.account, resource);
}

std::string elb_id() { return core::ids::random_hex(16); }

bool arn_of_kind(const protocol::RequestContext& ctx, std::string_view arn, std::string_view kind) {
  core::ids::ParsedArn parsed;
  if (!core::ids::parse_arn(arn, &parsed)) {
    return false;
  }
  return parsed.service == "elasticloadbalancing" && parsed.region == ctx.region &&
         parsed.account == ctx.account && parsed.resource.starts_with(std::string(kind) + "/");
}

std::string load_balancer_arn_of(std::string_view arn) {
  // arn:...:listener/app/<name>/<lb id>/<listener id>[/<rule id>]
  // → arn:...:loadbalancer/app/<name>/<lb id>
  std::string out(arn);
  std::size_t kind = out.find(":listener-rule/");
  std::size_t kind_len = std::string_view(":listener-rule/").size();
  if (kind == std::string::npos) {
    kind = out.find(":listener/");
    kind_len = std::string_view(":listener/").size();
  }
  if (kind == std::string::npos) {
    return "";
  }
  std::string rest = out.substr(kind + kind_len);  // app/<name>/<lb id>/...
  std::size_t slash = 0;
  for (int i = 0; i < 3 && slash != std::string::npos; ++i) {
    slash = rest.find('/', i == 0 ? 0 : slash + 1);
  }
  if (slash == std::string::npos) {
    return "";
  }
  return out.substr(0, kind) + ":loadbalancer/" + rest.substr(0, slash);
}

protocol::Result<Page> read_page(const Doc& in) {
  Page page;
  if (std::optional<int64_t> size = opt_int(in, "PageSize")) {
    if (*size < 1 || *size > 400) {
      return errors::validation("Page size must be between 1 and 400");
    }
    page.size = *size;
  }
  if (std::optional<std::string> marker = opt_str(in, "Marker")) {
    std::optional<std::string> decoded = core::base64_decode(*marker);
    if (!decoded || !decoded->starts_with("elbv2:")) {
      return errors::validation("Invalid marker '" + *marker + "'");
    }
    page.after = decoded->substr(6);
  }
  return page;
}

std::string make_marker(std::string_view last_key) {
  return core::base64_encode("elbv2:" + std::string(last_key));
}

json::array attributes_list(const Doc& attributes) {
  json::array out;
  for (const auto& [k, v] : attributes) {
    out.push_back(json::object{{"Key", k}, {"Value", v}});
  }
  return out;
}

std::map<std::string, std::string> attributes_map(const Doc& attributes) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : attributes) {
    if (v.is_string()) {
      out.emplace(std::string(k), std::string(v.get_string()));
    }
  }
  return out;
}

std::optional<protocol::AwsError> check_tags(const json::array& tags, bool allow_reserved) {
  std::set<std::string> seen;
  for (const json::value& v : tags) {
    if (!v.is_object()) {
      continue;
    }
    std::string key = str(v.get_object(), "Key");
    std::string value = str(v.get_object(), "Value");
    if (key.empty() || key.size() > 128) {
      return errors::validation("Tag key must be between 1 and 128 characters");
    }
    if (key.starts_with("aws:") && !allow_reserved) {
      return errors::validation("Tag keys starting with 'aws:' are reserved for internal use");
    }
    if (value.size() > 256) {
      return errors::validation("Tag value cannot be longer than 256 characters");
    }
    if (!seen.insert(key).second) {
      return errors::duplicate_tag_keys(key);
    }
  }
  return std::nullopt;
}

std::string_view canonical_hosted_zone_id(std::string_view region) {
  // https://docs.aws.amazon.com/general/latest/gr/elb.html (Application Load Balancers)
  static const std::map<std::string_view, std::string_view> kZones = {
      {"us-east-1", "Z35SXDOTRQ7X7K"},      {"us-east-2", "Z3AADJGX6KTTL2"},
      {"us-west-1", "Z368ELLRRE2KJ0"},      {"us-west-2", "Z1H1FL5HABSF5"},
      {"af-south-1", "Z268VQBMOI5EKX"},     {"ap-east-1", "Z3DQVH9N71FHZ0"},
      {"ap-south-1", "ZP97RAFLXTNZK"},      {"ap-northeast-1", "Z14GRHDCWA56QT"},
      {"ap-northeast-2", "ZWKZPGTI48KDX"},  {"ap-northeast-3", "Z5LXEXXYW11ES"},
      {"ap-southeast-1", "Z1LMS91P8CMLE5"}, {"ap-southeast-2", "Z1GM3OXH4ZPM65"},
      {"ca-central-1", "ZQSVJUPU6J1EY"},    {"eu-central-1", "Z215JYRZR1TBD5"},
      {"eu-west-1", "Z32O12XQLNTSW2"},      {"eu-west-2", "ZHURV8PSTC4K8"},
      {"eu-west-3", "Z3Q77PNBQS71R4"},      {"eu-north-1", "Z23TAZ7KH9LL8M"},
      {"eu-south-1", "Z3ULH7SSC9OV64"},     {"me-south-1", "ZS929ML54UICD"},
      {"sa-east-1", "Z2P70J7HTTTPLU"},
  };
  auto it = kZones.find(region);
  return it == kZones.end() ? std::string_view("Z35SXDOTRQ7X7K") : it->second;
}

std::optional<protocol::AwsError> check_name(std::string_view kind, const std::string& name) {
  std::string what = std::string(kind) + " name '" + name + "'";
  if (name.empty() || name.size() > 32) {
    return errors::validation(what + " cannot be longer than '32' characters");
  }
  bool ok = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
  if (!ok) {
    return errors::validation(what +
                              " can only contain characters that are alphanumeric characters "
                              "or hyphens(-)");
  }
  if (name.front() == '-' || name.back() == '-') {
    return errors::validation(what + " cannot begin or end with '-'");
  }
  return std::nullopt;
}

}  // namespace services::elbv2

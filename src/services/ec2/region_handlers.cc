// Regions and their Availability Zones: fixed facts, as a new account sees them.

#include <array>
#include <boost/json/array.hpp>

#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 17> kRegions{
    "ap-south-1",     "eu-north-1",     "eu-west-3",      "eu-west-2",    "eu-west-1",
    "ap-northeast-3", "ap-northeast-2", "ap-northeast-1", "ca-central-1", "sa-east-1",
    "ap-southeast-1", "ap-southeast-2", "eu-central-1",   "us-east-1",    "us-east-2",
    "us-west-1",      "us-west-2"};

// "us-east-1" → "use1", "ap-southeast-2" → "apse2", as AWS abbreviates regions in zone ids.
std::string region_code(std::string_view region) {
  std::string out;
  std::size_t first = region.find('-');
  std::size_t last = region.rfind('-');
  if (first == std::string_view::npos || last == first) {
    return std::string(region);
  }
  out = region.substr(0, first);
  std::string_view direction = region.substr(first + 1, last - first - 1);
  for (std::string_view word : {"north", "south", "east", "west", "central"}) {
    if (direction.starts_with(word)) {
      out += word[0];
      direction.remove_prefix(word.size());
    }
  }
  for (std::string_view word : {"east", "west"}) {
    if (direction.starts_with(word)) {
      out += word[0];
      direction.remove_prefix(word.size());
    }
  }
  out += region.substr(last + 1);
  return out;
}

FilterTable zone_filters() {
  FilterTable t;
  t.tags_member = "";
  t.names = {{"zone-name", path("ZoneName")},
             {"zone-id", path("ZoneId")},
             {"state", path("State")},
             {"region-name", path("RegionName")},
             {"zone-type", path("ZoneType")},
             {"group-name", path("GroupName")},
             {"opt-in-status", path("OptInStatus")},
             {"network-border-group", path("NetworkBorderGroup")},
             {"message", path("Messages.Message")}};
  return t;
}

FilterTable region_filters() {
  FilterTable t;
  t.tags_member = "";
  t.names = {{"region-name", path("RegionName")},
             {"endpoint", path("Endpoint")},
             {"opt-in-status", path("OptInStatus")}};
  return t;
}

}  // namespace

std::vector<std::string> zone_names(std::string_view region) {
  return {std::string(region) + "a", std::string(region) + "b", std::string(region) + "c"};
}

std::string zone_id(std::string_view region, std::string_view zone_name) {
  if (zone_name.size() != region.size() + 1 || !zone_name.starts_with(region)) {
    return "";
  }
  return region_code(region) + "-az" + std::to_string(zone_name.back() - 'a' + 1);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html
Reply Ec2Service::describe_availability_zones(const Ctx& ctx, const Doc& in) {
  if (flag(in, "DryRun")) {
    return errors::dry_run();
  }
  static const FilterTable table = zone_filters();
  auto filters = parse_filters(in, table);
  if (!filters) {
    return filters.error();
  }
  std::vector<std::string> names = strings(in, "ZoneNames");
  std::vector<std::string> ids = strings(in, "ZoneIds");
  std::vector<std::string> zones = zone_names(ctx.region);
  auto known = [&](const std::string& value, bool by_id) {
    for (const std::string& z : zones) {
      if ((by_id ? zone_id(ctx.region, z) : z) == value) {
        return true;
      }
    }
    return false;
  };
  for (const std::string& n : names) {
    if (!known(n, false)) {
      return errors::invalid_parameter_value("The zone '" + n + "' does not exist.");
    }
  }
  for (const std::string& i : ids) {
    if (!known(i, true)) {
      return errors::invalid_parameter_value("The zone id '" + i + "' does not exist.");
    }
  }
  json::array out;
  for (const std::string& z : zones) {
    std::string id = zone_id(ctx.region, z);
    bool named = names.empty() && ids.empty();
    for (const std::string& n : names) {
      named = named || n == z;
    }
    for (const std::string& i : ids) {
      named = named || i == id;
    }
    Doc doc{{"State", "available"},
            {"OptInStatus", "opt-in-not-required"},
            {"Messages", json::array()},
            {"RegionName", ctx.region},
            {"ZoneName", z},
            {"ZoneId", id},
            {"GroupName", ctx.region},
            {"NetworkBorderGroup", ctx.region},
            {"ZoneType", "availability-zone"}};
    if (named && matches(doc, *filters, table)) {
      out.push_back(std::move(doc));
    }
  }
  return Doc{{"AvailabilityZones", std::move(out)}};
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
Reply Ec2Service::describe_regions(const Ctx& ctx, const Doc& in) {
  if (flag(in, "DryRun")) {
    return errors::dry_run();
  }
  static const FilterTable table = region_filters();
  auto filters = parse_filters(in, table);
  if (!filters) {
    return filters.error();
  }
  std::vector<std::string> regions(kRegions.begin(), kRegions.end());
  if (std::find(regions.begin(), regions.end(), ctx.region) == regions.end()) {
    regions.push_back(ctx.region);
  }
  std::vector<std::string> names = strings(in, "RegionNames");
  for (const std::string& n : names) {
    if (std::find(regions.begin(), regions.end(), n) == regions.end()) {
      return protocol::AwsError{"InvalidParameterValue", "Invalid region: " + n};
    }
  }
  json::array out;
  for (const std::string& r : regions) {
    if (!names.empty() && std::find(names.begin(), names.end(), r) == names.end()) {
      continue;
    }
    Doc doc{{"Endpoint", "ec2." + r + ".amazonaws.com"},
            {"RegionName", r},
            {"OptInStatus", "opt-in-not-required"}};
    if (matches(doc, *filters, table)) {
      out.push_back(std::move(doc));
    }
  }
  return Doc{{"Regions", std::move(out)}};
}

}  // namespace services::ec2

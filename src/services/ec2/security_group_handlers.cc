// Security groups and their rules: create, delete, describe; authorize, revoke and describe
// rules, update their descriptions.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html and siblings.
// Rules live in their own rows, one peer each; a group's IpPermissions are derived from them.

#include <array>
#include <boost/json/array.hpp>
#include <set>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"
#include "services/ec2/permissions.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

FilterTable group_filters() {
  FilterTable t;
  t.names = {
      {"group-id", path("GroupId")},
      {"group-name", path("GroupName")},
      {"description", path("Description")},
      {"vpc-id", path("VpcId")},
      {"owner-id", path("OwnerId")},
      {"ip-permission.cidr", path("IpPermissions.IpRanges.CidrIp")},
      {"ip-permission.ipv6-cidr", path("IpPermissions.Ipv6Ranges.CidrIpv6")},
      {"ip-permission.from-port", path("IpPermissions.FromPort")},
      {"ip-permission.to-port", path("IpPermissions.ToPort")},
      {"ip-permission.protocol", path("IpPermissions.IpProtocol")},
      {"ip-permission.group-id", path("IpPermissions.UserIdGroupPairs.GroupId")},
      {"ip-permission.group-name", path("IpPermissions.UserIdGroupPairs.GroupName")},
      {"ip-permission.prefix-list-id", path("IpPermissions.PrefixListIds.PrefixListId")},
      {"ip-permission.user-id", path("IpPermissions.UserIdGroupPairs.UserId")},
      {"egress.ip-permission.cidr", path("IpPermissionsEgress.IpRanges.CidrIp")},
      {"egress.ip-permission.ipv6-cidr", path("IpPermissionsEgress.Ipv6Ranges.CidrIpv6")},
      {"egress.ip-permission.from-port", path("IpPermissionsEgress.FromPort")},
      {"egress.ip-permission.to-port", path("IpPermissionsEgress.ToPort")},
      {"egress.ip-permission.protocol", path("IpPermissionsEgress.IpProtocol")},
      {"egress.ip-permission.group-id", path("IpPermissionsEgress.UserIdGroupPairs.GroupId")},
      {"egress.ip-permission.group-name", path("IpPermissionsEgress.UserIdGroupPairs.GroupName")},
      {"egress.ip-permission.prefix-list-id",
       path("IpPermissionsEgress.PrefixListIds.PrefixListId")},
      {"egress.ip-permission.user-id", path("IpPermissionsEgress.UserIdGroupPairs.UserId")},
  };
  return t;
}

FilterTable rule_filters() {
  FilterTable t;
  t.names = {{"group-id", path("GroupId")},
             {"security-group-rule-id", path("SecurityGroupRuleId")}};
  return t;
}

// A group by id, or by name in the default VPC, as EC2 resolves GroupName for VPC groups.
protocol::Result<Doc> find_group(Ec2Store& st, const Doc& in) {
  if (std::optional<std::string> id = opt_str(in, "GroupId")) {
    std::optional<Doc> group = st.get(Kind::SecurityGroup, *id);
    if (!group) {
      return errors::group_not_found(*id);
    }
    return std::move(*group);
  }
  if (std::optional<std::string> name = opt_str(in, "GroupName")) {
    std::string vpc_id = st.default_vpc_id().value_or("");
    for (Row& row : st.list_in_vpc(Kind::SecurityGroup, vpc_id)) {
      if (str(row.doc, "GroupName") == *name) {
        return std::move(row.doc);
      }
    }
    return errors::group_name_not_found(*name, vpc_id);
  }
  return errors::missing_parameter("groupId");
}

}  // namespace

Doc Ec2Service::make_security_group(Ec2Store& st, std::string_view vpc_id, std::string_view name,
                                    std::string_view description, const json::array& tags) {
  std::string group_id = core::ids::resource_id("sg");
  Doc group{{"GroupId", group_id},
            {"GroupName", name},
            {"Description", description},
            {"VpcId", vpc_id},
            {"OwnerId", st.account()},
            {"SecurityGroupArn", resource_arn(st, "security-group", group_id)},
            {"Tags", tags}};
  st.put(Kind::SecurityGroup, group_id, vpc_id, "", group);
  // Every new group may send anything anywhere, over IPv6 too in a VPC that has an IPv6 block
  // (moto's AWS-verified test_create_two_security_groups_in_vpc_with_ipv6_enabled); the default
  // group also admits its own members.
  auto allow_all_egress = [&](std::string_view member, std::string_view cidr) {
    add_rule(st, group, true,
             Doc{{"IsEgress", true},
                 {"IpProtocol", "-1"},
                 {"FromPort", -1},
                 {"ToPort", -1},
                 {member, cidr}});
  };
  allow_all_egress("CidrIpv4", "0.0.0.0/0");
  std::optional<Doc> vpc = st.get(Kind::Vpc, std::string(vpc_id));
  const json::array* ipv6 = vpc ? arr(*vpc, "Ipv6CidrBlockAssociationSet") : nullptr;
  if (ipv6 && !ipv6->empty()) allow_all_egress("CidrIpv6", "::/0");
  if (name == "default") {
    add_rule(st, group, false,
             Doc{{"IsEgress", false},
                 {"IpProtocol", "-1"},
                 {"FromPort", -1},
                 {"ToPort", -1},
                 {"ReferencedGroupInfo", Doc{{"GroupId", group_id}, {"UserId", st.account()}}}});
  }
  return group;
}

Doc Ec2Service::group_view(Ec2Store& st, Doc group) {
  std::vector<Doc> ingress, egress;
  for (Row& rule : st.list_under(Kind::SecurityGroupRule, str(group, "GroupId"))) {
    (flag(rule.doc, "IsEgress") ? egress : ingress).push_back(std::move(rule.doc));
  }
  group["IpPermissions"] = to_ip_permissions(ingress);
  group["IpPermissionsEgress"] = to_ip_permissions(egress);
  return group;
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
Reply Ec2Service::create_security_group(const Ctx& ctx, const Doc& in) {
  auto tags = tags_from_specifications(ctx, in, "security-group");
  if (!tags) {
    return tags.error();
  }
  std::string name = str(in, "GroupName");
  std::string description = str(in, "Description");
  if (name.empty()) {
    return errors::missing_parameter("groupName");
  }
  if (description.empty()) {
    return errors::missing_parameter("groupDescription");
  }
  if (name == "default") {
    return errors::invalid_parameter_value("Cannot use reserved security group name: default");
  }
  if (name.starts_with("sg-")) {
    return errors::invalid_parameter_value("Group names may not be in the format sg-*.");
  }
  if (name.size() > 255 || description.size() > 255) {
    return errors::invalid_parameter_value(
        "Value for parameter groupName or groupDescription exceeds 255 characters.");
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::string vpc_id = str(in, "VpcId");
    if (vpc_id.empty()) {
      vpc_id = st.default_vpc_id().value_or("");
      if (vpc_id.empty() || !st.get(Kind::Vpc, vpc_id)) {
        return protocol::AwsError{"VPCIdNotSpecified",
                                  "No default VPC for this user. GroupName is only supported for "
                                  "EC2-Classic and default VPC."};
      }
    } else if (!st.get(Kind::Vpc, vpc_id)) {
      return errors::vpc_not_found(vpc_id);
    }
    for (const Row& row : st.list_in_vpc(Kind::SecurityGroup, vpc_id)) {
      if (str(row.doc, "GroupName") == name) {
        return errors::group_duplicate(name, vpc_id);
      }
    }
    Doc group = make_security_group(st, vpc_id, name, description, *tags);
    Doc out{{"GroupId", str(group, "GroupId")},
            {"SecurityGroupArn", str(group, "SecurityGroupArn")}};
    if (!tags->empty()) {
      out["Tags"] = *tags;
    }
    return out;
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html
Reply Ec2Service::delete_security_group(const Ctx& ctx, const Doc& in) {
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto group = find_group(st, in);
    if (!group) {
      return group.error();
    }
    std::string group_id = str(*group, "GroupId");
    std::string vpc_id = str(*group, "VpcId");
    if (str(*group, "GroupName") == "default") {
      return errors::cannot_delete_default_group(group_id);
    }
    // Still used by a network interface, or named as the source of another group's rule.
    for (const Row& eni : st.list_in_vpc(Kind::NetworkInterface, vpc_id)) {
      for (const std::string& id : values_at(eni.doc, "Groups.GroupId")) {
        if (id == group_id) {
          return errors::group_in_use(group_id);
        }
      }
    }
    for (const Row& rule : st.list_in_vpc(Kind::SecurityGroupRule, vpc_id)) {
      const Doc* ref = obj(rule.doc, "ReferencedGroupInfo");
      if (ref && str(*ref, "GroupId") == group_id && str(rule.doc, "GroupId") != group_id) {
        return errors::group_in_use(group_id);
      }
    }
    for (const Row& rule : st.list_under(Kind::SecurityGroupRule, group_id)) {
      st.remove(rule.id);
    }
    st.remove(group_id);
    return Doc{{"Return", true}, {"GroupId", group_id}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html
Reply Ec2Service::describe_security_groups(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = group_filters();
  std::vector<std::string> names = strings(in, "GroupNames");
  if (names.empty()) {
    return describe(ctx, in,
                    {Kind::SecurityGroup, "GroupIds", "SecurityGroups", &table,
                     [](std::string_view id) { return errors::group_not_found(id); }},
                    [this](Ec2Store& st, Doc doc) { return group_view(st, std::move(doc)); });
  }
  // GroupNames name groups of the default VPC; each must exist.
  auto filters = parse_filters(in, table);
  if (!filters) {
    return filters.error();
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::vector<std::string> ids = strings(in, "GroupIds");
    json::array out;
    for (const std::string& name : names) {
      auto group = find_group(st, Doc{{"GroupName", name}});
      if (!group) {
        return group.error();
      }
      if (!ids.empty() && std::find(ids.begin(), ids.end(), str(*group, "GroupId")) == ids.end()) {
        continue;
      }
      Doc view = group_view(st, std::move(*group));
      if (matches(view, *filters, table)) {
        out.push_back(public_view(std::move(view)));
      }
    }
    return Doc{{"SecurityGroups", std::move(out)}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroupRules.html
Reply Ec2Service::describe_security_group_rules(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = rule_filters();
  // A group-id filter value is checked as an id (moto's AWS-verified
  // test_invalid_security_group_id_in_rules_search).
  if (const json::array* filters = arr(in, "Filters")) {
    for (const json::value& f : *filters) {
      if (!f.is_object() || str(f.get_object(), "Name") != "group-id") continue;
      if (const json::array* values = arr(f.get_object(), "Values")) {
        for (const json::value& v : *values) {
          if (v.is_string() && !v.get_string().starts_with("sg-")) {
            return errors::group_id_malformed(v.get_string());
          }
        }
      }
    }
  }
  return describe(ctx, in,
                  {Kind::SecurityGroupRule, "SecurityGroupRuleIds", "SecurityGroupRules", &table,
                   [](std::string_view id) { return errors::rule_not_found(id); }});
}

// Rules.
Doc Ec2Service::add_rule(Ec2Store& st, const Doc& group, bool egress, const Doc& rule_fields) {
  std::string rule_id = core::ids::resource_id("sgr");
  std::string group_id = str(group, "GroupId");
  Doc rule = rule_fields;
  rule["SecurityGroupRuleId"] = rule_id;
  rule["GroupId"] = group_id;
  rule["GroupOwnerId"] = str(group, "OwnerId");
  rule["IsEgress"] = egress;
  rule["SecurityGroupRuleArn"] = resource_arn(st, "security-group-rule", rule_id);
  if (!rule.contains("Tags")) {
    rule["Tags"] = json::array();
  }
  st.put(Kind::SecurityGroupRule, rule_id, str(group, "VpcId"), group_id, rule);
  return rule;
}

namespace {

// The rule `id` of direction `egress` among a group's rules, or end().
std::vector<Row>::iterator rule_by_id(std::vector<Row>& rules, const std::string& id, bool egress) {
  return std::find_if(rules.begin(), rules.end(), [&](const Row& r) {
    return r.id == id && flag(r.doc, "IsEgress") == egress;
  });
}

// The existing rule that an expanded rule names (same direction, protocol, ports and peer), or
// end().
std::vector<Row>::iterator rule_like(std::vector<Row>& rules, const Doc& wanted) {
  std::string key = rule_key(wanted);
  return std::find_if(rules.begin(), rules.end(),
                      [&](const Row& r) { return rule_key(r.doc) == key; });
}

Reply authorize(Ec2Service& svc, const Ctx& ctx, const Doc& in, bool egress) {
  auto tags = tags_from_specifications(ctx, in, "security-group-rule");
  if (!tags) {
    return tags.error();
  }
  return svc.run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto group = find_group(st, in);
    if (!group) {
      return group.error();
    }
    auto rules = expand_permissions(st, *group, in, egress);
    if (!rules) {
      return rules.error();
    }
    std::set<std::string> existing;
    for (const Row& row : st.list_under(Kind::SecurityGroupRule, str(*group, "GroupId"))) {
      existing.insert(rule_key(row.doc));
    }
    json::array added;
    for (Doc& rule : *rules) {
      if (!existing.insert(rule_key(rule)).second) {
        return errors::permission_duplicate(describe_rule(rule));
      }
      rule["Tags"] = *tags;
      added.push_back(public_view(svc.add_rule(st, *group, egress, rule)));
    }
    return Doc{{"Return", true}, {"SecurityGroupRules", std::move(added)}};
  });
}

Reply revoke(Ec2Service& svc, const Ctx& ctx, const Doc& in, bool egress) {
  return svc.run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto group = find_group(st, in);
    if (!group) {
      return group.error();
    }
    std::string group_id = str(*group, "GroupId");
    std::vector<Row> current = st.list_under(Kind::SecurityGroupRule, group_id);
    std::vector<std::string> doomed;
    std::vector<std::string> rule_ids = strings(in, "SecurityGroupRuleIds");
    for (const std::string& id : rule_ids) {
      if (rule_by_id(current, id, egress) == current.end()) {
        return errors::rule_not_found(id);
      }
      doomed.push_back(id);
    }
    if (rule_ids.empty() || arr(in, "IpPermissions") || opt_str(in, "IpProtocol") ||
        opt_str(in, "CidrIp") || opt_str(in, "SourceSecurityGroupName")) {
      auto wanted = expand_permissions(st, *group, in, egress);
      if (!wanted) {
        if (!rule_ids.empty() && wanted.error().code == "MissingParameter") {
          wanted = std::vector<Doc>{};
        } else {
          return wanted.error();
        }
      }
      for (const Doc& w : *wanted) {
        auto it = rule_like(current, w);
        if (it == current.end()) {
          return errors::permission_not_found();
        }
        doomed.push_back(it->id);
      }
    }
    json::array revoked;
    std::set<std::string> seen;
    for (const std::string& id : doomed) {
      if (!seen.insert(id).second) {
        continue;
      }
      auto it =
          std::find_if(current.begin(), current.end(), [&](const Row& r) { return r.id == id; });
      Doc r{{"SecurityGroupRuleId", id},
            {"GroupId", group_id},
            {"IsEgress", egress},
            {"IpProtocol", str(it->doc, "IpProtocol")},
            {"FromPort", opt_int(it->doc, "FromPort").value_or(-1)},
            {"ToPort", opt_int(it->doc, "ToPort").value_or(-1)}};
      for (std::string_view m : {"CidrIpv4", "CidrIpv6", "PrefixListId", "Description"}) {
        if (auto v = opt_str(it->doc, m)) {
          r[m] = *v;
        }
      }
      if (const Doc* ref = obj(it->doc, "ReferencedGroupInfo")) {
        r["ReferencedGroupId"] = str(*ref, "GroupId");
      }
      revoked.push_back(std::move(r));
      st.remove(id);
    }
    return Doc{{"Return", true}, {"RevokedSecurityGroupRules", std::move(revoked)}};
  });
}

// Sets the descriptions of existing rules, named by their permission (the description given with
// each peer, none to clear it) or by rule id.
Reply update_descriptions(Ec2Service& svc, const Ctx& ctx, const Doc& in, bool egress) {
  return svc.run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto group = find_group(st, in);
    if (!group) {
      return group.error();
    }
    std::string group_id = str(*group, "GroupId");
    std::vector<Row> current = st.list_under(Kind::SecurityGroupRule, group_id);
    auto save = [&](Row& row, std::optional<std::string> description) {
      if (description) {
        row.doc["Description"] = *description;
      } else {
        row.doc.erase("Description");
      }
      st.put(Kind::SecurityGroupRule, row.id, str(*group, "VpcId"), group_id, row.doc);
    };
    if (const boost::json::array* by_id = arr(in, "SecurityGroupRuleDescriptions")) {
      for (const boost::json::value& v : *by_id) {
        std::string id = str(v.as_object(), "SecurityGroupRuleId");
        auto it = rule_by_id(current, id, egress);
        if (it == current.end()) {
          return errors::rule_not_found(id);
        }
        save(*it, opt_str(v.as_object(), "Description"));
      }
    }
    if (arr(in, "IpPermissions")) {
      auto wanted = expand_permissions(st, *group, in, egress);
      if (!wanted) {
        return wanted.error();
      }
      for (const Doc& w : *wanted) {
        auto it = rule_like(current, w);
        if (it == current.end()) {
          return errors::permission_not_found();
        }
        save(*it, opt_str(w, "Description"));
      }
    }
    return Doc{{"Return", true}};
  });
}

// One SecurityGroupRuleRequest of ModifySecurityGroupRules as the IpPermissions entry that
// AuthorizeSecurityGroup* would take, with ModifySecurityGroupRules' own checks and words (moto's
// AWS-verified test_modify_security_group_rules).
protocol::Result<Doc> permission_of(const Doc& rule) {
  std::optional<std::string> protocol = opt_str(rule, "IpProtocol");
  if (!protocol) {
    return errors::invalid_parameter_value(
        "Invalid value 'null' for protocol. VPC security group rules must specify protocols "
        "explicitly.");
  }
  bool ported = *protocol == "tcp" || *protocol == "udp" || *protocol == "6" || *protocol == "17";
  if (ported && (!opt_int(rule, "FromPort") || !opt_int(rule, "ToPort"))) {
    return errors::invalid_parameter_value(
        "Invalid value for portRange. Must specify both from and to ports with TCP/UDP.");
  }
  // The rule's peer member, the IpPermissions list that carries it and the entry's member.
  static constexpr std::array<std::array<std::string_view, 3>, 4> kPeers{{
      {"CidrIpv4", "IpRanges", "CidrIp"},
      {"CidrIpv6", "Ipv6Ranges", "CidrIpv6"},
      {"PrefixListId", "PrefixListIds", "PrefixListId"},
      {"ReferencedGroupId", "UserIdGroupPairs", "GroupId"},
  }};
  Doc peer;
  std::string_view list;
  int peers = 0;
  for (const auto& [member, list_name, entry_member] : kPeers) {
    if (auto v = opt_str(rule, member)) {
      ++peers;
      list = list_name;
      peer[entry_member] = *v;
    }
  }
  if (peers == 0) {
    return protocol::AwsError{"MissingParameter",
                    "The request must contain exactly one of: cidrIp, cidrIpv6, prefixListId, "
                    "or referencedGroupId"};
  }
  if (peers > 1) {
    return errors::invalid_parameter_combination(
        "Only one of cidrIp, cidrIpv6, prefixListId, or referencedGroupId can be specified");
  }
  if (auto d = opt_str(rule, "Description")) peer["Description"] = *d;
  Doc permission{{"IpProtocol", *protocol}, {std::string(list), json::array{peer}}};
  for (std::string_view port : {"FromPort", "ToPort"}) {
    if (auto p = opt_int(rule, port)) permission[port] = *p;
  }
  return permission;
}

}  // namespace

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UpdateSecurityGroupRuleDescriptionsIngress.html
Reply Ec2Service::update_security_group_rule_descriptions_ingress(const Ctx& ctx, const Doc& in) {
  return update_descriptions(*this, ctx, in, false);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UpdateSecurityGroupRuleDescriptionsEgress.html
Reply Ec2Service::update_security_group_rule_descriptions_egress(const Ctx& ctx, const Doc& in) {
  return update_descriptions(*this, ctx, in, true);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
Reply Ec2Service::authorize_security_group_ingress(const Ctx& ctx, const Doc& in) {
  return authorize(*this, ctx, in, false);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupEgress.html
Reply Ec2Service::authorize_security_group_egress(const Ctx& ctx, const Doc& in) {
  return authorize(*this, ctx, in, true);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupIngress.html
Reply Ec2Service::revoke_security_group_ingress(const Ctx& ctx, const Doc& in) {
  return revoke(*this, ctx, in, false);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupEgress.html
Reply Ec2Service::revoke_security_group_egress(const Ctx& ctx, const Doc& in) {
  return revoke(*this, ctx, in, true);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySecurityGroupRules.html
// Each rule keeps its id, direction and tags and takes the protocol, ports, peer and description
// given; a change that would duplicate another rule of the group is refused.
Reply Ec2Service::modify_security_group_rules(const Ctx& ctx, const Doc& in) {
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto group = find_group(st, in);
    if (!group) {
      return group.error();
    }
    std::string group_id = str(*group, "GroupId");
    std::vector<Row> current = st.list_under(Kind::SecurityGroupRule, group_id);
    const json::array* requests = arr(in, "SecurityGroupRules");
    for (const json::value& v : requests ? *requests : json::array()) {
      const Doc& request = v.as_object();
      std::string id = str(request, "SecurityGroupRuleId");
      auto it = std::find_if(current.begin(), current.end(),
                             [&](const Row& r) { return r.id == id; });
      if (it == current.end()) {
        return errors::rule_not_found(id);
      }
      const Doc* wanted = obj(request, "SecurityGroupRule");
      auto permission = permission_of(wanted ? *wanted : Doc{});
      if (!permission) {
        return permission.error();
      }
      bool egress = flag(it->doc, "IsEgress");
      auto rules = expand_permissions(
          st, *group, Doc{{"IpPermissions", json::array{std::move(*permission)}}}, egress);
      if (!rules) {
        return rules.error();
      }
      Doc& rule = rules->front();
      for (const Row& other : current) {
        if (other.id != id && rule_key(other.doc) == rule_key(rule)) {
          return errors::permission_duplicate(describe_rule(rule));
        }
      }
      for (std::string_view kept : {"SecurityGroupRuleId", "GroupId", "GroupOwnerId",
                                    "SecurityGroupRuleArn", "Tags"}) {
        if (const json::value* value = it->doc.if_contains(kept)) rule[kept] = *value;
      }
      it->doc = rule;
      st.put(Kind::SecurityGroupRule, id, str(*group, "VpcId"), group_id, rule);
    }
    return Doc{{"Return", true}};
  });
}

}  // namespace services::ec2

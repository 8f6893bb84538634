// Security group rules: Authorize/Revoke SecurityGroup Ingress/Egress.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html

#include <boost/json/array.hpp>
#include <set>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"
#include "services/ec2/permissions.h"

namespace services::ec2 {

namespace json = boost::json;

protocol::Result<Doc> find_security_group(Ec2Store& st, const Doc& in);

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

Reply authorize(Ec2Service& svc, const Ctx& ctx, const Doc& in, bool egress) {
  auto tags = tags_from_specifications(in, "security-group-rule");
  if (!tags) {
    return tags.error();
  }
  return svc.run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto group = find_security_group(st, in);
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
    auto group = find_security_group(st, in);
    if (!group) {
      return group.error();
    }
    std::string group_id = str(*group, "GroupId");
    std::vector<Row> current = st.list_under(Kind::SecurityGroupRule, group_id);
    std::vector<std::string> doomed;
    std::vector<std::string> rule_ids = strings(in, "SecurityGroupRuleIds");
    for (const std::string& id : rule_ids) {
      auto it = std::find_if(current.begin(), current.end(), [&](const Row& r) {
        return r.id == id && flag(r.doc, "IsEgress") == egress;
      });
      if (it == current.end()) {
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
        std::string key = rule_key(w);
        auto it = std::find_if(current.begin(), current.end(),
                               [&](const Row& r) { return rule_key(r.doc) == key; });
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
    auto group = find_security_group(st, in);
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
        auto it = std::find_if(current.begin(), current.end(), [&](const Row& r) {
          return r.id == id && flag(r.doc, "IsEgress") == egress;
        });
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
        std::string key = rule_key(w);
        auto it = std::find_if(current.begin(), current.end(),
                               [&](const Row& r) { return rule_key(r.doc) == key; });
        if (it == current.end()) {
          return errors::permission_not_found();
        }
        save(*it, opt_str(w, "Description"));
      }
    }
    return Doc{{"Return", true}};
  });
}

}  // namespace

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UpdateSecurityGroupRuleDescriptionsIngress.html
Reply Ec2Service::update_ingress_descriptions(const Ctx& ctx, const Doc& in) {
  return update_descriptions(*this, ctx, in, false);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UpdateSecurityGroupRuleDescriptionsEgress.html
Reply Ec2Service::update_egress_descriptions(const Ctx& ctx, const Doc& in) {
  return update_descriptions(*this, ctx, in, true);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
Reply Ec2Service::authorize_ingress(const Ctx& ctx, const Doc& in) {
  return authorize(*this, ctx, in, false);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupEgress.html
Reply Ec2Service::authorize_egress(const Ctx& ctx, const Doc& in) {
  return authorize(*this, ctx, in, true);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupIngress.html
Reply Ec2Service::revoke_ingress(const Ctx& ctx, const Doc& in) {
  return revoke(*this, ctx, in, false);
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupEgress.html
Reply Ec2Service::revoke_egress(const Ctx& ctx, const Doc& in) {
  return revoke(*this, ctx, in, true);
}

}  // namespace services::ec2

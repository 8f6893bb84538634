#include "services/ec2/ec2_test_support.h"

namespace services::ec2 {
namespace {

namespace json = boost::json;

class SecurityGroupHandlersTest : public Ec2HandlersTest {
 protected:
  void SetUp() override {
    vpc_ = create_vpc();
    alb_ = create_group(vpc_, "alb");
    task_ = create_group(vpc_, "task");
  }
  json::object group(const std::string& id) {
    return describe_one("DescribeSecurityGroups", "GroupIds", id, "SecurityGroups");
  }
  json::object authorize_from_group(const std::string& group, const std::string& source, int port) {
    return ok("AuthorizeSecurityGroupIngress",
              {{"GroupId", group},
               {"IpPermissions",
                json::array{json::object{
                    {"IpProtocol", "tcp"},
                    {"FromPort", port},
                    {"ToPort", port},
                    {"UserIdGroupPairs", json::array{json::object{{"GroupId", source}}}}}}}});
  }

  std::string vpc_, alb_, task_;
};

TEST_F(SecurityGroupHandlersTest, NewGroupAllowsAllEgressAndNoIngress) {
  json::object g = group(task_);
  EXPECT_TRUE(g["IpPermissions"].as_array().empty());
  ASSERT_EQ(g["IpPermissionsEgress"].as_array().size(), 1u);
  json::object egress = g["IpPermissionsEgress"].as_array()[0].as_object();
  EXPECT_EQ(s(egress["IpProtocol"]), "-1");
  EXPECT_FALSE(egress.contains("FromPort"));
  EXPECT_EQ(s(egress["IpRanges"].as_array()[0].at("CidrIp")), "0.0.0.0/0");
  EXPECT_EQ(s(g["VpcId"]), vpc_);
  EXPECT_EQ(s(g["OwnerId"]), "123456789012");
}

TEST_F(SecurityGroupHandlersTest, DefaultGroupAdmitsItsOwnMembers) {
  json::object groups =
      ok("DescribeSecurityGroups",
         {{"Filters",
           json::array{json::object{{"Name", "vpc-id"}, {"Values", json::array{json::value(vpc_)}}},
                       json::object{{"Name", "group-name"}, {"Values", json::array{"default"}}}}}});
  json::object g = groups["SecurityGroups"].as_array()[0].as_object();
  json::object in = g["IpPermissions"].as_array()[0].as_object();
  EXPECT_EQ(s(in["IpProtocol"]), "-1");
  EXPECT_EQ(in["UserIdGroupPairs"].as_array()[0].at("GroupId"), g["GroupId"]);
  protocol::AwsError e = err("DeleteSecurityGroup", {{"GroupId", g["GroupId"]}});
  EXPECT_EQ(e.code, "CannotDelete");
}

TEST_F(SecurityGroupHandlersTest, RulesFilteredByAMalformedGroupIdAreRefused) {
  protocol::AwsError e = err(
      "DescribeSecurityGroupRules",
      {{"Filters", json::array{json::object{{"Name", "group-id"},
                                            {"Values", json::array{"foobar"}}}}}});
  EXPECT_EQ(e.code, "InvalidGroupId.Malformed");
  EXPECT_EQ(e.message, "The security group ID 'foobar' is malformed");
  json::object none = ok(
      "DescribeSecurityGroupRules",
      {{"Filters", json::array{json::object{{"Name", "group-id"},
                                            {"Values", json::array{"sg-0123456789abcdef0"}}}}}});
  EXPECT_TRUE(none["SecurityGroupRules"].as_array().empty());
}

// ModifySecurityGroupRules' checks and words (moto's AWS-verified
// test_modify_security_group_rules), then a rule rewritten in place.
TEST_F(SecurityGroupHandlersTest, ModifyRewritesARuleInPlace) {
  std::string id = s(authorize_from_group(task_, alb_, 80)["SecurityGroupRules"]
                         .as_array()[0].at("SecurityGroupRuleId"));
  auto modify = [&](const std::string& group, const std::string& rule_id, json::object rule) {
    return json::object{
        {"GroupId", group},
        {"SecurityGroupRules", json::array{json::object{{"SecurityGroupRuleId", rule_id},
                                                        {"SecurityGroupRule", rule}}}}};
  };
  json::object tcp{{"IpProtocol", "tcp"}, {"FromPort", 8080}, {"ToPort", 8081},
                   {"CidrIpv4", "10.1.0.0/16"}, {"Description", "moved"}};
  struct Case {
    std::string group, rule;
    json::object body;
    std::string code, message;
  };
  json::object no_protocol = tcp;
  no_protocol.erase("IpProtocol");
  json::object no_port = tcp;
  no_port.erase("FromPort");
  json::object no_peer = tcp;
  no_peer.erase("CidrIpv4");
  json::object two_peers = tcp;
  two_peers["CidrIpv6"] = "2001:db8::/32";
  for (const Case& c : std::vector<Case>{
           {"sg-00000000", id, tcp, "InvalidGroup.NotFound",
            "The security group 'sg-00000000' does not exist"},
           {task_, "sgr-00000000", tcp, "InvalidSecurityGroupRuleId.NotFound",
            "The security group rule ID 'sgr-00000000' does not exist"},
           {task_, id, no_protocol, "InvalidParameterValue",
            "Invalid value 'null' for protocol. VPC security group rules must specify protocols "
            "explicitly."},
           {task_, id, no_port, "InvalidParameterValue",
            "Invalid value for portRange. Must specify both from and to ports with TCP/UDP."},
           {task_, id, no_peer, "MissingParameter",
            "The request must contain exactly one of: cidrIp, cidrIpv6, prefixListId, or "
            "referencedGroupId"},
           {task_, id, two_peers, "InvalidParameterCombination",
            "Only one of cidrIp, cidrIpv6, prefixListId, or referencedGroupId can be specified"}}) {
    protocol::AwsError e = err("ModifySecurityGroupRules", modify(c.group, c.rule, c.body));
    EXPECT_EQ(e.code, c.code) << c.message;
    EXPECT_EQ(e.message, c.message);
  }
  EXPECT_TRUE(ok("ModifySecurityGroupRules", modify(task_, id, tcp))["Return"].as_bool());
  json::object rule = describe_one("DescribeSecurityGroupRules", "SecurityGroupRuleIds", id,
                                   "SecurityGroupRules");
  EXPECT_EQ(s(rule["IpProtocol"]), "tcp");
  EXPECT_EQ(rule["FromPort"].as_int64(), 8080);
  EXPECT_EQ(s(rule["CidrIpv4"]), "10.1.0.0/16");
  EXPECT_EQ(s(rule["Description"]), "moved");
  EXPECT_FALSE(rule.contains("ReferencedGroupInfo"));
  EXPECT_FALSE(rule["IsEgress"].as_bool());
}

TEST_F(SecurityGroupHandlersTest, DuplicateNameInTheSameVpcIsInvalidGroupDuplicate) {
  protocol::AwsError e =
      err("CreateSecurityGroup", {{"VpcId", vpc_}, {"GroupName", "alb"}, {"Description", "again"}});
  EXPECT_EQ(e.code, "InvalidGroup.Duplicate");
  EXPECT_EQ(e.message, "The security group 'alb' already exists for VPC '" + vpc_ + "'");
  // The same name in another VPC is fine.
  create_group(create_vpc("10.9.0.0/16"), "alb");
}

TEST_F(SecurityGroupHandlersTest, IngressFromAnotherGroupShowsAsUserIdGroupPairAndRule) {
  json::object out = authorize_from_group(task_, alb_, 80);
  ASSERT_EQ(out["SecurityGroupRules"].as_array().size(), 1u);
  json::object rule = out["SecurityGroupRules"].as_array()[0].as_object();
  EXPECT_TRUE(s(rule["SecurityGroupRuleId"]).starts_with("sgr-"));
  EXPECT_EQ(s(rule["ReferencedGroupInfo"].at("GroupId")), alb_);
  EXPECT_FALSE(rule["IsEgress"].as_bool());
  json::object perm = group(task_)["IpPermissions"].as_array()[0].as_object();
  EXPECT_EQ(s(perm["IpProtocol"]), "tcp");
  EXPECT_EQ(perm["FromPort"].as_int64(), 80);
  EXPECT_EQ(s(perm["UserIdGroupPairs"].as_array()[0].at("GroupId")), alb_);
  json::object rules =
      ok("DescribeSecurityGroupRules",
         {{"Filters", json::array{json::object{{"Name", "group-id"},
                                               {"Values", json::array{json::value(task_)}}}}}});
  EXPECT_EQ(rules["SecurityGroupRules"].as_array().size(), 2u);  // + default egress
}

TEST_F(SecurityGroupHandlersTest, AuthorizingTheSameRuleTwiceIsInvalidPermissionDuplicate) {
  ok("AuthorizeSecurityGroupIngress", {{"GroupId", alb_},
                                       {"IpProtocol", "tcp"},
                                       {"FromPort", 80},
                                       {"ToPort", 80},
                                       {"CidrIp", "0.0.0.0/0"}});
  protocol::AwsError e = err("AuthorizeSecurityGroupIngress", {{"GroupId", alb_},
                                                               {"IpProtocol", "tcp"},
                                                               {"FromPort", 80},
                                                               {"ToPort", 80},
                                                               {"CidrIp", "0.0.0.0/0"}});
  EXPECT_EQ(e.code, "InvalidPermission.Duplicate");
  EXPECT_EQ(e.message,
            "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW\" "
            "already exists");
  // The default egress rule is a duplicate too.
  EXPECT_EQ(err("AuthorizeSecurityGroupEgress",
                {{"GroupId", alb_},
                 {"IpPermissions",
                  json::array{json::object{
                      {"IpProtocol", "-1"},
                      {"IpRanges", json::array{json::object{{"CidrIp", "0.0.0.0/0"}}}}}}}})
                .code,
            "InvalidPermission.Duplicate");
}

TEST_F(SecurityGroupHandlersTest, RevokeRemovesARuleAndAnUnknownRuleIsNotFound) {
  authorize_from_group(task_, alb_, 80);
  json::object revoke{
      {"GroupId", task_},
      {"IpPermissions", json::array{json::object{
                            {"IpProtocol", "tcp"},
                            {"FromPort", 80},
                            {"ToPort", 80},
                            {"UserIdGroupPairs", json::array{json::object{{"GroupId", alb_}}}}}}}};
  json::object out = ok("RevokeSecurityGroupIngress", revoke);
  EXPECT_TRUE(out["Return"].as_bool());
  EXPECT_EQ(out["RevokedSecurityGroupRules"].as_array().size(), 1u);
  EXPECT_TRUE(group(task_)["IpPermissions"].as_array().empty());
  EXPECT_EQ(err("RevokeSecurityGroupIngress", revoke).code, "InvalidPermission.NotFound");
}

TEST_F(SecurityGroupHandlersTest, RevokeEgressByRuleIdRemovesTheDefaultAllowAll) {
  json::object rules =
      ok("DescribeSecurityGroupRules",
         {{"Filters", json::array{json::object{{"Name", "group-id"},
                                               {"Values", json::array{json::value(alb_)}}}}}});
  std::string rule_id = s(rules["SecurityGroupRules"].as_array()[0].at("SecurityGroupRuleId"));
  ok("RevokeSecurityGroupEgress",
     {{"GroupId", alb_}, {"SecurityGroupRuleIds", json::array{json::value(rule_id)}}});
  EXPECT_TRUE(group(alb_)["IpPermissionsEgress"].as_array().empty());
  EXPECT_EQ(err("DescribeSecurityGroupRules",
                {{"SecurityGroupRuleIds", json::array{json::value(rule_id)}}})
                .code,
            "InvalidSecurityGroupRuleId.NotFound");
}

TEST_F(SecurityGroupHandlersTest, PrefixListAndCidrPeersAreKept) {
  ok("AuthorizeSecurityGroupEgress",
     {{"GroupId", task_},
      {"IpPermissions",
       json::array{json::object{
           {"IpProtocol", "tcp"},
           {"FromPort", 443},
           {"ToPort", 443},
           {"PrefixListIds", json::array{json::object{{"PrefixListId", "pl-63a5400a"}}}},
           {"IpRanges",
            json::array{json::object{{"CidrIp", "10.0.0.7/16"}, {"Description", "vpc"}}}}}}}});
  json::array egress = group(task_)["IpPermissionsEgress"].as_array();
  ASSERT_EQ(egress.size(), 2u);
  json::object https = egress[1].as_object();
  EXPECT_EQ(s(https["PrefixListIds"].as_array()[0].at("PrefixListId")), "pl-63a5400a");
  // Host bits are cleared, as EC2 does for rules.
  EXPECT_EQ(s(https["IpRanges"].as_array()[0].at("CidrIp")), "10.0.0.0/16");
  EXPECT_EQ(s(https["IpRanges"].as_array()[0].at("Description")), "vpc");
}

TEST_F(SecurityGroupHandlersTest, BadProtocolsAndPortsAreInvalidParameterValue) {
  EXPECT_EQ(err("AuthorizeSecurityGroupIngress", {{"GroupId", task_},
                                                  {"IpProtocol", "tcpx"},
                                                  {"FromPort", 1},
                                                  {"ToPort", 2},
                                                  {"CidrIp", "0.0.0.0/0"}})
                .code,
            "InvalidParameterValue");
  EXPECT_EQ(err("AuthorizeSecurityGroupIngress", {{"GroupId", task_},
                                                  {"IpProtocol", "tcp"},
                                                  {"FromPort", 90},
                                                  {"ToPort", 80},
                                                  {"CidrIp", "0.0.0.0/0"}})
                .code,
            "InvalidParameterValue");
  EXPECT_EQ(
      err("AuthorizeSecurityGroupIngress",
          {{"GroupId", "sg-00000000000000000"}, {"IpProtocol", "-1"}, {"CidrIp", "0.0.0.0/0"}})
          .code,
      "InvalidGroup.NotFound");
}

TEST_F(SecurityGroupHandlersTest, GroupReferencedByAnotherGroupCannotBeDeleted) {
  authorize_from_group(task_, alb_, 80);
  protocol::AwsError e = err("DeleteSecurityGroup", {{"GroupId", alb_}});
  EXPECT_EQ(e.code, "DependencyViolation");
  EXPECT_EQ(e.message, "resource " + alb_ + " has a dependent object");
  ok("DeleteSecurityGroup", {{"GroupId", task_}});
  ok("DeleteSecurityGroup", {{"GroupId", alb_}});
}

TEST_F(SecurityGroupHandlersTest, GroupUsedByAnInterfaceCannotBeDeleted) {
  std::string subnet = create_subnet(vpc_, "10.0.1.0/24");
  auto eni = directory_.allocate_eni({"123456789012", "us-east-1", subnet, {task_}});
  ASSERT_TRUE(eni);
  EXPECT_EQ(err("DeleteSecurityGroup", {{"GroupId", task_}}).code, "DependencyViolation");
  directory_.release_eni(eni->eni_id);
  ok("DeleteSecurityGroup", {{"GroupId", task_}});
}

TEST_F(SecurityGroupHandlersTest, GroupNamesResolveInTheDefaultVpc) {
  ok("CreateSecurityGroup", J(R"({"GroupName":"legacy","Description":"in the default VPC"})"));
  json::object out = ok("DescribeSecurityGroups", J(R"({"GroupNames":["legacy"]})"));
  ASSERT_EQ(out["SecurityGroups"].as_array().size(), 1u);
  EXPECT_EQ(err("DescribeSecurityGroups", R"({"GroupNames":["nope"]})").code,
            "InvalidGroup.NotFound");
  ok("DeleteSecurityGroup", J(R"({"GroupName":"legacy"})"));
}

TEST_F(SecurityGroupHandlersTest, TopologyListsGroupsRulesAndInterfacesForTheNetplane) {
  authorize_from_group(task_, alb_, 80);
  std::string subnet = create_subnet(vpc_, "10.0.1.0/24");
  std::vector<std::string> changed;
  directory_.subscribe([&](const std::string&, const std::string&, const std::string& vpc) {
    changed.push_back(vpc);
  });
  auto eni = directory_.allocate_eni({"123456789012", "us-east-1", subnet, {task_}});
  ASSERT_TRUE(eni);
  EXPECT_EQ(changed, std::vector<std::string>{vpc_});
  auto topology = directory_.vpc_topology("123456789012", "us-east-1", vpc_);
  ASSERT_TRUE(topology);
  EXPECT_EQ(topology->cidr, "10.0.0.0/16");
  ASSERT_EQ(topology->subnets.size(), 1u);
  EXPECT_EQ(topology->subnets[0].gateway_ip, "10.0.1.1");
  ASSERT_EQ(topology->enis.size(), 1u);
  EXPECT_EQ(topology->enis[0].group_ids, std::vector<std::string>{task_});
  const SecurityGroupInfo* task_info = nullptr;
  for (const SecurityGroupInfo& g : topology->security_groups) {
    if (g.group_id == task_) {
      task_info = &g;
    }
  }
  ASSERT_NE(task_info, nullptr);
  ASSERT_EQ(task_info->ingress.size(), 1u);
  EXPECT_EQ(task_info->ingress[0].protocol, "tcp");
  EXPECT_EQ(task_info->ingress[0].from_port, 80);
  EXPECT_EQ(task_info->ingress[0].source_group_ids, std::vector<std::string>{alb_});
  ASSERT_EQ(task_info->egress.size(), 1u);
  EXPECT_EQ(task_info->egress[0].cidrs, std::vector<std::string>{"0.0.0.0/0"});
  // A rule change is announced too.
  changed.clear();
  ok("RevokeSecurityGroupIngress",
     {{"GroupId", task_},
      {"IpPermissions", json::array{json::object{
                            {"IpProtocol", "tcp"},
                            {"FromPort", 80},
                            {"ToPort", 80},
                            {"UserIdGroupPairs", json::array{json::object{{"GroupId", alb_}}}}}}}});
  EXPECT_EQ(changed, std::vector<std::string>{vpc_});
}

}  // namespace
}  // namespace services::ec2

namespace services::ec2 {
namespace {

namespace json = boost::json;

using RuleDescriptionTest = Ec2HandlersTest;

// Found by fuzz/nft_ruleset_fuzz: a query parameter may percent-encode bytes that are not UTF-8
// (IpRanges.1.Description=%FF). The rule was stored, then every read of the group threw.
TEST_F(SecurityGroupHandlersTest, RuleWithNonUtf8DescriptionStaysReadable) {
  std::string description = "caf\xff\xfe";
  ok("AuthorizeSecurityGroupIngress",
     {{"GroupId", task_},
      {"IpPermissions",
       json::array{json::object{
           {"IpProtocol", "tcp"},
           {"FromPort", 80},
           {"ToPort", 80},
           {"IpRanges", json::array{json::object{{"CidrIp", "10.0.0.0/16"},
                                                 {"Description", description}}}}}}}});
  json::object ingress = group(task_)["IpPermissions"].as_array().at(0).as_object();
  EXPECT_EQ(s(ingress["IpRanges"].as_array().at(0).at("Description")), description);
  auto topology = directory_.vpc_topology("123456789012", "us-east-1", vpc_);
  ASSERT_TRUE(topology);
}

TEST_F(RuleDescriptionTest, UpdateDescriptionsByPermissionAndByRuleId) {
  std::string vpc = create_vpc();
  std::string group = create_group(vpc, "web");
  json::object perm{{"IpProtocol", "tcp"},
                    {"FromPort", 80},
                    {"ToPort", 80},
                    {"IpRanges", json::array{json::object{{"CidrIp", "0.0.0.0/0"}}}}};
  json::object added = ok("AuthorizeSecurityGroupIngress",
                          {{"GroupId", group}, {"IpPermissions", json::array{perm}}});
  std::string rule_id = s(added["SecurityGroupRules"].as_array()[0].at("SecurityGroupRuleId"));
  perm["IpRanges"] = json::array{json::object{{"CidrIp", "0.0.0.0/0"}, {"Description", "web"}}};
  ok("UpdateSecurityGroupRuleDescriptionsIngress",
     {{"GroupId", group}, {"IpPermissions", json::array{perm}}});
  json::object rule = describe_one("DescribeSecurityGroupRules", "SecurityGroupRuleIds", rule_id,
                                   "SecurityGroupRules");
  EXPECT_EQ(s(rule["Description"]), "web");
  ok("UpdateSecurityGroupRuleDescriptionsIngress",
     {{"GroupId", group},
      {"SecurityGroupRuleDescriptions",
       json::array{json::object{{"SecurityGroupRuleId", rule_id}, {"Description", "http"}}}}});
  json::object g = describe_one("DescribeSecurityGroups", "GroupIds", group, "SecurityGroups");
  EXPECT_EQ(s(g["IpPermissions"].as_array()[0].at("IpRanges").as_array()[0].at("Description")),
            "http");
  perm["FromPort"] = 81;
  perm["ToPort"] = 81;
  EXPECT_EQ(err("UpdateSecurityGroupRuleDescriptionsIngress",
                {{"GroupId", group}, {"IpPermissions", json::array{perm}}})
                .code,
            "InvalidPermission.NotFound");
}

}  // namespace
}  // namespace services::ec2

// AWS::EC2::SecurityGroup, SecurityGroupIngress and SecurityGroupEgress against the real EC2
// handlers.

#include "services/cloudformation/resources/ec2_providers_test_support.h"

namespace services::cloudformation::resources {
namespace {

namespace json = boost::json;
using engine::UpdateBehavior;

class SecurityProvidersTest : public Ec2ProvidersTest {
 protected:
  // Rules of `group` as "<in|out> <protocol> <from>-<to> <peer>", sorted.
  std::vector<std::string> rules(const std::string& group) {
    json::object out =
        ok("DescribeSecurityGroupRules",
           {{"Filters", json::array{json::object{{"Name", "group-id"},
                                                 {"Values", json::array{json::value(group)}}}}}});
    std::vector<std::string> lines;
    for (const json::value& v : out["SecurityGroupRules"].as_array()) {
      const json::object& r = v.as_object();
      std::string peer = r.contains("CidrIpv4")
                             ? std::string(r.at("CidrIpv4").as_string())
                             : std::string(r.at("ReferencedGroupInfo").at("GroupId").as_string());
      lines.push_back(std::string(r.at("IsEgress").as_bool() ? "out " : "in ") +
                      std::string(r.at("IpProtocol").as_string()) + " " +
                      json::serialize(r.at("FromPort")) + "-" + json::serialize(r.at("ToPort")) +
                      " " + peer);
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  }
};

TEST_F(SecurityProvidersTest, GroupGetsAGeneratedNameItsRulesAndLosesTheDefaultEgress) {
  std::string vpc = make_vpc();
  engine::ResourceProvider& p = provider("AWS::EC2::SecurityGroup");
  engine::ProvisionResult alb = create("AWS::EC2::SecurityGroup", "AlbSg",
                                       R"({"GroupDescription":"alb","VpcId":")" + vpc + R"("})");
  json::object props{
      {"GroupDescription", "web tasks"},
      {"VpcId", vpc},
      {"SecurityGroupIngress", json::parse(R"([{"IpProtocol":"tcp","FromPort":"8080","ToPort":8080,
                        "SourceSecurityGroupId":")" +
                                           alb.physical_id + R"("},
                       {"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"10.0.0.0/8"}])")},
      {"SecurityGroupEgress", json::parse(R"([{"IpProtocol":"-1","CidrIp":"10.0.0.0/16"}])")}};
  auto req = request("AWS::EC2::SecurityGroup", "WebSg", props);
  engine::ProvisionResult group = value(p.create(req));
  ASSERT_TRUE(group.physical_id.starts_with("sg-"));
  EXPECT_EQ(text(group.attributes.at("GroupId")), group.physical_id);
  EXPECT_EQ(text(group.attributes.at("VpcId")), vpc);
  json::object live =
      describe("DescribeSecurityGroups", "GroupIds", group.physical_id, "SecurityGroups");
  std::string name(live["GroupName"].as_string());
  EXPECT_TRUE(name.starts_with("net-WebSg-")) << name;
  EXPECT_EQ(name.size(), std::string("net-WebSg-").size() + 13);
  EXPECT_EQ(text(live["Description"]), "web tasks");
  EXPECT_EQ(tag(live, "aws:cloudformation:logical-id"), "WebSg");
  EXPECT_EQ(
      rules(group.physical_id),
      (std::vector<std::string>{"in tcp 22-22 10.0.0.0/8", "in tcp 8080-8080 " + alb.physical_id,
                                "out -1 -1--1 10.0.0.0/16"}));

  // Rule lists reconcile in place: revoke what went, authorize what came; without
  // SecurityGroupEgress the default allow-all egress comes back.
  EXPECT_EQ(p.update_behavior("SecurityGroupIngress"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("SecurityGroupEgress"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("Tags"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(p.update_behavior("GroupDescription"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("GroupName"), UpdateBehavior::Replacement);
  EXPECT_EQ(p.update_behavior("VpcId"), UpdateBehavior::Replacement);
  json::object next_props = props;
  next_props["SecurityGroupIngress"] =
      json::parse(R"([{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"CidrIp":"0.0.0.0/0"},
                      {"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"10.0.0.0/8"}])");
  next_props.erase("SecurityGroupEgress");
  auto next = updated(req, group, next_props);
  EXPECT_EQ(value(p.update(next)).physical_id, group.physical_id);
  EXPECT_EQ(rules(group.physical_id),
            (std::vector<std::string>{"in tcp 22-22 10.0.0.0/8", "in tcp 443-443 0.0.0.0/0",
                                      "out -1 -1--1 0.0.0.0/0"}));

  EXPECT_EQ(text(value(p.read(next)).attributes.at("GroupId")), group.physical_id);
  expect_deleted(p, next, "InvalidGroup.NotFound");
}

TEST_F(SecurityProvidersTest, GroupWithABadRuleFailsAndLeavesNothingBehind) {
  std::string vpc = make_vpc();
  auto r = provider("AWS::EC2::SecurityGroup")
               .create(request("AWS::EC2::SecurityGroup", "Bad",
                               json::parse(R"({"GroupDescription":"bad","VpcId":")" + vpc +
                                           R"(","GroupName":"bad","SecurityGroupIngress":[
                                   {"IpProtocol":"tcp","CidrIp":"0.0.0.0/0"}]})")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "InvalidParameterValue");
  json::object groups =
      ok("DescribeSecurityGroups",
         {{"Filters", json::array{json::object{{"Name", "group-name"},
                                               {"Values", json::array{json::value("bad")}}}}}});
  EXPECT_TRUE(groups["SecurityGroups"].as_array().empty());
}

TEST_F(SecurityProvidersTest, GroupWithoutDescriptionFailsSchemaValidation) {
  auto r = provider("AWS::EC2::SecurityGroup")
               .create(request("AWS::EC2::SecurityGroup", "Sg", json::object{}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("required key [GroupDescription] not found"), std::string::npos);
}

TEST_F(SecurityProvidersTest, StandaloneIngressAndEgressRulesAreNamedByRuleId) {
  std::string vpc = make_vpc();
  std::string group =
      std::string(ok("CreateSecurityGroup",
                     {{"VpcId", vpc}, {"GroupName", "app"}, {"Description", "app"}})["GroupId"]
                      .as_string());
  std::string peer =
      std::string(ok("CreateSecurityGroup",
                     {{"VpcId", vpc}, {"GroupName", "peer"}, {"Description", "peer"}})["GroupId"]
                      .as_string());
  engine::ResourceProvider& in = provider("AWS::EC2::SecurityGroupIngress");
  json::object in_props{
      {"GroupId", group}, {"IpProtocol", "tcp"},           {"FromPort", 80},
      {"ToPort", "80"},   {"SourceSecurityGroupId", peer}, {"Description", "from peer"}};
  auto in_req = request("AWS::EC2::SecurityGroupIngress", "FromPeer", in_props);
  engine::ProvisionResult ingress = value(in.create(in_req));
  ASSERT_TRUE(ingress.physical_id.starts_with("sgr-"));
  EXPECT_EQ(text(ingress.attributes.at("Id")), ingress.physical_id);

  engine::ResourceProvider& out = provider("AWS::EC2::SecurityGroupEgress");
  auto out_req = request("AWS::EC2::SecurityGroupEgress", "ToPeer",
                         json::object{{"GroupId", group},
                                      {"IpProtocol", "tcp"},
                                      {"FromPort", 5432},
                                      {"ToPort", 5432},
                                      {"DestinationSecurityGroupId", peer}});
  engine::ProvisionResult egress = value(out.create(out_req));
  ASSERT_TRUE(egress.physical_id.starts_with("sgr-"));
  EXPECT_EQ(rules(group),
            (std::vector<std::string>{"in tcp 80-80 " + peer, "out -1 -1--1 0.0.0.0/0",
                                      "out tcp 5432-5432 " + peer}));

  // Description changes in place; everything else is a replacement.
  EXPECT_EQ(in.update_behavior("Description"), UpdateBehavior::NoInterruption);
  EXPECT_EQ(in.update_behavior("FromPort"), UpdateBehavior::Replacement);
  EXPECT_EQ(in.update_behavior("GroupId"), UpdateBehavior::Replacement);
  EXPECT_EQ(out.update_behavior("DestinationSecurityGroupId"), UpdateBehavior::Replacement);
  in_props["Description"] = "from the peer group";
  auto in_next = updated(in_req, ingress, in_props);
  EXPECT_EQ(value(in.update(in_next)).physical_id, ingress.physical_id);
  json::object live = describe("DescribeSecurityGroupRules", "SecurityGroupRuleIds",
                               ingress.physical_id, "SecurityGroupRules");
  EXPECT_EQ(text(live["Description"]), "from the peer group");

  // An ingress rule id is not an egress rule.
  EXPECT_EQ(error_code(out.read(existing(out_req, ingress))),
            "InvalidSecurityGroupRuleId.NotFound");
  EXPECT_EQ(text(value(in.read(in_next)).attributes.at("Id")), ingress.physical_id);
  expect_deleted(in, in_next, "InvalidSecurityGroupRuleId.NotFound");
  auto out_now = existing(out_req, egress);
  expect_deleted(out, out_now, "InvalidSecurityGroupRuleId.NotFound");
  EXPECT_EQ(rules(group), (std::vector<std::string>{"out -1 -1--1 0.0.0.0/0"}));
}

TEST_F(SecurityProvidersTest, IngressWithoutGroupOrProtocolFailsSchemaValidation) {
  engine::ResourceProvider& in = provider("AWS::EC2::SecurityGroupIngress");
  auto r = in.create(
      request("AWS::EC2::SecurityGroupIngress", "R", json::object{{"IpProtocol", "tcp"}}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("[GroupId]"), std::string::npos);
  r = in.create(request("AWS::EC2::SecurityGroupIngress", "R", json::object{{"GroupId", "sg-1"}}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("[IpProtocol]"), std::string::npos);
}

}  // namespace
}  // namespace services::cloudformation::resources

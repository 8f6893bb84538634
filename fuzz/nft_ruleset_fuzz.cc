// The nftables ruleset renderer fed the way EC2 feeds it: the input is the form body of an
// AuthorizeSecurityGroupIngress (first byte even) or ...Egress (odd) call, decoded by the EC2
// codec, validated against the model and run by the real handler over an in-memory store; the
// VPC's topology then becomes a VpcSpec (NetplaneSync's conversion) and render_vpc_ruleset()
// writes the script. Nothing is applied. Afterwards every rule of both groups is revoked, so each
// run starts from the same groups. In the body, SG_WEB and SG_ALB stand for the two groups' ids.

#include <boost/json.hpp>
#include <string>

#include "fuzz/fuzz_support.h"
#include "netplane/nft_ruleset.h"
#include "protocol/codec.h"
#include "protocol/service_registry.h"
#include "protocol/validator.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/netplane_sync.h"
#include "services/ec2/store_network_directory.h"
#include "store/db.h"

namespace {

namespace json = boost::json;
using services::ec2::Ec2Service;
using services::ec2::StoreNetworkDirectory;

class FixedClock final : public core::Clock {
 public:
  core::TimePoint now() const override { return core::TimePoint(std::chrono::seconds(1700000000)); }
};

struct World {
  FixedClock clock;
  store::Db db = store::Db::open_in_memory();
  protocol::ServiceRegistry registry;
  Ec2Service ec2{db, clock};
  StoreNetworkDirectory directory{ec2};
  protocol::RequestContext ctx;
  std::string vpc, web, alb;

  World() {
    ctx.request_id = "req";
    ctx.account = "123456789012";
    ctx.region = "us-east-1";
    ctx.caller_arn = "arn:aws:iam::123456789012:root";
    ctx.service = "ec2";
    ec2.register_operations(registry);
    vpc = str(call("CreateVpc", {{"CidrBlock", "10.0.0.0/16"}}).at("Vpc").at("VpcId"));
    std::string subnet =
        str(call("CreateSubnet",
                 {{"VpcId", vpc}, {"CidrBlock", "10.0.1.0/24"}, {"AvailabilityZone", "us-east-1a"}})
                .at("Subnet")
                .at("SubnetId"));
    web = group("web");
    alb = group("alb");
    (void)directory.allocate_eni({ctx.account, ctx.region, subnet, {web}});
    (void)directory.allocate_eni({ctx.account, ctx.region, subnet, {alb, web}});
  }
  static std::string str(const json::value& v) { return std::string(v.as_string()); }
  json::object call(std::string_view op, const json::object& in) {
    auto r = registry.call(ctx, "ec2", op, in);
    return r ? *r : json::object{};
  }
  std::string group(std::string_view name) {
    return str(
        call("CreateSecurityGroup", {{"VpcId", vpc}, {"GroupName", name}, {"Description", "fuzz"}})
            .at("GroupId"));
  }
  // Revokes every rule of both groups, including the default allow-all egress.
  void reset() {
    json::object rules = call(
        "DescribeSecurityGroupRules",
        {{"Filters",
          json::array{json::object{{"Name", "group-id"},
                                   {"Values", json::array{json::value(web), json::value(alb)}}}}}});
    const json::value* list = rules.if_contains("SecurityGroupRules");
    if (list == nullptr) return;
    for (const json::value& r : list->as_array()) {
      const json::object& rule = r.as_object();
      call(rule.at("IsEgress").as_bool() ? "RevokeSecurityGroupEgress"
                                         : "RevokeSecurityGroupIngress",
           {{"GroupId", rule.at("GroupId")},
            {"SecurityGroupRuleIds", json::array{rule.at("SecurityGroupRuleId")}}});
    }
  }
};

void replace_all(std::string& s, std::string_view from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static World world;
  const protocol::ServiceModel& model = *protocol::find_model("ec2");
  std::string op =
      data[0] % 2 == 0 ? "AuthorizeSecurityGroupIngress" : "AuthorizeSecurityGroupEgress";
  std::string body = "Action=" + op + "&Version=2016-11-15&GroupId=SG_WEB&";
  body.append(fuzz::as_view(data + 1, size - 1));
  replace_all(body, "SG_WEB", world.web);
  replace_all(body, "SG_ALB", world.alb);
  http::Request req;
  req.method = "POST";
  req.target = "/";
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  req.body = std::move(body);
  auto decoded = protocol::ec2_codec().decode(model, req);
  if (!decoded || decoded->operation->name != op) return 0;
  if (protocol::validate_input(model, *decoded->operation, decoded->input,
                               protocol::Protocol::Ec2)) {
    return 0;
  }
  auto done = world.registry.call(world.ctx, "ec2", op, decoded->input);
  if (done) {
    auto topology = world.directory.vpc_topology(world.ctx.account, world.ctx.region, world.vpc);
    if (topology) (void)netplane::render_vpc_ruleset(services::ec2::to_vpc_spec(*topology));
    world.reset();
  }
  return 0;
}

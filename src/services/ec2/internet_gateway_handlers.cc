// Internet gateways: create, attach to one VPC, detach, delete, describe.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateInternetGateway.html

#include <boost/json/array.hpp>

#include "core/ids.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

FilterTable igw_filters() {
  FilterTable t;
  t.names = {{"internet-gateway-id", path("InternetGatewayId")},
             {"attachment.state", path("Attachments.State")},
             {"attachment.vpc-id", path("Attachments.VpcId")},
             {"owner-id", path("OwnerId")}};
  return t;
}

// The gateway `igw_id`, when it and the VPC `vpc_id` exist (Attach and Detach).
protocol::Result<Doc> gateway_and_vpc(Ec2Store& st, const std::string& igw_id,
                                      const std::string& vpc_id) {
  std::optional<Doc> igw = st.get(Kind::InternetGateway, igw_id);
  if (!igw) {
    return errors::internet_gateway_not_found(igw_id);
  }
  if (!st.get(Kind::Vpc, vpc_id)) {
    return errors::vpc_not_found(vpc_id);
  }
  return std::move(*igw);
}

}  // namespace

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateInternetGateway.html
Reply Ec2Service::create_internet_gateway(const Ctx& ctx, const Doc& in) {
  auto tags = tags_from_specifications(ctx, in, "internet-gateway");
  if (!tags) {
    return tags.error();
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::string id = core::ids::resource_id("igw");
    Doc igw{{"InternetGatewayId", id},
            {"OwnerId", st.account()},
            {"Attachments", json::array()},
            {"Tags", *tags}};
    st.put(Kind::InternetGateway, id, "", "", igw);
    return Doc{{"InternetGateway", public_view(std::move(igw))}};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachInternetGateway.html
Reply Ec2Service::attach_internet_gateway(const Ctx& ctx, const Doc& in) {
  std::string igw_id = str(in, "InternetGatewayId");
  std::string vpc_id = str(in, "VpcId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    protocol::Result<Doc> igw = gateway_and_vpc(st, igw_id, vpc_id);
    if (!igw) {
      return igw.error();
    }
    std::vector<std::string> attached = values_at(*igw, "Attachments.VpcId");
    if (!attached.empty()) {
      return errors::already_associated("resource " + igw_id + " is already attached to network " +
                                        attached.front());
    }
    if (st.count_in_vpc(Kind::InternetGateway, vpc_id) > 0) {
      return errors::already_associated("Network " + vpc_id +
                                        " already has an internet gateway attached");
    }
    (*igw)["Attachments"] = json::array{Doc{{"State", "available"}, {"VpcId", vpc_id}}};
    st.put(Kind::InternetGateway, igw_id, vpc_id, "", *igw);
    st.touch(vpc_id);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachInternetGateway.html
Reply Ec2Service::detach_internet_gateway(const Ctx& ctx, const Doc& in) {
  std::string igw_id = str(in, "InternetGatewayId");
  std::string vpc_id = str(in, "VpcId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    protocol::Result<Doc> igw = gateway_and_vpc(st, igw_id, vpc_id);
    if (!igw) {
      return igw.error();
    }
    if (values_at(*igw, "Attachments.VpcId") != std::vector<std::string>{vpc_id}) {
      return errors::gateway_not_attached(igw_id, vpc_id);
    }
    // EC2 refuses while public addresses in the VPC are mapped through the gateway.
    for (const Row& address : st.list(Kind::Address)) {
      std::string eni_id = str(address.doc, "NetworkInterfaceId");
      if (eni_id.empty()) {
        continue;
      }
      std::optional<Doc> eni = st.get(Kind::NetworkInterface, eni_id);
      if (eni && str(*eni, "VpcId") == vpc_id) {
        return errors::dependency_violation("internetGateway", igw_id);
      }
    }
    (*igw)["Attachments"] = json::array();
    st.put(Kind::InternetGateway, igw_id, "", "", *igw);
    st.touch(vpc_id);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteInternetGateway.html
Reply Ec2Service::delete_internet_gateway(const Ctx& ctx, const Doc& in) {
  std::string igw_id = str(in, "InternetGatewayId");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    std::optional<Doc> igw = st.get(Kind::InternetGateway, igw_id);
    if (!igw) {
      return errors::internet_gateway_not_found(igw_id);
    }
    if (!values_at(*igw, "Attachments.VpcId").empty()) {
      return errors::dependency_violation("internetGateway", igw_id);
    }
    st.remove(igw_id);
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInternetGateways.html
Reply Ec2Service::describe_internet_gateways(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = igw_filters();
  return describe(ctx, in,
                  {Kind::InternetGateway, "InternetGatewayIds", "InternetGateways", &table,
                   [](std::string_view id) { return errors::internet_gateway_not_found(id); }});
}

}  // namespace services::ec2

#pragma once
// What the EC2 providers share (ec2_providers.h): the base class that holds the client and calls
// "ec2", property readers that accept what templates give (numbers and booleans as strings, as
// parameters pass them), tags, and the NotFound test that makes remove() idempotent.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources::ec2 {

// A property as a string ("" when absent; numbers as their decimal text).
std::string prop_str(const boost::json::object& props, std::string_view name);
// A property as an integer: a number or its decimal text.
std::optional<int64_t> prop_int(const boost::json::object& props, std::string_view name);
// A property as a boolean: true/false or "true"/"false" (any case).
std::optional<bool> prop_bool(const boost::json::object& props, std::string_view name);
// The string property `name`, or the schema's missing-property error when it is absent or empty.
protocol::Result<std::string> required(const engine::ResourceRequest& req, std::string_view name);
// Whether `name` differs between the request's properties and its previous properties.
using resources::changed;

// A live value for read()'s properties, in the form the template gave `name`: a boolean or number
// as its text where the template wrote a string ("true", "80", as parameters pass them), so that
// drift detection compares like with like.
boost::json::value as_given(const engine::ResourceRequest& req, std::string_view name,
                            boost::json::value live);

// An EC2 error that says the resource is gone: "<X>.NotFound", "NatGatewayNotFound".
bool is_not_found(const protocol::AwsError& e);
// Such an error for a resource that has no Describe of its own (a route, an attachment).
protocol::AwsError not_found(std::string_view code, std::string_view what);

// `names` listed: NoInterruption; any other property: Replacement.
engine::UpdateBehavior in_place_if(std::string_view property,
                                   std::initializer_list<std::string_view> names);

// "<a>|<b>" → {a, b}: the physical ids of types named by two values (a route, an attachment);
// {id, ""} without a bar.
std::pair<std::string, std::string> split_id(const std::string& physical_id);

// One security group rule of a template (an entry of SecurityGroupIngress/SecurityGroupEgress, or
// the properties of AWS::EC2::SecurityGroupIngress/Egress) as the EC2 API's IpPermission:
// IpProtocol, FromPort, ToPort and one peer (IpRanges, Ipv6Ranges, PrefixListIds or
// UserIdGroupPairs) with its Description.
boost::json::object ip_permission(const boost::json::object& rule, bool egress);
// The rule every new VPC security group has and CloudFormation removes when a template gives
// SecurityGroupEgress: all traffic to 0.0.0.0/0.
boost::json::object default_egress_rule();
// {"GroupId": id} for "sg-..." ids, else {"GroupName": name} (a group of the default VPC, whose
// Ref is its name).
boost::json::object group_selector(const std::string& physical_id);

// Base of every EC2 provider: the client, the call to "ec2", tags.
class Ec2Provider : public engine::ResourceProvider {
 public:
  explicit Ec2Provider(const ServiceClient& client) : client_(client) {}

 protected:
  protocol::Result<boost::json::object> call(const engine::ResourceRequest& req,
                                             std::string_view op,
                                             const boost::json::object& input) const;
  // TagSpecifications for a Create call: the stack's tags and the template's Tags.
  boost::json::array tag_specifications(const engine::ResourceRequest& req,
                                        std::string_view resource_type) const;
  // Applies a change of the Tags property in place (CreateTags, DeleteTags).
  protocol::Result<void> update_tags(const engine::ResourceRequest& req,
                                     const std::string& resource_id) const;
  // The one document DescribeX returns for `id` ("DescribeVpcs", "VpcIds", "Vpcs").
  protocol::Result<boost::json::object> describe_one(const engine::ResourceRequest& req,
                                                     std::string_view op,
                                                     std::string_view ids_member,
                                                     const std::string& id,
                                                     std::string_view out_member) const;
  // What DescribeX returns in `out_member` for one filter `name` = `value` ("DescribeRouteTables",
  // "vpc-id", id, "RouteTables"); empty when nothing matches.
  protocol::Result<boost::json::array> describe_where(const engine::ResourceRequest& req,
                                                      std::string_view op, std::string_view name,
                                                      const std::string& value,
                                                      std::string_view out_member) const;
  // Runs a Delete call; a resource already gone is success.
  protocol::Result<void> delete_idempotent(const engine::ResourceRequest& req, std::string_view op,
                                           const boost::json::object& input) const;

  const ServiceClient& client_;
};

// The EC2 calls of an association type.
struct AssociationApi {
  std::string_view associate, disassociate;  // "AssociateRouteTable", "DisassociateRouteTable"
  std::string_view describe, filter, items;  // "DescribeRouteTables",
                                             // "association.route-table-association-id",
                                             // "RouteTables"
};

// Base of the association types (EIPAssociation, SubnetRouteTableAssociation): created by
// Associate<X>, whose AssociationId is Ref and GetAtt Id; every property a replacement (nothing
// changes in place); removed by Disassociate<X>; read through the Describe<X> filter that names
// the association (InvalidAssociationID.NotFound when nothing matches).
class AssociationProvider : public Ec2Provider {
 public:
  AssociationProvider(const ServiceClient& client, AssociationApi api)
      : Ec2Provider(client), api_(api) {}

  protocol::Result<engine::ProvisionResult> create(const engine::ResourceRequest& req) override;
  protocol::Result<engine::ProvisionResult> update(const engine::ResourceRequest& req) override {
    return read(req);
  }
  protocol::Result<void> remove(const engine::ResourceRequest& req) override;
  protocol::Result<engine::ProvisionResult> read(const engine::ResourceRequest& req) override;
  engine::UpdateBehavior update_behavior(std::string_view) const override {
    return engine::UpdateBehavior::Replacement;
  }

 protected:
  // The Associate<X> input from the template, or the missing-property error.
  virtual protocol::Result<boost::json::object> associate_input(
      const engine::ResourceRequest& req) const = 0;
  // read()'s live properties from the described item that holds the association.
  virtual boost::json::object live_properties(const boost::json::object& item) const { return {}; }

 private:
  AssociationApi api_;
};

}  // namespace services::cloudformation::resources::ec2

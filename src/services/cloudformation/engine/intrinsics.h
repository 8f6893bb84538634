#pragma once
// Evaluates intrinsic functions and pseudo parameters over one stack's context.
//
//   Evaluator eval(tpl, stack, params, conditions, hooks);
//   std::optional<json::value> v = eval.resolve(resource.properties);  // throws AwsError
//
// Supported: Ref, Fn::GetAtt, Fn::Join, Fn::Sub (both forms; ${AWS::Region}, ${Res.Attr},
// ${!Literal}), Fn::Select, Fn::Split, Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::If,
// Fn::Equals, Fn::And, Fn::Or, Fn::Not, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn
// (the last three for Rules), Condition, Fn::FindInMap, Fn::Base64,
// and, under the AWS::LanguageExtensions transform, Fn::Length, Fn::ToJsonString and
// Fn::FindInMap's DefaultValue. Pseudo parameters: AWS::Region, AWS::AccountId,
// AWS::StackName, AWS::StackId, AWS::Partition, AWS::URLSuffix, AWS::NotificationARNs and
// AWS::NoValue, which removes the property or list element holding it (resolve() returns
// nullopt when the whole value is removed).
//
// Errors are thrown as the ValidationError CloudFormation answers, e.g. "Template error:
// instance of Fn::GetAtt references undefined resource X", "Template error: every Fn::Join
// object requires two parameters, ...", "Template error: Fn::Select cannot select nonexistent
// value at index 3". The evaluator is const and keeps no state: one may be shared by threads as
// long as its hooks are thread-safe.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/parameters.h"
#include "services/cloudformation/engine/template.h"

namespace services::cloudformation::engine {

struct StackIdentity {
  std::string account;     // "000000000000"
  std::string region;      // "us-east-1"
  std::string stack_name;  // "app"
  std::string stack_id;    // arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>
  std::string partition = "aws";
  std::string url_suffix = "amazonaws.com";
  std::vector<std::string> notification_arns;
  boost::json::array tags;  // the stack's Tags, [{Key, Value}]: every taggable resource gets them
};

// What a created resource offers: Ref gives the physical id, Fn::GetAtt an attribute.
struct ResourceValues {
  std::string physical_id;
  boost::json::object attributes;  // "Arn", "DNSName", "Endpoint.Address", ...
};

using ConditionValues = std::map<std::string, bool, std::less<>>;

struct EvalHooks {
  // The values of a resource already created; nullptr while it is not (a change-set preview).
  std::function<const ResourceValues*(std::string_view logical_id)> resource;
  // Fn::ImportValue: an export's value, or the error to answer ("No export named X found.").
  std::function<protocol::Result<std::string>(std::string_view name)> import_value;
  // Fn::GetAZs: a region's availability zones (default: <region>a, <region>b, <region>c).
  std::function<std::vector<std::string>(std::string_view region)> availability_zones;
};

class Evaluator {
 public:
  Evaluator(const Template& t, StackIdentity stack, const ParameterValues& params,
            const ConditionValues& conditions, EvalHooks hooks = {});

  // `v` with every intrinsic evaluated; nullopt when it is (or chooses) AWS::NoValue. A resource
  // that is not created yet makes Ref/GetAtt fail with "Template error: reference X not ready"
  // unless `unresolved_as` is set, when it yields that placeholder instead (previews).
  std::optional<boost::json::value> resolve(const boost::json::value& v) const;
  protocol::Result<boost::json::value> try_resolve(const boost::json::value& v) const;

  // The value of a declared condition; throws for an undeclared one.
  bool condition(std::string_view name) const;
  bool evaluate_boolean(const boost::json::value& v) const;

  const StackIdentity& stack() const { return stack_; }
  const Template& tpl() const { return tpl_; }
  std::optional<std::string> unresolved_as;

 private:
  using Fn = std::optional<boost::json::value> (Evaluator::*)(const boost::json::value&) const;
  static const std::map<std::string, Fn, std::less<>>& functions();

  std::optional<boost::json::value> ref(const boost::json::value& arg) const;
  std::optional<boost::json::value> ref_name(std::string_view name) const;
  std::optional<boost::json::value> get_att(const boost::json::value& arg) const;
  boost::json::value attribute(const std::string& resource, const std::string& attr) const;
  std::optional<boost::json::value> join(const boost::json::value& arg) const;
  std::optional<boost::json::value> sub(const boost::json::value& arg) const;
  std::optional<boost::json::value> select(const boost::json::value& arg) const;
  std::optional<boost::json::value> split(const boost::json::value& arg) const;
  std::optional<boost::json::value> import_value(const boost::json::value& arg) const;
  std::optional<boost::json::value> get_azs(const boost::json::value& arg) const;
  std::optional<boost::json::value> cidr(const boost::json::value& arg) const;
  std::optional<boost::json::value> fn_if(const boost::json::value& arg) const;
  std::optional<boost::json::value> equals(const boost::json::value& arg) const;
  std::optional<boost::json::value> fn_and(const boost::json::value& arg) const;
  std::optional<boost::json::value> fn_or(const boost::json::value& arg) const;
  std::optional<boost::json::value> fn_not(const boost::json::value& arg) const;
  std::optional<boost::json::value> contains(const boost::json::value& arg) const;
  std::optional<boost::json::value> each_member_equals(const boost::json::value& arg) const;
  std::optional<boost::json::value> each_member_in(const boost::json::value& arg) const;
  std::vector<std::string> string_list(const boost::json::value& v, const std::string& fn) const;
  std::optional<boost::json::value> condition_fn(const boost::json::value& arg) const;
  std::optional<boost::json::value> find_in_map(const boost::json::value& arg) const;
  std::optional<boost::json::value> base64(const boost::json::value& arg) const;
  std::optional<boost::json::value> length(const boost::json::value& arg) const;
  std::optional<boost::json::value> to_json_string(const boost::json::value& arg) const;

  std::string resolve_string(const boost::json::value& v, const char* error) const;
  boost::json::value resolve_required(const boost::json::value& v) const;
  std::vector<bool> boolean_list(const boost::json::value& arg, const std::string& fn) const;

  const Template& tpl_;
  StackIdentity stack_;
  const ParameterValues& params_;
  const ConditionValues& conditions_;
  EvalHooks hooks_;
};

// The one place that knows whether a name is a pseudo parameter.
bool is_pseudo_parameter(std::string_view name);

}  // namespace services::cloudformation::engine

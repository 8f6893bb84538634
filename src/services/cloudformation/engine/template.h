#pragma once
// A template's sections as plain structs, checked for shape the way CloudFormation checks them
// before anything is created (ValidateTemplate, CreateStack, CreateChangeSet).
//
//   protocol::Result<Template> t = parse_template(body);   // JSON or YAML
//
// Property values stay boost::json with their intrinsic functions in long form; intrinsics.h
// evaluates them. Members keep the template's order (resources, outputs, parameters), which
// DescribeStackResources and GetTemplateSummary show.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/aws_error.h"

namespace services::cloudformation::engine {

struct ParameterDecl {
  std::string name;
  std::string type;  // "String", "Number", "List<Number>", "CommaDelimitedList", AWS-specific
  std::optional<std::string> default_value;
  std::vector<std::string> allowed_values;
  std::optional<std::string> allowed_pattern;
  std::optional<double> min_length, max_length, min_value, max_value;
  bool no_echo = false;
  std::string description;
  std::string constraint_description;
};

struct ResourceDecl {
  std::string logical_id;
  std::string type;
  boost::json::value properties;  // an object, or null when absent
  std::vector<std::string> depends_on;
  std::optional<std::string> condition;
  std::string deletion_policy = "Delete";  // Delete, Retain, Snapshot (RetainExceptOnCreate)
  std::string update_replace_policy = "Delete";
  boost::json::value metadata, creation_policy, update_policy;  // stored; null when absent
};

struct OutputDecl {
  std::string name;
  boost::json::value value;
  std::string description;
  std::optional<boost::json::value> export_name;  // Export.Name, may hold intrinsics
  std::optional<std::string> condition;
};

struct Template {
  boost::json::object body;    // the whole document, as read
  std::string format_version;  // "2010-09-09" or empty
  std::string description;
  boost::json::value metadata;
  std::vector<std::string> transforms;  // Transform, as a list
  bool language_extensions = false;     // Transform includes AWS::LanguageExtensions
  bool has_for_each = false;  // Fn::ForEach loops in Resources or Outputs, not yet expanded
  std::vector<ParameterDecl> parameters;
  boost::json::object mappings;
  boost::json::object conditions;
  boost::json::object rules;
  std::vector<ResourceDecl> resources;
  std::vector<OutputDecl> outputs;

  const ResourceDecl* find_resource(std::string_view logical_id) const;
  const ParameterDecl* find_parameter(std::string_view name) const;
};

// Reads (template_reader.h) and checks the sections. Errors are ValidationErrors worded as
// CloudFormation words them, e.g. "Template format error: At least one Resources member must be
// defined.", "Template format error: Unrecognized parameter type: Foo", "Template format error:
// Invalid template property or properties [Foo]", "Template format error: Resource name a_b is
// non alphanumeric.", "Template format error: [/Resources/X] Every Resources object must contain a
// Type member.". A Transform other than AWS::LanguageExtensions (AWS::Serverless-2016-10-31, a
// macro) is refused with a message saying Gantry does not run it.
protocol::Result<Template> parse_template(std::string_view body);
protocol::Result<Template> model_template(boost::json::object body);

// "Template format error: Unrecognized resource types: [A, B]" (sorted, each once) when a
// resource whose condition holds has a type `supported` rejects; resources whose condition is
// false are not checked, as on AWS. `condition_holds` may be empty (every resource checked).
// A type AWS has but Gantry cannot create yet, for want of the service behind it (nested stacks:
// S3; custom resources: Lambda), is refused first, with a reason naming the resource, its type
// and what is missing, never skipped.
protocol::Result<void> check_resource_types(
    const Template& t, const std::function<bool(std::string_view type)>& supported,
    const std::function<bool(std::string_view condition)>& condition_holds = {});

bool is_alphanumeric(std::string_view s);

}  // namespace services::cloudformation::engine

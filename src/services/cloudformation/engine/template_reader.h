#pragma once
// Reads a template body, JSON or YAML, into one boost::json object: the representation every
// other part of the engine works on.
//
// JSON is chosen when the body's first non-blank character is '{', YAML otherwise (YAML being a
// superset of JSON, CloudFormation does the same). YAML short forms become their long form:
// `!Ref X` is {"Ref": "X"}, `!GetAtt A.B` is {"Fn::GetAtt": ["A", "B"]}, `!Condition C` is
// {"Condition": "C"} and every other `!Name v` is {"Fn::Name": v}.
//
// YAML plain scalars are typed the way CloudFormation types them (its parser is YAML 1.1 for
// booleans): true/false/yes/no/on/off in lower, Title and UPPER case are booleans, so `Value: yes`
// reaches a String property as "true", as it does on AWS (aws-cli#5257 documents that
// CloudFormation treats YAML 1.1 booleans as booleans; `y`/`n` stay strings). `~`, `null` and an
// empty value are null. A plain scalar that is a canonical decimal integer (`80`, `-3`, `0`) is an
// integer. Every other scalar keeps its exact text as a string: `010` is "010" (not octal 8), `1e3`
// is "1e3", `0.50` is "0.50", `2010-09-09` is "2010-09-09" (no timestamp), so nothing is mangled
// the way a YAML 1.1 loader would; CloudFormation hands properties to providers as strings anyway.
// Quoted scalars and `!!str` are always strings.

#include <boost/json/object.hpp>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::cloudformation::engine {

// Errors (ValidationError): "Template format error: JSON not well-formed. (line L, column C)",
// "Template format error: YAML not well-formed. (line L, column C)" (1-based), and "Template
// format error: unsupported structure." when the document is not an object.
protocol::Result<boost::json::object> read_template(std::string_view body);

// The YAML half, for tests and for callers that know the format. Throws the AwsError above.
boost::json::object read_yaml_template(std::string_view body);

}  // namespace services::cloudformation::engine

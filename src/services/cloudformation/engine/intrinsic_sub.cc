// Fn::Sub, both forms (intrinsics.h):
//   {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"}
//   {"Fn::Sub": ["${Host}:${Port}", {"Host": {"Fn::GetAtt": ["Db", "Endpoint.Address"]}}]}
// A variable is looked up in the map first, then as a parameter, pseudo parameter or resource
// (Ref), and `Res.Attr` as Fn::GetAtt.

#include <boost/json/array.hpp>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/intrinsics.h"
#include "services/cloudformation/engine/sub_template.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {

namespace json = boost::json;

namespace {

constexpr const char* kSubError =
    "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. "
    "Specify a string as first argument, and an optional second argument to specify a mapping "
    "of values to replace in the string";

// A list (a CommaDelimitedList parameter) substitutes as its comma-joined members.
std::string text_of(const json::value& v) {
  if (std::optional<std::string> s = scalar_text(v)) {
    return *s;
  }
  if (v.is_array()) {
    std::string out;
    for (const json::value& item : v.get_array()) {
      out += (out.empty() ? "" : ",") + scalar_text(item).value_or("");
    }
    return out;
  }
  fail(kSubError);
}

}  // namespace

std::optional<json::value> Evaluator::sub(const json::value& arg) const {
  const json::value* source = &arg;
  const json::object* vars = nullptr;
  if (arg.is_array()) {
    const json::array& args = arg.get_array();
    if (args.size() != 2 || !args[1].is_object()) {
      fail(kSubError);
    }
    source = &args[0];
    vars = &args[1].get_object();
  }
  if (!source->is_string()) {
    fail(kSubError);
  }
  std::string out;
  for (const SubPart& part : parse_sub(source->get_string())) {
    if (!part.variable) {
      out += part.text;
    } else if (const json::value* v = vars ? vars->if_contains(part.text) : nullptr) {
      out += text_of(resolve_required(*v));
    } else if (size_t dot = part.text.find('.');
               dot != std::string::npos && !is_pseudo_parameter(part.text)) {
      out += text_of(attribute(part.text.substr(0, dot), part.text.substr(dot + 1)));
    } else {
      out += text_of(ref_name(part.text).value_or(""));
    }
  }
  return json::string(out);
}

}  // namespace services::cloudformation::engine

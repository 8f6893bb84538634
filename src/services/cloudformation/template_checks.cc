// The checks CreateStack, UpdateStack and CreateChangeSet share (cloudformation_service.h):
// the template of a request, its parameters, capabilities, and the stack it names.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/cloudformation/cloudformation_service.h"
#include "services/cloudformation/errors.h"
#include "services/cloudformation/stack_parameters.h"
#include "services/cloudformation/stack_store.h"

namespace services::cloudformation {

namespace json = boost::json;

std::string new_stack_id(const Ctx& ctx, const std::string& name) {
  return "arn:aws:cloudformation:" + ctx.region + ":" + ctx.account + ":stack/" + name + "/" +
         core::ids::uuid4();
}

std::string new_change_set_id(const Ctx& ctx, const std::string& name) {
  return "arn:aws:cloudformation:" + ctx.region + ":" + ctx.account + ":changeSet/" + name + "/" +
         core::ids::uuid4();
}

namespace {

protocol::Result<std::string> template_body(const Input& in, const Stack* previous) {
  if (auto body = core::opt_str(in, "TemplateBody")) return *body;
  if (core::opt_bool(in, "UsePreviousTemplate").value_or(false)) {
    if (!previous) return errors::validation("UsePreviousTemplate requires an existing stack");
    return previous->template_body;
  }
  if (core::opt_str(in, "TemplateURL")) {
    return errors::validation(
        "TemplateURL cannot be read: Gantry has no S3 yet. Pass the template as TemplateBody.");
  }
  return errors::validation("Either Template URL or Template Body must be specified.");
}

// The caller's values, with UsePreviousValue taken from the stack's current parameters.
protocol::Result<std::map<std::string, std::string, std::less<>>> given_parameters(
    const Input& in, const Stack* previous) {
  std::map<std::string, std::string, std::less<>> out;
  auto old = previous ? parameter_map(previous->parameters)
                      : std::map<std::string, std::string, std::less<>>{};
  if (const json::array* params = core::arr(in, "Parameters")) {
    for (const json::value& p : *params) {
      const json::object& o = p.as_object();
      std::string key = core::str(o, "ParameterKey");
      if (core::opt_bool(o, "UsePreviousValue").value_or(false)) {
        if (!core::str(o, "ParameterValue").empty()) {
          return errors::validation("Invalid input for parameter key " + key +
                                    ". Cannot specify usePreviousValue as true and non empty "
                                    "value for a parameter");
        }
        auto it = old.find(key);
        if (it == old.end()) {
          return errors::validation("Invalid input for parameter key " + key +
                                    ". Cannot specify usePreviousValue as true for a parameter "
                                    "key not in the previous template");
        }
        out[key] = it->second;
      } else {
        out[key] = core::str(o, "ParameterValue");
      }
    }
  }
  return out;
}

// Every {"Fn::ImportValue": ...} in `v`.
void find_imports(const json::value& v, std::vector<const json::value*>& out) {
  if (v.is_object()) {
    const json::object& o = v.get_object();
    if (o.size() == 1 && o.contains("Fn::ImportValue")) {
      out.push_back(&v);
      return;
    }
    for (const auto& kv : o) find_imports(kv.value(), out);
  } else if (v.is_array()) {
    for (const json::value& e : v.get_array()) find_imports(e, out);
  }
}

}  // namespace

// An import whose name needs no resource must name an existing export when the stack is
// created or updated ("No export named X found."), as CloudFormation checks it.
std::optional<protocol::AwsError> CloudFormationService::check_imports(
    const Ctx& ctx, const engine::StackPlan& plan, const engine::StackIdentity& id) const {
  std::vector<const json::value*> imports;
  for (const engine::ResourceDecl& r : plan.tpl.resources) find_imports(r.properties, imports);
  for (const engine::OutputDecl& o : plan.tpl.outputs) find_imports(o.value, imports);
  if (imports.empty()) return std::nullopt;
  engine::EvalHooks hooks;
  hooks.resource = [](std::string_view) -> const engine::ResourceValues* { return nullptr; };
  hooks.import_value = [&](std::string_view name) -> protocol::Result<std::string> {
    store::Transaction tx = db_.read();
    if (auto e = StackStore(tx).find_export(ctx.account, ctx.region, name)) return e->value;
    return errors::validation("No export named " + std::string(name) + " found.");
  };
  engine::Evaluator eval(plan.tpl, id, plan.parameters, plan.conditions, hooks);
  for (const json::value* v : imports) {
    auto r = eval.try_resolve(*v);
    if (!r && r.error().message.starts_with("No export named")) return r.error();
  }
  return std::nullopt;
}

protocol::Result<CheckedTemplate> CloudFormationService::check_template(
    const Ctx& ctx, const Input& in, const std::string& stack_name, const std::string& stack_id,
    const Stack* previous) const {
  auto body = template_body(in, previous);
  if (!body) return body.error();
  auto tpl = engine::parse_template(*body);
  if (!tpl) return tpl.error();
  if (auto missing = check_capabilities(*tpl, in)) return *missing;
  auto given = given_parameters(in, previous);
  if (!given) return given.error();
  engine::StackInputs inputs;
  inputs.stack = {ctx.account, ctx.region, stack_name, stack_id};
  inputs.parameters = std::move(*given);
  if (worker_.environment().ssm_parameter) {
    inputs.ssm = worker_.environment().ssm_parameter(inputs.stack);
  }
  const engine::ResourceProviders& providers = worker_.providers();
  inputs.supported_type = [&providers](std::string_view t) { return providers.supports(t); };
  auto plan = engine::plan_stack(*tpl, inputs);
  if (!plan) return plan.error();
  if (auto missing = check_imports(ctx, *plan, inputs.stack)) return *missing;
  CheckedTemplate out{*body, std::move(*plan), {}};
  for (const engine::ParameterDecl& d : out.plan.tpl.parameters) {
    const engine::ParameterValue& v = out.plan.parameters.at(d.name);
    json::object p{{"ParameterKey", d.name}, {"ParameterValue", v.ssm_name ? *v.ssm_name : v.text}};
    if (v.ssm_name) p["ResolvedValue"] = v.text;
    if (v.no_echo) p["NoEcho"] = true;
    out.parameters.push_back(std::move(p));
  }
  return out;
}

NeededCapabilities needed_capabilities(const engine::Template& t) {
  // The types that need CAPABILITY_IAM, with the property that names one (and then needs
  // CAPABILITY_NAMED_IAM), as CloudFormation's documentation lists them.
  static const std::map<std::string, std::string, std::less<>> kIamTypes = {
      {"AWS::IAM::AccessKey", ""},         {"AWS::IAM::Group", "GroupName"},
      {"AWS::IAM::InstanceProfile", "InstanceProfileName"},
      {"AWS::IAM::ManagedPolicy", "ManagedPolicyName"},
      {"AWS::IAM::Policy", ""},            {"AWS::IAM::Role", "RoleName"},
      {"AWS::IAM::User", "UserName"},      {"AWS::IAM::UserToGroupAddition", ""}};
  NeededCapabilities out;
  bool named = false;
  for (const engine::ResourceDecl& r : t.resources) {
    auto it = kIamTypes.find(r.type);
    if (it == kIamTypes.end()) continue;
    out.iam_types.insert(r.type);
    if (!it->second.empty() && r.properties.is_object() &&
        r.properties.as_object().contains(it->second)) {
      named = true;
    }
  }
  if (!out.iam_types.empty()) out.iam = named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM";
  out.auto_expand = !t.transforms.empty();
  return out;
}

std::optional<protocol::AwsError> CloudFormationService::check_capabilities(
    const engine::Template& t, const Input& in) {
  std::vector<std::string> given = core::strings(in, "Capabilities");
  auto has = [&](std::string_view c) { return std::find(given.begin(), given.end(), c) != given.end(); };
  NeededCapabilities needed = needed_capabilities(t);
  if (needed.iam == "CAPABILITY_NAMED_IAM" && !has(needed.iam)) {
    return errors::insufficient_capabilities(needed.iam);
  }
  if (!needed.iam.empty() && !has("CAPABILITY_IAM") && !has("CAPABILITY_NAMED_IAM")) {
    return errors::insufficient_capabilities(needed.iam);
  }
  if (needed.auto_expand && !has("CAPABILITY_AUTO_EXPAND")) {
    return errors::insufficient_capabilities("CAPABILITY_AUTO_EXPAND");
  }
  return std::nullopt;
}

Stack CloudFormationService::find_stack(store::Transaction& tx, const Ctx& ctx,
                                        const std::string& name_or_id) const {
  std::optional<Stack> s = StackStore(tx).find(ctx.account, ctx.region, name_or_id);
  if (!s) throw errors::stack_not_found(name_or_id);
  return *s;
}

void CloudFormationService::begin_operation(store::Transaction& tx, Stack& s,
                                            const std::string& status) const {
  StackStore store(tx);
  s.status = status;
  s.status_reason = "User Initiated";
  if (status != status::kCreateInProgress && status != status::kReviewInProgress) {
    s.updated_ms = now_ms();
  }
  store.update(s);
  StackEvent e;
  e.stack_id = s.stack_id;
  e.event_id = core::ids::uuid4();
  e.logical_id = s.name;
  e.physical_id = s.stack_id;
  e.type = "AWS::CloudFormation::Stack";
  e.status = status;
  e.status_reason = "User Initiated";
  e.timestamp_ms = now_ms();
  store.append_event(e);
}

}  // namespace services::cloudformation

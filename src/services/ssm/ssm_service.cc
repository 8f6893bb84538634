#include "services/ssm/ssm_service.h"

#include "services/ssm/errors.h"

namespace services::ssm {

void SsmService::register_operations(protocol::ServiceRegistry& registry) {
  registry.add(
      "ssm",
      {
          {"PutParameter", protocol::method(this, &SsmService::put_parameter)},
          {"GetParameter", protocol::method(this, &SsmService::get_parameter)},
          {"GetParameters", protocol::method(this, &SsmService::get_parameters)},
          {"DeleteParameter", protocol::method(this, &SsmService::delete_parameter)},
          {"DeleteParameters", protocol::method(this, &SsmService::delete_parameters)},
          {"GetParametersByPath", protocol::method(this, &SsmService::get_parameters_by_path)},
          {"DescribeParameters", protocol::method(this, &SsmService::describe_parameters)},
          {"GetParameterHistory", protocol::method(this, &SsmService::get_parameter_history)},
          {"LabelParameterVersion", protocol::method(this, &SsmService::label_parameter_version)},
          {"UnlabelParameterVersion",
           protocol::method(this, &SsmService::unlabel_parameter_version)},
          {"AddTagsToResource", protocol::method(this, &SsmService::add_tags_to_resource)},
          {"RemoveTagsFromResource",
           protocol::method(this, &SsmService::remove_tags_from_resource)},
          {"ListTagsForResource", protocol::method(this, &SsmService::list_tags_for_resource)},
      });
}

Reply SsmService::with_parameter(const Ctx& ctx, std::string_view name, const Step& step) {
  store::Transaction tx = vault_.db().begin();
  SsmStore st(tx);
  std::optional<ParameterRow> p = st.find(ctx.account, ctx.region, name);
  if (!p) return errors::parameter_not_found();
  Reply out = step(st, *p);
  if (out) tx.commit();
  return out;
}

}  // namespace services::ssm

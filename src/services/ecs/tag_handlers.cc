// Tags on every taggable ECS resource: clusters, task definitions, services, tasks and capacity
// providers.

#include "core/ids.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

// Checks that `arn` names an existing ECS resource of the caller's account and region.
protocol::Result<std::string> existing_resource(EcsStore& st, const Ctx& ctx,
                                                const std::string& arn) {
  core::ids::ParsedArn parsed;
  if (!core::ids::parse_arn(arn, &parsed) || parsed.service != "ecs") {
    return errors::invalid_parameter("The ARN provided is invalid.");
  }
  if (parsed.account != ctx.account || parsed.region != ctx.region) {
    return errors::invalid_parameter("The specified resource could not be found.");
  }
  std::string type = parsed.resource.substr(0, parsed.resource.find('/'));
  std::optional<Doc> doc;
  if (type == "cluster") {
    doc = st.get(Table::Clusters, arn);
    if (doc && str(*doc, "status") != "ACTIVE") {
      return errors::invalid_parameter(
          "The specified cluster is inactive. Specify an active cluster and try again.");
    }
  } else if (type == "task-definition") {
    doc = st.get(Table::TaskDefinitions, arn);
  } else if (type == "service") {
    doc = st.get(Table::Services, arn);
  } else if (type == "task") {
    doc = st.get(Table::Tasks, arn);
  } else if (type == "capacity-provider") {
    doc = st.get(Table::CapacityProviders, arn);
  } else {
    return errors::invalid_parameter("The ARN provided is invalid.");
  }
  if (!doc) {
    if (type == "cluster") {
      return errors::cluster_not_found();
    }
    if (type == "service") {
      return errors::service_not_found();
    }
    return errors::invalid_parameter("The specified resource could not be found.");
  }
  return arn;
}

}  // namespace

// TagResource — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TagResource.html
Reply EcsService::tag_resource(const Ctx& ctx, const Doc& in) {
  json::array tags;
  if (const json::array* t = arr(in, "tags")) {
    tags = *t;
  }
  if (std::string e = check_tags(tags, ctx.via_cloudformation()); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<std::string> arn = existing_resource(st, ctx, str(in, "resourceArn"));
  if (!arn) {
    return arn.error();
  }
  st.add_tags(*arn, tags);
  if (st.tags(*arn).size() > 50) {
    return errors::invalid_parameter("A resource can have at most 50 tags.");
  }
  tx.commit();
  return json::object();
}

// UntagResource — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UntagResource.html
Reply EcsService::untag_resource(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<std::string> arn = existing_resource(st, ctx, str(in, "resourceArn"));
  if (!arn) {
    return arn.error();
  }
  st.remove_tags(*arn, strings(in, "tagKeys"));
  tx.commit();
  return json::object();
}

// ListTagsForResource — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTagsForResource.html
Reply EcsService::list_tags_for_resource(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<std::string> arn = existing_resource(st, ctx, str(in, "resourceArn"));
  if (!arn) {
    return arn.error();
  }
  return json::object{{"tags", st.tags(*arn)}};
}

}  // namespace services::ecs

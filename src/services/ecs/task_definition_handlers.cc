// Task definition operations.

#include <algorithm>
#include <set>

#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"
#include "services/ecs/execution_role.h"
#include "services/ecs/validation.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

bool includes_tags(const Doc& in) {
  std::vector<std::string> include = strings(in, "include");
  return std::find(include.begin(), include.end(), "TAGS") != include.end();
}

}  // namespace

// RegisterTaskDefinition — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
Reply EcsService::register_task_definition(const Ctx& ctx, const Doc& in) {
  protocol::Result<Doc> td = check_task_definition(in);
  if (!td) {
    return td.error();
  }
  std::vector<std::string> requires_compat = strings(in, "requiresCompatibilities");
  bool fargate = std::find(requires_compat.begin(), requires_compat.end(), "FARGATE") !=
                 requires_compat.end();
  if (execution_role_required_ && fargate && !in.contains("executionRoleArn")) {
    for (const json::value& c : *arr(*td, "containerDefinitions")) {
      if (is_ecr_image(str(c.as_object(), "image"))) {
        return errors::client(
            "Fargate requires task definition to have execution role ARN to support ECR images.");
      }
    }
  }
  json::array tags;
  if (const json::array* t = arr(in, "tags")) {
    tags = *t;
  }
  if (std::string e = check_tags(tags, ctx.via_cloudformation()); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  std::string family = str(*td, "family");
  int64_t revision = st.max_revision(family) + 1;
  std::string arn = ecs_arn(ctx, "task-definition/" + family + ":" + std::to_string(revision));
  // Member order as ECS prints it: identity first.
  Doc doc{{"taskDefinitionArn", arn}};
  for (auto& [k, v] : *td) {
    doc[k] = v;
  }
  doc["revision"] = revision;
  doc["status"] = "ACTIVE";
  doc["registeredAt"] = epoch(clock_.now());
  if (!ctx.caller_arn.empty()) {
    doc["registeredBy"] = ctx.caller_arn;
  }
  st.put_task_definition(doc);
  st.add_tags(arn, tags);
  Doc out{{"taskDefinition", doc}, {"tags", st.tags(arn)}};
  tx.commit();
  return out;
}

// DescribeTaskDefinition — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html
Reply EcsService::describe_task_definition(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  std::optional<Doc> td = find_task_definition(st, ctx, str(in, "taskDefinition"));
  if (!td || str(*td, "status") == "DELETE_IN_PROGRESS") {
    return errors::client("Unable to describe task definition.");
  }
  Doc out{{"taskDefinition", *td}};
  if (includes_tags(in)) {
    out["tags"] = st.tags(str(*td, "taskDefinitionArn"));
  }
  return out;
}

// ListTaskDefinitions — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitions.html
// Sorted by family, then revision (numerically); DESC reverses both. The token is the last
// (family, revision) returned.
Reply EcsService::list_task_definitions(const Ctx& ctx, const Doc& in) {
  protocol::Result<Page> page = read_page(in, 100, 100);
  if (!page) {
    return page.error();
  }
  bool desc = str(in, "sort", "ASC") == "DESC";
  std::optional<std::string> family = opt_str(in, "familyPrefix");
  std::string status = str(in, "status", "ACTIVE");
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  std::vector<TaskDefinitionKey> keys = st.task_definition_keys(
      family ? std::optional<std::string_view>(*family) : std::nullopt, status);
  if (desc) {
    std::reverse(keys.begin(), keys.end());
  }
  auto key_of = [](const TaskDefinitionKey& k) {
    return k.family + "\n" + std::to_string(k.revision);
  };
  size_t begin = 0;
  if (!page->after.empty()) {
    auto nl = page->after.find('\n');
    if (nl == std::string::npos) {
      return errors::invalid_parameter("Invalid nextToken.");
    }
    std::string after_family = page->after.substr(0, nl);
    int64_t after_revision = std::atoll(page->after.c_str() + nl + 1);
    auto past = [&](const TaskDefinitionKey& k) {
      auto a = std::tie(k.family, k.revision);
      auto b = std::tie(after_family, after_revision);
      return desc ? a < b : b < a;
    };
    while (begin < keys.size() && !past(keys[begin])) {
      ++begin;
    }
  }
  Doc out;
  json::array arns;
  size_t end = std::min(keys.size(), begin + static_cast<size_t>(page->limit));
  for (size_t i = begin; i < end; ++i) {
    arns.push_back(json::string(keys[i].arn));
  }
  if (end < keys.size()) {
    out["nextToken"] = make_token(key_of(keys[end - 1]));
  }
  out["taskDefinitionArns"] = std::move(arns);
  return out;
}

// ListTaskDefinitionFamilies — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitionFamilies.html
// ACTIVE: families with an ACTIVE revision; INACTIVE: families without one; ALL (default): both.
Reply EcsService::list_task_definition_families(const Ctx& ctx, const Doc& in) {
  protocol::Result<Page> page = read_page(in, 100, 100);
  if (!page) {
    return page.error();
  }
  std::string prefix = str(in, "familyPrefix");
  std::string status = str(in, "status", "ALL");
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  std::vector<std::string> active = st.families(prefix, "ACTIVE");
  std::vector<std::string> families;
  if (status == "ACTIVE") {
    families = active;
  } else {
    std::set<std::string> active_set(active.begin(), active.end());
    for (const std::string& f : st.families(prefix, "")) {
      if (status == "ALL" || !active_set.contains(f)) {
        families.push_back(f);
      }
    }
  }
  auto it = std::upper_bound(families.begin(), families.end(), page->after);
  std::vector<std::string> slice(it, families.end());
  return page_out(std::move(slice), *page, "families");
}

// DeregisterTaskDefinition — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeregisterTaskDefinition.html
Reply EcsService::deregister_task_definition(const Ctx& ctx, const Doc& in) {
  std::string ref = str(in, "taskDefinition");
  if (!is_arn(ref) && ref.find(':') == std::string::npos) {
    return errors::client("Revision is required to deregister a task definition.");
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  std::optional<Doc> td = find_task_definition(st, ctx, ref);
  if (!td || str(*td, "status") == "DELETE_IN_PROGRESS") {
    return errors::client("The specified task definition does not exist.");
  }
  if (str(*td, "status") == "ACTIVE") {
    (*td)["status"] = "INACTIVE";
    (*td)["deregisteredAt"] = epoch(clock_.now());
    st.put_task_definition(*td);
  }
  Doc out{{"taskDefinition", *td}};
  tx.commit();
  return out;
}

// DeleteTaskDefinitions — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteTaskDefinitions.html
// Only INACTIVE revisions can be deleted; they stay visible as DELETE_IN_PROGRESS.
Reply EcsService::delete_task_definitions(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> refs = strings(in, "taskDefinitions");
  if (refs.empty() || refs.size() > 10) {
    return errors::invalid_parameter(
        "The taskDefinitions list must contain between 1 and 10 task definitions.");
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  json::array deleted;
  json::array failures;
  for (const std::string& ref : refs) {
    std::optional<Doc> td;
    if (is_arn(ref) || ref.find(':') != std::string::npos) {
      td = find_task_definition(st, ctx, ref);
    }
    std::string arn = is_arn(ref) ? ref : ecs_arn(ctx, "task-definition/" + ref);
    if (!td) {
      failures.push_back(json::object{
          {"arn", arn},
          {"reason", "The specified task definition does not exist. Specify a valid account, "
                     "family, revision and try again."}});
      continue;
    }
    if (str(*td, "status") == "ACTIVE") {
      failures.push_back(json::object{
          {"arn", str(*td, "taskDefinitionArn")},
          {"reason", "The specified task definition is still in ACTIVE status. Please "
                     "deregister the target and try again."}});
      continue;
    }
    if (str(*td, "status") == "INACTIVE") {
      (*td)["status"] = "DELETE_IN_PROGRESS";
      st.put_task_definition(*td);
    }
    deleted.push_back(*td);
  }
  Doc out{{"taskDefinitions", std::move(deleted)}, {"failures", std::move(failures)}};
  tx.commit();
  return out;
}

}  // namespace services::ecs

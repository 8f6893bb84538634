// Listener rules: create, describe, modify, delete, priorities.

#include <algorithm>
#include <set>

#include "services/elbv2/describe_pages.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"
#include "services/elbv2/rule_definitions.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxRulesPerLoadBalancer = 100;

std::string listener_suffix(const std::string& listener_arn) {
  return listener_arn.substr(listener_arn.find(":listener/") + 10);  // app/<n>/<lb id>/<id>
}

}  // namespace

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html
Reply Elbv2Service::create_rule(const Ctx& ctx, const Doc& in) {
  std::string listener_arn = str(in, "ListenerArn");
  int64_t priority = opt_int(in, "Priority").value_or(0);
  if (priority < 1 || priority > 50000) {
    return errors::validation("Priority must be between 1 and 50000");
  }
  json::array tags = arr(in, "Tags") ? *arr(in, "Tags") : json::array{};
  if (auto e = check_tags(tags, ctx.via_cloudformation())) {
    return *e;
  }
  protocol::Result<json::array> conditions = normalize_conditions(arr(in, "Conditions"));
  if (!conditions) {
    return conditions.error();
  }
  if (conditions->empty()) {
    return errors::validation("At least one condition must be specified");
  }
  json::object reply;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<ListenerRow> listener = st.listener(listener_arn);
    if (!listener) {
      return errors::listener_not_found();
    }
    protocol::Result<NormalizedActions> actions =
        normalize_actions(arr(in, "Actions"), str(listener->doc, "Protocol"));
    if (!actions) {
      return actions.error();
    }
    std::string lb_arn = str(listener->doc, "LoadBalancerArn");
    if (auto e = check_forward_targets(st, lb_arn, actions->target_groups)) {
      return *e;
    }
    if (st.rule_with_priority(listener_arn, priority)) {
      return errors::priority_in_use(priority);
    }
    if (st.count_rules_of_load_balancer(lb_arn) >= kMaxRulesPerLoadBalancer) {
      return errors::too_many_rules();
    }
    std::vector<std::string> was_unused = unused_groups(st, actions->target_groups);
    std::string arn =
        elb_arn(ctx, "listener-rule/" + listener_suffix(listener_arn) + "/" + elb_id());
    json::object rule{{"RuleArn", arn},
                      {"Priority", std::to_string(priority)},
                      {"Conditions", *conditions},
                      {"Actions", actions->actions},
                      {"IsDefault", false}};
    st.put_rule({rule, listener_arn, priority}, actions->target_groups);
    st.add_tags(arn, tags);
    restart_unused_targets(st, was_unused);
    reply["Rules"] = json::array{rule};
    tx.commit();
  }
  changed();
  return reply;
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeRules.html
Reply Elbv2Service::describe_rules(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> arns = strings(in, "RuleArns");
  std::optional<std::string> listener_arn = opt_str(in, "ListenerArn");
  if (arns.empty() && !listener_arn) {
    return errors::validation("You must specify either listener ARNs or rule ARNs");
  }
  return describe_page(
      db_, ctx, in, "Rules", [&](Elbv2Store& st, const Page& page, DescribeOut& out) {
        if (!arns.empty()) {
          return visit_named(
              arns,
              [&](const std::string& arn) {
                std::optional<RuleRow> row = st.rule(arn);
                return row && (!listener_arn || row->listener_arn == *listener_arn) ? row
                                                                                    : std::nullopt;
              },
              [](const std::string&) { return errors::rule_not_found(); },
              [&](const RuleRow& row) { out.rows.push_back(row.doc); });
        }
        if (!st.listener(*listener_arn)) {
          return std::optional(errors::listener_not_found());
        }
        // By position: Marker resumes at the index after the last page's rule.
        std::vector<RuleRow> rules = st.rules_of(*listener_arn);
        std::vector<std::pair<std::string, json::object>> rows;
        for (std::size_t i = page.after.empty() ? 0 : std::stoul(page.after); i < rules.size();
             ++i) {
          rows.emplace_back(std::to_string(i + 1), rules[i].doc);
        }
        take_page(
            rows, page, [](const json::object& doc) { return doc; }, out);
        return std::optional<protocol::AwsError>();
      });
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyRule.html
Reply Elbv2Service::modify_rule(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "RuleArn");
  json::object reply;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<RuleRow> row = st.rule(arn);
    if (!row) {
      return errors::rule_not_found();
    }
    std::optional<ListenerRow> listener = st.listener(row->listener_arn);
    if (!listener) {
      return errors::rule_not_found();
    }
    bool is_default = !row->priority;
    if (arr(in, "Conditions")) {
      if (is_default) {
        return errors::operation_not_permitted("The conditions of default rule '" + arn +
                                               "' cannot be modified");
      }
      protocol::Result<json::array> conditions = normalize_conditions(arr(in, "Conditions"));
      if (!conditions) {
        return conditions.error();
      }
      if (conditions->empty()) {
        return errors::validation("At least one condition must be specified");
      }
      row->doc["Conditions"] = *conditions;
    }
    std::vector<std::string> groups;
    for (const json::value& a : row->doc.at("Actions").get_array()) {
      if (const json::object* config = obj(a.get_object(), "ForwardConfig")) {
        for (const json::value& g : config->at("TargetGroups").get_array()) {
          groups.push_back(str(g.get_object(), "TargetGroupArn"));
        }
      }
    }
    std::vector<std::string> was_unused;
    if (arr(in, "Actions")) {
      protocol::Result<NormalizedActions> actions =
          normalize_actions(arr(in, "Actions"), str(listener->doc, "Protocol"));
      if (!actions) {
        return actions.error();
      }
      if (auto e = check_forward_targets(st, str(listener->doc, "LoadBalancerArn"),
                                         actions->target_groups)) {
        return *e;
      }
      was_unused = unused_groups(st, actions->target_groups);
      row->doc["Actions"] = actions->actions;
      groups = actions->target_groups;
      if (is_default) {
        listener->doc["DefaultActions"] = actions->actions;
        st.put_listener(*listener);
      }
    }
    st.put_rule(*row, groups);
    restart_unused_targets(st, was_unused);
    reply["Rules"] = json::array{row->doc};
    tx.commit();
  }
  changed();
  return reply;
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteRule.html
Reply Elbv2Service::delete_rule(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "RuleArn");
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::optional<RuleRow> row = st.rule(arn);
    if (!row) {
      return errors::rule_not_found();
    }
    if (!row->priority) {
      return errors::operation_not_permitted("Default rule '" + arn + "' cannot be deleted");
    }
    st.delete_rule(arn);
    tx.commit();
  }
  changed();
  return json::object{};
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetRulePriorities.html
// All or nothing: the new priorities may swap among the named rules but must not collide with
// any other rule of the listener.
Reply Elbv2Service::set_rule_priorities(const Ctx& ctx, const Doc& in) {
  const json::array* pairs = arr(in, "RulePriorities");
  json::array out;
  {
    store::Transaction tx = db_.begin();
    Elbv2Store st(tx, ctx.account, ctx.region);
    std::vector<std::pair<RuleRow, int64_t>> changes;
    std::set<int64_t> wanted;
    std::set<std::string> named;
    for (const json::value& v : pairs ? *pairs : json::array{}) {
      std::string arn = str(v.get_object(), "RuleArn");
      int64_t priority = opt_int(v.get_object(), "Priority").value_or(0);
      std::optional<RuleRow> row = st.rule(arn);
      if (!row) {
        return errors::rule_not_found();
      }
      if (!row->priority) {
        return errors::operation_not_permitted("Default rule '" + arn +
                                               "' cannot have its priority changed");
      }
      if (priority < 1 || priority > 50000) {
        return errors::validation("Priority must be between 1 and 50000");
      }
      if (!wanted.insert(priority).second) {
        return errors::priority_in_use(priority);
      }
      named.insert(arn);
      changes.emplace_back(std::move(*row), priority);
    }
    for (const auto& [row, priority] : changes) {
      std::optional<RuleRow> holder = st.rule_with_priority(row.listener_arn, priority);
      if (holder && !named.contains(str(holder->doc, "RuleArn"))) {
        return errors::priority_in_use(priority);
      }
    }
    // Two passes so that swapped priorities never meet in the unique index.
    int64_t parking = -1;
    for (auto& [row, priority] : changes) {
      tx.execute(
          "UPDATE elbv2_rules SET priority = ?1 WHERE account = ?2 AND region = ?3 AND arn = ?4",
          parking--, ctx.account, ctx.region, str(row.doc, "RuleArn"));
    }
    for (auto& [row, priority] : changes) {
      row.priority = priority;
      row.doc["Priority"] = std::to_string(priority);
      std::vector<std::string> groups;
      for (const json::value& a : row.doc.at("Actions").get_array()) {
        if (const json::object* config = obj(a.get_object(), "ForwardConfig")) {
          for (const json::value& g : config->at("TargetGroups").get_array()) {
            groups.push_back(str(g.get_object(), "TargetGroupArn"));
          }
        }
      }
      st.put_rule(row, groups);
      out.push_back(row.doc);
    }
    tx.commit();
  }
  changed();
  return json::object{{"Rules", std::move(out)}};
}

}  // namespace services::elbv2

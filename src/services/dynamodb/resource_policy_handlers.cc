// Resource-based policies of tables: PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy
// and CreateTable's ResourcePolicy, with DynamoDB's revision ids (a new one only when the text
// changes) and ExpectedRevisionId checks. Stored, not evaluated: Gantry's accounts do not reach
// each other's tables.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutResourcePolicy.html

#include <algorithm>
#include <boost/json/parse.hpp>
#include <optional>
#include <string>

#include "core/json.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

constexpr std::string_view kNotFound =
    "Resource-based policy not found for the provided ResourceArn: ";
constexpr std::size_t kMaxPolicyBytes = 20 * 1024;

struct StoredPolicy {
  std::string policy;
  std::string revision;
};

protocol::AwsError policy_not_found(std::string_view detail) {
  return {"PolicyNotFoundException", std::string(kNotFound) + std::string(detail)};
}

std::optional<StoredPolicy> stored(DdbStore& st, int64_t table_id) {
  std::optional<StoredPolicy> out;
  st.transaction().query(
      "SELECT policy, revision FROM ddb_resource_policies WHERE table_id = ?1",
      [&](const store::Statement& row) { out = StoredPolicy{row.text(0), row.text(1)}; },
      table_id);
  return out;
}

// ExpectedRevisionId against what is stored ("NO_POLICY": that there is none).
std::optional<protocol::AwsError> check_expected(const Doc& in, const TableRow& row,
                                                 const std::optional<StoredPolicy>& current) {
  std::optional<std::string> expected = core::opt_str(in, "ExpectedRevisionId");
  if (!expected) return std::nullopt;
  if (*expected == "NO_POLICY") {
    if (!current) return std::nullopt;
    return policy_not_found("Requested policy update expecting none to be present for table " +
                            row.name + ", but a policy exists with revision id " +
                            current->revision + ".");
  }
  if (!current) return policy_not_found(core::str(in, "ResourceArn"));
  if (current->revision == *expected) return std::nullopt;
  return policy_not_found("Requested update for policy with revision id " + *expected +
                          ", but the policy associated to target table " + row.name +
                          " has revision id " + current->revision + ".");
}

}  // namespace

// The policy text `policy` for the table, under a new revision unless it is the stored text.
// Returns the revision; throws ValidationException for text that is not a JSON policy.
std::string DynamoDbService::store_resource_policy(DdbStore& st, int64_t table_id,
                                                   const std::string& policy) {
  boost::system::error_code ec;
  json::value doc = json::parse(policy, ec);
  if (ec || !doc.is_object() || !doc.as_object().contains("Statement")) {
    throw errors::validation("Invalid policy document: the policy is not a JSON object with a "
                             "Statement");
  }
  if (policy.size() > kMaxPolicyBytes) {
    throw errors::validation("Policy document exceeds the maximum size of 20 KB");
  }
  std::optional<StoredPolicy> current = stored(st, table_id);
  if (current && current->policy == policy) return current->revision;
  int64_t revision = core::to_epoch_millis(clock_.now());
  if (current) revision = std::max<int64_t>(revision, std::stoll(current->revision) + 1);
  st.transaction().execute(
      "INSERT INTO ddb_resource_policies (table_id, policy, revision) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (table_id) DO UPDATE SET policy = excluded.policy, "
      "revision = excluded.revision",
      table_id, policy, std::to_string(revision));
  return std::to_string(revision);
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutResourcePolicy.html
Reply DynamoDbService::put_resource_policy(const Ctx& ctx, const Doc& in) {
  return with_table_arn(ctx, core::str(in, "ResourceArn"),
                        [&](DdbStore& st, TableRow& row) -> Reply {
    if (auto e = check_expected(in, row, stored(st, row.id))) return *e;
    return json::object{
        {"RevisionId", store_resource_policy(st, row.id, core::str(in, "Policy"))}};
  });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetResourcePolicy.html
Reply DynamoDbService::get_resource_policy(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "ResourceArn");
  return with_table_arn(ctx, arn, [&](DdbStore& st, TableRow& row) -> Reply {
    std::optional<StoredPolicy> current = stored(st, row.id);
    if (!current) return policy_not_found(arn);
    return json::object{{"Policy", current->policy}, {"RevisionId", current->revision}};
  });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteResourcePolicy.html
Reply DynamoDbService::delete_resource_policy(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "ResourceArn");
  return with_table_arn(ctx, arn, [&](DdbStore& st, TableRow& row) -> Reply {
    std::optional<StoredPolicy> current = stored(st, row.id);
    if (!current) return policy_not_found(arn);
    if (auto e = check_expected(in, row, current)) return *e;
    st.transaction().execute("DELETE FROM ddb_resource_policies WHERE table_id = ?1", row.id);
    return json::object{{"RevisionId", current->revision}};
  });
}

}  // namespace services::dynamodb

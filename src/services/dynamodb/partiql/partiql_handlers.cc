// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: PartiQL statements parsed
// (parser.h), planned as item API requests (translate.h) and run through the item handlers
// (statement_runner.h), so that a statement obeys every rule the item API has.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html

#include <variant>

#include "core/json.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/partiql/statement_runner.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;
using partiql::Plan;
using partiql::Prepared;
using partiql::Statement;
using partiql::Surface;

// The members of a request that pass through to the item operation unchanged.
json::object pass_through(const Doc& in, std::initializer_list<std::string_view> names) {
  json::object out;
  for (std::string_view n : names) {
    if (const json::value* v = in.if_contains(n)) out[n] = *v;
  }
  return out;
}

// BatchStatementError's code for an error the statement ran into.
std::string batch_code(const std::string& code) {
  static const std::pair<std::string_view, std::string_view> codes[] = {
      {"ValidationException", "ValidationError"},
      {"ConditionalCheckFailedException", "ConditionalCheckFailed"},
      {"DuplicateItemException", "DuplicateItem"},
      {"ResourceNotFoundException", "ResourceNotFound"},
      {"ItemCollectionSizeLimitExceededException", "ItemCollectionSizeLimitExceeded"},
      {"TransactionConflictException", "TransactionConflict"},
      {"ProvisionedThroughputExceededException", "ProvisionedThroughputExceeded"},
      {"RequestLimitExceeded", "RequestLimitExceeded"}};
  for (const auto& [from, to] : codes) {
    if (code == from) return std::string(to);
  }
  return "InternalServerError";
}

json::object batch_error(const protocol::AwsError& e) {
  return json::object{{"Code", batch_code(e.code)}, {"Message", e.message}};
}

// One statement of a batch, run: {TableName, Item} or {TableName, Error}.
json::object run_batch_member(DynamoDbService& svc, const Ctx& ctx, const json::object& member,
                              const Prepared& p, const Doc& in) {
  json::object response{{"TableName", p.table->name}};
  json::object options = pass_through(in, {"ReturnConsumedCapacity"});
  Reply r = p.statement.is_read() ? [&] {
    if (core::opt_bool(member, "ConsistentRead").value_or(false)) options["ConsistentRead"] = true;
    return partiql::run_select(svc, ctx, p, options);
  }()
                                  : partiql::run_write(svc, ctx, p, options);
  if (!r) {
    response["Error"] = batch_error(r.error());
    return response;
  }
  const json::array* items = core::arr(*r, "Items");
  const json::object* attributes = core::obj(*r, "Attributes");
  if (items && !items->empty()) response["Item"] = items->front();
  if (attributes && !attributes->empty()) response["Item"] = *attributes;
  if (const json::object* cc = core::obj(*r, "ConsumedCapacity")) response["__cc"] = *cc;
  return response;
}

protocol::AwsError in_statement(std::size_t i, protocol::AwsError e) {
  if (e.code == "ValidationException") {
    e.message = "Validation failed in TransactStatements[" + std::to_string(i) + "]: " + e.message;
  }
  return e;
}

// TransactionCanceledException with DuplicateItem for the INSERTs whose condition failed.
protocol::AwsError cancelled(protocol::AwsError e, const std::vector<Prepared>& prepared) {
  json::value* reasons = e.fields.if_contains("CancellationReasons");
  if (!reasons || !reasons->is_array()) return e;
  std::string codes;
  json::array& list = reasons->as_array();
  for (std::size_t i = 0; i < list.size() && i < prepared.size(); ++i) {
    json::object& reason = list[i].as_object();
    bool insert = prepared[i].statement.kind == Statement::Kind::Insert;
    if (insert && core::str(reason, "Code") == "ConditionalCheckFailed") {
      reason = json::object{{"Code", "DuplicateItem"},
                            {"Message", "Duplicate primary key exists in table"}};
    }
    codes += (i ? ", " : "") + core::str(reason, "Code");
  }
  e.message = "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
              codes + "]";
  return e;
}

const char* transact_member(Plan::Op op) {
  switch (op) {
    case Plan::Op::Put: return "Put";
    case Plan::Op::Update: return "Update";
    case Plan::Op::Delete: return "Delete";
    case Plan::Op::ConditionCheck: return "ConditionCheck";
    default: return "Get";
  }
}

}  // namespace

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html
Reply DynamoDbService::execute_statement(const Ctx& ctx, const Doc& in) {
  bool consistent = core::opt_bool(in, "ConsistentRead").value_or(false);
  Prepared p = partiql::prepare(*this, ctx, partiql::parse_member(in), Surface::Statement,
                                consistent);
  if (!p.statement.is_read()) {
    Reply r = partiql::run_write(
        *this, ctx, p, pass_through(in, {"ReturnConsumedCapacity",
                                         "ReturnValuesOnConditionCheckFailure"}));
    if (!r) return r;
    json::array items;
    const json::object* attributes = core::obj(*r, "Attributes");
    if (attributes && !attributes->empty()) items.push_back(*attributes);
    json::object out{{"Items", std::move(items)}};
    if (const json::value* cc = r->if_contains("ConsumedCapacity")) out["ConsumedCapacity"] = *cc;
    return out;
  }
  json::object options = pass_through(in, {"ReturnConsumedCapacity", "Limit"});
  if (consistent) options["ConsistentRead"] = true;
  std::string digest = partiql::request_digest(in);
  if (auto token = core::opt_str(in, "NextToken")) {
    options["ExclusiveStartKey"] = partiql::decode_token(*token, digest);
  }
  Reply r = partiql::run_select(*this, ctx, p, options);
  if (r) {
    if (const json::object* last = core::obj(*r, "LastEvaluatedKey")) {
      (*r)["NextToken"] = partiql::encode_token(digest, *last);
    }
  }
  return r;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html
Reply DynamoDbService::batch_execute_statement(const Ctx& ctx, const Doc& in) {
  const json::array* members = core::arr(in, "Statements");
  std::vector<std::variant<protocol::AwsError, Statement>> parsed;
  bool reads = false;
  bool writes = false;
  for (const json::value& m : members ? *members : json::array()) {
    try {
      Statement st = partiql::parse_member(m.as_object());
      (st.is_read() ? reads : writes) = true;
      parsed.emplace_back(std::move(st));
    } catch (const protocol::AwsError& e) {
      parsed.emplace_back(e);
    }
  }
  if (reads && writes) {
    return errors::validation("Read and write requests together in the same batch is not supported.");
  }
  json::array responses;
  std::map<std::string, json::object> consumed;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    const json::object& member = (*members)[i].as_object();
    if (const auto* e = std::get_if<protocol::AwsError>(&parsed[i])) {
      responses.push_back(json::object{{"Error", batch_error(*e)}});
      continue;
    }
    bool consistent = core::opt_bool(member, "ConsistentRead").value_or(false);
    json::object response;
    try {
      Prepared p = partiql::prepare(*this, ctx, std::get<Statement>(parsed[i]), Surface::Batch,
                                    consistent);
      response = run_batch_member(*this, ctx, member, p, in);
    } catch (const protocol::AwsError& e) {
      response = json::object{{"Error", batch_error(e)}};
    }
    if (json::value* cc = response.if_contains("__cc")) {
      partiql::add_capacity(consumed[core::str(response, "TableName")], cc->as_object());
      response.erase("__cc");
    }
    responses.push_back(std::move(response));
  }
  json::object out{{"Responses", std::move(responses)}};
  if (!consumed.empty()) {
    json::array list;
    for (auto& [name, cc] : consumed) list.push_back(std::move(cc));
    out["ConsumedCapacity"] = std::move(list);
  }
  return out;
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteTransaction.html
Reply DynamoDbService::execute_transaction(const Ctx& ctx, const Doc& in) {
  const json::array* members = core::arr(in, "TransactStatements");
  std::vector<Statement> statements;
  for (std::size_t i = 0; members && i < members->size(); ++i) {
    try {
      statements.push_back(partiql::parse_member((*members)[i].as_object()));
    } catch (const protocol::AwsError& e) {
      return in_statement(i, e);
    }
    if (!statements.back().returning.empty()) {
      return in_statement(i, errors::validation(
                                 "RETURNING clause is not supported in ExecuteTransaction."));
    }
    if (statements.back().is_read() != statements.front().is_read()) {
      return errors::validation(
          "ExecuteTransaction API does not support both read and write operations in the same "
          "request.");
    }
  }
  std::vector<Prepared> prepared;
  json::array items;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    try {
      prepared.push_back(
          partiql::prepare(*this, ctx, std::move(statements[i]), Surface::Transaction, false));
    } catch (const protocol::AwsError& e) {
      return in_statement(i, e);
    }
    json::object body = prepared.back().plan.request;
    const json::object& member = (*members)[i].as_object();
    if (const json::value* rv = member.if_contains("ReturnValuesOnConditionCheckFailure")) {
      if (prepared.back().plan.op != Plan::Op::Get) body["ReturnValuesOnConditionCheckFailure"] = *rv;
    }
    items.push_back(json::object{{transact_member(prepared.back().plan.op), std::move(body)}});
  }
  bool reads = !prepared.empty() && prepared.front().statement.is_read();
  json::object req = pass_through(in, {"ReturnConsumedCapacity", "ClientRequestToken"});
  req["TransactItems"] = std::move(items);
  Reply r = [&]() -> Reply {
    try {
      return reads ? transact_get_items(ctx, req) : transact_write_items(ctx, req);
    } catch (const protocol::AwsError& e) {
      return e;
    }
  }();
  if (!r) {
    if (r.error().code == "TransactionCanceledException") return cancelled(r.error(), prepared);
    return partiql::partiql_error(prepared.front().statement, r.error());
  }
  if (reads) {
    if (json::value* responses = r->if_contains("Responses")) {
      for (std::size_t i = 0; i < responses->as_array().size(); ++i) {
        json::object& response = responses->as_array()[i].as_object();
        if (json::value* item = response.if_contains("Item")) {
          *item = partiql::name_results(item->as_object(), prepared[i].plan.projection);
        }
      }
    }
  }
  return r;
}

}  // namespace services::dynamodb

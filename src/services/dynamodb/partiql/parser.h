#pragma once
// PartiQL for DynamoDB: text → Statement, with the request's Parameters bound to the `?` in
// order. A recursive-descent parser over the subset DynamoDB runs:
//
//   SELECT * | path [, path...] FROM "table"[."index"] [WHERE cond] [ORDER BY key [ASC|DESC], ...]
//   INSERT INTO "table" VALUE {'attr': value, ...}
//   UPDATE "table" (SET path = value | REMOVE path)... WHERE cond [RETURNING (ALL|MODIFIED) (OLD|NEW) *]
//   DELETE FROM "table" WHERE cond [RETURNING ALL OLD *]
//   EXISTS(SELECT * FROM "table" WHERE cond)            (ExecuteTransaction only)
//
// cond: = <> != < <= > >=, BETWEEN, IN [..] or (..), IS [NOT] MISSING|NULL|<type>, AND, OR, NOT,
// parentheses, begins_with, contains, attribute_type, size. Values: 'strings', numbers, TRUE,
// FALSE, NULL, <<sets>>, {maps}, [lists] and `?`. Comments (--, /* */) and a final ';' are
// allowed; keywords are case-insensitive and SQL-92's reserved words are not names unquoted.
//
// Errors are ValidationExceptions in DynamoDB's words: "Statement wasn't well formed, can't be
// processed: Expected data manipulation" (and the other syntax details), "Number of parameters
// in request and statement don't match.", "Empty bags are not supported", ... Pure; thread-safe.

#include <boost/json/array.hpp>
#include <string_view>

#include "services/dynamodb/partiql/statement.h"

namespace services::dynamodb::partiql {

Statement parse_statement(std::string_view text, const boost::json::array& parameters);

// "Statement wasn't well formed, can't be processed: <detail>".
std::string malformed(std::string_view detail);

}  // namespace services::dynamodb::partiql

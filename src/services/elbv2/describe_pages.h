#pragma once
// Describe<X> for load balancers, target groups, listeners and rules share one shape: check the
// request, read Marker/PageSize, then in one read transaction either answer the rows named by ARN
// (or name), or one page of a parent's rows (or of all rows) with a NextMarker when more follow.
// Private to the ELBv2 handlers.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_store.h"
#include "store/db.h"
#include "store/transaction.h"

namespace services::elbv2 {

// What a Describe<X> answers: `rows` goes into the reply under the operation's member; `reply`
// holds NextMarker, when there is one.
struct DescribeOut {
  boost::json::array rows;
  boost::json::object reply;
};

// Reads the page of `in`, then calls fill(st, page, out) in a read transaction; its error is the
// answer, otherwise out.rows under `member` (after NextMarker, if fill set it).
template <class Fill>
protocol::Result<boost::json::object> describe_page(store::Db& db,
                                                    const protocol::RequestContext& ctx,
                                                    const Doc& in, std::string_view member,
                                                    Fill fill) {
  protocol::Result<Page> page = read_page(in);
  if (!page) {
    return page.error();
  }
  store::Transaction tx = db.read();
  Elbv2Store st(tx, ctx.account, ctx.region);
  DescribeOut out;
  if (std::optional<protocol::AwsError> e = fill(st, *page, out)) {
    return *e;
  }
  tx.commit();
  out.reply[member] = std::move(out.rows);
  return std::move(out.reply);
}

// Calls visit(row) for the row find(key) gives for each of `keys`, in order; the first key
// without one fails with not_found(key).
template <class Find, class NotFound, class Visit>
std::optional<protocol::AwsError> visit_named(const std::vector<std::string>& keys, Find find,
                                              NotFound not_found, Visit visit) {
  for (const std::string& key : keys) {
    auto row = find(key);
    if (!row) {
      return not_found(key);
    }
    visit(*row);
  }
  return std::nullopt;
}

// One page from `rows`, the rows that follow page.after in order (at least page.size + 1 of them
// when more follow the page), each with the key a Marker resumes after: view(row) of the first
// page.size go into out.rows, and NextMarker names the last of them when a row is left over.
template <class Row, class View>
void take_page(const std::vector<std::pair<std::string, Row>>& rows, const Page& page, View view,
               DescribeOut& out) {
  for (std::size_t i = 0; i < rows.size() && static_cast<int64_t>(i) < page.size; ++i) {
    out.rows.push_back(view(rows[i].second));
  }
  if (static_cast<int64_t>(rows.size()) > page.size) {
    out.reply["NextMarker"] = make_marker(rows[page.size - 1].first);
  }
}

}  // namespace services::elbv2

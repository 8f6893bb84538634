#pragma once
// ListServices and ListTasks share one shape: read nextToken/maxResults, find the request's
// ACTIVE cluster in a read transaction, then answer the keys that follow the token. Private to
// the ECS handlers.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "store/db.h"
#include "store/transaction.h"

namespace services::ecs {

// A List<X> of the cluster find_cluster(st) gives (up to default_max keys, or maxResults up to
// 100): list(st, cluster, page) returns at most page.limit + 1 keys after page.after, answered
// under `member`. A request that names no cluster before "default" exists gets an empty list.
template <class FindCluster, class List>
Reply list_in_cluster(store::Db& db, const Ctx& ctx, const Doc& in, int64_t default_max,
                      std::string_view member, FindCluster find_cluster, List list) {
  protocol::Result<Page> page = read_page(in, default_max, 100);
  if (!page) {
    return page.error();
  }
  store::Transaction tx = db.read();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = find_cluster(st);
  if (!cluster) {
    if (!in.contains("cluster")) {
      return boost::json::object{{member, boost::json::array()}};  // "default" not created yet
    }
    return cluster.error();
  }
  std::vector<std::string> keys = list(st, *cluster, *page);
  return page_out(std::move(keys), *page, member);
}

}  // namespace services::ecs

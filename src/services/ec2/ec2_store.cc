#include "services/ec2/ec2_store.h"

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

namespace services::ec2 {

namespace json = boost::json;

namespace {

struct KindInfo {
  Kind kind;
  std::string_view name;
  std::string_view prefix;
  bool notifies;  // changes matter to the netplane
};

constexpr std::array<KindInfo, 10> kKinds{{
    {Kind::Vpc, "vpc", "vpc", false},
    {Kind::Subnet, "subnet", "subnet", true},
    {Kind::SecurityGroup, "security-group", "sg", true},
    {Kind::SecurityGroupRule, "security-group-rule", "sgr", true},
    {Kind::InternetGateway, "internet-gateway", "igw", false},
    {Kind::RouteTable, "route-table", "rtb", false},
    {Kind::NatGateway, "natgateway", "nat", false},
    {Kind::Address, "elastic-ip", "eipalloc", false},
    {Kind::NetworkInterface, "network-interface", "eni", true},
    {Kind::NetworkAcl, "network-acl", "acl", false},
}};

const KindInfo& info(Kind kind) {
  for (const KindInfo& k : kKinds) {
    if (k.kind == kind) {
      return k;
    }
  }
  return kKinds[0];
}

std::optional<Kind> kind_named(std::string_view name) {
  for (const KindInfo& k : kKinds) {
    if (k.name == name) {
      return k.kind;
    }
  }
  return std::nullopt;
}

// A document as stored. Strings keep the request's bytes, which need not be UTF-8 (a query
// parameter may percent-encode any byte) and json::serialize writes them as they are, so they
// are read back the same way: otherwise one such rule makes its group unreadable.
json::object parse_doc(std::string_view text) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  return json::parse(text, {}, options).as_object();
}

}  // namespace

std::string_view kind_name(Kind kind) { return info(kind).name; }
std::string_view kind_prefix(Kind kind) { return info(kind).prefix; }

std::optional<Kind> kind_of_id(std::string_view id) {
  std::size_t dash = id.rfind('-');
  if (dash == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view prefix = id.substr(0, dash);
  for (const KindInfo& k : kKinds) {
    if (k.prefix == prefix) {
      return k.kind;
    }
  }
  return std::nullopt;
}

Ec2Store::Ec2Store(store::Transaction& tx, std::string account, std::string region)
    : tx_(tx), account_(std::move(account)), region_(std::move(region)) {}

std::optional<json::object> Ec2Store::get(Kind kind, std::string_view id) {
  std::optional<json::object> out;
  tx_.query(
      "SELECT doc FROM ec2_resources WHERE account = ?1 AND region = ?2 AND id = ?3 AND kind = ?4",
      [&](const store::Statement& s) { out = parse_doc(s.text(0)); }, account_,
      region_, id, kind_name(kind));
  return out;
}

void Ec2Store::put(Kind kind, std::string_view id, std::string_view vpc_id,
                   std::string_view parent_id, const json::object& doc) {
  std::optional<std::string_view> vpc =
      vpc_id.empty() ? std::nullopt : std::optional<std::string_view>(vpc_id);
  std::optional<std::string_view> parent =
      parent_id.empty() ? std::nullopt : std::optional<std::string_view>(parent_id);
  tx_.execute(
      "INSERT INTO ec2_resources (account, region, id, kind, vpc_id, parent_id, doc) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (account, region, id) DO UPDATE SET "
      "kind = excluded.kind, vpc_id = excluded.vpc_id, parent_id = excluded.parent_id, "
      "doc = excluded.doc",
      account_, region_, id, kind_name(kind), vpc, parent, json::serialize(doc));
  if (info(kind).notifies && !vpc_id.empty()) {
    touch(vpc_id);
  }
}

void Ec2Store::remove(std::string_view id) {
  tx_.query(
      "SELECT kind, vpc_id FROM ec2_resources WHERE account = ?1 AND region = ?2 AND id = ?3",
      [&](const store::Statement& s) {
        std::optional<Kind> kind = kind_named(s.text(0));
        if (kind && info(*kind).notifies && !s.is_null(1)) {
          touch(s.text(1));
        }
      },
      account_, region_, id);
  tx_.execute("DELETE FROM ec2_resources WHERE account = ?1 AND region = ?2 AND id = ?3", account_,
              region_, id);
}

std::vector<Row> Ec2Store::rows(std::string_view sql, std::string_view key, std::string_view kind) {
  std::vector<Row> out;
  tx_.query(
      sql,
      [&](const store::Statement& s) {
        Row row;
        row.seq = s.int64(0);
        row.id = s.text(1);
        row.kind = kind_named(s.text(2)).value_or(Kind::Vpc);
        row.doc = parse_doc(s.text(3));
        out.push_back(std::move(row));
      },
      account_, region_, key, kind);
  return out;
}

std::vector<Row> Ec2Store::list(Kind kind) {
  return rows(
      "SELECT seq, id, kind, doc FROM ec2_resources WHERE account = ?1 AND region = ?2 AND "
      "kind = ?3 AND ?4 = ?4 ORDER BY seq",
      kind_name(kind), "");
}

std::vector<Row> Ec2Store::list_in_vpc(Kind kind, std::string_view vpc_id) {
  return rows(
      "SELECT seq, id, kind, doc FROM ec2_resources WHERE account = ?1 AND region = ?2 AND "
      "vpc_id = ?3 AND kind = ?4 ORDER BY seq",
      vpc_id, kind_name(kind));
}

std::vector<Row> Ec2Store::list_under(Kind kind, std::string_view parent_id) {
  return rows(
      "SELECT seq, id, kind, doc FROM ec2_resources WHERE account = ?1 AND region = ?2 AND "
      "parent_id = ?3 AND kind = ?4 ORDER BY seq",
      parent_id, kind_name(kind));
}

int64_t Ec2Store::count_in_vpc(Kind kind, std::string_view vpc_id) {
  int64_t n = 0;
  tx_.query(
      "SELECT COUNT(*) FROM ec2_resources WHERE account = ?1 AND region = ?2 AND vpc_id = ?3 "
      "AND kind = ?4",
      [&](const store::Statement& s) { n = s.int64(0); }, account_, region_, vpc_id,
      kind_name(kind));
  return n;
}

std::vector<Row> Ec2Store::list_all() {
  return rows(
      "SELECT seq, id, kind, doc FROM ec2_resources WHERE account = ?1 AND region = ?2 AND "
      "?3 = ?4 ORDER BY seq",
      "", "");
}

std::set<uint32_t> Ec2Store::allocated_ips(std::string_view subnet_id) {
  std::set<uint32_t> out;
  tx_.query(
      "SELECT ip FROM ec2_ip_allocations WHERE account = ?1 AND region = ?2 AND subnet_id = ?3",
      [&](const store::Statement& s) { out.insert(static_cast<uint32_t>(s.int64(0))); }, account_,
      region_, subnet_id);
  return out;
}

int64_t Ec2Store::count_allocated(std::string_view subnet_id) {
  int64_t n = 0;
  tx_.query(
      "SELECT COUNT(*) FROM ec2_ip_allocations WHERE account = ?1 AND region = ?2 AND "
      "subnet_id = ?3",
      [&](const store::Statement& s) { n = s.int64(0); }, account_, region_, subnet_id);
  return n;
}

void Ec2Store::allocate_ip(std::string_view subnet_id, uint32_t ip, std::string_view owner_id) {
  tx_.execute(
      "INSERT INTO ec2_ip_allocations (account, region, subnet_id, ip, owner_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      account_, region_, subnet_id, static_cast<int64_t>(ip), owner_id);
}

void Ec2Store::release_ips(std::string_view owner_id) {
  tx_.execute("DELETE FROM ec2_ip_allocations WHERE account = ?1 AND region = ?2 AND owner_id = ?3",
              account_, region_, owner_id);
}

std::optional<std::string> Ec2Store::default_vpc_id() {
  std::optional<std::string> out;
  tx_.query(
      "SELECT vpc_id FROM ec2_defaults WHERE account = ?1 AND region = ?2",
      [&](const store::Statement& s) { out = s.text(0); }, account_, region_);
  return out;
}

void Ec2Store::set_default_vpc_id(std::string_view vpc_id) {
  tx_.execute("INSERT OR REPLACE INTO ec2_defaults (account, region, vpc_id) VALUES (?1, ?2, ?3)",
              account_, region_, vpc_id);
}

void Ec2Store::touch(std::string_view vpc_id) { touched_.emplace(vpc_id); }

std::optional<Scope> find_scope(store::Transaction& tx, std::string_view id) {
  std::optional<Scope> out;
  tx.query(
      "SELECT account, region FROM ec2_resources WHERE id = ?1 LIMIT 1",
      [&](const store::Statement& s) {
        out = Scope{s.text(0), s.text(1)};
      },
      id);
  return out;
}

}  // namespace services::ec2

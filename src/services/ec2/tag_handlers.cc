// Tags on any EC2 resource:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html

#include <boost/json/array.hpp>

#include "services/ec2/ec2_service.h"
#include "services/ec2/errors.h"

namespace services::ec2 {

namespace json = boost::json;

namespace {

FilterTable tag_filters() {
  FilterTable t;
  t.tags_member = "";
  t.names = {{"key", path("Key")},
             {"value", path("Value")},
             {"resource-id", path("ResourceId")},
             {"resource-type", path("ResourceType")}};
  return t;
}

protocol::AwsError not_found_for(Kind kind, std::string_view id) {
  switch (kind) {
    case Kind::Vpc:
      return errors::vpc_not_found(id);
    case Kind::Subnet:
      return errors::subnet_not_found(id);
    case Kind::SecurityGroup:
      return errors::group_not_found(id);
    case Kind::SecurityGroupRule:
      return errors::rule_not_found(id);
    case Kind::InternetGateway:
      return errors::internet_gateway_not_found(id);
    case Kind::RouteTable:
      return errors::route_table_not_found(id);
    case Kind::NatGateway:
      return errors::nat_gateway_not_found(id);
    case Kind::Address:
      return errors::allocation_not_found(id);
    case Kind::NetworkInterface:
      return errors::eni_not_found(id);
    case Kind::NetworkAcl:
      return errors::network_acl_not_found(id);
  }
  return errors::invalid_id(id);
}

// Each resource with its kind; the first unknown one fails the request.
protocol::Result<std::vector<Row>> resources(Ec2Store& st, const Doc& in) {
  std::vector<Row> out;
  for (const std::string& id : strings(in, "Resources")) {
    std::optional<Kind> kind = kind_of_id(id);
    if (!kind) {
      return errors::invalid_id(id);
    }
    std::optional<Doc> doc = st.get(*kind, id);
    if (!doc) {
      return not_found_for(*kind, id);
    }
    out.push_back(Row{0, id, *kind, std::move(*doc)});
  }
  if (out.empty()) {
    return errors::missing_parameter("resourceIdSet");
  }
  return out;
}

// Writes a row back with its own vpc and parent columns.
void save(Ec2Store& st, const Row& row) {
  std::string vpc_id;
  std::string parent_id;
  switch (row.kind) {
    case Kind::Vpc:
      vpc_id = row.id;
      break;
    case Kind::InternetGateway: {
      std::vector<std::string> attached = values_at(row.doc, "Attachments.VpcId");
      vpc_id = attached.empty() ? "" : attached.front();
      break;
    }
    case Kind::Address:
      break;
    case Kind::SecurityGroupRule:
      parent_id = str(row.doc, "GroupId");
      break;
    case Kind::NetworkInterface:
    case Kind::NatGateway:
      parent_id = str(row.doc, "SubnetId");
      break;
    default:
      break;
  }
  if (row.kind != Kind::Vpc && row.kind != Kind::InternetGateway && row.kind != Kind::Address) {
    vpc_id = str(row.doc, "VpcId");
    if (row.kind == Kind::SecurityGroupRule) {
      // Rules keep their group's VPC, which their document does not name.
      std::optional<Doc> group = st.get(Kind::SecurityGroup, parent_id);
      vpc_id = group ? str(*group, "VpcId") : "";
    }
  }
  st.put(row.kind, row.id, vpc_id, parent_id, row.doc);
}

}  // namespace

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
Reply Ec2Service::create_tags(const Ctx& ctx, const Doc& in) {
  json::array tags;
  if (const json::array* given = arr(in, "Tags")) {
    tags = *given;
  }
  if (auto ok = validate_tags(tags, ctx.via_cloudformation()); !ok) {
    return ok.error();
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto rows = resources(st, in);
    if (!rows) {
      return rows.error();
    }
    for (Row& row : *rows) {
      merge_tags(row.doc, tag_member(row.id), tags);
      if (arr(row.doc, tag_member(row.id))->size() > 50) {
        return protocol::AwsError{"TagLimitExceeded",
                                  "The maximum number of Tags for a resource has been reached."};
      }
      save(st, row);
    }
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
// A tag given with a value is deleted only when the value matches; without one, whatever its value.
// No Tags at all deletes every tag.
Reply Ec2Service::delete_tags(const Ctx& ctx, const Doc& in) {
  const json::array* doomed = arr(in, "Tags");
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    auto rows = resources(st, in);
    if (!rows) {
      return rows.error();
    }
    for (Row& row : *rows) {
      json::value& slot = row.doc[tag_member(row.id)];
      if (!slot.is_array()) {
        slot = json::array();
      }
      json::array kept;
      for (const json::value& t : slot.as_array()) {
        const Doc& tag = t.as_object();
        bool drop = doomed == nullptr || doomed->empty();
        if (doomed) {
          for (const json::value& d : *doomed) {
            const Doc& del = d.as_object();
            if (str(del, "Key") == str(tag, "Key") &&
                (!opt_str(del, "Value") || str(del, "Value") == str(tag, "Value"))) {
              drop = true;
            }
          }
        }
        if (!drop) {
          kept.push_back(t);
        }
      }
      slot = std::move(kept);
      save(st, row);
    }
    return Doc{};
  });
}

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html
Reply Ec2Service::describe_tags(const Ctx& ctx, const Doc& in) {
  static const FilterTable table = tag_filters();
  auto filters = parse_filters(in, table);
  if (!filters) {
    return filters.error();
  }
  std::optional<int64_t> max_results = opt_int(in, "MaxResults");
  std::string token = str(in, "NextToken");
  std::size_t start = 0;
  if (!token.empty()) {
    try {
      start = std::stoul(token);
    } catch (const std::exception&) {
      return errors::invalid_next_token(token);
    }
  }
  return run(ctx, in, [&](Ec2Store& st) -> Reply {
    json::array all;
    for (const Row& row : st.list_all()) {
      const json::array* tags = arr(row.doc, tag_member(row.id));
      if (!tags) {
        continue;
      }
      for (const json::value& t : *tags) {
        Doc entry{{"ResourceId", row.id},
                  {"ResourceType", kind_name(row.kind)},
                  {"Key", str(t.as_object(), "Key")},
                  {"Value", str(t.as_object(), "Value")}};
        if (matches(entry, *filters, table)) {
          all.push_back(std::move(entry));
        }
      }
    }
    json::array out;
    std::size_t end = all.size();
    if (max_results && *max_results > 0) {
      end = std::min(all.size(), start + static_cast<std::size_t>(*max_results));
    }
    for (std::size_t i = start; i < end; ++i) {
      out.push_back(all[i]);
    }
    Doc reply{{"Tags", std::move(out)}};
    if (end < all.size()) {
      reply["NextToken"] = std::to_string(end);
    }
    return reply;
  });
}

}  // namespace services::ec2

#include "services/kms/kms_json.h"

#include <algorithm>
#include <array>
#include <vector>

#include "core/base64.h"
#include "core/ids.h"

namespace services::kms {

namespace json = boost::json;

namespace {

// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
constexpr std::array kManaged = {
    ManagedAlias{"alias/aws/secretsmanager", "secretsmanager", "AWS Secrets Manager",
                 "Default key that protects my Secrets Manager data when no other key is "
                 "defined"},
    ManagedAlias{"alias/aws/ssm", "ssm", "AWS Systems Manager",
                 "Default key that protects my SSM parameters when no other key is defined"},
};

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

std::string key_arn(std::string_view account, std::string_view region, std::string_view key_id) {
  return core::ids::arn("kms", region, account, "key/" + std::string(key_id));
}

std::string key_arn(const KeyRow& key) { return key_arn(key.account, key.region, key.key_id); }

std::string alias_arn(std::string_view account, std::string_view region, std::string_view name) {
  return core::ids::arn("kms", region, account, name);
}

std::span<const ManagedAlias> managed_aliases() { return kManaged; }

const ManagedAlias* find_managed_alias(std::string_view name) {
  for (const ManagedAlias& m : kManaged) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
std::string default_key_policy(std::string_view account, std::string_view region) {
  std::string root = core::ids::arn("iam", "", account, "root");
  (void)region;
  return replace_all(R"({
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "ROOT"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
})",
                     "ROOT", root);
}

std::string managed_key_policy(const ManagedAlias& alias, std::string_view account,
                               std::string_view region) {
  std::string text = R"({
  "Version" : "2012-10-17",
  "Id" : "auto-SERVICE-1",
  "Statement" : [ {
    "Sid" : "Allow access through SERVICE_NAME for all principals in the account that are authorized to use SERVICE_NAME",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "ACCOUNT",
        "kms:ViaService" : "SERVICE.REGION.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "ROOT"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
})";
  text = replace_all(std::move(text), "SERVICE_NAME", alias.service_name);
  text = replace_all(std::move(text), "SERVICE", alias.service);
  text = replace_all(std::move(text), "ROOT", core::ids::arn("iam", "", account, "root"));
  text = replace_all(std::move(text), "ACCOUNT", account);
  return replace_all(std::move(text), "REGION", region);
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html
json::object key_metadata(const KeyRow& k) {
  json::object m;
  m["AWSAccountId"] = k.account;
  m["KeyId"] = k.key_id;
  m["Arn"] = key_arn(k);
  m["CreationDate"] = epoch_seconds(k.created_at_ms);
  m["Enabled"] = k.state == kEnabled;
  m["Description"] = k.description;
  m["KeyUsage"] = k.key_usage;
  m["KeyState"] = k.state;
  if (k.deletion_date_ms) {
    m["DeletionDate"] = epoch_seconds(*k.deletion_date_ms);
  }
  if (k.pending_window_days) {
    m["PendingDeletionWindowInDays"] = *k.pending_window_days;
  }
  m["Origin"] = k.origin;
  m["KeyManager"] = k.key_manager;
  m["CustomerMasterKeySpec"] = k.key_spec;
  m["KeySpec"] = k.key_spec;
  m["EncryptionAlgorithms"] = json::array{"SYMMETRIC_DEFAULT"};
  m["MultiRegion"] = false;
  return m;
}

json::object alias_entry(const AliasRow& a) {
  return json::object{{"AliasName", a.name},
                      {"AliasArn", alias_arn(a.account, a.region, a.name)},
                      {"TargetKeyId", a.key_id},
                      {"CreationDate", epoch_seconds(a.created_at_ms)},
                      {"LastUpdatedDate", epoch_seconds(a.updated_at_ms)}};
}

json::array tag_list(const json::object& tags) {
  std::vector<std::pair<std::string, std::string>> sorted;
  for (const auto& t : tags) {
    sorted.emplace_back(std::string(t.key()),
                        t.value().is_string() ? std::string(t.value().get_string()) : "");
  }
  std::sort(sorted.begin(), sorted.end());
  json::array out;
  for (const auto& [k, v] : sorted) {
    out.push_back(json::object{{"TagKey", k}, {"TagValue", v}});
  }
  return out;
}

std::string marker(std::string_view last_key) { return core::base64_encode(last_key); }

std::optional<std::string> parse_marker(std::string_view marker) {
  return core::base64_decode(marker);
}

EncryptionContext context_of(const json::object& in, std::string_view member) {
  EncryptionContext out;
  auto it = in.find(member);
  if (it == in.end() || !it->value().is_object()) return out;
  for (const auto& kv : it->value().get_object()) {
    if (kv.value().is_string()) {
      out.emplace(std::string(kv.key()), std::string(kv.value().get_string()));
    }
  }
  return out;
}

}  // namespace services::kms

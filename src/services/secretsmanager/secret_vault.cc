#include "services/secretsmanager/secret_vault.h"

#include "core/ids.h"
#include "services/secretsmanager/errors.h"
#include "services/secretsmanager/sm_json.h"
#include "services/secretsmanager/staging.h"

namespace services::secretsmanager {

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

kms::EncryptionContext context_for(const SecretRow& secret, std::string_view version_id) {
  return {{"SecretARN", secret.arn}, {"SecretVersionId", std::string(version_id)}};
}

bool same_day(std::optional<int64_t> a, int64_t b) { return a && *a / kDayMs == b / kDayMs; }

}  // namespace

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 512) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("/_+=.@-!").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// "Finding a secret from a partial ARN": a SecretId is a name, a full ARN, or an ARN without the
// 6 random characters that Secrets Manager appends to the name.
protocol::Result<SecretRow> SecretVault::resolve_in(SmStore& st, std::string_view account,
                                                    std::string_view region,
                                                    std::string_view secret_id) {
  st.purge_deleted(account, region, now_ms());
  if (!secret_id.starts_with("arn:")) {
    if (!valid_name(secret_id)) return errors::invalid_name();
    std::optional<SecretRow> s = st.by_name(account, region, secret_id);
    if (!s) return errors::not_found();
    return std::move(*s);
  }
  core::ids::ParsedArn p;
  if (!core::ids::parse_arn(secret_id, &p) || p.service != "secretsmanager" ||
      !p.resource.starts_with("secret:") || p.account != account || p.region != region) {
    return errors::not_found();
  }
  if (std::optional<SecretRow> s = st.by_arn(secret_id)) return std::move(*s);
  std::optional<SecretRow> s = st.by_name(account, region, p.resource.substr(7));
  if (!s) return errors::not_found();
  return std::move(*s);
}

protocol::Result<SecretRow> SecretVault::live_in(SmStore& st, std::string_view account,
                                                 std::string_view region,
                                                 std::string_view secret_id) {
  protocol::Result<SecretRow> s = resolve_in(st, account, region, secret_id);
  if (s && s->deleted_date_ms) return errors::marked_for_deletion();
  return s;
}

protocol::Result<VersionRow> SecretVault::seal(const SecretRow& secret,
                                               const std::string& version_id, const Plain& value) {
  protocol::Result<kms::Keys::Encrypted> sealed = keys_.seal_envelope(
      secret.account, secret.region, key_of(secret), value.bytes, context_for(secret, version_id));
  if (!sealed) return errors::encryption_failure(sealed.error());
  VersionRow v;
  v.secret_arn = secret.arn;
  v.version_id = version_id;
  v.sealed = std::move(sealed->ciphertext);
  v.is_binary = value.binary;
  v.key_arn = std::move(sealed->key_arn);
  v.created_at_ms = now_ms();
  return v;
}

protocol::Result<Plain> SecretVault::open(const SecretRow& secret, const VersionRow& version) {
  protocol::Result<kms::Keys::Decrypted> opened = keys_.open_envelope(
      secret.account, secret.region, version.sealed, context_for(secret, version.version_id));
  if (!opened) return errors::decryption_failure(opened.error());
  return Plain{std::move(opened->plaintext), version.is_binary};
}

protocol::Result<bool> SecretVault::holds(const SecretRow& secret, const VersionRow& version,
                                          const Plain& value) {
  protocol::Result<Plain> have = open(secret, version);
  if (!have) return have.error();
  return have->binary == value.binary && have->bytes == value.bytes;
}

protocol::Result<ReadValue> SecretVault::read(std::string_view account, std::string_view region,
                                              std::string_view secret_id,
                                              std::string_view version_id,
                                              std::string_view version_stage) {
  std::optional<SecretRow> secret;
  std::optional<VersionRow> version;
  {
    store::Transaction tx = db_.begin();
    SmStore st(tx);
    protocol::Result<SecretRow> s = live_in(st, account, region, secret_id);
    if (!s) return s.error();
    std::vector<VersionRow> versions = st.versions(s->arn);
    tx.commit();
    std::string stage = version_stage.empty() && version_id.empty() ? std::string(kCurrent)
                                                                    : std::string(version_stage);
    for (VersionRow& v : versions) {
      bool id_ok = version_id.empty() || v.version_id == version_id;
      if (id_ok && (!version_id.empty() || std::ranges::count(v.stages, stage) > 0)) {
        version = std::move(v);
        break;
      }
    }
    if (!version) {
      return version_id.empty() ? errors::value_not_found("staging label", stage)
                                : errors::value_not_found("VersionId", std::string(version_id));
    }
    if (!stage.empty() && std::ranges::count(version->stages, stage) == 0) {
      return errors::invalid_request(
          "You provided a VersionStage that is not associated to the provided VersionId.");
    }
    secret = std::move(*s);
  }
  protocol::Result<Plain> plain = open(*secret, *version);
  if (!plain) return plain.error();
  int64_t now = now_ms();
  if (!same_day(secret->last_accessed_ms, now) || !same_day(version->last_accessed_ms, now)) {
    store::Transaction tx = db_.begin();
    SmStore st(tx);
    if (std::optional<SecretRow> again = st.by_arn(secret->arn)) {
      again->last_accessed_ms = now;
      st.update(*again);
      st.touch_version(*version, now);
    }
    tx.commit();
  }
  ReadValue out;
  out.value.arn = secret->arn;
  out.value.name = secret->name;
  out.value.version_id = version->version_id;
  (plain->binary ? out.value.secret_binary : out.value.secret_string) = std::move(plain->bytes);
  out.value.version_stages = version->stages;
  out.created_at_ms = version->created_at_ms;
  return out;
}

protocol::Result<SecretValue> SecretVault::get(std::string_view account, std::string_view region,
                                               std::string_view secret_id,
                                               std::string_view version_id,
                                               std::string_view version_stage) {
  protocol::Result<ReadValue> r = read(account, region, secret_id, version_id, version_stage);
  if (!r) return r.error();
  return std::move(r->value);
}

}  // namespace services::secretsmanager

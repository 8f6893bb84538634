#include "services/ssm/parameter_vault.h"

#include <algorithm>

#include "core/base64.h"
#include "core/ids.h"
#include "services/ssm/errors.h"
#include "services/ssm/parameter_names.h"
#include "services/ssm/public_parameters.h"

namespace services::ssm {

namespace {

kms::EncryptionContext context_for(std::string_view arn) {
  return {{"PARAMETER_ARN", std::string(arn)}};
}

protocol::Result<FoundVersion> find_public_version(std::string_view region, const Selector& s) {
  std::optional<PublicParameter> p = find_public(region, s.name);
  if (!p) return errors::parameter_not_found();
  if (s.label || (s.version && *s.version != 1)) {
    return s.label ? errors::parameter_not_found()
                   : errors::version_not_found(s.suffix.substr(1), s.name);
  }
  FoundVersion f;
  f.name = p->name;
  f.arn = core::ids::arn("ssm", region, "", "parameter" + p->name);
  f.version.type = "String";
  f.version.value = p->value;
  f.version.data_type = p->data_type;
  f.version.modified_at_ms = kPublicModifiedMs;
  f.selector = s.suffix;
  f.region = std::string(region);
  return f;
}

}  // namespace

protocol::AwsError kms_error(const protocol::AwsError& kms) {
  static constexpr std::string_view kKeyProblems[] = {
      "NotFoundException", "DisabledException", "KMSInvalidStateException",
      "InvalidKeyUsageException", "IncorrectKeyException"};
  bool key_problem = std::find(std::begin(kKeyProblems), std::end(kKeyProblems), kms.code) !=
                     std::end(kKeyProblems);
  protocol::AwsError out;
  out.code = key_problem ? "InvalidKeyId" : kms.code;
  out.message = kms.message + " (Service: AWSKMS; Status Code: 400; Error Code: " + kms.code +
                "; Request ID: " + core::ids::uuid4() + "; Proxy: null)";
  out.http_status = 400;
  return out;
}

protocol::Result<FoundVersion> ParameterVault::find(std::string_view account,
                                                    std::string_view region,
                                                    std::string_view text) {
  std::optional<Selector> s = parse_selector(text);
  if (!s) return errors::parameter_not_found();
  if (s->name.starts_with("/aws/service/")) return find_public_version(region, *s);
  if (s->by_arn && (s->account != account || s->region != region)) {
    return errors::parameter_not_found();
  }
  std::optional<ParameterRow> p;
  {
    store::Transaction tx = db_.read();
    p = SsmStore(tx).find(account, region, s->name);
    tx.commit();
  }
  if (!p) return errors::parameter_not_found();
  FoundVersion f;
  f.name = p->name;
  f.arn = parameter_arn(account, region, p->name);
  f.selector = s->suffix;
  f.account = std::string(account);
  f.region = std::string(region);
  auto it = p->versions.end() - 1;
  if (s->version) {
    it = std::find_if(p->versions.begin(), p->versions.end(),
                      [&](const VersionRow& v) { return v.version == *s->version; });
    if (it == p->versions.end()) {
      return errors::version_not_found(std::to_string(*s->version), p->name);
    }
  } else if (s->label) {
    it = std::find_if(p->versions.begin(), p->versions.end(), [&](const VersionRow& v) {
      return std::find(v.labels.begin(), v.labels.end(), *s->label) != v.labels.end();
    });
    if (it == p->versions.end()) return errors::parameter_not_found();
  }
  f.version = *it;
  return f;
}

protocol::Result<std::string> ParameterVault::shown(const FoundVersion& found, bool decrypt) {
  return shown(found.account, found.region, found.arn, found.version, decrypt);
}

protocol::Result<std::string> ParameterVault::shown(std::string_view account,
                                                    std::string_view region, std::string_view arn,
                                                    const VersionRow& v, bool decrypt) {
  if (v.type != "SecureString" || !decrypt) return v.value;
  std::optional<std::string> blob = core::base64_decode(v.value);
  if (!blob) return kms_error({"InvalidCiphertextException", ""});
  protocol::Result<kms::Keys::Decrypted> d =
      v.encryption == "envelope" ? keys_.open_envelope(account, region, *blob, context_for(arn))
                                 : keys_.decrypt(account, region, *blob, context_for(arn));
  if (!d) return kms_error(d.error());
  return std::move(d->plaintext);
}

protocol::Result<SealedValue> ParameterVault::seal(std::string_view account,
                                                   std::string_view region, std::string_view arn,
                                                   std::string_view key, std::string_view tier,
                                                   std::string_view plaintext) {
  bool envelope = tier == "Advanced";
  protocol::Result<kms::Keys::Encrypted> e =
      envelope ? keys_.seal_envelope(account, region, key, plaintext, context_for(arn))
               : keys_.encrypt(account, region, key, plaintext, context_for(arn));
  if (!e) return kms_error(e.error());
  return SealedValue{core::base64_encode(e->ciphertext), envelope ? "envelope" : "kms",
                     std::move(e->key_arn)};
}

protocol::Result<ParameterValue> ParameterVault::get(std::string_view account,
                                                     std::string_view region, std::string_view name,
                                                     bool with_decryption) {
  protocol::Result<FoundVersion> f = find(account, region, name);
  if (!f) return f.error();
  protocol::Result<std::string> value = shown(*f, with_decryption);
  if (!value) return value.error();
  return ParameterValue{
      f->name, f->arn, f->version.type, std::move(*value), f->version.version, f->version.key_arn};
}

}  // namespace services::ssm

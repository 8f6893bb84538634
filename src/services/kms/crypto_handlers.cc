// KMS cryptographic operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey,
// GenerateDataKeyWithoutPlaintext, GenerateRandom. The ciphertext format is ciphertext_blob.h's.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/kms/aes_gcm.h"
#include "services/kms/errors.h"
#include "services/kms/kms_service.h"

namespace services::kms {

namespace json = boost::json;

namespace {

constexpr std::string_view kSymmetric = "SYMMETRIC_DEFAULT";

// A symmetric key takes only SYMMETRIC_DEFAULT (the RSA and SM2 algorithms need asymmetric keys).
protocol::Result<void> check_algorithm(const Doc& in, std::string_view member) {
  std::string algorithm = core::str(in, member, kSymmetric);
  if (algorithm != kSymmetric) {
    return errors::invalid_key_usage("Algorithm " + algorithm +
                                     " is incompatible with key spec SYMMETRIC_DEFAULT.");
  }
  return {};
}

bool dry_run(const Doc& in) { return core::opt_bool(in, "DryRun").value_or(false); }

}  // namespace

protocol::Result<std::pair<KeyRow, std::string>> KmsService::open_request(
    KmsStore& st, const Ctx& ctx, const Doc& in, std::string_view context_member,
    std::string_view key_member) {
  std::optional<std::string> blob = core::opt_str(in, "CiphertextBlob");
  if (!blob) {
    return errors::validation(
        "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy "
        "constraint: Member must not be null");
  }
  std::optional<std::string> ref = core::opt_str(in, key_member);
  return ring_.open_in(st, ctx.account, ctx.region, *blob, context_of(in, context_member),
                       ref ? std::optional<std::string_view>(*ref) : std::nullopt);
}

Reply KmsService::use_key(const Ctx& ctx, const Doc& in, const KeyStep& step) {
  store::Transaction tx = ring_.db().begin();
  KmsStore st(tx);
  protocol::Result<KeyRow> key =
      ring_.usable_in(st, ctx.account, ctx.region, core::str(in, "KeyId"));
  if (!key) return key.error();
  if (dry_run(in)) return errors::dry_run();
  Reply out = step(st, *key);
  if (out) tx.commit();
  return out;
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html
Reply KmsService::encrypt(const Ctx& ctx, const Doc& in) {
  if (auto ok = check_algorithm(in, "EncryptionAlgorithm"); !ok) return ok.error();
  return use_key(ctx, in, [&](KmsStore&, KeyRow& key) -> Reply {
    return json::object{{"CiphertextBlob", ring_.seal(key, core::str(in, "Plaintext"),
                                                      context_of(in, "EncryptionContext"))},
                        {"KeyId", key_arn(key)},
                        {"EncryptionAlgorithm", kSymmetric}};
  });
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html
// "If the ciphertext was encrypted under a symmetric encryption KMS key, the KeyId parameter is
// optional. KMS can get this information from metadata that it adds to the symmetric ciphertext
// blob."
Reply KmsService::decrypt(const Ctx& ctx, const Doc& in) {
  if (auto ok = check_algorithm(in, "EncryptionAlgorithm"); !ok) return ok.error();
  store::Transaction tx = ring_.db().begin();
  KmsStore st(tx);
  auto opened = open_request(st, ctx, in, "EncryptionContext", "KeyId");
  if (!opened) return opened.error();
  if (dry_run(in)) return errors::dry_run();
  tx.commit();
  return json::object{{"KeyId", key_arn(opened->first)},
                      {"Plaintext", std::move(opened->second)},
                      {"EncryptionAlgorithm", kSymmetric}};
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html
Reply KmsService::re_encrypt(const Ctx& ctx, const Doc& in) {
  if (auto ok = check_algorithm(in, "SourceEncryptionAlgorithm"); !ok) return ok.error();
  if (auto ok = check_algorithm(in, "DestinationEncryptionAlgorithm"); !ok) return ok.error();
  store::Transaction tx = ring_.db().begin();
  KmsStore st(tx);
  auto opened = open_request(st, ctx, in, "SourceEncryptionContext", "SourceKeyId");
  if (!opened) return opened.error();
  protocol::Result<KeyRow> destination =
      ring_.usable_in(st, ctx.account, ctx.region, core::str(in, "DestinationKeyId"));
  if (!destination) return destination.error();
  if (dry_run(in)) return errors::dry_run();
  std::string out_blob =
      ring_.seal(*destination, opened->second, context_of(in, "DestinationEncryptionContext"));
  tx.commit();
  return json::object{{"CiphertextBlob", std::move(out_blob)},
                      {"SourceKeyId", key_arn(opened->first)},
                      {"KeyId", key_arn(*destination)},
                      {"SourceEncryptionAlgorithm", kSymmetric},
                      {"DestinationEncryptionAlgorithm", kSymmetric}};
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html
// "To generate a data key, specify the symmetric encryption KMS key that will be used to encrypt
// the data key. ... Use either the KeySpec or NumberOfBytes parameters (but not both)."
Reply KmsService::data_key(const Ctx& ctx, const Doc& in, bool with_plaintext) {
  std::optional<std::string> spec = core::opt_str(in, "KeySpec");
  std::optional<int64_t> bytes = core::opt_int(in, "NumberOfBytes");
  if (spec.has_value() == bytes.has_value()) {
    return errors::validation("Please specify either number of bytes or key spec.");
  }
  std::size_t n = spec ? (*spec == "AES_128" ? 16 : 32) : static_cast<std::size_t>(*bytes);
  return use_key(ctx, in, [&](KmsStore&, KeyRow& key) -> Reply {
    std::string plaintext = aes_gcm::random_bytes(n);
    json::object out{
        {"CiphertextBlob", ring_.seal(key, plaintext, context_of(in, "EncryptionContext"))},
        {"KeyId", key_arn(key)}};
    if (with_plaintext) out["Plaintext"] = std::move(plaintext);
    return out;
  });
}

Reply KmsService::generate_data_key(const Ctx& ctx, const Doc& in) {
  return data_key(ctx, in, true);
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html
Reply KmsService::generate_data_key_without_plaintext(const Ctx& ctx, const Doc& in) {
  return data_key(ctx, in, false);
}

// https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html
Reply KmsService::generate_random(const Ctx& ctx, const Doc& in) {
  (void)ctx;
  if (std::optional<std::string> store = core::opt_str(in, "CustomKeyStoreId")) {
    return protocol::AwsError{"CustomKeyStoreNotFoundException",
                              "Custom key store " + *store + " does not exist."};
  }
  std::optional<int64_t> n = core::opt_int(in, "NumberOfBytes");
  if (!n) {
    return errors::validation(
        "1 validation error detected: Value null at 'numberOfBytes' failed to satisfy "
        "constraint: Member must not be null");
  }
  return json::object{{"Plaintext", aes_gcm::random_bytes(static_cast<std::size_t>(*n))}};
}

}  // namespace services::kms

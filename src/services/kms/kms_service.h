#pragma once
// AWS Key Management Service: symmetric keys, aliases, encryption, data keys, tags, key policies
// and rotation settings.
// https://docs.aws.amazon.com/kms/latest/APIReference/Welcome.html
//
// Handlers validate, run one transaction and return; the rules of keys (how a KeyId names a key,
// which state allows what, the ciphertext format) live in KeyRing, which other modules use in
// process. Every key is scoped by the caller's account and region.
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <functional>
#include <string_view>

#include "protocol/service_registry.h"
#include "services/kms/key_ring.h"

namespace services::kms {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

class KmsService {
 public:
  explicit KmsService(KeyRing& ring) : ring_(ring) {}

  void register_operations(protocol::ServiceRegistry& registry);

  // key_handlers.cc
  Reply create_key(const Ctx& ctx, const Doc& in);
  Reply describe_key(const Ctx& ctx, const Doc& in);
  Reply list_keys(const Ctx& ctx, const Doc& in);
  Reply enable_key(const Ctx& ctx, const Doc& in);
  Reply disable_key(const Ctx& ctx, const Doc& in);
  Reply schedule_key_deletion(const Ctx& ctx, const Doc& in);
  Reply cancel_key_deletion(const Ctx& ctx, const Doc& in);

  // key_settings_handlers.cc
  Reply tag_resource(const Ctx& ctx, const Doc& in);
  Reply untag_resource(const Ctx& ctx, const Doc& in);
  Reply list_resource_tags(const Ctx& ctx, const Doc& in);
  Reply get_key_policy(const Ctx& ctx, const Doc& in);
  Reply put_key_policy(const Ctx& ctx, const Doc& in);
  Reply enable_key_rotation(const Ctx& ctx, const Doc& in);
  Reply disable_key_rotation(const Ctx& ctx, const Doc& in);
  Reply get_key_rotation_status(const Ctx& ctx, const Doc& in);

  // alias_handlers.cc
  Reply create_alias(const Ctx& ctx, const Doc& in);
  Reply delete_alias(const Ctx& ctx, const Doc& in);
  Reply update_alias(const Ctx& ctx, const Doc& in);
  Reply list_aliases(const Ctx& ctx, const Doc& in);

  // crypto_handlers.cc
  Reply encrypt(const Ctx& ctx, const Doc& in);
  Reply decrypt(const Ctx& ctx, const Doc& in);
  Reply re_encrypt(const Ctx& ctx, const Doc& in);
  Reply generate_data_key(const Ctx& ctx, const Doc& in);
  Reply generate_data_key_without_plaintext(const Ctx& ctx, const Doc& in);
  Reply generate_random(const Ctx& ctx, const Doc& in);

 private:
  using KeyStep = std::function<Reply(KmsStore&, KeyRow&)>;
  // Runs `step` on the key that in["KeyId"] names (any state), in one write transaction that
  // commits when the step succeeds.
  Reply with_key(const Ctx& ctx, const Doc& in, const KeyStep& step);
  // with_key for a change that the key policy of an AWS managed key forbids, on a key that is not
  // pending deletion (KMSInvalidStateException).
  Reply change_key(const Ctx& ctx, const Doc& in, std::string_view action, const KeyStep& step);
  // Runs `step` on the key in["KeyId"] names, which must be Enabled, in one write transaction
  // that commits when the step succeeds; DryRunOperationException instead when in["DryRun"].
  Reply use_key(const Ctx& ctx, const Doc& in, const KeyStep& step);
  Reply data_key(const Ctx& ctx, const Doc& in, bool with_plaintext);
  // The key that an alias may point at (CreateAlias, UpdateAlias): a customer managed key that
  // is not pending deletion.
  protocol::Result<KeyRow> alias_target_in(KmsStore& st, const Ctx& ctx, std::string_view target,
                                           std::string_view action);
  // Decrypt and ReEncrypt: the blob of in["CiphertextBlob"] opened under the context of
  // in[context_member], checked against the key in[key_member] names when given.
  protocol::Result<std::pair<KeyRow, std::string>> open_request(KmsStore& st, const Ctx& ctx,
                                                                const Doc& in,
                                                                std::string_view context_member,
                                                                std::string_view key_member);

  KeyRing& ring_;
};

// AccessDeniedException for a change to an AWS managed key, whose key policy allows only its use
// and reads.
protocol::Result<void> customer_managed(const Ctx& ctx, const KeyRow& key, std::string_view action);
// The page size of a list call: its Limit, else `fallback`.
int64_t page_limit(const Doc& in, int64_t fallback);
// The sort key after which a list call's page starts: its Marker decoded, "" without one;
// InvalidMarkerException for a marker that this server did not write.
protocol::Result<std::string> page_after(const Doc& in);

}  // namespace services::kms

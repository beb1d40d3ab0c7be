#include "attest/attestation.h"

#include <algorithm>

#include "attest/dsse.h"
#include "attest/model_signature.h"
#include "attest/predicates.h"

namespace custody {

Result<Bundle> SignStatement(const Statement& statement, const PrivateKey& key) {
  CUSTODY_RETURN_IF_ERROR(ValidatePredicate(statement.predicate_type, statement.predicate));
  Bundle bundle;
  bundle.public_key_hint = PublicKeyHint(key.Public());
  bundle.envelope.payload_type = kInTotoPayloadType;
  CUSTODY_ASSIGN_OR_RETURN(bundle.envelope.payload, DumpJsonStrict(statement.ToJson(), "the statement to sign"));
  CUSTODY_ASSIGN_OR_RETURN(std::string sig,
                           key.Sign(PreAuthEncoding(bundle.envelope.payload_type, bundle.envelope.payload)));
  bundle.envelope.signatures.push_back({bundle.public_key_hint, std::move(sig)});
  return bundle;
}

Result<Statement> PeekStatement(const Bundle& bundle) {
  const Envelope& env = bundle.envelope;
  if (env.payload_type != kInTotoPayloadType) {
    return Error::Input("/dsseEnvelope/payloadType: expected " + std::string(kInTotoPayloadType) + ", found '" +
                        env.payload_type + "'");
  }
  CUSTODY_ASSIGN_OR_RETURN(Json payload, ParseJson(env.payload, "DSSE payload"));
  return Statement::FromJson(payload, "/dsseEnvelope/payload");
}

Result<Statement> VerifyStatement(const Bundle& bundle, const PublicKey& key) {
  const Envelope& env = bundle.envelope;
  if (env.signatures.empty()) return Error::Input("/dsseEnvelope/signatures: the envelope holds no signature");
  std::string pae = PreAuthEncoding(env.payload_type, env.payload);
  bool verified = std::any_of(env.signatures.begin(), env.signatures.end(),
                              [&](const Signature& s) { return key.Verify(pae, s.sig); });
  if (!verified) {
    return Error::Verification("the envelope's signature does not verify with key " + PublicKeyHint(key).substr(0, 16) +
                               "... (the payload was changed after signing, or another key signed it)");
  }
  CUSTODY_ASSIGN_OR_RETURN(Statement st, PeekStatement(bundle));
  if (auto s = ValidatePredicate(st.predicate_type, st.predicate); !s.ok()) {
    return s.error().WithContext("/dsseEnvelope/payload");
  }
  return st;
}

std::optional<PublicKey> CarriedPublicKey(const Bundle& bundle) {
  if (!bundle.public_key_raw) return std::nullopt;
  auto key = PublicKey::FromPem(*bundle.public_key_raw, "bundle");
  if (!key.ok()) key = PublicKey::FromDer(*bundle.public_key_raw, "bundle");
  if (!key.ok()) return std::nullopt;
  if (!bundle.public_key_hint.empty() && PublicKeyHint(*key) != bundle.public_key_hint) return std::nullopt;
  return std::move(*key);
}

}  // namespace custody

// custody attest: sign an in-toto statement about a model, file or digest,
// record it in the store (and the log), or verify one offline.
#include <iostream>

#include "attest/attestation.h"
#include "attest/model_signature.h"
#include "attest/predicates.h"
#include "cli/chain.h"
#include "cli/commands.h"
#include "core/file.h"
#include "core/time.h"
#include "registry/registry.h"
#include "store/store.h"

namespace custody::cli {
namespace {

struct AttestArgs {
  std::string subject;
  std::string type;
  std::string predicate;
  std::string key;
  std::string out;
  std::string log;
  std::string store;
  std::string name;
  std::string verify;
  bool no_store = false;
};

Result<Json> ReadPredicate(const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    CUSTODY_ASSIGN_OR_RETURN(text, ReadFile(path, 16 << 20));
  }
  return ParseJson(text, path == "-" ? "stdin" : path);
}

int RunVerify(const AttestArgs& a, const Options& o) {
  auto text = ReadFile(a.verify, 64 << 20);
  if (!text.ok()) return ReportError(text.error(), o);
  auto bundle = Bundle::Parse(*text, a.verify);
  if (!bundle.ok()) return ReportError(bundle.error(), o);
  std::optional<PublicKey> key;
  if (!a.key.empty()) {
    auto pem = ReadFile(a.key, 1 << 20);
    if (!pem.ok()) return ReportError(pem.error(), o);
    auto pub = PublicKey::FromPem(*pem, a.key);
    if (!pub.ok()) {
      // A private key file verifies too (its public half).
      auto priv = PrivateKey::FromPem(*pem, a.key);
      if (!priv.ok()) return ReportError(pub.error(), o);
      pub = priv->Public();
    }
    key = std::move(*pub);
  } else {
    key = CarriedPublicKey(*bundle);
  }
  if (!key) {
    return ReportError(Error::Input("--key PUBLIC_KEY is needed to verify " + a.verify +
                                    " (it names key " + bundle->public_key_hint.substr(0, 16) + "...)"),
                       o);
  }
  auto st = VerifyStatement(*bundle, *key);
  if (!st.ok()) return ReportError(st.error().WithContext(a.verify), o);
  if (!a.subject.empty()) {
    auto subject = ResolveSubject(a.subject, "", a.store.empty() ? store::Store::DefaultLocation() : a.store,
                                  o.threads, !o.quiet && !o.json());
    if (!subject.ok()) return ReportError(subject.error(), o);
    bool about = false;
    for (const Subject& s : st->subjects) {
      auto it = s.digest.find("sha256");
      if (it != s.digest.end() && it->second == subject->digest) about = true;
    }
    if (!about) {
      return ReportError(Error::Verification(a.verify + " is not about " + a.subject + " (sha256:" + subject->digest +
                                             ")"),
                         o);
    }
  }
  Json subjects = Json::array();
  for (const Subject& s : st->subjects) subjects.push_back({{"name", s.name}, {"digest", s.digest}});
  std::string id = registry::AttestationId(*bundle);
  if (o.json()) {
    PrintJson({{"ok", true}, {"id", id}, {"predicateType", st->predicate_type},
               {"type", PredicateShortName(st->predicate_type)}, {"subject", subjects},
               {"keyid", PublicKeyHint(*key)}, {"predicate", st->predicate}});
  } else if (!o.quiet) {
    std::cout << Green("verified") << " " << PredicateShortName(st->predicate_type) << " attestation " << id.substr(0, 12)
              << "\n";
    for (const Subject& s : st->subjects) {
      auto it = s.digest.find("sha256");
      std::cout << "  subject   " << s.name << " sha256:" << (it == s.digest.end() ? "?" : it->second) << "\n";
    }
    std::cout << "  signer    " << KeyTypeName(key->type()) << " " << PublicKeyHint(*key) << "\n";
  }
  return 0;
}

int RunAttest(const AttestArgs& a, const Options& o) {
  if (!a.verify.empty()) return RunVerify(a, o);
  if (a.subject.empty() || a.type.empty() || a.predicate.empty() || a.key.empty()) {
    return ReportError(Error::Input("custody attest needs SUBJECT, --type, --predicate and --key "
                                    "(or --verify BUNDLE); see custody attest --help"),
                       o);
  }
  auto type = ResolvePredicateType(a.type);
  if (!type.ok()) return ReportError(type.error(), o);
  auto predicate = ReadPredicate(a.predicate);
  if (!predicate.ok()) return ReportError(predicate.error(), o);
  if (auto s = ValidatePredicate(*type, *predicate); !s.ok()) {
    return ReportError(s.error().WithContext(a.predicate + " (" + PredicateShortName(*type) + ")"), o);
  }
  ClaimArgs claim_args{a.key, a.subject, a.name, a.out, a.log, a.store, a.no_store};
  auto subject = ResolveSubject(a.subject, a.name, claim_args.StoreLocation(), o.threads, !o.quiet && !o.json());
  if (!subject.ok()) return ReportError(subject.error(), o);
  auto claim = SignClaim(claim_args, *subject, *type, *predicate);
  if (!claim.ok()) return ReportError(claim.error(), o);
  if (a.out == "-") std::cout << claim->bundle_text;
  if (o.json()) {
    if (a.out == "-") return 0;
    Json out = SignedClaimJson(*claim, a.out);
    out["ok"] = true;
    PrintJson(out);
  } else if (!o.quiet) {
    PrintSignedClaim(a.out == "-" ? std::cerr : std::cout, *claim, a.out);
  }
  return 0;
}

}  // namespace

void AddAttestCommand(CLI::App& app, Options& options, int* exit_code) {
  auto args = std::make_shared<AttestArgs>();
  std::string types;
  for (const PredicateTypeInfo& t : KnownPredicateTypes()) {
    std::string n = t.name;
    types += "  " + n + std::string(n.size() < 17 ? 17 - n.size() : 1, ' ') + t.summary + "\n";
  }
  CLI::App* cmd = app.add_subcommand(
      "attest",
      "Sign an in-toto attestation about a model, file or digest, or verify one.\n\n"
      "Writes a Sigstore bundle (DSSE envelope, in-toto Statement v1) whose subject is the\n"
      "model's digest (hashed as 'custody sign' hashes it) or the sha256:HEX given, records\n"
      "it in the store for 'custody gate', and with --log appends its digest to a\n"
      "transparency log. Predicate types (short name or any predicate URI):\n" + types +
      "\nExamples:\n"
      "  custody attest models/fraud --type evaluation --predicate eval.json --key ci.key\n"
      "  custody attest sha256:4f... --type vulns --predicate scan.json --key scanner.key --out scan.sigstore.json\n"
      "  custody attest --verify scan.sigstore.json --key scanner.pub\n\n"
      "Exit codes: 0 written or verified, 1 verification failed, 2 usage or input error.");
  cmd->add_option("subject", args->subject, "Model directory or file, sha256:HEX, or registered NAME@VERSION");
  cmd->add_option("--type,-t", args->type, "Predicate type: a short name above or a URI");
  cmd->add_option("--predicate,-p", args->predicate, "JSON file with the predicate ('-' for stdin)");
  cmd->add_option("--key,-k", args->key,
                  "Signing key (PEM private key); with --verify, the public key to check against");
  cmd->add_option("--out,-o", args->out, "Also write the bundle to this file ('-' for stdout)");
  cmd->add_option("--log", args->log, "Append the attestation's digest to a log: 'local' (the store's) or a URL");
  cmd->add_option("--store", args->store, "Store location (default $CUSTODY_STORE or $CUSTODY_HOME/custody.db)");
  cmd->add_option("--name", args->name, "Subject name (default: the directory or file name)");
  cmd->add_flag("--no-store", args->no_store, "Do not record the attestation in the store");
  cmd->add_option("--verify", args->verify, "Verify this bundle offline instead of writing one");
  cmd->fallthrough();
  cmd->callback([args, &options, exit_code] { *exit_code = RunAttest(*args, options); });
}

}  // namespace custody::cli

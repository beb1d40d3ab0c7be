#!/usr/bin/env bash
# npm @sigstore/verify (4.1, pinned in sigstore-js/package-lock.json) accepts
# custody's log as a Sigstore transparency log: a model signed with
# `custody sign --log local` verifies against `custody log trusted-root`'s
# trusted_root.json with a tlog threshold of 1 (the hashedrekord 0.0.2 body,
# the RFC 6962 inclusion proof and the Ed25519-signed checkpoint), and is
# rejected when a proof hash, the checkpoint's signature or its text, or the
# logged body is altered, or when the trusted root names another log.
# Usage: sigstore_js_tlog_test.sh BIN
set -euo pipefail
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../cli/lib.sh"

command -v node >/dev/null || { echo "skip: node not found (scripts/bootstrap installs it)"; exit 77; }
peers=$("$SCRIPTS/npm-peers" | tail -1)
[[ -d "$peers/node_modules/@sigstore/verify" ]] || { echo "skip: @sigstore/verify is not installed (run scripts/npm-peers)"; exit 77; }
export CUSTODY_NPM_PEERS=$peers
echo "peer: @sigstore/verify $(node -p "require('$peers/node_modules/@sigstore/verify/package.json').version"), node $(node --version)"
cd "$WORK"
export CUSTODY_HOME="$WORK/home"
unset CUSTODY_STORE
VERIFY="$HERE/sigstore-js/verify.mjs"

# edit_entry IN OUT PYTHON: rewrites bundle IN to OUT; PYTHON edits `e`, its first tlog entry.
edit_entry() {
  python3 - "$1" "$2" <<PY
import base64, json, sys
b = json.load(open(sys.argv[1]))
e = b["verificationMaterial"]["tlogEntries"][0]
$3
json.dump(b, open(sys.argv[2], "w"))
PY
}

run 0 "log init" -- "$BIN" log init --origin custody.test/sigstore-log
vkey=$out
# Entries before and after ours, so that the proof has hashes on both sides.
for i in 1 2 3 4 5; do echo "earlier claim $i" | "$BIN" -q log append - >/dev/null; done
run 0 "trusted-root" -- "$BIN" log trusted-root --out trusted_root.json
for type in ed25519 ecdsa-p256; do
  run 0 "key generate $type" -- "$BIN" key generate --type "$type" --out "$type"
  make_model "m-$type"
  run 0 "sign $type --log local" -- "$BIN" sign "m-$type" --key "$type.key" --log local
  expect_out "logged"
  echo "a later claim" | "$BIN" -q log append - >/dev/null
  run 0 "custody verifies the $type entry" -- "$BIN" verify "m-$type" --key "$type.pub" --log-key "$vkey"
  run 0 "@sigstore/verify accepts the $type bundle with tlogThreshold 1" -- \
    node "$VERIFY" "m-$type/model.sig" "$type.pub" trusted_root.json
  expect_out "1 tlog entry checked"
done
sig=m-ed25519/model.sig
n_hashes=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"]))' "$sig")
[[ $n_hashes -ge 2 ]] || { echo "FAIL  the proof should have hashes to alter, has $n_hashes"; failures=$((failures + 1)); }

edit_entry "$sig" bad-hash.json '
h = bytearray(base64.b64decode(e["inclusionProof"]["hashes"][0])); h[0] ^= 1
e["inclusionProof"]["hashes"][0] = base64.b64encode(bytes(h)).decode()'
run 1 "@sigstore/verify rejects an altered proof hash" -- node "$VERIFY" bad-hash.json ed25519.pub trusted_root.json
expect_out "TLOG_INCLUSION_PROOF_ERROR"
run 1 "custody rejects it too" -- "$BIN" verify m-ed25519 --key ed25519.pub --signature bad-hash.json --log-key "$vkey"

edit_entry "$sig" bad-cp-sig.json '
text, sigs = e["inclusionProof"]["checkpoint"]["envelope"].split("\n\n")
name, b64 = sigs.rstrip("\n").split(" ")[1:]
raw = bytearray(base64.b64decode(b64)); raw[10] ^= 1
e["inclusionProof"]["checkpoint"]["envelope"] = text + "\n\n\u2014 " + name + " " + base64.b64encode(bytes(raw)).decode() + "\n"'
run 1 "@sigstore/verify rejects an altered checkpoint signature" -- node "$VERIFY" bad-cp-sig.json ed25519.pub trusted_root.json
expect_out "invalid checkpoint signature"
run 1 "custody rejects it too" -- "$BIN" verify m-ed25519 --key ed25519.pub --signature bad-cp-sig.json --log-key "$vkey"

# The checkpoint claims another tree: size and root of the altered proof match it, the signature does not.
edit_entry "$sig" bad-cp-text.json '
env = e["inclusionProof"]["checkpoint"]["envelope"]
lines = env.split("\n")
lines[1] = str(int(lines[1]) + 1)
e["inclusionProof"]["checkpoint"]["envelope"] = "\n".join(lines)
e["inclusionProof"]["treeSize"] = lines[1]'
run 1 "@sigstore/verify rejects an altered checkpoint text" -- node "$VERIFY" bad-cp-text.json ed25519.pub trusted_root.json
expect_out "invalid checkpoint signature"
run 1 "custody rejects it too" -- "$BIN" verify m-ed25519 --key ed25519.pub --signature bad-cp-text.json --log-key "$vkey"

edit_entry "$sig" bad-body.json '
body = json.loads(base64.b64decode(e["canonicalizedBody"]))
body["spec"]["hashedRekordV002"]["data"]["digest"] = base64.b64encode(b"\0" * 32).decode()
e["canonicalizedBody"] = base64.b64encode(json.dumps(body, separators=(",", ":"), sort_keys=True).encode()).decode()'
run 1 "@sigstore/verify rejects an altered logged body" -- node "$VERIFY" bad-body.json ed25519.pub trusted_root.json
expect_out "TLOG_INCLUSION_PROOF_ERROR"

# Another log's trusted root, and a bundle that was never logged.
CUSTODY_HOME="$WORK/other" "$BIN" -q log init --origin custody.test/sigstore-log >/dev/null
CUSTODY_HOME="$WORK/other" "$BIN" log trusted-root --out other_root.json 2>/dev/null
run 1 "@sigstore/verify rejects the entry under another log's trusted root" -- node "$VERIFY" "$sig" ed25519.pub other_root.json
expect_out "TLOG_INCLUSION_PROOF_ERROR"
make_model unlogged
run 0 "sign without --log" -- "$BIN" sign unlogged --key ed25519.key
run 1 "@sigstore/verify requires an entry with tlogThreshold 1" -- node "$VERIFY" unlogged/model.sig ed25519.pub trusted_root.json
expect_out "TLOG_ERROR"
finish

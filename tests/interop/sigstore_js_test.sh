#!/usr/bin/env bash
# npm @sigstore/verify (pinned in sigstore-js/package-lock.json) must verify
# the bundles custody signs, with key-based trust found through the bundle's
# hint, and reject a changed signature, a changed payload and another key.
# P-256 and Ed25519 only: @sigstore/verify checks every ECDSA signature with
# SHA-256 (it passes no digest to node's crypto.verify), so the P-384/SHA-384
# signatures custody and model_signing write do not verify there.
# Usage: sigstore_js_test.sh BIN
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

# edit_bundle IN OUT PYTHON: rewrites bundle IN to OUT; PYTHON edits `env`, the DSSE envelope.
edit_bundle() {
  python3 - "$1" "$2" <<PY
import base64, json, sys
b = json.load(open(sys.argv[1]))
env = b["dsseEnvelope"]
$3
json.dump(b, open(sys.argv[2], "w"))
PY
}

for type in ecdsa-p256 ed25519; do
  run 0 "key generate $type" -- "$BIN" key generate --type "$type" --out "$type"
  run 0 "key generate other $type" -- "$BIN" key generate --type "$type" --out "other-$type"
  for method in files shards; do
    m="m-$type-$method"
    make_model "$m"
    run 0 "sign $type/$method" -- "$BIN" sign "$m" --key "$type.key" --method "$method" --shard-size 65536
    run 0 "@sigstore/verify accepts $type/$method" -- node "$HERE/sigstore-js/verify.mjs" "$m/model.sig" "$type.pub"
    expect_out "verified (key hint $(sha256sum "$type.pub" | cut -d' ' -f1))"
  done
  sig="m-$type-files/model.sig"
  edit_bundle "$sig" bad-sig.json '
s = bytearray(base64.b64decode(env["signatures"][0]["sig"])); s[len(s) // 2] ^= 0xFF
env["signatures"][0]["sig"] = base64.b64encode(bytes(s)).decode()'
  run 1 "@sigstore/verify rejects a changed $type signature" -- node "$HERE/sigstore-js/verify.mjs" bad-sig.json "$type.pub"
  expect_out "SIGNATURE_ERROR"
  edit_bundle "$sig" bad-payload.json '
st = json.loads(base64.b64decode(env["payload"])); st["predicate"]["resources"][0]["digest"] = "00" * 32
env["payload"] = base64.b64encode(json.dumps(st).encode()).decode()'
  run 1 "@sigstore/verify rejects a changed $type payload" -- node "$HERE/sigstore-js/verify.mjs" bad-payload.json "$type.pub"
  expect_out "SIGNATURE_ERROR"
  run 1 "@sigstore/verify rejects $type with another key" -- node "$HERE/sigstore-js/verify.mjs" "$sig" "other-$type.pub"
  expect_out "SIGNATURE_ERROR"
done

# The P-384 gap is the peer's: it rejects the real model_signing 1.1 P-384
# bundle too, which custody verifies (tests/attest/model_signing_interop_test.cc).
shared=${CUSTODY_SHARED:-$HERE/../../../shared}/interop/model-signing
if [[ -f "$shared/v1.1.0-elliptic-key/model.sig" ]]; then
  run 0 "custody verifies the model_signing P-384 bundle" -- "$BIN" verify "$shared/v1.1.0-elliptic-key" --key "$shared/v1.1.0-elliptic-key.pub.pem"
  run 1 "@sigstore/verify rejects the model_signing P-384 bundle as well" -- node "$HERE/sigstore-js/verify.mjs" "$shared/v1.1.0-elliptic-key/model.sig" "$shared/v1.1.0-elliptic-key.pub.pem"
else
  echo "note: $shared absent; the model_signing P-384 comparison is skipped"
fi

finish

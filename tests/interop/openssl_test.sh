#!/usr/bin/env bash
# Our keys and bundles as the openssl command line sees them: it must read the
# PEM keys, and verify the DSSE signature over the PAE bytes for every key type.
# Usage: openssl_test.sh BIN
set -euo pipefail
command -v openssl >/dev/null || { echo "skip: openssl not found"; exit 77; }
BIN=$(realpath "$1")
source "$(dirname "$0")/../cli/lib.sh"
cd "$WORK"

# extract BUNDLE PREFIX: writes PREFIX.pae (the signed DSSE PAE bytes), PREFIX.sig
# (the raw signature) and prints "hint keyid".
extract() {
  python3 - "$1" "$2" <<'PY'
import base64, json, sys
bundle = json.load(open(sys.argv[1]))
env = bundle["dsseEnvelope"]
payload, ptype = base64.b64decode(env["payload"]), env["payloadType"].encode()
pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(payload), payload)
open(sys.argv[2] + ".pae", "wb").write(pae)
open(sys.argv[2] + ".sig", "wb").write(base64.b64decode(env["signatures"][0]["sig"]))
print(bundle["verificationMaterial"]["publicKey"]["hint"], env["signatures"][0]["keyid"])
PY
}

# verify_cmd TYPE PUB SIG DATA: sets $cmd to the openssl command that checks
# a TYPE signature SIG over DATA with the public key PUB.
verify_cmd() {
  case $1 in
    ecdsa-p256) cmd=(openssl dgst -sha256 -verify "$2" -signature "$3" "$4") ;;
    ecdsa-p384) cmd=(openssl dgst -sha384 -verify "$2" -signature "$3" "$4") ;;
    ecdsa-p521) cmd=(openssl dgst -sha512 -verify "$2" -signature "$3" "$4") ;;
    ed25519) cmd=(openssl pkeyutl -verify -pubin -inkey "$2" -rawin -in "$4" -sigfile "$3") ;;
  esac
}

for type in ecdsa-p256 ecdsa-p384 ecdsa-p521 ed25519; do
  run 0 "key generate $type" -- "$BIN" key generate --type "$type" --out "$type"
  run 0 "key generate other $type" -- "$BIN" key generate --type "$type" --out "other-$type"
  expect_eq "$(stat -c %a "$type.key")" "600" "$type.key mode"

  run 0 "openssl parses $type.key" -- openssl pkey -in "$type.key" -noout
  run 0 "openssl derives the public key of $type" -- openssl pkey -in "$type.key" -pubout
  expect_eq "$out" "$(cat "$type.pub")" "openssl's public key equals $type.pub"
  run 0 "openssl parses $type.pub" -- openssl pkey -pubin -in "$type.pub" -noout

  make_model "m-$type"
  run 0 "sign $type" -- "$BIN" sign "m-$type" --key "$type.key"
  read -r hint keyid < <(extract "m-$type/model.sig" "$type")
  pub_sha=$(sha256sum "$type.pub" | cut -d' ' -f1)
  expect_eq "$hint" "$pub_sha" "$type hint is sha256 of the .pub file"
  expect_eq "$keyid" "$pub_sha" "$type signature keyid is sha256 of the .pub file"

  verify_cmd "$type" "$type.pub" "$type.sig" "$type.pae"
  run 0 "openssl verifies $type" -- "${cmd[@]}"
  expect_out "Verified"
  cp "$type.pae" "$type-changed.pae"
  "$SCRIPTS/flip-byte" "$type-changed.pae" 200
  verify_cmd "$type" "$type.pub" "$type.sig" "$type-changed.pae"
  run 1 "openssl rejects $type over a changed PAE" -- "${cmd[@]}"
  expect_out "erification"
  verify_cmd "$type" "other-$type.pub" "$type.sig" "$type.pae"
  run 1 "openssl rejects $type against another key" -- "${cmd[@]}"
  expect_out "erification"
done

finish

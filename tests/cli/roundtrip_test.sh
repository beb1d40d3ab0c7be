#!/usr/bin/env bash
# Sign and verify through the command line for every key type and method,
# with JSON output checked and tampering reported. Usage: roundtrip_test.sh BIN
set -euo pipefail
BIN=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
cd "$WORK"

for type in ecdsa-p256 ecdsa-p384 ecdsa-p521 ed25519; do
  run 0 "key generate $type" -- "$BIN" key generate --type "$type" --out "$type" --format json
  expect_eq "$(json_field 'j["type"]')" "$type" "key type in JSON"
  for method in files shards; do
    m="m-$type-$method"
    make_model "$m"
    run 0 "hash $type/$method" -- "$BIN" hash "$m" --method "$method" --shard-size 65536 --format json
    subject=$(json_field 'j["subject"]["digest"]["sha256"]')
    run 0 "sign $type/$method" -- "$BIN" sign "$m" --key "$type.key" --method "$method" --shard-size 65536 --format json
    expect_eq "$(json_field 'j["subject"]["digest"]["sha256"]')" "$subject" "hash and sign agree on the subject"
    run 0 "verify $type/$method" -- "$BIN" verify "$m" --key "$type.pub"
    expect_out "verified"
    run 0 "verify json $type/$method" -- "$BIN" verify "$m" --key "$type.pub" --format json
    expect_eq "$(json_field 'j["verified"], j["modified"], j["added"], j["removed"]')" "True [] [] []" "clean verify JSON"

    "$SCRIPTS/flip-byte" "$m/weights/model-00002.bin" 1000
    echo new >"$m/tokenizer/added.txt"
    rm "$m/config.json"
    mv "$m/tokenizer/extra/merges.txt" "$m/merges.txt"
    truncate -s 100 "$m/weights/model-00001.bin"
    run 1 "verify tampered $type/$method" -- "$BIN" verify "$m" --key "$type.pub" --format json
    expect_eq "$(json_field 'j["modified"]')" "['weights/model-00001.bin', 'weights/model-00002.bin']" "modified files"
    expect_eq "$(json_field 'j["added"]')" "['merges.txt', 'tokenizer/added.txt']" "added files"
    expect_eq "$(json_field 'j["removed"]')" "['config.json', 'tokenizer/extra/merges.txt']" "removed files"
  done
done

# A single file is a model too; its signature defaults to FILE.sig.
head -c 100000 /dev/urandom >single.safetensors
run 0 "sign a single file" -- "$BIN" sign single.safetensors --key ed25519.key
[[ -f single.safetensors.sig ]] && echo "ok    single.safetensors.sig written" || { echo "FAIL  no single.safetensors.sig"; failures=$((failures + 1)); }
run 0 "verify a single file" -- "$BIN" verify single.safetensors --key ed25519.pub
echo x >>single.safetensors
run 1 "verify a changed single file" -- "$BIN" verify single.safetensors --key ed25519.pub

# blake2b, a signature kept outside the model, and user ignores recorded in the bundle
make_model outside
mkdir -p outside/logs && echo run1 >outside/logs/train.log
run 0 "sign blake2b, --ignore logs" -- "$BIN" sign outside --key ecdsa-p256.key --algorithm blake2b --ignore logs --signature outside.sig
echo run2 >>outside/logs/train.log
run 0 "ignored path changed, still verified" -- "$BIN" verify outside --key ecdsa-p256.pub --signature outside.sig --format json
expect_eq "$(json_field 'j["serialization"]["hash_type"]')" "blake2b" "hash type recorded"
expect_eq "$(json_field '"logs" in j["ignored"]')" "True" "ignored paths in the JSON result"
run 0 "verify names what it did not check" -- "$BIN" verify outside --key ecdsa-p256.pub --signature outside.sig
expect_out "not checked logs (ignored when signing or by --ignore)"
python3 - outside.sig <<'PY' >payload.json
import base64, json, sys
print(base64.b64decode(json.load(open(sys.argv[1]))["dsseEnvelope"]["payload"]).decode())
PY
expect_eq "$(python3 -c 'import json; print(sorted(json.load(open("payload.json"))["predicate"]["serialization"]["ignore_paths"]))')" \
  "['.git', '.gitattributes', '.github', '.gitignore', 'logs']" "recorded ignore paths"

run 0 "quiet verify prints nothing" -- "$BIN" verify outside --key ecdsa-p256.pub --signature outside.sig --quiet
expect_eq "$out" "" "quiet output"

finish

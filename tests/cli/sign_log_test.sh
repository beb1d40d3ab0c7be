#!/usr/bin/env bash
# Signing into the transparency log through the command line: sign --log local
# and --log URL (a `custody log serve` started here on a free port), the
# bundle's tlogEntries entry, verify --log-key from a string or a file, and
# every way the entry can be wrong: a missing entry, another log's key, an
# altered proof, checkpoint, body, index or root, and malformed entries
# (named by JSON path, exit 2). Usage: sign_log_test.sh BIN
set -euo pipefail
BIN=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
cd "$WORK"
export CUSTODY_HOME="$WORK/home"
unset CUSTODY_STORE

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

"$BIN" key generate --type ecdsa-p256 --out signer --quiet
make_model m
run 2 "sign --log local without a log" -- "$BIN" sign m --key signer.key --log local
expect_err "has no log"
[[ ! -e m/model.sig ]] || { echo "FAIL  a signature was written although logging failed"; failures=$((failures + 1)); }
run 2 "sign --log with neither local nor a URL" -- "$BIN" sign m --key signer.key --log somewhere
expect_err "write local"

run 0 "log init" -- "$BIN" log init --origin custody.test/signatures
vkey=$out
printf '%s\n' "$vkey" >log.vkey
for i in 1 2 3; do echo "claim $i" | "$BIN" -q log append - >/dev/null; done
run 0 "sign --log local" -- "$BIN" sign m --key signer.key --log local --format json
expect_eq "$(json_field 'j["tlog"]["logIndex"], j["tlog"]["treeSize"]')" "3 4" "the entry's index and tree size"
echo "claim 5" | "$BIN" -q log append - >/dev/null
python3 - m/model.sig <<'PY' || { echo "FAIL  the bundle's tlog entry has the wrong form"; exit 1; }
import base64, hashlib, json, sys
b = json.load(open(sys.argv[1]))
e = b["verificationMaterial"]["tlogEntries"][0]
assert e["kindVersion"] == {"kind": "hashedrekord", "version": "0.0.2"}, e["kindVersion"]
assert e["logIndex"] == "3" and e["integratedTime"] == "0"
p = e["inclusionProof"]
assert p["logIndex"] == "3" and p["treeSize"] == "4" and len(p["hashes"]) == 2
assert p["checkpoint"]["envelope"].startswith("custody.test/signatures\n4\n" + p["rootHash"] + "\n\n")
body = base64.b64decode(e["canonicalizedBody"])
j = json.loads(body)
# RFC 8785: sorted members, no whitespace.
assert body == json.dumps(j, separators=(",", ":"), sort_keys=True).encode()
env = b["dsseEnvelope"]
payload = base64.b64decode(env["payload"])
pae = b"DSSEv1 %d %s %d %s" % (len(env["payloadType"]), env["payloadType"].encode(), len(payload), payload)
hr = j["spec"]["hashedRekordV002"]
assert hr["data"] == {"algorithm": "SHA2_256", "digest": base64.b64encode(hashlib.sha256(pae).digest()).decode()}
assert hr["signature"]["content"] == env["signatures"][0]["sig"]
assert hr["signature"]["verifier"]["keyDetails"] == "PKIX_ECDSA_P256_SHA_256"
assert "rawBytes" in hr["signature"]["verifier"]["publicKey"]
PY
run 0 "the log holds the body" -- "$BIN" log prove-inclusion --index 3 --size 4
run 0 "verify --log-key STRING" -- "$BIN" verify m --key signer.pub --log-key "$vkey"
expect_out "logged    entry 3 of custody.test/signatures"
run 0 "verify --log-key FILE" -- "$BIN" verify m --key signer.pub --log-key log.vkey --format json
expect_eq "$(json_field 'j["tlog"]["origin"], j["tlog"]["logIndex"], j["tlog"]["treeSize"]')" \
  "custody.test/signatures 3 4" "verify JSON names the entry"
run 0 "verify without --log-key ignores the entry" -- "$BIN" verify m --key signer.pub
run 2 "malformed --log-key" -- "$BIN" verify m --key signer.pub --log-key nonsense
expect_err "neither a log verifier key"

make_model unlogged
"$BIN" -q sign unlogged --key signer.key
run 1 "verify --log-key of a bundle without entry" -- "$BIN" verify unlogged --key signer.pub --log-key "$vkey"
expect_err "no transparency-log entry"
other=$(CUSTODY_HOME="$WORK/other" "$BIN" -q log init --origin custody.test/signatures)
run 1 "another log's key (same origin, another key)" -- "$BIN" verify m --key signer.pub --log-key "$other"
expect_err "no entry of the log custody.test/signatures"
"$BIN" key generate --type ecdsa-p256 --out stranger --quiet
run 1 "another signer" -- "$BIN" verify m --key stranger.pub --log-key "$vkey"

sig=m/model.sig
check() {  # EXIT DESCRIPTION STDERR_SUBSTRING PYTHON
  edit_entry "$sig" edited.json "$4"
  run "$1" "$2" -- "$BIN" verify m --key signer.pub --signature edited.json --log-key "$vkey"
  expect_err "$3"
}
check 1 "altered proof hash" "does not lead to the root hash" '
h = bytearray(base64.b64decode(e["inclusionProof"]["hashes"][1])); h[0] ^= 1
e["inclusionProof"]["hashes"][1] = base64.b64encode(bytes(h)).decode()'
check 1 "shortened proof" "inclusionProof" 'e["inclusionProof"]["hashes"].pop()'
check 1 "altered checkpoint text" "altered" '
e["inclusionProof"]["checkpoint"]["envelope"] = e["inclusionProof"]["checkpoint"]["envelope"].replace("\n4\n", "\n5\n", 1)'
check 1 "altered checkpoint signature" "altered" '
text, sigs = e["inclusionProof"]["checkpoint"]["envelope"].split("\n\n")
name, b64 = sigs.rstrip("\n").split(" ")[1:]
raw = bytearray(base64.b64decode(b64)); raw[20] ^= 1
e["inclusionProof"]["checkpoint"]["envelope"] = text + "\n\n\u2014 " + name + " " + base64.b64encode(bytes(raw)).decode() + "\n"'
check 1 "root hash not the checkpoint's" "does not state the proof" '
e["inclusionProof"]["rootHash"] = base64.b64encode(b"\1" * 32).decode()'
check 1 "tree size not the checkpoint's" "does not state the proof" 'e["inclusionProof"]["treeSize"] = "5"'
check 1 "index of the entry and of its proof differ" "logIndex" 'e["logIndex"] = "2"'
check 1 "proof for another index" "inclusion proof" 'e["logIndex"] = "2"; e["inclusionProof"]["logIndex"] = "2"'
check 1 "body logging another signature" "another signature" '
body = json.loads(base64.b64decode(e["canonicalizedBody"]))
body["spec"]["hashedRekordV002"]["signature"]["content"] = base64.b64encode(b"\0" * 70).decode()
e["canonicalizedBody"] = base64.b64encode(json.dumps(body, separators=(",", ":"), sort_keys=True).encode()).decode()'
check 1 "body logging another digest" "another digest" '
body = json.loads(base64.b64decode(e["canonicalizedBody"]))
body["spec"]["hashedRekordV002"]["data"]["digest"] = base64.b64encode(b"\0" * 32).decode()
e["canonicalizedBody"] = base64.b64encode(json.dumps(body, separators=(",", ":"), sort_keys=True).encode()).decode()'
check 1 "no inclusion proof" "no inclusionProof" 'del e["inclusionProof"]'
check 2 "malformed logIndex" "/verificationMaterial/tlogEntries/0/logIndex" 'e["logIndex"] = "three"'
check 2 "malformed proof hash" "/verificationMaterial/tlogEntries/0/inclusionProof/hashes/0" 'e["inclusionProof"]["hashes"][0] = 7'
check 2 "missing checkpoint" "/verificationMaterial/tlogEntries/0/inclusionProof/checkpoint" 'del e["inclusionProof"]["checkpoint"]'
check 2 "missing logId" "/verificationMaterial/tlogEntries/0/logId" 'del e["logId"]'
check 2 "body that is not JSON" "canonicalizedBody" 'e["canonicalizedBody"] = base64.b64encode(b"not json").decode()'
check 2 "an entry kind custody does not check" "kindVersion" 'e["kindVersion"]["kind"] = "dsse"'
python3 - <<'PY'
import json
b = json.load(open("m/model.sig")); b["verificationMaterial"]["tlogEntries"] = {}
json.dump(b, open("not-array.json", "w"))
PY
run 2 "tlogEntries not an array" -- "$BIN" verify m --key signer.pub --signature not-array.json
expect_err "/verificationMaterial/tlogEntries"

# The bundle round-trips: re-signing without --log writes no entry, and a bundle
# read and written again keeps its entry (custody log verify reads its proof).
python3 - m/model.sig <<'PY'
import base64, json, sys
e = json.load(open(sys.argv[1]))["verificationMaterial"]["tlogEntries"][0]
open("entry.bin", "wb").write(base64.b64decode(e["canonicalizedBody"]))
json.dump(e["inclusionProof"], open("proof.json", "w"))
PY
run 0 "custody log verify reads the bundle's proof" -- "$BIN" log verify --checkpoint proof.json --key "$vkey" --proof proof.json --entry entry.bin
expect_out "entry 3 is in the log"

# A certificate-signed bundle logs its signing certificate as the verifier.
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 30 \
    -subj "/CN=sign log test root" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
  openssl req -new -key signer.key -subj "/CN=logged signer" -out signer.csr 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n' >ext.cnf
  openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -set_serial 7 -days 30 -extfile ext.cnf -out signer.pem 2>/dev/null
  make_model certified
  run 0 "sign --certificate --log local" -- "$BIN" sign certified --key signer.key --certificate signer.pem --log local
  run 0 "verify --certificate-chain --log-key" -- "$BIN" verify certified --certificate-chain ca.pem --log-key "$vkey"
  expect_out "logged    entry"
  x509=$(python3 -c 'import base64,json,sys; e=json.load(open(sys.argv[1]))["verificationMaterial"]["tlogEntries"][0]; print("x509Certificate" in json.loads(base64.b64decode(e["canonicalizedBody"]))["spec"]["hashedRekordV002"]["signature"]["verifier"])' certified/model.sig)
  expect_eq "$x509" "True" "the certificate is the logged verifier"
else
  echo "note: openssl CLI absent; the certificate case is skipped"
fi

# --log URL: a custody log serve on a free port.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" log serve --listen "127.0.0.1:$port" 2>serve.log &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/checkpoint" >/dev/null 2>&1 && break; sleep 0.1; done
make_model remote
run 0 "sign --log URL" -- "$BIN" sign remote --key signer.key --log "http://127.0.0.1:$port/" --format json
index=$(json_field 'j["tlog"]["logIndex"]')
run 0 "verify the served log's entry" -- "$BIN" verify remote --key signer.pub --log-key "$vkey"
expect_out "logged    entry $index of custody.test/signatures"
run 0 "POST /add names the log ID" -- curl -sf --data-binary 'a claim' "http://127.0.0.1:$port/add"
expect_eq "$(json_field 'j["logId"]["keyId"]')" \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verificationMaterial"]["tlogEntries"][0]["logId"]["keyId"])' remote/model.sig)" \
  "the served log ID is the bundle's"
kill -TERM $server
wait $server || { echo "FAIL  serve did not stop cleanly"; failures=$((failures + 1)); }
rm -f remote/model.sig
run 2 "sign --log URL with nothing listening" -- "$BIN" sign remote --key signer.key --log "http://127.0.0.1:$port"
expect_err "cannot reach the log"
[[ ! -e remote/model.sig ]] || { echo "FAIL  a signature was written although logging failed"; failures=$((failures + 1)); }

run 0 "trusted-root to stdout" -- "$BIN" log trusted-root
expect_eq "$(json_field 'j["mediaType"], j["tlogs"][0]["baseUrl"], j["tlogs"][0]["publicKey"]["keyDetails"], j["tlogs"][0]["hashAlgorithm"]')" \
  "application/vnd.dev.sigstore.trustedroot+json;version=0.1 https://custody.test/signatures PKIX_ED25519 SHA2_256" "trusted root"
expect_eq "$(json_field 'j["tlogs"][0]["logId"]["keyId"]')" \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verificationMaterial"]["tlogEntries"][0]["logId"]["keyId"])' m/model.sig)" \
  "the trusted root's log ID is the bundle's"
run 0 "trusted-root --base-url without the origin warns" -- "$BIN" log trusted-root --base-url https://log.example --out tr.json
[[ $err == *"does not contain the log's origin"* ]] || { echo "FAIL  no warning about the base URL: $err"; failures=$((failures + 1)); }
finish

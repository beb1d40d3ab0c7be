#!/usr/bin/env bash
# Certificate signing through the command line, with a PKI made here by the
# openssl CLI: sign --certificate / --certificate-chain, verify
# --certificate-chain against the root, openssl verify accepts the chain custody
# put in the bundle, and every way a chain can be wrong is a clear exit 1 or 2.
# Usage: certificate_test.sh BIN
set -euo pipefail
BIN=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
command -v openssl >/dev/null || { echo "SKIP: the openssl CLI is not installed (scripts/bootstrap installs it)"; exit 77; }
cd "$WORK"

ca() {  # NAME SUBJECT: a self-signed root CA (P-384)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout "$1.key" -out "$1.pem" -days 30 \
    -subj "$2" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
}
issue() {  # OUT CSR ISSUER EXTENSIONS...
  local out=$1 csr=$2 issuer=$3
  shift 3
  printf '%s\n' "$@" >ext.cnf
  openssl x509 -req -in "$csr" -CA "$issuer.pem" -CAkey "$issuer.key" -set_serial "$RANDOM" -days 30 \
    -extfile ext.cnf -out "$out" 2>/dev/null
}
ca root "/CN=cli test root"
ca stranger "/CN=stranger root"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout inter.key -out inter.csr -subj "/CN=cli test intermediate" 2>/dev/null
issue inter.pem inter.csr root 'basicConstraints=critical,CA:TRUE' 'keyUsage=critical,keyCertSign'

for type in ecdsa-p256 ecdsa-p384 ecdsa-p521 ed25519; do
  "$BIN" key generate --type "$type" --out "$type" --quiet
  openssl req -new -key "$type.key" -subj "/CN=$type signer" -out "$type.csr" 2>/dev/null
  issue "$type.pem" "$type.csr" inter 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature'
  m="m-$type"
  make_model "$m"
  run 0 "sign $type with a certificate" -- "$BIN" sign "$m" --key "$type.key" --certificate "$type.pem" \
    --certificate-chain inter.pem --format json
  expect_eq "$(json_field 'j["certificate"]["subject"]')" "CN=$type signer" "signer certificate in sign JSON"
  # The peer checks the chain exactly as custody stored it in the bundle.
  python3 - "$m/model.sig" <<'PY'
import base64, json, subprocess, sys
certs = json.load(open(sys.argv[1]))["verificationMaterial"]["x509CertificateChain"]["certificates"]
for i, c in enumerate(certs):
    der = base64.b64decode(c["rawBytes"])
    pem = subprocess.run(["openssl", "x509", "-inform", "der"], input=der, capture_output=True, check=True).stdout
    open(f"bundle-cert-{i}.pem", "wb").write(pem)
PY
  run 0 "openssl verify accepts the chain in the $type bundle" -- \
    openssl verify -CAfile root.pem -untrusted bundle-cert-1.pem bundle-cert-0.pem
  run 0 "verify $type against the root" -- "$BIN" verify "$m" --certificate-chain root.pem
  expect_out "signer    CN=$type signer (issued by CN=cli test intermediate"
  run 0 "verify $type JSON" -- "$BIN" verify "$m" --certificate-chain stranger.pem --certificate-chain root.pem --format json
  expect_eq "$(json_field 'j["verified"], j["certificate"]["issuer"], j["key_type"]')" \
    "True CN=cli test intermediate $type" "verify JSON names the signer"
  expected_fp=$(openssl x509 -in "$type.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
  expect_eq "$(json_field 'j["certificate"]["fingerprint_sha256"]')" "$expected_fp" "fingerprint as openssl computes it"
  run 0 "the certified key alone also verifies $type" -- "$BIN" verify "$m" --key "$type.pub"

  echo changed >"$m/config.json"
  run 1 "verify tampered $type" -- "$BIN" verify "$m" --certificate-chain root.pem --format json
  expect_eq "$(json_field 'j["modified"]')" "['config.json']" "modified file named"
done

m=m-ecdsa-p256
run 1 "a stranger root does not verify" -- "$BIN" verify "$m" --certificate-chain stranger.pem
expect_err "does not chain to a trusted certificate: unable to get local issuer certificate"
run 1 "trusting only the intermediate is not enough" -- "$BIN" verify "$m" --certificate-chain inter.pem
expect_err "does not chain to a trusted certificate"

"$BIN" sign "$m" --key ecdsa-p256.key --certificate ecdsa-p256.pem --quiet
run 1 "a bundle without the intermediate does not verify" -- "$BIN" verify "$m" --certificate-chain root.pem
expect_err "unable to get local issuer certificate"

openssl req -new -key ecdsa-p256.key -subj "/CN=tls server" -out tls.csr 2>/dev/null
issue tls.pem tls.csr inter 'basicConstraints=CA:FALSE' 'keyUsage=critical,keyEncipherment' 'extendedKeyUsage=serverAuth'
"$BIN" sign "$m" --key ecdsa-p256.key --certificate tls.pem --certificate-chain inter.pem --quiet
run 1 "a certificate not meant for signing is refused" -- "$BIN" verify "$m" --certificate-chain root.pem
expect_err "the certificate CN=tls server is not meant for signing"

run 2 "sign with another key's certificate" -- "$BIN" sign "$m" --key ed25519.key --certificate ecdsa-p256.pem
expect_err "certifies another key than the signing key"
run 2 "sign with a key file as certificate" -- "$BIN" sign "$m" --key ecdsa-p256.key --certificate ecdsa-p256.key
expect_err "ecdsa-p256.key holds no PEM certificate"
run 2 "--certificate-chain needs --certificate" -- "$BIN" sign "$m" --key ecdsa-p256.key --certificate-chain inter.pem
run 2 "verify with neither --key nor --certificate-chain" -- "$BIN" verify "$m"
expect_err "verify needs exactly one of --key PUBLIC_KEY"
run 2 "verify with both --key and --certificate-chain" -- "$BIN" verify "$m" --key ecdsa-p256.pub --certificate-chain root.pem
run 2 "a missing trust file" -- "$BIN" verify "$m" --certificate-chain nowhere.pem
expect_err "nowhere.pem"

"$BIN" sign "$m" --key ecdsa-p256.key --quiet
run 2 "a key-signed bundle checked with --certificate-chain" -- "$BIN" verify "$m" --certificate-chain root.pem
expect_err "this bundle was signed with a key, not a certificate: verify it with --key"
run 2 "the same as JSON" -- "$BIN" verify "$m" --certificate-chain root.pem --format json
expect_eq "$(json_field 'j["ok"], j["error"]["kind"]')" "False input" "JSON error"

finish

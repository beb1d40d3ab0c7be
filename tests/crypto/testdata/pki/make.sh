#!/usr/bin/env bash
# Makes the test PKI in this folder with the openssl CLI (a peer, not custody):
#   root.pem          self-signed root CA (P-384)
#   intermediate.pem  CA issued by the root (P-256)
#   signer.pem        leaf for signer.key (P-256): keyUsage digitalSignature, EKU codeSigning
#   codesign.pem      leaf for signer.key: no key usage for signing, EKU codeSigning only
#   tls.pem           leaf for signer.key: keyUsage keyEncipherment, EKU serverAuth (may not sign)
#   other-root.pem    an unrelated self-signed root
#   signer.fingerprint  `openssl x509 -fingerprint -sha256` of signer.pem, hex, lower case
# Validity is 100 years; custody checks chains as of the leaf's notBefore anyway.
# Re-run only to replace the fixtures; the unit tests read the files as they are.
set -euo pipefail
cd "$(dirname "$0")"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
days=36500
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout "$T/root.key" -out root.pem \
  -days $days -subj "/CN=custody test root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/other.key" -out other-root.pem \
  -days $days -subj "/CN=unrelated root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/int.key" -out "$T/int.csr" \
  -subj "/CN=custody test intermediate" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n' >"$T/ca.ext"
openssl x509 -req -in "$T/int.csr" -CA root.pem -CAkey "$T/root.key" -set_serial 2 -days $days \
  -extfile "$T/ca.ext" -out intermediate.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signer.key 2>/dev/null
openssl req -new -key signer.key -subj "/O=Example/CN=release signer" -out "$T/leaf.csr" 2>/dev/null
leaf() {  # OUT EXTENSIONS...
  local out=$1
  shift
  printf '%s\n' "$@" >"$T/leaf.ext"
  openssl x509 -req -in "$T/leaf.csr" -CA intermediate.pem -CAkey "$T/int.key" -set_serial "$((RANDOM + 10))" \
    -days $days -extfile "$T/leaf.ext" -out "$out" 2>/dev/null
}
leaf signer.pem 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature' 'extendedKeyUsage=codeSigning'
leaf codesign.pem 'basicConstraints=CA:FALSE' 'keyUsage=critical,keyAgreement' 'extendedKeyUsage=codeSigning'
leaf tls.pem 'basicConstraints=CA:FALSE' 'keyUsage=critical,keyEncipherment' 'extendedKeyUsage=serverAuth'
openssl x509 -in signer.pem -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f' >signer.fingerprint
openssl verify -CAfile root.pem -untrusted intermediate.pem signer.pem >/dev/null

#!/usr/bin/env bash
# Bad input to every command: a clear one-line error, the right exit code, no
# crash and no hang. Usage: errors_test.sh /path/to/custody
set -euo pipefail
BIN=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
cd "$WORK"

make_model model
run 0 "key generate" -- "$BIN" key generate --type ecdsa-p256 --out k
run 0 "second key" -- "$BIN" key generate --type ecdsa-p256 --out other
run 0 "sign" -- "$BIN" sign model --key k.key

# Usage errors
run 2 "no command" -- "$BIN"
run 2 "unknown command" -- "$BIN" frobnicate
run 2 "unknown flag" -- "$BIN" hash model --bogus
run 2 "missing --key" -- "$BIN" verify model
run 2 "bad --method" -- "$BIN" hash model --method tensors
run 2 "bad --format" -- "$BIN" hash model --format yaml
run 2 "bad --type" -- "$BIN" key generate --type rsa --out r
run 2 "zero shard size" -- "$BIN" hash model --method shards --shard-size 0
run 0 "--help teaches" -- "$BIN" --help
expect_out "Examples"
run 0 "verify --help names exit codes" -- "$BIN" verify --help
expect_out "Exit status"

# Missing and special inputs
mkdir -p empty-model/.git && echo x >empty-model/.git/HEAD
run 2 "sign a model with nothing to sign" -- "$BIN" sign empty-model --key k.key
expect_err "nothing to sign: empty-model has no files outside the ignored paths"
[[ ! -e empty-model/model.sig ]] && echo "ok    no signature written for an empty model" || { echo "FAIL  empty model got a signature"; failures=$((failures + 1)); }
run 2 "missing model path" -- "$BIN" hash nowhere
expect_err "cannot access nowhere: No such file or directory"
run 2 "missing key file" -- "$BIN" verify model --key nokey.pub
expect_err "cannot open nokey.pub"
run 2 "missing signature" -- "$BIN" verify model --key k.pub --signature none.sig
expect_err "no signature at none.sig: sign the model first (custody sign) or pass --signature FILE"
run 2 "unsigned model" -- "$BIN" verify empty-model --key k.pub
expect_err "no signature at empty-model/model.sig"

mkdir fifo-model && echo x >fifo-model/a && mkfifo fifo-model/pipe
run 2 "FIFO inside a model" -- "$BIN" hash fifo-model
expect_err "is a FIFO (named pipe)"
run 2 "FIFO as the signature" -- "$BIN" verify model --key k.pub --signature fifo-model/pipe
expect_err "is not a regular file"

mkdir loop-model && echo x >loop-model/a && ln -s b loop-model/c && ln -s c loop-model/b
run 2 "symlink without --allow-symlinks" -- "$BIN" hash loop-model
expect_err "pass --allow-symlinks"
run 2 "symlink loop" -- "$BIN" hash loop-model --allow-symlinks
expect_err "symbolic link loop"

mkdir locked && echo secret >locked/weights.bin && chmod 000 locked/weights.bin
if [[ $(id -u) -eq 0 ]]; then
  if command -v setpriv >/dev/null; then
    chmod 755 "$WORK"
    run 2 "unreadable file (as nobody)" -- setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" hash locked
    expect_err "Permission denied"
  else
    echo "skip  unreadable file: running as root without setpriv"
  fi
else
  run 2 "unreadable file" -- "$BIN" hash locked
  expect_err "Permission denied"
fi

# Corrupt bundles
cp model/model.sig good.sig
echo '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", ' >corrupt.sig
run 2 "corrupt bundle JSON" -- "$BIN" verify model --key k.pub --signature corrupt.sig
expect_err "corrupt.sig:2:1: invalid JSON"
head -c 500 good.sig >truncated.sig
run 2 "truncated bundle" -- "$BIN" verify model --key k.pub --signature truncated.sig
expect_err "invalid JSON"
python3 - good.sig >badb64.sig <<'PY'
import json, sys
b = json.load(open(sys.argv[1])); b["dsseEnvelope"]["payload"] = "***"; print(json.dumps(b))
PY
run 2 "payload not base64" -- "$BIN" verify model --key k.pub --signature badb64.sig
expect_err "/dsseEnvelope/payload: invalid base64"
python3 - good.sig >nosig.sig <<'PY'
import json, sys
b = json.load(open(sys.argv[1])); del b["dsseEnvelope"]["signatures"][0]["sig"]; print(json.dumps(b))
PY
run 2 "signature entry without sig" -- "$BIN" verify model --key k.pub --signature nosig.sig
expect_err "/dsseEnvelope/signatures/0/sig: required field is missing"
head -c 4096 /dev/urandom >random.sig
run 2 "random bytes as bundle" -- "$BIN" verify model --key k.pub --signature random.sig
expect_err "invalid JSON"

# Wrong keys
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl pkey -in rsa.key -pubout -out rsa.pub 2>/dev/null
run 2 "RSA public key" -- "$BIN" verify model --key rsa.pub
expect_err "RSA keys are not supported"
run 2 "RSA private key for signing" -- "$BIN" sign model --key rsa.key --signature x.sig
expect_err "RSA keys are not supported"
run 2 "private key given to verify" -- "$BIN" verify model --key k.key
expect_err "holds a private key"
run 2 "public key given to sign" -- "$BIN" sign model --key k.pub
expect_err "holds a public key"
echo "not a key" >junk.pub
run 2 "junk key file" -- "$BIN" verify model --key junk.pub
expect_err "is not a PEM public key"
run 0 "ed25519 key" -- "$BIN" key generate --type ed25519 --out ed
run 1 "key of another type" -- "$BIN" verify model --key ed.pub
expect_err "signature does not verify"
run 1 "signature from another key" -- "$BIN" verify model --key other.pub
expect_err "probably signed with another key"

# A valid bundle for a different model
make_model another
echo changed >another/config.json
run 1 "bundle for another model" -- "$BIN" verify another --key k.pub --signature model/model.sig
expect_out "modified  config.json"
expect_out "modified  weights/model-00001.bin"

# Keys are never overwritten silently
run 2 "key generate refuses to overwrite" -- "$BIN" key generate --out k
expect_err "k.key already exists; pass --force"
run 0 "key generate --force" -- "$BIN" key generate --out k --force
expect_eq "$(stat -c %a k.key)" "600" "private key mode"

# --format json on errors: an object on stdout, exit code unchanged
run 2 "json error" -- "$BIN" hash nowhere --format json
expect_eq "$(json_field 'j["ok"], j["error"]["kind"]')" "False input" "json error object"
run 1 "json verification failure" -- "$BIN" verify model --key other.pub --format json
expect_eq "$(json_field 'j["error"]["kind"]')" "verification" "json verification error"

finish

#!/usr/bin/env python3
"""Our DSSE envelopes as securesystemslib (0.26, the Python library behind TUF
and in-toto) sees them: it must accept the signature over the DSSE PAE for every
key type, and reject a changed envelope or a signature checked with another key.
Usage: securesystemslib_test.py BIN
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

try:
    from cryptography.hazmat.primitives import serialization
    from securesystemslib import exceptions, keys
    from securesystemslib.signer import Key, Signature
except ImportError as e:
    print(f"skip: securesystemslib is not importable ({e})")
    sys.exit(77)

SCHEMES = {"ecdsa-p256": "ecdsa-sha2-nistp256", "ecdsa-p384": "ecdsa-sha2-nistp384", "ed25519": "ed25519"}
checks = failures = 0


def check(ok, desc, detail=""):
    global checks, failures
    checks += 1
    if not ok:
        failures += 1
    print(f"{'ok   ' if ok else 'FAIL '} {desc}" + ("" if ok else f": {detail}"))


def pae(payload_type, payload):
    """DSSE pre-authentication encoding; securesystemslib 0.26 has no DSSE module."""
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def load_key(ktype, pub_path, keyid):
    """The public key as securesystemslib metadata, under our keyid."""
    pem = open(pub_path).read()
    if ktype == "ed25519":
        raw = serialization.load_pem_public_key(pem.encode()).public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        meta = {"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": raw.hex()}}
    else:
        imported = keys.import_ecdsakey_from_public_pem(pem, SCHEMES[ktype])
        meta = {"keytype": imported["keytype"], "scheme": imported["scheme"],
                "keyval": {"public": imported["keyval"]["public"]}}
    return Key.from_dict(keyid, meta)


def outcome(key, envelope):
    """'verified' or 'rejected' for the envelope's first signature; anything else is an error."""
    s = envelope["signatures"][0]
    sig = Signature(s["keyid"], base64.b64decode(s["sig"]).hex())
    data = pae(envelope["payloadType"], base64.b64decode(envelope["payload"]))
    try:
        key.verify_signature(sig, data)
        return "verified"
    except exceptions.VerificationError as e:
        return f"error: {e!r} from {e.__cause__!r}"
    except exceptions.UnverifiedSignatureError:
        return "rejected"


def custody(*args):
    r = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60)
    check(r.returncode == 0, "custody " + " ".join(args), r.stderr.strip())


BIN = os.path.realpath(sys.argv[1])
with tempfile.TemporaryDirectory(prefix="custody-sslib-") as work:
    os.chdir(work)
    for ktype in SCHEMES:
        custody("key", "generate", "--type", ktype, "--out", ktype)
        custody("key", "generate", "--type", ktype, "--out", f"other-{ktype}")
        model = f"m-{ktype}"
        os.makedirs(f"{model}/sub")
        for name, data in [("weights.bin", os.urandom(100000)), ("config.json", b'{"hidden": 64}\n'),
                           ("sub/vocab.txt", b"a\nb\n")]:
            open(f"{model}/{name}", "wb").write(data)
        custody("sign", model, "--key", f"{ktype}.key")

        envelope = json.load(open(f"{model}/model.sig"))["dsseEnvelope"]
        keyid = envelope["signatures"][0]["keyid"]
        want = hashlib.sha256(open(f"{ktype}.pub", "rb").read()).hexdigest()
        check(keyid == want, f"{ktype} keyid is sha256 of the .pub file", f"{keyid} != {want}")

        key = load_key(ktype, f"{ktype}.pub", keyid)
        got = outcome(key, envelope)
        check(got == "verified", f"securesystemslib verifies {ktype}", got)

        payload = bytearray(base64.b64decode(envelope["payload"]))
        payload[len(payload) // 2] ^= 1
        changed = dict(envelope, payload=base64.b64encode(bytes(payload)).decode())
        got = outcome(key, changed)
        check(got == "rejected", f"securesystemslib rejects {ktype} with a changed payload", got)

        changed = dict(envelope, payloadType="application/json")
        got = outcome(key, changed)
        check(got == "rejected", f"securesystemslib rejects {ktype} with a changed payloadType", got)

        other = load_key(ktype, f"other-{ktype}.pub", keyid)
        got = outcome(other, envelope)
        check(got == "rejected", f"securesystemslib rejects {ktype} against another key", got)

print(f"{checks - failures}/{checks} checks passed")
sys.exit(1 if failures else 0)

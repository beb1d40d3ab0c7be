// Verifies a custody bundle with npm @sigstore/verify, the verifier inside
// sigstore-js and npm's provenance checks: key-based trust (no certificate, no
// timestamp authority), the key found by the bundle's hint. Without
// TRUSTED_ROOT no transparency log is required; with it (a Sigstore
// trusted_root.json, e.g. from 'custody log trusted-root') its tlogs are the
// trusted logs and one verified tlog entry is required (tlogThreshold 1).
// Usage: CUSTODY_NPM_PEERS=DIR node verify.mjs BUNDLE PUBLIC_KEY_PEM [TRUSTED_ROOT]
// Exit 0 verified, 1 verification failed, 2 usage or setup error.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [bundlePath, keyPath, trustedRootPath] = process.argv.slice(2);
const peers = process.env.CUSTODY_NPM_PEERS;
if (!bundlePath || !keyPath || !peers) {
  console.error('usage: CUSTODY_NPM_PEERS=DIR node verify.mjs BUNDLE PUBLIC_KEY_PEM [TRUSTED_ROOT]');
  process.exit(2);
}
const require = createRequire(join(peers, 'package.json'));
const { bundleFromJSON } = require('@sigstore/bundle');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');
const { TrustedRoot } = require('@sigstore/protobuf-specs');

const publicKey = createPublicKey(readFileSync(keyPath, 'utf8'));
let hintSeen;
const keyFinder = (hint) => {
  hintSeen = hint;
  return { publicKey, validFor: () => true };
};
const emptyRoot = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] };
let root = emptyRoot;
if (trustedRootPath) {
  try {
    root = TrustedRoot.fromJSON(JSON.parse(readFileSync(trustedRootPath, 'utf8')));
  } catch (e) {
    console.error(`cannot read the trusted root ${trustedRootPath}: ${e.message}`);
    process.exit(2);
  }
}

try {
  const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
  const verifier = new Verifier(toTrustMaterial(root, keyFinder), {
    tlogThreshold: trustedRootPath ? 1 : 0,
    ctlogThreshold: 0,
    timestampThreshold: 0,
  });
  verifier.verify(toSignedEntity(bundle));
  const logged = bundle.verificationMaterial.tlogEntries.length;
  console.log(`verified (key hint ${hintSeen}${trustedRootPath ? `, ${logged} tlog entry checked` : ''})`);
} catch (e) {
  console.log(`not verified: ${e.code ? e.code + ': ' : ''}${e.message}`);
  process.exit(1);
}

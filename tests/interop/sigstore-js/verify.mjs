// Verifies a custody bundle with npm @sigstore/verify, the verifier inside
// sigstore-js and npm's provenance checks: key-based trust (no transparency
// log, no certificate, no timestamp authority), the key found by the bundle's
// hint. Usage: CUSTODY_NPM_PEERS=DIR node verify.mjs BUNDLE PUBLIC_KEY_PEM
// Exit 0 verified, 1 verification failed, 2 usage or setup error.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [bundlePath, keyPath] = process.argv.slice(2);
const peers = process.env.CUSTODY_NPM_PEERS;
if (!bundlePath || !keyPath || !peers) {
  console.error('usage: CUSTODY_NPM_PEERS=DIR node verify.mjs BUNDLE PUBLIC_KEY_PEM');
  process.exit(2);
}
const require = createRequire(join(peers, 'package.json'));
const { bundleFromJSON } = require('@sigstore/bundle');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

const publicKey = createPublicKey(readFileSync(keyPath, 'utf8'));
let hintSeen;
const keyFinder = (hint) => {
  hintSeen = hint;
  return { publicKey, validFor: () => true };
};
const emptyRoot = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] };

try {
  const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
  const verifier = new Verifier(toTrustMaterial(emptyRoot, keyFinder), {
    tlogThreshold: 0,
    ctlogThreshold: 0,
    tsaThreshold: 0,
  });
  verifier.verify(toSignedEntity(bundle));
  console.log(`verified (key hint ${hintSeen})`);
} catch (e) {
  console.log(`not verified: ${e.code ? e.code + ': ' : ''}${e.message}`);
  process.exit(1);
}

// The keys that sign junction's JWTs (ES256), kept in MongoDB (`jwt_signing_keys`, the auth
// subgraph's) so every auth instance signs with the same set; gateways verify with the public keys
// (the JWKS), which they ask of the graph. Private keys are stored encrypted (AES-256-GCM under a key
// derived from PRINCIPAL_SECRET with HKDF) and never leave this module; the public keys are the
// JWKS. Rotation: the newest key signs; after `rotationMs` a new one is made, and retired keys stay
// published long enough for every token they signed to expire.
import type { Db } from 'mongodb';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { newId } from '../../../platform/src/ids.js';
import { SecretBox, type SealedSecret } from '../../../platform/src/crypto/SecretBox.js';

import { JWT_ALG } from '../../../platform/src/accessTokens.js';

export { JWT_ALG };

interface SigningKeyDocument {
  _id: string;
  alg: typeof JWT_ALG;
  publicJwk: JWK;
  privateJwk: SealedSecret;
  createdAt: Date;
}

export interface SigningKeysOptions {
  db: Db;
  /** PRINCIPAL_SECRET: the encryption key for private keys is derived from it. */
  secret: string;
  /** A new signing key after this long (default 30 days). */
  rotationMs?: number;
  /** Longest lifetime of a token signed by a key (keys stay published this long after retiring). */
  tokenTtlMs: number;
}

const COLLECTION = 'jwt_signing_keys';
const RELOAD_MS = 60_000;

export class SigningKeys {
  private readonly box: SecretBox;
  private readonly rotationMs: number;
  private loaded: { at: number; docs: SigningKeyDocument[] } | undefined;
  private loading: Promise<SigningKeyDocument[]> | undefined;
  private readonly publicKeys = new Map<string, CryptoKey>();
  private signer: { kid: string; key: CryptoKey; createdAt: Date } | undefined;

  constructor(private readonly options: SigningKeysOptions) {
    // Purpose 'jwt-signing-keys': the same HKDF parameters as before SecretBox, so stored keys open.
    this.box = new SecretBox(options.secret, 'jwt-signing-keys');
    this.rotationMs = options.rotationMs ?? 30 * 24 * 60 * 60 * 1000;
  }

  static async ensureIndexes(db: Db): Promise<void> {
    await db.collection(COLLECTION).createIndex({ createdAt: -1 });
  }

  private get collection() {
    return this.options.db.collection<SigningKeyDocument>(COLLECTION);
  }

  private async docs(force = false): Promise<SigningKeyDocument[]> {
    if (!force && this.loaded && Date.now() - this.loaded.at < RELOAD_MS) return this.loaded.docs;
    this.loading ??= (async () => {
      const since = new Date(Date.now() - this.rotationMs - this.options.tokenTtlMs - 60_000);
      const docs = await this.collection.find({ createdAt: { $gt: since } }).sort({ createdAt: -1 }).toArray();
      this.loaded = { at: Date.now(), docs };
      return docs;
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** The key to sign with now: the newest one younger than the rotation period, made if missing. */
  async current(): Promise<{ kid: string; key: CryptoKey }> {
    if (this.signer && Date.now() - this.signer.createdAt.getTime() < this.rotationMs) return this.signer;
    for (const doc of await this.docs(true)) {
      if (Date.now() - doc.createdAt.getTime() >= this.rotationMs) break;
      const key = this.decrypt(doc);
      if (key) {
        this.signer = { kid: doc._id, key: (await importJWK(key, JWT_ALG)) as CryptoKey, createdAt: doc.createdAt };
        return this.signer;
      }
    }
    return this.rotate();
  }

  /** Makes a new signing key (rotation); the previous ones stay published for verification. */
  async rotate(): Promise<{ kid: string; key: CryptoKey }> {
    const { publicKey, privateKey } = await generateKeyPair(JWT_ALG, { extractable: true });
    const kid = newId('kid');
    const doc: SigningKeyDocument = { _id: kid, alg: JWT_ALG, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: JWT_ALG, use: 'sig' }, privateJwk: this.encrypt(await exportJWK(privateKey)), createdAt: new Date() };
    await this.collection.insertOne(doc);
    this.loaded = undefined;
    this.signer = { kid, key: privateKey, createdAt: doc.createdAt };
    return this.signer;
  }

  /** Public key for a `kid`, reloading once when the kid is new (another gateway rotated). */
  async publicKey(kid: string): Promise<CryptoKey | undefined> {
    const cached = this.publicKeys.get(kid);
    if (cached) return cached;
    let doc = (await this.docs()).find((d) => d._id === kid);
    if (!doc && this.loaded && Date.now() - this.loaded.at > 1000) doc = (await this.docs(true)).find((d) => d._id === kid);
    if (!doc) return undefined;
    const key = (await importJWK(doc.publicJwk, JWT_ALG)) as CryptoKey;
    this.publicKeys.set(kid, key);
    return key;
  }

  /** The JWKS document (public keys only). */
  async jwks(fresh = false): Promise<{ keys: JWK[] }> {
    return { keys: (await this.docs(fresh)).map((d) => d.publicJwk) };
  }

  private encrypt(jwk: JWK): SealedSecret {
    return this.box.seal(JSON.stringify(jwk));
  }

  /** Undefined when the key was encrypted under another PRINCIPAL_SECRET (it is then only verified). */
  private decrypt(doc: SigningKeyDocument): JWK | undefined {
    const plain = this.box.open(doc.privateJwk);
    return plain === undefined ? undefined : (JSON.parse(plain) as JWK);
  }
}

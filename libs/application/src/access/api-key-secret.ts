import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * API key secrets: `tek_<prefix>_<secret>`, the prefix visible (it finds and names the key), the
 * secret 32 random bytes shown once and stored only as an scrypt hash. scrypt is in node:crypto, so
 * no native add-on is compiled for it, and it is memory-hard like argon2.
 */
const KEY_FORMAT = /^tek_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** N=2^15, r=8, p=1: about 30-60 ms a hash here; a verified key is then cached by its SHA-256. */
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const HASH_BYTES = 32;

export interface NewApiKey {
  readonly keyPrefix: string;
  /** The whole key, shown to its creator once. */
  readonly token: string;
  readonly secret: string;
}

export const generateApiKey = (): NewApiKey => {
  const bytes = randomBytes(8);
  const keyPrefix = [...bytes].map((b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join('');
  const secret = randomBytes(32).toString('base64url');
  return { keyPrefix, secret, token: `tek_${keyPrefix}_${secret}` };
};

export const parseApiKey = (token: string): { readonly keyPrefix: string; readonly secret: string } | undefined => {
  const match = KEY_FORMAT.exec(token);
  return match === null ? undefined : { keyPrefix: match[1]!, secret: match[2]! };
};

export const looksLikeApiKey = (token: string): boolean => token.startsWith('tek_');

const scryptAsync = (secret: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(secret, salt, HASH_BYTES, { ...params, maxmem: SCRYPT.maxmem }, (error, key) => (error === null ? resolve(key) : reject(error))),
  );

/** `scrypt$N$r$p$<salt>$<hash>`, base64url: the parameters travel with the hash so they can be raised later. */
export const hashSecret = async (secret: string): Promise<string> => {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
};

export const verifySecret = async (secret: string, encoded: string): Promise<boolean> => {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};

/** The cache key of a verified token: its SHA-256, so the cache never holds a secret. */
export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

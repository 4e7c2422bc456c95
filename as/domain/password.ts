import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with Node's built-in scrypt (memory-hard, so GPU guessing of a leaked hash is costly).
 * The stored form carries its own parameters (`scrypt$N$r$p$salt$key`), so they can be raised: a hash of
 * lower parameters still verifies, and `needsRehash` tells the login to store a new one.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * N = 2^17, r = 8: 128 MiB and a few hundred milliseconds per hash (OWASP's scrypt minimum), so each
 * guess against a leaked hash costs the same.
 */
export const CURRENT_PARAMS: Readonly<ScryptParams> = { N: 2 ** 17, r: 8, p: 1 };
/** Parameters this module used before (N = 2^14): still verified, rehashed at the next login. */
export const LEGACY_PARAMS: Readonly<ScryptParams> = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 64;
/** A stored hash asking for more than this is refused rather than allowed to take the process's memory. */
const MAX_MEMORY = 1024 * 1024 * 1024;

/** scrypt needs 128·N·r bytes (plus 128·r·p); Node refuses anything over `maxmem` (32 MiB by default). */
function memoryFor({ N, r, p }: ScryptParams): number {
  return 128 * r * (N + p + 2) + 1024 * 1024;
}

function derive(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: memoryFor(params) };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `params` other than the current ones are for tests and migrations only. */
export async function hashPassword(password: string, params: ScryptParams = CURRENT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, KEY_LENGTH, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Parsed {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const { N } = params;
  if (![N, params.r, params.p].every((x) => Number.isSafeInteger(x) && x > 0)) return null;
  if (N < 2 || (N & (N - 1)) !== 0 || memoryFor(params) > MAX_MEMORY) return null;
  const key = Buffer.from(keyText, 'base64');
  if (key.length === 0) return null;
  return { params, salt: Buffer.from(saltText, 'base64'), key };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (parsed === null) return false;
  const actual = await derive(password, parsed.salt, parsed.key.length, parsed.params);
  // Constant-time comparison so response timing does not reveal how many bytes matched.
  return timingSafeEqual(actual, parsed.key);
}

/** A stored hash made with weaker parameters than the current ones (or another key length). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (parsed === null) return false;
  const { N, r, p } = parsed.params;
  return (
    N < CURRENT_PARAMS.N || r < CURRENT_PARAMS.r || p < CURRENT_PARAMS.p || parsed.key.length !== KEY_LENGTH
  );
}

/** A hash of a random password, compared against when the login is unknown, so unknown and known logins take the same time. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

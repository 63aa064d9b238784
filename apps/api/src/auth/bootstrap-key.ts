import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes the first admin key where only its owner can read it (0600, its folder 0700 when we create
 * it). The secret goes to this file and nowhere else: never to a log.
 */
export const writeBootstrapKey = (path: string, token: string): void => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // A new file (never one planted before, nor a link's target), then renamed over the path.
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, path);
};

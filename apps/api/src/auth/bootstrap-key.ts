import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes the first admin key where only its owner can read it (0600, its folder 0700 when we create
 * it). The secret goes to this file and nowhere else: never to a log.
 */
export const writeBootstrapKey = (path: string, token: string): void => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  // writeFileSync keeps the mode of a file that already existed: make sure.
  chmodSync(path, 0o600);
};

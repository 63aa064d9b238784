import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

/** One file of the console, read once at start-up: the bundle is small (well under a megabyte). */
export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
  /** Hashed asset names never change content, so browsers may keep them; index.html is always revalidated. */
  readonly cacheControl: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Where `npm run build` put the console: dist/web. From the compiled server (dist/apps/api/src/web) and
 * from the sources under jest (apps/api/src/web) it is four folders up, then web or dist/web.
 */
export const consoleDir = (): string | undefined => {
  const root = join(__dirname, '..', '..', '..', '..');
  return [join(root, 'web'), join(root, 'dist', 'web')].find((dir) => existsSync(join(dir, 'index.html')));
};

/**
 * The console's files by URL path ("/" and "/assets/<name>"). Only names found at start-up are served,
 * looked up in a map: a request path is never joined onto the file system, so no traversal is possible.
 */
export const loadConsoleFiles = (dir: string | undefined): ReadonlyMap<string, ConsoleFile> => {
  const files = new Map<string, ConsoleFile>();
  if (dir === undefined) return files;
  files.set('/', { body: readFileSync(join(dir, 'index.html')), contentType: TYPES['.html']!, cacheControl: 'no-cache' });
  const assets = join(dir, 'assets');
  if (!existsSync(assets)) return files;
  for (const name of readdirSync(assets)) {
    const type = TYPES[extname(name)];
    if (type === undefined || !/^[\w.-]+$/.test(name)) continue;
    files.set(`/assets/${name}`, {
      body: readFileSync(join(assets, name)),
      contentType: type,
      cacheControl: 'public, max-age=31536000, immutable',
    });
  }
  return files;
};

// Builds the web console into dist/web: one hashed script and style sheet, and index.html naming them.
// No inline script or style, so it runs under the API's Content-Security-Policy (script-src 'self').
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'dist', 'web');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: [join(here, 'src', 'main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
const script = outputs.find((name) => name.endsWith('.js'));
const style = outputs.find((name) => name.endsWith('.css'));
if (script === undefined || style === undefined) throw new Error(`the console build made no script or style sheet: ${outputs.join(', ')}`);
const html = readFileSync(join(here, 'index.html'), 'utf8').replace('%SCRIPT%', `/assets/${script}`).replace('%STYLE%', `/assets/${style}`);
writeFileSync(join(out, 'index.html'), html);
const size = Object.values(result.metafile.outputs).reduce((total, output) => total + output.bytes, 0);
console.log(`web console: dist/web (${script}, ${style}; ${Math.round(size / 1024)} kB)`);

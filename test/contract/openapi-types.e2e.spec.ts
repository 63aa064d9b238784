import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestApp, TestApp } from '@treasury/test-support';

/**
 * Client types generated from the live document (the openapi-typescript CLI: its Node API is ESM-only,
 * which jest's CommonJS runtime cannot load) must carry the real
 * answers: test/contract/sample-client.ts, which reads position.holdings.btc as a string, narrows events
 * by type and sends a command, compiles against them with the TypeScript compiler (strict).
 */
const compile = (dir: string, files: Record<string, string>): ReadonlyArray<string> => {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const program = ts.createProgram(
    Object.keys(files).map((name) => join(dir, name)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: false,
      noUncheckedIndexedAccess: true,
    },
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName.replace(dir, '') ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
};

describe('types generated from the OpenAPI document', () => {
  let app: TestApp;
  let dir: string;
  let generated: string;
  const sampleClient = readFileSync(join(__dirname, 'sample-client.ts'), 'utf8');

  beforeAll(async () => {
    app = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'openapi-types-'));
    const document = (await app.http.as(undefined).get('/docs/openapi.json')).body;
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    const cli = join(__dirname, '../../node_modules/openapi-typescript/bin/cli.js');
    await promisify(execFile)(process.execPath, [cli, join(dir, 'openapi.json'), '--output', join(dir, 'generated.ts')], {
      timeout: 60_000,
    });
    generated = readFileSync(join(dir, 'generated.ts'), 'utf8');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await app.dispose();
  });

  it('type the answers with their fields (no Record<string, never>)', () => {
    expect(generated).toMatch(/Position: \{/);
    const position = generated.slice(generated.indexOf('Position: {'), generated.indexOf('Position: {') + 2000);
    expect(position).toMatch(/holdings: \{[^}]*btc: string;/);
  });

  it('compile the sample client', () => {
    expect(compile(dir, { 'openapi-types.ts': generated, 'sample-client.ts': sampleClient })).toEqual([]);
  });

  it('refuse a client that misreads a field (the compile can fail)', () => {
    const wrong = `${sampleClient}\nexport const wrong = async (api: ReturnType<typeof client>) => { const n: number = (await api.position('b')).holdings.btc; return n; };\n`;
    expect(compile(dir, { 'openapi-types.ts': generated, 'sample-client.ts': wrong }).join('\n')).toMatch(
      /not assignable to type 'number'/,
    );
    const untyped = generated.replace(/Position: \{[\s\S]*?\n {8}\};/, 'Position: Record<string, never>;');
    expect(untyped).not.toEqual(generated);
    expect(compile(dir, { 'openapi-types.ts': untyped, 'sample-client.ts': sampleClient }).join('\n')).toMatch(/holdings/);
  });
});

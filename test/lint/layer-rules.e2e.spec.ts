import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The layer zones of eslint.config.mjs, run through ESLint itself on snippets placed at real paths:
 * an import across layers fails whether it is written as an alias or as a relative path, at any depth.
 */
const ZONES = 'treasury/layer-zones';
type Case = { readonly at: string; readonly code: string };
const importing = (source: string): string => `import { thing } from '${source}';\nexport const used = thing;\n`;

const refused: ReadonlyArray<Case> = [
  { at: 'libs/domain/src/probe.ts', code: importing('../../application/src/commands/book-command.service') },
  { at: 'libs/domain/src/deep/er/probe.ts', code: importing('../../../../application') },
  { at: 'libs/domain/src/probe.ts', code: importing('../../../libs/projections/src') },
  { at: 'libs/domain/src/probe.ts', code: importing('@treasury/application') },
  { at: 'libs/domain/src/probe.ts', code: `export * from '../../projections/src/index';\n` },
  { at: 'libs/domain/src/probe.ts', code: `export const lazy = () => import('../../application/src');\n` },
  { at: 'libs/domain/src/probe.ts', code: `export const eager = require('../../application/src');\n` },
  { at: 'libs/domain/src/probe.ts', code: `import type { Thing } from '../../application/src';\nexport type Same = Thing;\n` },
  { at: 'libs/domain/src/probe.ts', code: importing('../../../test/support/test-app') },
  { at: 'libs/projections/src/book/probe.ts', code: importing('../../../application/src/projections/position-projector') },
  { at: 'libs/projections/src/probe.ts', code: importing('@treasury/event-store') },
  { at: 'libs/application/src/probe.ts', code: importing('@treasury/event-store-sqlite') },
  { at: 'libs/application/src/probe.ts', code: importing('../../event-store-sqlite/src') },
  { at: 'libs/application/src/probe.ts', code: importing('@treasury/startup') },
  { at: 'libs/event-store/src/probe.ts', code: importing('@treasury/domain') },
  { at: 'libs/event-store-sqlite/src/probe.ts', code: importing('../../application/src') },
  { at: 'libs/startup/src/probe.ts', code: importing('../../../apps/api/src/config/app-config') },
  { at: 'apps/cli/src/probe.ts', code: importing('../../api/src/config/app-config') },
  { at: 'apps/bench/src/probe.ts', code: importing('../../api/src/app.factory') },
  { at: 'apps/api/src/probe.ts', code: importing('../../cli/src/import-commands') },
  { at: 'apps/web/src/probe.ts', code: importing('../../../libs/domain/src') },
  { at: 'apps/web/src/probe.ts', code: importing('../../api/src/docs/openapi') },
  // A spec may wire adapters, never reach into an app.
  { at: 'libs/application/src/probe.int.spec.ts', code: importing('../../../apps/api/src/config/app-config') },
  // A new folder gets a zone before it gets code.
  { at: 'libs/newcomer/src/probe.ts', code: importing('./anything') },
];

const allowed: ReadonlyArray<Case> = [
  { at: 'libs/domain/src/probe.ts', code: importing('./money/btc-amount') },
  { at: 'libs/projections/src/book/probe.ts', code: importing('@treasury/domain') },
  { at: 'libs/projections/src/book/probe.ts', code: importing('../bitemporal/upper-bound') },
  { at: 'libs/application/src/probe.ts', code: importing('@treasury/event-store') },
  { at: 'libs/application/src/probe.ts', code: importing('../../projections/src') },
  { at: 'libs/projection-snapshots-file/src/probe.ts', code: importing('@treasury/application') },
  { at: 'libs/startup/src/probe.ts', code: importing('@treasury/event-store-sqlite') },
  { at: 'apps/api/src/probe.ts', code: importing('@treasury/event-store-sqlite') },
  { at: 'apps/cli/src/probe.ts', code: importing('@treasury/startup') },
  { at: 'apps/cli/src/import-csv/probe.ts', code: importing('../../profiles/pool-payouts.json') },
  { at: 'apps/bench/src/probe.ts', code: importing('../../cli/src/import-commands') },
  { at: 'apps/web/src/pages/probe.ts', code: importing('../api') },
  { at: 'libs/application/src/probe.int.spec.ts', code: importing('@treasury/event-store-sqlite') },
  // test/ is outside the zones: end-to-end tests reach anywhere.
  { at: 'test/api/probe.ts', code: importing('../../apps/api/src/config/app-config') },
];

const lint = (cases: ReadonlyArray<Case>): ReadonlyArray<ReadonlyArray<[string | null, string]>> => {
  const script = join(__dirname, 'lint-snippets.mjs');
  const input = JSON.stringify(cases.map(({ at, code }) => ({ filePath: at, code })));
  const run = spawnSync(process.execPath, [script], { input, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`lint-snippets failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
};

describe('layer zones (eslint.config.mjs)', () => {
  const results = lint([...refused, ...allowed]);

  it.each(refused.map((c, i) => [c.at, c.code.split('\n')[0], i] as const))('%s refuses %s', (_at, _line, i) => {
    expect(results[i]!.map(([rule]) => rule)).toContain(ZONES);
  });

  it.each(allowed.map((c, i) => [c.at, c.code.split('\n')[0], refused.length + i] as const))('%s allows %s', (_at, _line, i) => {
    expect(results[i]).toEqual([]);
  });

  it('names both folders in the message', () => {
    const cli = refused.findIndex((c) => c.at.startsWith('apps/cli/'));
    expect(results[cli]!.find(([rule]) => rule === ZONES)?.[1]).toMatch(/^apps\/cli may not import apps\/api /);
  });
});

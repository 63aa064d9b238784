// Lets a plain `node` child process (no build, no jest) load this repository's TypeScript sources:
// `.ts` files are stripped of types by swc, and the `@treasury/*` aliases of tsconfig.json resolve.
// Used by tests that need a second *process* on the same database file.
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const root = join(__dirname, '..', '..', '..', '..');
const { compilerOptions } = require(join(root, 'tsconfig.json'));
const aliases = Object.entries(compilerOptions.paths)
  .filter(([alias]) => !alias.endsWith('/*'))
  .map(([alias, [target]]) => [alias, join(root, target)])
  .sort(([a], [b]) => b.length - a.length);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = aliases.find(([name]) => request === name || request.startsWith(`${name}/`));
  return resolveFilename.call(this, alias === undefined ? request : alias[1] + request.slice(alias[0].length), ...rest);
};

Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      target: 'es2022',
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

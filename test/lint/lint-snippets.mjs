// Lints snippets as if they sat at real paths, with the project's eslint.config.mjs: reads
// [{ filePath, code }] (paths relative to the root) as JSON on stdin, writes each one's [ruleId, message]s.
// A child process because jest cannot load an ES module config (no --experimental-vm-modules).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.mjs') });
const snippets = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const { filePath, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  results.push(result.messages.map((message) => [message.ruleId, message.message]));
}
process.stdout.write(JSON.stringify(results));

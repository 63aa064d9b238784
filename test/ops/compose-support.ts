import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** What the ops tests read: the repository's root. */
export const REPO = join(__dirname, '..', '..');

// The compose specification's own schema (see COMPOSE-SPEC-SOURCE.md), compiled once.
// strict: false because the schema uses keywords ajv does not know (`deprecated`). Its $schema names
// draft-07 by an https URI without the `#`, so ajv's own draft-07 meta-schema is registered under that name.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
const validateCompose = ajv.compile(JSON.parse(readFileSync(join(__dirname, 'compose-spec.json'), 'utf8')) as object);

/** The schema's complaints about a compose document, one line each; empty when it conforms. */
export const schemaErrors = (doc: unknown): ReadonlyArray<string> =>
  validateCompose(doc)
    ? []
    : (validateCompose.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

/**
 * Compose's variable interpolation (${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error},
 * ${VAR:+alt}, ${VAR+alt}, $VAR and $$), applied to every string of a parsed document. Nested defaults are
 * expanded. A `?` whose variable is missing throws its message, as `docker compose` refuses to start.
 */
export const interpolate = (value: unknown, env: Readonly<Record<string, string>>): unknown => {
  if (typeof value === 'string') return expand(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env)]));
  return value;
};

const expand = (text: string, env: Readonly<Record<string, string>>): string => {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      out += substitute(text.slice(i + 2, end), env);
      i = end + 1;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
      if (name === undefined) throw new Error(`a lone $ in "${text}" (write $$)`);
      out += env[name] ?? '';
      i += 1 + name.length;
    }
  }
  return out;
};

const closingBrace = (text: string, from: number): number => {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  throw new Error(`an unclosed \${ in "${text}"`);
};

const substitute = (body: string, env: Readonly<Record<string, string>>): string => {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (match === null) throw new Error(`not a variable: \${${body}}`);
  const [, name = '', operator, rest = ''] = match;
  const value = env[name];
  const unset = value === undefined;
  const empty = unset || value === '';
  switch (operator) {
    case undefined:
      return value ?? '';
    case ':-':
      return empty ? expand(rest, env) : value;
    case '-':
      return unset ? expand(rest, env) : value;
    case ':?':
    case '?':
      if (operator === ':?' ? empty : unset) throw new Error(`${name}: ${expand(rest, env)}`);
      return value ?? '';
    case ':+':
      return empty ? '' : expand(rest, env);
    default:
      return unset ? '' : expand(rest, env);
  }
};

/** A compose file parsed as `docker compose` reads it: YAML merge keys (<<: *anchor) applied. */
export const readCompose = (file: string): Record<string, unknown> =>
  parse(readFileSync(join(REPO, file), 'utf8'), { merge: true }) as Record<string, unknown>;

/** The KEY=value lines of an env file (comments and blank lines skipped; `# KEY=value` lines too). */
export const readEnvFile = (file: string): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(REPO, file), 'utf8').split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match !== null) env[match[1]!] = match[2]!;
  }
  return env;
};

export interface Service {
  readonly image?: string;
  readonly build?: unknown;
  readonly restart?: string;
  readonly healthcheck?: { readonly test?: unknown; readonly disable?: boolean };
  readonly ports?: ReadonlyArray<unknown>;
  readonly expose?: ReadonlyArray<unknown>;
  readonly network_mode?: string;
  readonly networks?: unknown;
  readonly environment?: Readonly<Record<string, unknown>>;
  readonly volumes?: ReadonlyArray<string>;
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>>;
  readonly entrypoint?: unknown;
}

export const servicesOf = (doc: Record<string, unknown>): Readonly<Record<string, Service>> =>
  doc.services as Readonly<Record<string, Service>>;

/** The named volume mounted at `target` in a service (short syntax `name:target[:mode]`), if any. */
export const volumeAt = (service: Service, target: string): string | undefined =>
  (service.volumes ?? []).map((mount) => mount.split(':')).find(([source, at]) => at === target && !source!.startsWith('.'))?.[0];

/** The volume mount (its target) that holds `path`, if any. */
export const mountHolding = (service: Service, path: string): string | undefined =>
  (service.volumes ?? []).map((mount) => mount.split(':')[1]!).find((target) => path.startsWith(`${target.replace(/\/$/, '')}/`));

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './compose-support';

/** One Dockerfile instruction, continuation lines joined, with the stage it belongs to. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly stage: number;
}

/** The Dockerfile's instructions (comments and parser directives dropped). */
export const readDockerfile = (file = 'Dockerfile'): ReadonlyArray<Instruction> => {
  const logical: string[] = [];
  let pending = '';
  for (const line of readFileSync(join(REPO, file), 'utf8').split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const text = line.replace(/\s+$/, '');
    if (text.endsWith('\\')) pending += `${text.slice(0, -1)} `;
    else {
      const whole = (pending + text).trim();
      pending = '';
      if (whole !== '') logical.push(whole);
    }
  }
  let stage = -1;
  return logical.map((text) => {
    const [keyword = '', ...rest] = text.split(/\s+/);
    if (keyword.toUpperCase() === 'FROM') stage++;
    return { keyword: keyword.toUpperCase(), args: rest.join(' '), stage };
  });
};

/** KEY=value pairs of ENV instructions (the `KEY=value KEY2=value2` form). */
export const envOf = (instructions: ReadonlyArray<Instruction>): Readonly<Record<string, string>> =>
  Object.fromEntries(
    instructions.filter((i) => i.keyword === 'ENV').flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
  );

/** An exec-form argument list (a JSON array), or undefined for the shell form. */
export const execForm = (args: string): ReadonlyArray<string> | undefined => {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
};

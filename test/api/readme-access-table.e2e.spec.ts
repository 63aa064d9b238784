import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_ACCESS, ROUTE_ACCESS } from '../../apps/api/src/auth/access-policy';

/** The README prints the access table; this keeps the printed one equal to the one the guard enforces. */
describe('README: who may do what', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Who may do what'), readme.indexOf('**The access log.**'));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

  it('lists every route with the role and scope the access table gives it', () => {
    const printed: Record<string, string> = {};
    for (const row of rows) {
      const [routes, role, on] = cells(row) as [string, string, string];
      if (!routes.includes('/')) continue;
      for (const route of codes(routes))
        printed[route.replace(/\{(\w+)\}/g, ':$1')] = role === 'public' ? 'public' : `${role.split(' ')[0]} ${on}`;
    }
    const scopeWords = {
      book: 'the book',
      'all-books': 'every book',
      'some-book': 'any book it holds (the answer covers only the books it holds; another book is a 404)',
    };
    const expected = Object.fromEntries(
      Object.entries(ROUTE_ACCESS).map(([route, rule]) => [
        route,
        'public' in rule ? 'public' : `${rule.role === 'per-command' ? 'the' : rule.role} ${scopeWords[rule.scope]}`,
      ]),
    );
    expect(printed).toEqual(expected);
  });

  it('lists every command with its role', () => {
    const printed: Record<string, string> = {};
    for (const row of rows) {
      const [commands, role] = cells(row) as [string, string];
      if (commands.includes('/')) continue;
      for (const command of codes(commands)) printed[command] = role.split(',')[0]!;
    }
    expect(printed).toEqual({ ...COMMAND_ACCESS });
  });
});

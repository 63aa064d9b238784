import { neutraliseFormula } from './events-csv';

describe('CSV cells a spreadsheet would run as formulas (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("https://evil.example","click")', `'=HYPERLINK("https://evil.example","click")`],
    ['+cmd|"/c calc"!A1', `'+cmd|"/c calc"!A1`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['\tindent', `'\tindent`],
    ['\rreturn', `'\rreturn`],
    ['-', `'-`],
  ])('%j gets a leading apostrophe', (cell, expected) => {
    expect(neutraliseFormula(cell)).toBe(expected);
  });

  it.each(['-125000.00', '+3', '-1', '0', '125000.00', 'pool-statement-2025-06', 'a=b', 'treasurer@acme', ''])(
    '%j is left as it is',
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(cell);
    },
  );
});

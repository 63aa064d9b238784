import * as E from 'fp-ts/Either';
import { MAX_CSV_ROWS, readCsv } from './read-csv';

describe('readCsv (csv-parse)', () => {
  it('drops a byte-order mark, honours quotes, and numbers rows as a spreadsheet does (blank lines count)', () => {
    const table = readCsv('\ufeffDate,Note\n2026-01-01,"a, b"\n\n2026-01-02,"two\nlines"\n2026-01-03,c\n', {});
    expect(table).toEqual(
      E.right({
        header: ['Date', 'Note'],
        headerRow: 1,
        rows: [
          { row: 2, cells: ['2026-01-01', 'a, b'] },
          { row: 4, cells: ['2026-01-02', 'two\nlines'] },
          { row: 5, cells: ['2026-01-03', 'c'] },
        ],
      }),
    );
  });

  it('skips preamble rows and takes another delimiter', () => {
    const table = readCsv('Statement\nAccount 1\nA;B\n1;2\n', { delimiter: ';', skipRows: 2 });
    expect(table).toEqual(E.right({ header: ['A', 'B'], headerRow: 3, rows: [{ row: 4, cells: ['1', '2'] }] }));
  });

  it('refuses a row wider or narrower than the header and an unclosed quote, by row', () => {
    expect(readCsv('A,B\n1,2\n1,2,3\n', {})).toEqual(E.left({ row: 3, message: 'not valid CSV: Invalid Record Length: expect 2, got 3' }));
    const unclosed = readCsv('A,B\n1,"2\n', {});
    expect(E.isLeft(unclosed) && unclosed.left).toMatchObject({ row: 2, message: expect.stringContaining('Quote Not Closed') });
    expect(readCsv('', {})).toEqual(E.left({ row: 1, message: 'the file has no header row' }));
  });

  it('refuses more rows than the bound', () => {
    const text = `A\n${'1\n'.repeat(MAX_CSV_ROWS + 1)}`;
    expect(readCsv(text, {})).toEqual(
      E.left({ row: MAX_CSV_ROWS + 2, message: `a file may hold at most ${MAX_CSV_ROWS} rows below its header: split it` }),
    );
    expect(E.isRight(readCsv(`A\n${'1\n'.repeat(MAX_CSV_ROWS)}`, {}))).toBe(true);
  });
});

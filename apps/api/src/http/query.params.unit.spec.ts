import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { toFieldErrors } from '@treasury/domain';
import { NO_QUERY, decodeQuery, optional, queryCodec, required } from './query.params';
import { instantValue, integerValue, logPositionValue, oneOfValue, queryTimeValue, textValue } from './query-values.params';
import { ProblemException } from './problem';
import { JournalQuery } from '../journal/journal.params';
import { MonthEndQuery } from '../reports/report.params';
import { EventsPageQuery } from '../events/event-filter.params';

const errorsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.errors;
    throw error;
  }
  throw new Error('no 400');
};

describe('query codecs', () => {
  const Example = queryCodec(
    'Example',
    {
      from: required(queryTimeValue('start'), 'First.', 'is required: a start'),
      limit: optional(integerValue(1, 10, 10)),
      method: optional(oneOfValue(['a', 'b'] as const)),
    },
    ({ limit, method }) => (limit === 1 && method === 'b' ? [{ path: 'method', message: 'b needs more than one' }] : []),
  );

  it('decodes strings into typed values', () => {
    expect(decodeQuery(Example, { from: '2026-01-31', limit: '3', method: 'b' })).toEqual({
      from: { date: { year: 2026, month: 1, day: 31 }, at: 'start' },
      limit: 3,
      method: 'b',
    });
    expect(decodeQuery(Example, { from: '2026-01-31T12:00:00+01:00' })).toEqual({ from: Date.UTC(2026, 0, 31, 11) });
    expect(decodeQuery(queryCodec('P', { at: optional(logPositionValue('bad')) }), { at: '9223372036854775807' })).toEqual({
      at: 2n ** 63n - 1n,
    });
    expect(decodeQuery(EventsPageQuery, { type: 'BookOpened,BtcSold', limit: '5' })).toEqual({ type: ['BookOpened', 'BtcSold'], limit: 5 });
    expect(decodeQuery(MonthEndQuery, { from: '2025-07', to: '2026-01' })).toEqual({
      from: { year: 2025, month: 7 },
      to: { year: 2026, month: 1 },
    });
  });

  it('names every failure at query.<name>: unknown names, missing, malformed, given twice, across parameters', () => {
    expect(errorsOf(() => decodeQuery(Example, { limt: '3', limit: '11', method: ['a', 'b'] }))).toEqual([
      { path: 'query.limt', message: 'is not a known parameter (known: from, limit, method)' },
      { path: 'query.from', message: 'is required: a start' },
      { path: 'query.limit', message: 'must be an integer from 1 to 10' },
      { path: 'query.method', message: 'must be one of a, b' },
    ]);
    expect(errorsOf(() => decodeQuery(Example, { from: '2026-02-30', limit: '1', method: 'b' }))).toEqual([
      { path: 'query.from', message: 'must be a date from 2009-01-03 to 2199-12-31 (YYYY-MM-DD, a day that exists) or an instant' },
      { path: 'query.method', message: 'b needs more than one' },
    ]);
    expect(errorsOf(() => decodeQuery(NO_QUERY, { x: '1' }))).toEqual([
      { path: 'query.x', message: 'is not a known parameter (known: none)' },
    ]);
    expect(errorsOf(() => decodeQuery(JournalQuery, { from: '2025-07-01', to: '2025-06-30' }))).toEqual([
      { path: 'query.to', message: 'must not be before from' },
    ]);
    expect(errorsOf(() => decodeQuery(MonthEndQuery, { from: '1900-01', to: '2026-01' }))).toEqual([
      { path: 'query.to', message: expect.stringMatching(/^at most \d+ months$/) },
    ]);
    expect(errorsOf(() => decodeQuery(EventsPageQuery, { type: 'Minted,BtcSold' }))).toEqual([
      { path: 'query.type', message: 'unknown event type "Minted"; comma-separate several' },
    ]);
  });

  it('an integer decodes exactly within its bounds and is refused outside them', () => {
    const codec = integerValue(1, 1000);
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), (n) => {
        const decoded = codec.decode(String(n));
        expect(E.isRight(decoded) ? decoded.right : 'refused').toEqual(n >= 1 && n <= 1000 ? n : 'refused');
      }),
    );
    expect(E.isLeft(codec.decode('1e3'))).toBe(true);
    expect(E.isLeft(codec.decode(' 5'))).toBe(true);
  });

  it('encodes back to the string it decoded', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2009-01-04T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }),
        (date) => {
          const text = date.toISOString();
          const decoded = instantValue.decode(text);
          expect(E.isRight(decoded) && instantValue.encode(decoded.right)).toBe(text);
          const day = text.slice(0, 10);
          const asDay = queryTimeValue('end').decode(day);
          expect(E.isRight(asDay) && queryTimeValue('end').encode(asDay.right)).toBe(day);
        },
      ),
    );
    const long = textValue(3).decode('abcd');
    expect(E.isLeft(long) && toFieldErrors(long.left)).toEqual([{ path: '', message: 'must be 1 to 3 printable characters, given once' }]);
  });
});

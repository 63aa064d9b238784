import * as E from 'fp-ts/Either';
import { bookCommandCodecs } from '../book/book.commands';
import { BookEventCodec } from '../book/book.events';
import { divRoundHalfEven, formatDecimal, parseDecimal } from '../money/decimal';
import { toFieldErrors } from './closed-object';
import { PositiveBtc, NonZeroSignedUsd } from './decimal-codecs';
import { Instant } from './instant';

const errorsOf = (result: E.Either<import('io-ts').Errors, unknown>) => (E.isLeft(result) ? toFieldErrors(result.left) : []);

describe('decimals', () => {
  it('parses and formats exactly, never through a float', () => {
    expect(parseDecimal('7474.62', 8)).toBe(747_462_000_000n);
    expect(parseDecimal('0.1', 2)).toBe(10n);
    expect(parseDecimal('-12.5', 2)).toBe(-1250n);
    expect(parseDecimal('1.123', 2)).toBeUndefined();
    expect(parseDecimal('1e5', 2)).toBeUndefined();
    expect(parseDecimal(' 1', 2)).toBeUndefined();
    expect(formatDecimal(5n, 8)).toBe('0.00000005');
    expect(formatDecimal(-1250n, 2)).toBe('-12.50');
    expect(formatDecimal(30_500_000_000n, 2)).toBe('305000000.00');
  });

  it('rounds half to even', () => {
    expect(divRoundHalfEven(5n, 2n)).toBe(2n);
    expect(divRoundHalfEven(7n, 2n)).toBe(4n);
    expect(divRoundHalfEven(-5n, 2n)).toBe(-2n);
    expect(divRoundHalfEven(10n, 3n)).toBe(3n);
    expect(divRoundHalfEven(20n, 3n)).toBe(7n);
  });
});

describe('amount codecs', () => {
  it('refuses JSON numbers, excess decimals and signs where they do not belong', () => {
    expect(PositiveBtc.decode('0.00000001')).toEqual(E.right(1n));
    for (const bad of [1.5, '1.000000001', '-1', '0', '0.00000000', 'abc', '', null]) {
      expect(E.isLeft(PositiveBtc.decode(bad))).toBe(true);
    }
    expect(NonZeroSignedUsd.decode('-125000.00')).toEqual(E.right(-12_500_000n));
    expect(E.isLeft(NonZeroSignedUsd.decode('0.00'))).toBe(true);
  });

  it('requires instants with a time zone', () => {
    expect(Instant.decode('2026-01-31T23:59:59Z')).toEqual(E.right(Date.parse('2026-01-31T23:59:59Z')));
    expect(Instant.decode('2026-01-31T23:59:59+02:00')).toEqual(E.right(Date.parse('2026-01-31T21:59:59Z')));
    for (const bad of ['2026-01-31T23:59:59', '2026-01-31', '2026-02-30T00:00:00Z', 1738368000000]) {
      expect(E.isLeft(Instant.decode(bad))).toBe(true);
    }
  });
});

describe('command codecs', () => {
  it('lists every failing field by path: missing, unknown, wrong type', () => {
    const errors = errorsOf(bookCommandCodecs['record-btc-sale'].decode({ wallet: 'hot', btc: 1.5, proceedUsd: '10.00' }));
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'proceedUsd', message: 'is not a known field' },
        { path: 'effectiveAt', message: 'is required' },
        { path: 'proceedsUsd', message: 'is required' },
        { path: 'btc', message: expect.stringContaining('decimal string in BTC with at most 8 decimals') },
      ]),
    );
    expect(errors).toHaveLength(4);
  });

  it('refuses a body that is not an object', () => {
    expect(errorsOf(bookCommandCodecs['open-book'].decode([]))).toEqual([{ path: '', message: 'must be a JSON object' }]);
  });
});

describe('event codec', () => {
  it('round-trips every amount exactly through its stored JSON form', () => {
    const stored = {
      type: 'CollateralLiquidated',
      effectiveAt: '2026-02-07T12:00:00.000Z',
      loanId: 'l',
      wallet: 'w',
      btc: '4451.00000000',
      proceedsUsd: '305000000.00',
      interestAppliedUsd: '0.00',
      principalAppliedUsd: '305000000.00',
      excessUsd: '0.00',
      cashAccount: 'operating',
    };
    const decoded = BookEventCodec.decode(stored);
    expect(E.isRight(decoded) && BookEventCodec.encode(decoded.right)).toEqual(stored);
    expect(E.isLeft(BookEventCodec.decode({ ...stored, type: 'Nope' }))).toBe(true);
    expect(E.isLeft(BookEventCodec.decode({ ...stored, extra: 1 }))).toBe(true);
  });
});

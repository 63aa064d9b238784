import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { bookCommandCodecs } from '../book/book.commands';
import { BookEventCodec } from '../book/book.events';
import { toFieldErrors } from './closed-object';
import {
  NonNegativeBtc,
  NonNegativeRatio,
  NonNegativeUsd,
  NonZeroSignedUsd,
  PositiveBtc,
  PositiveRatio,
  PositiveUsd,
  StoredPositiveBtc,
  StoredPositiveUsd,
  UsdPerBtc,
} from './decimal-codecs';
import { StoredText, Text } from './names';
import { schemaOf } from './schema-registry';

const messagesOf = (codec: t.Mixed, u: unknown): ReadonlyArray<string> => {
  const decoded = codec.decode(u);
  return E.isLeft(decoded) ? toFieldErrors(decoded.left).map((e) => e.message) : [];
};

describe('amount bounds: the largest accepted value passes, one unit more is refused', () => {
  const cases: ReadonlyArray<[string, t.Type<bigint, string, unknown>, string, bigint, string, string]> = [
    [
      'PositiveBtc',
      PositiveBtc,
      '21000000',
      2_100_000_000_000_000n,
      '21000000.00000001',
      'must be at most 21000000.00000000 BTC (no more BTC than can ever exist)',
    ],
    [
      'NonNegativeBtc',
      NonNegativeBtc,
      '21000000.00000000',
      2_100_000_000_000_000n,
      '21000000.00000001',
      'must be at most 21000000.00000000 BTC',
    ],
    ['PositiveUsd', PositiveUsd, '10000000000.00', 1_000_000_000_000n, '10000000000.01', 'must be at most 10000000000.00 USD'],
    ['NonNegativeUsd', NonNegativeUsd, '10000000000', 1_000_000_000_000n, '10000000000.01', 'must be at most 10000000000.00 USD'],
    [
      'NonZeroSignedUsd (inflow)',
      NonZeroSignedUsd,
      '10000000000.00',
      1_000_000_000_000n,
      '10000000000.01',
      'must be from -10000000000.00 to 10000000000.00 USD',
    ],
    [
      'NonZeroSignedUsd (outflow)',
      NonZeroSignedUsd,
      '-10000000000.00',
      -1_000_000_000_000n,
      '-10000000000.01',
      'must be from -10000000000.00 to 10000000000.00 USD',
    ],
    [
      'UsdPerBtc',
      UsdPerBtc,
      '10000000.00',
      1_000_000_000n,
      '10000000.01',
      'must be at most 10000000.00 USD (a BTC price beyond it is a typo)',
    ],
    ['NonNegativeRatio', NonNegativeRatio, '10', 10_000_000n, '10.000001', 'must be at most 10.000000 ratio units (1,000%)'],
    ['PositiveRatio', PositiveRatio, '10.000000', 10_000_000n, '10.000001', 'must be at most 10.000000 ratio units (1,000%)'],
  ];

  it.each(cases)('%s', (_, codec, largest, units, oneMore, message) => {
    expect(codec.decode(largest)).toEqual(E.right(units));
    expect(codec.decode(codec.encode(units))).toEqual(E.right(units));
    expect(messagesOf(codec, oneMore)).toEqual([expect.stringContaining(message)]);
    expect(codec.is(units)).toBe(true);
    expect(codec.is(units > 0n ? units + 1n : units - 1n)).toBe(false);
  });

  it('keeps the format rules: the smallest positive amounts, no JSON numbers, no sign where none belongs', () => {
    expect(PositiveBtc.decode('0.00000001')).toEqual(E.right(1n));
    expect(PositiveUsd.decode('0.01')).toEqual(E.right(1n));
    expect(NonZeroSignedUsd.decode('-0.01')).toEqual(E.right(-1n));
    for (const bad of [21000000, '0', '-1', '1e6', ' 1', '+1', '1.000000001']) {
      expect(messagesOf(PositiveBtc, bad)).toEqual([expect.stringMatching(/^must be a decimal string in BTC with at most 8 decimals/)]);
    }
  });

  it('refuses a string longer than the largest value needs before parsing it', () => {
    // 17 characters is "21000000.00000000": a leading zero more is refused by length, as is a 10,000-digit number.
    expect(PositiveBtc.decode('1000000.00000000')).toEqual(E.right(100_000_000_000_000n));
    expect(messagesOf(PositiveBtc, '021000000.0000000')).toEqual(['must have at most 8 digits before the decimal point']);
    expect(messagesOf(PositiveBtc, '00000001')).toEqual([]);
    expect(messagesOf(PositiveBtc, '0021000000.0000000')).toEqual([expect.stringMatching(/^must be at most 17 characters long/)]);
    expect(messagesOf(PositiveBtc, '9'.repeat(10_000))).toEqual([expect.stringMatching(/^must be at most 17 characters long/)]);
    expect(messagesOf(PositiveUsd, '1'.repeat(15))).toEqual([expect.stringMatching(/^must be at most 14 characters long/)]);
    expect(messagesOf(NonZeroSignedUsd, '-10000000000.00')).toEqual([]);
    expect(messagesOf(NonZeroSignedUsd, '-010000000000.00')).toEqual([expect.stringMatching(/^must be at most 15 characters long/)]);
    expect(messagesOf(UsdPerBtc, '010000000.00')).toEqual([expect.stringMatching(/^must be at most 11 characters long/)]);
    expect(messagesOf(PositiveRatio, '010.000000')).toEqual([expect.stringMatching(/^must be at most 9 characters long/)]);
  });

  it('states each maximum in the OpenAPI schema: description, digit counts in the pattern and maxLength', () => {
    expect(schemaOf(PositiveBtc)).toMatchObject({
      pattern: '^\\d{1,8}(\\.\\d{1,8})?$',
      maxLength: 17,
      description: expect.stringContaining('at most 21000000.00000000 BTC'),
    });
    expect(schemaOf(NonZeroSignedUsd)).toMatchObject({
      pattern: '^-?\\d{1,11}(\\.\\d{1,2})?$',
      maxLength: 15,
      description: expect.stringContaining('from -10000000000.00 to 10000000000.00 USD'),
    });
    expect(schemaOf(UsdPerBtc)).toMatchObject({ maxLength: 11, description: expect.stringContaining('at most 10000000.00 USD') });
    expect(schemaOf(PositiveRatio)).toMatchObject({ maxLength: 9, description: expect.stringContaining('at most 10.000000 ratio units') });
  });

  it('accepts an in-range value exactly when its OpenAPI pattern and maxLength do', () => {
    // Every string here is a value within the bound and of the right sign; only how it is written varies.
    const written: ReadonlyArray<[t.Mixed, ReadonlyArray<string>]> = [
      [PositiveBtc, ['1', '01', '00000001', '000000001', '21000000', '021000000', '1.5', '0.00000001', '1.000000010', '1.']],
      [NonZeroSignedUsd, ['-1', '-01', '-00000000001', '-000000000001', '-10000000000.00', '5.5', '-0.001']],
      [UsdPerBtc, ['10000000.00', '010000000', '00000001.00', '1.0']],
      [PositiveRatio, ['10', '010', '010.5', '0.000001', '.5']],
    ];
    for (const [codec, texts] of written) {
      const { pattern, maxLength } = schemaOf(codec)!;
      for (const text of texts) {
        const bySchema = new RegExp(String(pattern)).test(text) && text.length <= Number(maxLength);
        expect([text, E.isRight(codec.decode(text))]).toEqual([text, bySchema]);
      }
    }
  });

  it('names the failing field of a command', () => {
    const sale = {
      effectiveAt: '2026-01-01T00:00:00Z',
      wallet: 'hot',
      btc: '21000000.00000001',
      proceedsUsd: '10000000000.01',
      memo: 'ok',
    };
    const decoded = bookCommandCodecs['record-btc-sale'].decode(sale);
    expect(E.isLeft(decoded) && toFieldErrors(decoded.left)).toEqual([
      { path: 'btc', message: expect.stringContaining('at most 21000000.00000000 BTC') },
      { path: 'proceedsUsd', message: expect.stringContaining('at most 10000000000.00 USD') },
    ]);
    const price = bookCommandCodecs['record-btc-price'].decode({ effectiveAt: '2026-01-01T00:00:00Z', usdPerBtc: '10000000.01' });
    expect(E.isLeft(price) && toFieldErrors(price.left)).toEqual([
      { path: 'usdPerBtc', message: expect.stringContaining('at most 10000000.00 USD') },
    ]);
  });
});

describe('free text', () => {
  const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
  const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e'];
  const hex = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

  it('refuses every bidirectional override, isolate and mark, naming it', () => {
    for (const ch of BIDI) {
      expect(messagesOf(Text, `invoice ${ch}fdp.exe`)).toEqual([
        `must not contain bidirectional control characters (found ${hex(ch)}): they make text display in another order than it is stored`,
      ]);
    }
  });

  it('refuses every zero-width character, naming it', () => {
    for (const ch of ZERO_WIDTH) {
      expect(messagesOf(Text, `Coin${ch}base`)).toEqual([
        `must not contain zero-width characters (found ${hex(ch)}): they make different text look the same`,
      ]);
    }
  });

  it('refuses lone surrogates but accepts surrogate pairs', () => {
    expect(messagesOf(Text, 'a\ud800b')).toEqual(['must be well-formed Unicode (found a lone surrogate U+D800)']);
    expect(messagesOf(Text, 'ends high \ud83d')).toEqual(['must be well-formed Unicode (found a lone surrogate U+D83D)']);
    expect(messagesOf(Text, '\ude00 starts low')).toEqual(['must be well-formed Unicode (found a lone surrogate U+DE00)']);
    expect(Text.decode('mined ⛏️ 😀')).toEqual(E.right('mined ⛏️ 😀'));
  });

  it('refuses control characters (C0, DEL, C1) and line breaks, and blank text', () => {
    for (const ch of ['\n', '\t', '\u0000', '\u007f', '\u0085', '\u009f', '\u2028', '\u2029']) {
      expect(messagesOf(Text, `a${ch}b`)).toEqual([
        `must be 1 to 500 printable characters, not blank (found the control character or line break ${hex(ch)})`,
      ]);
    }
    for (const blank of ['', ' ', '\u00a0\u3000'])
      expect(messagesOf(Text, blank)).toEqual(['must be 1 to 500 printable characters, not blank']);
  });

  it('accepts text in any script, right-to-left included, up to 500 code points', () => {
    for (const text of ['Crédit Agricole', 'בנק הפועלים', 'مصرف أبوظبي', '株式会社', 'a'.repeat(500), '😀'.repeat(500)]) {
      expect(Text.decode(text)).toEqual(E.right(text));
    }
    expect(messagesOf(Text, 'a'.repeat(501))).toEqual(['must be 1 to 500 printable characters, not blank']);
    expect(messagesOf(Text, '😀'.repeat(501))).toEqual(['must be 1 to 500 printable characters, not blank']);
    expect(messagesOf(Text, 42)).toEqual(['must be 1 to 500 printable characters, not blank']);
  });

  it('names the failing field of a command', () => {
    const decoded = bookCommandCodecs['draw-loan'].decode({
      effectiveAt: '2026-01-01T00:00:00Z',
      loanId: 'l',
      lender: 'Gal\u200baxy',
      principalUsd: '1.00',
      annualRate: '0',
      marginCallLtv: '0.7',
      liquidationLtv: '0.8',
      reference: 'ref\u202e1',
      memo: 'x\ud800',
    });
    expect(E.isLeft(decoded) && toFieldErrors(decoded.left).map((e) => e.path)).toEqual(['lender', 'reference', 'memo']);
  });

  it('states the rule in the OpenAPI schema', () => {
    expect(schemaOf(Text)).toMatchObject({
      minLength: 1,
      maxLength: 500,
      description: expect.stringContaining('bidirectional controls (U+061C'),
    });
    const pattern = new RegExp(String(schemaOf(Text)!.pattern), 'u');
    expect(pattern.test('Coinbase Prime')).toBe(true);
    for (const ch of [...BIDI, ...ZERO_WIDTH, '\n']) expect(pattern.test(`a${ch}b`)).toBe(false);
  });
});

describe('stored events keep decoding: the bounds are on commands only', () => {
  it('reads an event written before the bounds, with amounts, instants and text they now refuse', () => {
    const stored = {
      type: 'MiningOutputReceived',
      effectiveAt: '1970-01-01T00:00:00.000Z',
      wallet: 'hot',
      btc: '30000000.00000000',
      usdPerBtc: '99999999999.00',
      periodStart: '0099-01-01T00:00:00.000Z',
      periodEnd: '9999-12-31T00:00:00.000Z',
      memo: 'statement \u202ecod.exe\u200b',
    };
    const decoded = BookEventCodec.decode(stored);
    expect(E.isRight(decoded) && BookEventCodec.encode(decoded.right)).toEqual(stored);
    expect(StoredPositiveBtc.decode('30000000')).toEqual(E.right(3_000_000_000_000_000n));
    expect(StoredPositiveUsd.decode('1'.repeat(30))).toEqual(E.right(BigInt('1'.repeat(30)) * 100n));
    expect(E.isRight(StoredText.decode('😀'.repeat(500)))).toBe(true);
  });
});

import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { ClosedObjectType, toFieldErrors } from '../codecs/closed-object';
import {
  NonNegativeBtc,
  NonNegativeRatio,
  NonNegativeUsd,
  NonZeroSignedUsd,
  PositiveBtc,
  PositiveRatio,
  PositiveUsd,
  StoredNonNegativeBtc,
  StoredNonNegativeRatio,
  StoredNonNegativeUsd,
  StoredNonZeroSignedUsd,
  StoredPositiveBtc,
  StoredPositiveRatio,
  StoredPositiveUsd,
  UsdPerBtc,
} from '../codecs/decimal-codecs';
import { Instant, StoredInstant } from '../codecs/instant';
import { CashAccount, EventId, LoanId, StoredText, Text, WalletName } from '../codecs/names';
import { formatDecimal } from '../money/decimal';
import { BookCommandName, bookCommandCodecs } from './book.commands';
import { ReportSource } from './book.events';
import { Flag, MAX_PROPOSAL_LIFETIME_HOURS, ProposalLifetimeHours } from './approval.codecs';
import { AmendReplacement, MAX_REPLACEMENT_CHARS } from './amend.codecs';
import { PriceMaxAgeSeconds, StoredPriceMaxAgeSeconds } from './risk.codecs';
import { StoredTimeZone, TimeZone } from '../calendar/time-zone';
import { ReportScope } from './report-scope';
import { BookMode } from './migration.codecs';
import { DayCountCodec } from '../loans/day-count';
import { BalanceSheetCategories, CashAccounts, ExpenseAccounts, ProductionCostCategories, RoleAccounts } from './accounting.codecs';
import { LogPosition, WebhookId, WebhookSecret, WebhookUrl } from './webhook.codecs';

/**
 * Properties of every command codec, over bodies mixing valid fields, values at and just past each
 * bound, malformed values and unknown fields. The bounds are written out here independently of
 * codecs/bounds.ts, so a bound loosened by mistake fails this test.
 */

type Leaf = t.Mixed;

const BTC = 2_100_000_000_000_000n; // 21,000,000 BTC in satoshis
const USD = 1_000_000_000_000n; // $10,000,000,000.00 in cents
const PRICE = 1_000_000_000n; // $10,000,000.00 in cents
const RATIO = 10_000_000n; // 10 in micros

interface AmountRule {
  readonly scale: number;
  readonly min: bigint;
  readonly max: bigint;
  readonly stored: Leaf;
}
const amounts = new Map<Leaf, AmountRule>([
  [PositiveBtc, { scale: 8, min: 1n, max: BTC, stored: StoredPositiveBtc }],
  [NonNegativeBtc, { scale: 8, min: 0n, max: BTC, stored: StoredNonNegativeBtc }],
  [PositiveUsd, { scale: 2, min: 1n, max: USD, stored: StoredPositiveUsd }],
  [NonNegativeUsd, { scale: 2, min: 0n, max: USD, stored: StoredNonNegativeUsd }],
  [NonZeroSignedUsd, { scale: 2, min: -USD, max: USD, stored: StoredNonZeroSignedUsd }],
  [UsdPerBtc, { scale: 2, min: 1n, max: PRICE, stored: StoredPositiveUsd }],
  [NonNegativeRatio, { scale: 6, min: 0n, max: RATIO, stored: StoredNonNegativeRatio }],
  [PositiveRatio, { scale: 6, min: 1n, max: RATIO, stored: StoredPositiveRatio }],
]);

const GENESIS = Date.parse('2009-01-03T18:15:05Z');
const END = Date.parse('2200-01-01T00:00:00Z');
const FORBIDDEN_IN_TEXT =
  // eslint-disable-next-line no-control-regex -- the characters free text must never carry
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u180e\u200b-\u200d\u2060\ufeff]|[\ud800-\udfff]/u;

const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
);

/** Decimal strings: in range (sometimes without trailing zeros, sometimes with a leading zero), at the edges, or any digits. */
const decimalText = ({ scale, min, max }: AmountRule): fc.Arbitrary<unknown> => {
  const written = (units: bigint, trim: boolean, leadingZero: boolean) => {
    let text = formatDecimal(units, scale);
    if (trim) text = text.replace(/\.?0+$/, '') || '0';
    return leadingZero ? text.replace(/^(-?)/, '$10') : text;
  };
  const edges = [min - 1n, min, min + 1n, -1n, 0n, 1n, max - 1n, max, max + 1n, -max - 1n, -max];
  return fc.oneof(
    { weight: 30, arbitrary: fc.tuple(fc.bigInt({ min, max }), fc.boolean()).map(([u, trim]) => written(u, trim, false)) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...edges), fc.boolean()).map(([u, trim]) => written(u, trim, false)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.bigInt({ min: min - 2n, max: max + 2n }), fc.boolean()).map(([u, trim]) => written(u, trim, true)),
    },
    { weight: 1, arbitrary: fc.stringMatching(/^-?\d{1,25}(\.\d{1,10})?$/) },
    { weight: 1, arbitrary: junk },
  );
};

const forbiddenChars = [
  '\u202e',
  '\u2066',
  '\u200e',
  '\u061c',
  '\u200b',
  '\ufeff',
  '\u180e',
  '\u2060',
  '\ud800',
  '\udfff',
  '\n',
  '\u0085',
  '\u2028',
];
const textValue = fc.oneof(
  { weight: 30, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...forbiddenChars), fc.string({ maxLength: 10 }))
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 499, max: 501 }), fc.constantFrom('a', '😀')).map(([n, ch]) => ch.repeat(n)) },
  { weight: 1, arbitrary: junk },
);

const instantValue = fc.oneof(
  {
    weight: 30,
    arbitrary: fc
      .date({ min: new Date('2005-01-01T00:00:00Z'), max: new Date('2210-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2009-01-03T18:15:05Z',
      '2009-01-03T18:15:04.999Z',
      '2199-12-31T23:59:59.999Z',
      '2200-01-01T00:00:00Z',
      '0099-06-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2026-02-30T00:00:00Z',
      '2026-01-31T00:00:00',
    ),
  },
  { weight: 1, arbitrary: junk },
);

const validIdentifier = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,12}$/);
const identifier = fc.oneof({ weight: 30, arbitrary: validIdentifier }, { weight: 1, arbitrary: junk });

const leafValues = new Map<Leaf, fc.Arbitrary<unknown>>([
  ...[...amounts].map(([codec, rule]) => [codec, decimalText(rule)] as const),
  [Instant, instantValue],
  [Text, textValue],
  [WalletName, identifier],
  [CashAccount, identifier],
  [LoanId, identifier],
  [EventId, fc.oneof({ weight: 30, arbitrary: fc.uuid() }, { weight: 1, arbitrary: junk })],
  [Flag, fc.oneof({ weight: 30, arbitrary: fc.boolean() }, { weight: 1, arbitrary: junk })],
  [
    ProposalLifetimeHours,
    fc.oneof(
      { weight: 30, arbitrary: fc.integer({ min: 1, max: MAX_PROPOSAL_LIFETIME_HOURS }) },
      { weight: 3, arbitrary: fc.constantFrom(0, 721, 1.5, -1) },
      { weight: 1, arbitrary: junk },
    ),
  ],
  [
    TimeZone,
    fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom('UTC', 'Europe/Zurich', 'europe/zurich', 'America/New_York', 'Asia/Kolkata') },
      { weight: 3, arbitrary: fc.constantFrom('Mars/Olympus', '+01:00', '', 'Europe/Zurich ') },
      { weight: 1, arbitrary: junk },
    ),
  ],
  [
    ReportScope,
    fc.oneof(
      {
        weight: 10,
        arbitrary: fc.oneof(
          fc.constant('company'),
          validIdentifier.map((wallet) => ({ wallet })),
          validIdentifier.map((loanId) => ({ loanId })),
        ),
      },
      { weight: 1, arbitrary: junk },
    ),
  ],
  [
    PriceMaxAgeSeconds,
    fc.oneof(
      { weight: 30, arbitrary: fc.integer({ min: 1, max: 31_536_000 }) },
      { weight: 3, arbitrary: fc.constantFrom(0, 31_536_001, 1.5, -1) },
      { weight: 1, arbitrary: junk },
    ),
  ],
  [DayCountCodec, fc.constantFrom('act/365', 'act/360', '30/360', 'act/365', '30E/360', 'ACT/365', 'manual')],
  [
    AmendReplacement,
    fc.oneof(
      { weight: 30, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 }), { maxKeys: 8 }) },
      { weight: 1, arbitrary: fc.constant({ memo: 'x'.repeat(MAX_REPLACEMENT_CHARS) }) },
      { weight: 1, arbitrary: junk },
    ),
  ],
  [BookMode, fc.constantFrom('migrating', 'migrating', 'live', 'Migrating', true)],
  ...accountMappingLeaves(),
  ...webhookLeaves(),
  [
    ReportSource,
    fc.constantFrom(
      'operational-update',
      'custodian-statement',
      'lender-statement',
      'operational-update',
      'custodian-statement',
      'lender-statement',
      'press',
    ),
  ],
]);

/** The webhook commands' fields: URLs good and bad (schemes, credentials, private hosts), secrets around 24 and 64 bytes, positions. */
function webhookLeaves(): Array<readonly [Leaf, fc.Arbitrary<unknown>]> {
  const host = fc.constantFrom(
    'erp.example.com',
    '127.0.0.1',
    'localhost',
    '10.0.0.1',
    '169.254.169.254',
    '[::1]',
    '[fe80::1]',
    'example.org:8443',
    '',
  );
  const url = fc
    .tuple(
      fc.constantFrom('https://', 'http://', 'file://', 'ftp://', 'https://user:pw@'),
      host,
      fc.constantFrom('', '/hooks', '/a?b=c', '#frag', '/' + 'x'.repeat(2100)),
    )
    .map((parts) => parts.join(''));
  const bytes = (n: number) => 'whsec_' + Buffer.alloc(n, 7).toString('base64');
  const events = fc.oneof(
    {
      weight: 20,
      arbitrary: fc.uniqueArray(fc.constantFrom('BtcSold', 'AlertRaised', 'CashMoved', 'WebhookRegistered'), {
        minLength: 1,
        maxLength: 3,
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom([], ['Nope'], ['BtcSold', 'BtcSold']) },
    { weight: 1, arbitrary: junk },
  );
  return [
    [WebhookId, identifier],
    [WebhookUrl, fc.oneof({ weight: 20, arbitrary: url }, { weight: 1, arbitrary: junk })],
    [
      WebhookSecret,
      fc.oneof(
        { weight: 20, arbitrary: fc.integer({ min: 22, max: 66 }).map(bytes) },
        { weight: 1, arbitrary: fc.constantFrom('whsec_', 'secret', 'whsec_!!!!') },
        { weight: 1, arbitrary: junk },
      ),
    ],
    [
      LogPosition,
      fc.oneof(
        { weight: 20, arbitrary: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String) },
        { weight: 1, arbitrary: fc.constantFrom('0', '01', '9223372036854775808', '-1', 1) },
        { weight: 1, arbitrary: junk },
      ),
    ],
    [(bookCommandCodecs['register-webhook'] as unknown as AnyClosed).required['events']!, events],
  ];
}

/** set-account-mapping's fields: accounts by role, by cash account and by category (bad codes, keys and roles among them), category lists. */
function accountMappingLeaves(): Array<readonly [Leaf, fc.Arbitrary<unknown>]> {
  const code = fc.oneof(
    { weight: 20, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,31}$/) },
    { weight: 1, arbitrary: fc.constantFrom('', '=SUM(A1)', 'x'.repeat(33)) },
    { weight: 1, arbitrary: junk },
  );
  const account = fc.oneof(
    { weight: 20, arbitrary: fc.record({ code, name: textValue }, { requiredKeys: ['code'] }) },
    { weight: 1, arbitrary: junk },
  );
  const role = fc.constantFrom(
    'digitalAssets',
    'cash',
    'restrictedCash',
    'loansPayable',
    'interestPayable',
    'miningRevenue',
    'realizedGain',
    'networkFees',
    'otherExpense',
    'digitalAsset',
  );
  const keyed = (key: fc.Arbitrary<string>) =>
    fc.oneof(
      { weight: 20, arbitrary: fc.dictionary(key, account, { maxKeys: 5 }) },
      { weight: 1, arbitrary: fc.constant(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, { code: '6000' }]))) },
      { weight: 1, arbitrary: junk },
    );
  return [
    [RoleAccounts, fc.oneof({ weight: 20, arbitrary: fc.dictionary(role, account, { maxKeys: 4 }) }, { weight: 1, arbitrary: junk })],
    [CashAccounts, keyed(fc.oneof(validIdentifier, fc.constantFrom('bad key', '')))],
    [ExpenseAccounts, keyed(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('', ' ', '\u202e')))],
    [
      ProductionCostCategories,
      fc.oneof(
        { weight: 20, arbitrary: fc.array(textValue, { maxLength: 5 }) },
        { weight: 1, arbitrary: fc.constant(Array.from({ length: 201 }, (_, i) => `c${i}`)) },
        { weight: 1, arbitrary: junk },
      ),
    ],
    [
      BalanceSheetCategories,
      fc.oneof(
        { weight: 20, arbitrary: fc.array(textValue, { maxLength: 5 }) },
        { weight: 1, arbitrary: fc.constant(Array.from({ length: 201 }, (_, i) => `c${i}`)) },
        { weight: 1, arbitrary: junk },
      ),
    ],
  ];
}

const valuesOf = (codec: t.Mixed): fc.Arbitrary<unknown> => {
  const values = leafValues.get(codec);
  if (values === undefined) throw new Error(`no generator for the leaf codec ${codec.name}: add one, with its bound`);
  return values;
};

type AnyClosed = ClosedObjectType<t.Props, t.Props>;
const closed = (name: BookCommandName): AnyClosed => bookCommandCodecs[name] as unknown as AnyClosed;

/** A body: each field usually present (required ones almost always), sometimes an unknown field. */
const bodyOf = (codec: AnyClosed): fc.Arbitrary<Record<string, unknown>> => {
  const fields = [
    ...Object.entries(codec.required).map(([key, leaf]) => [key, leaf, 0.99] as const),
    ...Object.entries(codec.optional).map(([key, leaf]) => [key, leaf, 0.4] as const),
  ];
  return fc
    .tuple(
      fc.tuple(
        ...fields.map(([, leaf, presence]) =>
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }).map((r) => r < presence),
            valuesOf(leaf),
          ),
        ),
      ),
      fc.oneof({ weight: 19, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('btcc', 'amount', 'type') }),
    )
    .map(([values, unknownKey]) => {
      const body: Record<string, unknown> = {};
      values.forEach(([present, value], i) => {
        if (present) body[fields[i]![0]] = value;
      });
      if (unknownKey !== null) body[unknownKey] = '1';
      return body;
    });
};

const withinBounds = (codec: AnyClosed, decoded: Record<string, unknown>): void => {
  for (const [key, leaf] of [...Object.entries(codec.required), ...Object.entries(codec.optional)]) {
    const value = decoded[key];
    if (value === undefined) continue;
    const amount = amounts.get(leaf);
    if (amount !== undefined) {
      expect(typeof value).toBe('bigint');
      expect((value as bigint) >= amount.min && (value as bigint) <= amount.max).toBe(true);
    }
    if (leaf === PriceMaxAgeSeconds)
      expect(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 31_536_000).toBe(true);
    if (leaf === ProposalLifetimeHours) expect(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 720).toBe(true);
    if (leaf === AmendReplacement) expect(JSON.stringify(value).length).toBeLessThanOrEqual(MAX_REPLACEMENT_CHARS);
    if (leaf === WebhookUrl) expect((value as string).length <= 2048 && /^https?:\/\/[^@#]+$/.test(value as string)).toBe(true);
    if (leaf === WebhookSecret) expect(Buffer.from((value as string).slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    if (leaf === WebhookSecret) expect(Buffer.from((value as string).slice(6), 'base64').length).toBeLessThanOrEqual(64);
    if (leaf === LogPosition) expect(BigInt(value as string) >= 1n && BigInt(value as string) < 2n ** 63n).toBe(true);
    if (leaf === Instant) expect((value as number) >= GENESIS && (value as number) < END).toBe(true);
    if (leaf === Text) {
      expect(FORBIDDEN_IN_TEXT.test(value as string)).toBe(false);
      expect([...(value as string)].length).toBeLessThanOrEqual(500);
    }
  }
};

const commandNames = Object.keys(bookCommandCodecs) as BookCommandName[];

describe('command codecs (property)', () => {
  it.each(commandNames)('%s: an accepted body is within every bound and round-trips; a refused one names real fields', (name) => {
    const codec = closed(name);
    const known = new Set([...Object.keys(codec.required), ...Object.keys(codec.optional)]);
    let accepted = 0;
    fc.assert(
      fc.property(bodyOf(codec), (body) => {
        const decoded = codec.decode(body);
        if (E.isRight(decoded)) {
          accepted += 1;
          withinBounds(codec, decoded.right);
          const encoded = codec.encode(decoded.right);
          expect(codec.decode(JSON.parse(JSON.stringify(encoded)))).toEqual(decoded);
          expect(codec.encode((codec.decode(encoded) as E.Right<Record<string, unknown>>).right)).toEqual(encoded);
        } else {
          const errors = toFieldErrors(decoded.left);
          expect(errors.length).toBeGreaterThan(0);
          // A nested field (set-account-mapping's accounts.cash.code) is named under its top-level field.
          for (const { path } of errors)
            expect(known.has(path.split('.')[0]!) || Object.prototype.hasOwnProperty.call(body, path)).toBe(true);
        }
      }),
      { numRuns: 600 },
    );
    // The generator must reach the accepting side often enough for the property to say something.
    expect(accepted).toBeGreaterThanOrEqual(10);
  });

  it('every bounded leaf accepts only what its stored twin reads back, with the same value', () => {
    const twins: ReadonlyArray<[Leaf, Leaf]> = [
      ...[...amounts].map(([codec, rule]) => [codec, rule.stored] as [Leaf, Leaf]),
      [Instant, StoredInstant],
      [Text, StoredText],
      [PriceMaxAgeSeconds, StoredPriceMaxAgeSeconds],
      [TimeZone, StoredTimeZone],
    ];
    for (const [bounded, stored] of twins) {
      fc.assert(
        fc.property(valuesOf(bounded), (value) => {
          const decoded = bounded.decode(value);
          if (E.isRight(decoded)) expect(stored.decode(bounded.encode(decoded.right))).toEqual(decoded);
        }),
        { numRuns: 500 },
      );
    }
  });
});

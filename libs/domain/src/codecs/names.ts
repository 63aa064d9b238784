import * as t from 'io-ts';
import { MAX_TEXT_CHARS } from './bounds';
import { withSchema } from './schema-registry';

const patterned = (name: string, pattern: RegExp, description: string, example: string, maxLength: number) =>
  withSchema(
    new t.Type<string, string, unknown>(
      name,
      (u): u is string => typeof u === 'string' && pattern.test(u),
      (u, c) => (typeof u === 'string' && pattern.test(u) ? t.success(u) : t.failure(u, c, description)),
      (s) => s,
    ),
    { type: 'string', pattern: pattern.source, maxLength, description, example },
  );

export const BookId = patterned('BookId', /^[a-z0-9-]{1,64}$/, 'must be 1 to 64 characters of a-z, 0-9 and "-"', 'seed-miner', 64);

/** Wallets, cash accounts and loan ids: short machine-friendly identifiers. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const identifierRule = 'must be 1 to 64 characters of letters, digits, ".", "_", ":" and "-", starting with a letter or digit';
export const WalletName = patterned('WalletName', IDENTIFIER, identifierRule, 'custody-cold', 64);
export const CashAccount = patterned('CashAccount', IDENTIFIER, identifierRule, 'operating', 64);
export const LoanId = patterned('LoanId', IDENTIFIER, identifierRule, 'loan-2025-a', 64);

const textRule = `must be 1 to ${MAX_TEXT_CHARS} printable characters, not blank`;

/**
 * Characters refused in free text, beyond C0/C1 controls and line breaks: each can make what a
 * reader sees differ from what is stored (a memo that displays "…reversed" but reads "…desrever"),
 * or make two different names look the same.
 */
const BIDI_CONTROLS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const ZERO_WIDTH = '\\u180e\\u200b-\\u200d\\u2060\\ufeff';
// eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const BIDI = new RegExp(`[${BIDI_CONTROLS}]`, 'u');
const INVISIBLE = new RegExp(`[${ZERO_WIDTH}]`, 'u');
/** With the u flag a surrogate pair is one code point, so this matches only a surrogate without its partner. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const NON_BLANK = /\S/u;

const codePoint = (text: string, pattern: RegExp): string => {
  const found = pattern.exec(text)![0].codePointAt(0)!;
  return `U+${found.toString(16).toUpperCase().padStart(4, '0')}`;
};

/** Why `text` is not acceptable free text, or undefined when it is. */
const textProblem = (text: string): string | undefined => {
  // A string longer than twice the bound cannot be within it (a code point is one or two UTF-16 units).
  if (text.length > 2 * MAX_TEXT_CHARS || !NON_BLANK.test(text)) return textRule;
  if (LONE_SURROGATE.test(text)) return `must be well-formed Unicode (found a lone surrogate ${codePoint(text, LONE_SURROGATE)})`;
  if ([...text].length > MAX_TEXT_CHARS) return textRule;
  if (CONTROLS.test(text)) return `${textRule} (found the control character or line break ${codePoint(text, CONTROLS)})`;
  if (BIDI.test(text)) {
    return `must not contain bidirectional control characters (found ${codePoint(text, BIDI)}): they make text display in another order than it is stored`;
  }
  if (INVISIBLE.test(text)) {
    return `must not contain zero-width characters (found ${codePoint(text, INVISIBLE)}): they make different text look the same`;
  }
  return undefined;
};

/**
 * Free text in a command, such as a name, lender, venue, reference or memo: non-blank, at most 500
 * code points, no control characters, line breaks, bidirectional controls, zero-width characters or
 * lone surrogates.
 */
export const Text = withSchema(
  new t.Type<string, string, unknown>(
    'Text',
    (u): u is string => typeof u === 'string' && textProblem(u) === undefined,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, textRule);
      const problem = textProblem(u);
      return problem === undefined ? t.success(u) : t.failure(u, c, problem);
    },
    (s) => s,
  ),
  {
    type: 'string',
    minLength: 1,
    maxLength: MAX_TEXT_CHARS,
    pattern: `^(?=.*\\S)[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029${BIDI_CONTROLS}${ZERO_WIDTH}]+$`,
    description: `${textRule}; no line breaks, bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), zero-width characters (U+180E, U+200B-U+200D, U+2060, U+FEFF) or lone surrogates`,
    example: 'Coinbase Prime',
  },
);

/**
 * Free text read back from the log: the rule it was written under (1 to 500 UTF-16 units, no C0
 * controls), widened to 1,000 units because Text counts code points, so every stored event still
 * decodes, whether written before the rules on Text or after.
 */
export const StoredText = patterned(
  'StoredText',
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point of this pattern
  /^(?=.*\S)[^\u0000-\u001f]{1,1000}$/s,
  'must be 1 to 1000 printable UTF-16 code units, not blank',
  'Coinbase Prime',
  1000,
);

export const EventId = patterned(
  'EventId',
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  'must be an event id (a lowercase UUID)',
  '0b7e6c1e-5f57-4c55-9f0e-2d1f4a8d3c21',
  36,
);

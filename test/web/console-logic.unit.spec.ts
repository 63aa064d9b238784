import {
  commandBody,
  fieldOfPath,
  formFields,
  groupDigits,
  holds,
  monthLabel,
  monthTicks,
  ratioAsPercent,
  seriesStep,
  wallTimeToInstant,
} from '../../apps/web/src/logic';

/** The console's pure helpers: exact display of the API's strings, month ticks, zones, forms from schemas. */
describe('console logic', () => {
  it('groups digits and shows ratios as percentages without touching a digit', () => {
    expect(groupDigits('1234567.50')).toBe('1,234,567.50');
    expect(groupDigits('-372292.30')).toBe('-372,292.30');
    expect(groupDigits('21000000.00000001')).toBe('21,000,000.00000001');
    expect(groupDigits('not a number')).toBe('not a number');
    expect(ratioAsPercent('0.625946')).toBe('62.5946%');
    expect(ratioAsPercent('0.700000')).toBe('70%');
    expect(ratioAsPercent('1.5')).toBe('150%');
    expect(ratioAsPercent('0.000001')).toBe('0.0001%');
  });

  it('puts month ticks on the first of each month, thinned to fit', () => {
    const from = Date.UTC(2025, 5, 15) / 1000;
    const to = Date.UTC(2026, 0, 31) / 1000;
    expect(monthTicks(from, to, 20).map(monthLabel)).toEqual([
      'Jul 2025',
      'Aug 2025',
      'Sep 2025',
      'Oct 2025',
      'Nov 2025',
      'Dec 2025',
      'Jan 2026',
    ]);
    expect(monthTicks(from, to, 3).map(monthLabel)).toEqual(['Jul 2025', 'Oct 2025', 'Jan 2026']);
    expect(monthTicks(Date.UTC(2025, 6, 1) / 1000, Date.UTC(2025, 7, 1) / 1000, 10).map(monthLabel)).toEqual(['Jul 2025', 'Aug 2025']);
    expect(seriesStep(Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1))).toBe('1d');
    expect(seriesStep(Date.UTC(2016, 0, 1), Date.UTC(2026, 0, 1))).toBe('1w');
  });

  it('reads a wall time in a zone as an instant, on both sides of a daylight-saving change', () => {
    expect(wallTimeToInstant('2025-10-31T17:30', 'UTC')).toBe('2025-10-31T17:30:00.000Z');
    expect(wallTimeToInstant('2025-07-01T09:00:05', 'America/New_York')).toBe('2025-07-01T13:00:05.000Z');
    expect(wallTimeToInstant('2025-12-01T09:00', 'America/New_York')).toBe('2025-12-01T14:00:00.000Z');
    expect(wallTimeToInstant('2025-03-30T12:00', 'Europe/Berlin')).toBe('2025-03-30T10:00:00.000Z');
    expect(wallTimeToInstant('31/10/2025', 'UTC')).toBeUndefined();
  });

  const schema = {
    type: 'object',
    required: ['effectiveAt', 'btc', 'wallet'],
    properties: {
      effectiveAt: { type: 'string', format: 'date-time' },
      btc: { type: 'string', pattern: '^\\d{1,8}(\\.\\d{1,8})?$' },
      wallet: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' },
      source: { type: 'string', enum: ['operational-update', 'custodian-statement'] },
      mode: { type: 'string', enum: ['migrating'] },
      replacement: { type: 'object' },
      flag: { type: 'boolean', enum: [true] },
    },
  };

  it('draws a form from a command schema and builds the body from its values', () => {
    const fields = formFields(schema);
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['effectiveAt', 'instant', true],
      ['btc', 'decimal', true],
      ['wallet', 'text', true],
      ['source', 'select', false],
      ['mode', 'select', false],
      ['replacement', 'json', false],
      ['flag', 'checkbox', false],
    ]);
    expect(
      commandBody(
        fields,
        { effectiveAt: '2025-12-01T09:00', btc: '1.5', wallet: '', source: 'custodian-statement', replacement: '{"btc":"2"}', flag: true },
        'America/New_York',
      ),
    ).toEqual({
      effectiveAt: '2025-12-01T14:00:00.000Z',
      btc: '1.5',
      source: 'custodian-statement',
      replacement: { btc: '2' },
      flag: true,
    });
    // What cannot be converted goes as typed, for the API to name.
    expect(commandBody(fields, { effectiveAt: 'yesterday', replacement: '{oops' }, 'UTC')).toEqual({
      effectiveAt: 'yesterday',
      replacement: '{oops',
    });
    expect(fieldOfPath('replacement.btc')).toBe('replacement');
    expect(fieldOfPath('body.btc')).toBe('btc');
    expect(fieldOfPath('btc')).toBe('btc');
  });

  it('reads roles as the API nests them', () => {
    const me = { id: 'key:x', name: 'x', kind: 'api-key', grants: [{ role: 'treasurer' as const, books: ['acme'] }] };
    expect(holds(me, 'bookkeeper', 'acme')).toBe(true);
    expect(holds(me, 'auditor', 'acme')).toBe(false);
    expect(holds(me, 'viewer', 'other')).toBe(false);
    expect(holds({ ...me, grants: [{ role: 'admin', books: '*' }] }, 'auditor', 'other')).toBe(true);
  });
});

import * as t from 'io-ts';
import { asComponent } from '@treasury/domain';
import { InstantText, Integer, SameShape, UsdText, closed, nullable } from '../docs/answer-codecs';
import { EventTypeText, LotMethodText } from '../positions/position.answers';
import type { journalView } from './journal.view';

/** What GET /journal answers as JSON (the CSV form is described by its media type). */
const MonthLabel = t.string;

export const JournalAnswer = asComponent(
  closed({
    bookId: t.string,
    from: InstantText,
    to: InstantText,
    knownAt: InstantText,
    revision: Integer,
    method: LotMethodText,
    timeZone: t.string,
    entries: t.readonlyArray(
      closed({
        entryId: t.string,
        date: InstantText,
        eventId: nullable(t.string),
        type: t.union([EventTypeText, t.literal('Remeasurement'), t.literal('InterestAccrual')]),
        reference: nullable(t.string),
        memo: nullable(t.string),
        interim: t.boolean,
        lines: t.readonlyArray(
          closed({ account: t.string, accountName: nullable(t.string), debitUsd: UsdText, creditUsd: UsdText, memo: nullable(t.string) }),
        ),
      }),
    ),
    periods: t.readonlyArray(
      closed({ period: MonthLabel, from: InstantText, to: InstantText, entries: Integer, debitUsd: UsdText, creditUsd: UsdText }),
    ),
    accounts: t.readonlyArray(
      closed({
        account: t.string,
        accountName: nullable(t.string),
        openingUsd: UsdText,
        debitUsd: UsdText,
        creditUsd: UsdText,
        closingUsd: UsdText,
      }),
    ),
    totals: closed({ debitUsd: UsdText, creditUsd: UsdText }),
  }),
  'Journal',
);

export const journalAnswerIsTheView: SameShape<ReturnType<typeof journalView>, t.TypeOf<typeof JournalAnswer>> = [(v) => v, (a) => a];

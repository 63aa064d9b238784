import type { BookEvent } from '@treasury/domain';

/**
 * The code a projection snapshot stores for each event type (one byte per event). Codes are fixed
 * forever: a snapshot written today must read back with the same types after event types are added,
 * so a new type takes the next unused number and no code is ever changed or reused. The values are the
 * positions the types had in bookEventCodecs when snapshots stored those positions, so snapshots
 * written before this table read the same. `satisfies` makes a new event type without a code a
 * compile error; event-type-codes.unit.spec.ts pins every value.
 */
export const EVENT_TYPE_CODES = {
  BookOpened: 0,
  MiningOutputReceived: 1,
  BtcSold: 2,
  BtcTransferred: 3,
  BtcPriceObserved: 4,
  LoanDrawn: 5,
  CollateralPledged: 6,
  CollateralReleased: 7,
  InterestAccrued: 8,
  LoanRepaid: 9,
  CollateralLiquidated: 10,
  CashMoved: 11,
  EventReversed: 12,
  HoldingsReported: 13,
  ReconciliationToleranceSet: 14,
  ApprovalPolicySet: 15,
  CommandProposed: 16,
  ProposalApproved: 17,
  ProposalRejected: 18,
  CashCollateralPledged: 19,
  CashCollateralReleased: 20,
  PriceStalenessSet: 21,
  LoanRepriced: 22,
  OpeningBalanceRecorded: 23,
  OpeningCashRecorded: 24,
  BtcPurchased: 25,
  BtcPaid: 26,
  BookWentLive: 27,
  AccountMappingSet: 28,
  WebhookRegistered: 29,
  WebhookDisabled: 30,
  WebhookRedeliveryRequested: 31,
} as const satisfies Record<BookEvent['type'], number>;

type EventType = BookEvent['type'];

/** The type of each code, built once from the table; a hole is a code no type has. */
const TYPE_OF_CODE: ReadonlyArray<EventType | undefined> = (() => {
  const types: Array<EventType | undefined> = [];
  for (const [type, code] of Object.entries(EVENT_TYPE_CODES) as Array<[EventType, number]>) types[code] = type;
  return types;
})();

export const eventTypeCode = (type: EventType): number => EVENT_TYPE_CODES[type];

/** The event type a snapshot's code stands for; an unknown code makes the snapshot unreadable (it is rebuilt from the log). */
export const eventTypeOfCode = (code: number): EventType => {
  const type = TYPE_OF_CODE[code];
  if (type === undefined) throw new Error(`snapshot holds event type code ${code}, which no event type has`);
  return type;
};

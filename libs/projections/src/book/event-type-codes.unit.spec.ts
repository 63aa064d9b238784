import { bookEventCodecs } from '@treasury/domain';
import { EVENT_TYPE_CODES, eventTypeCode, eventTypeOfCode } from './event-type-codes';

describe('snapshot event-type codes', () => {
  it('are pinned: changing, reusing or dropping a code fails here (snapshots already written would read the wrong types)', () => {
    // Append a line for a new event type; never edit an existing one.
    expect(EVENT_TYPE_CODES).toStrictEqual({
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
    });
  });

  it('give every event type one distinct code that fits the snapshot byte, and nothing else', () => {
    const codes = Object.values(EVENT_TYPE_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((code) => Number.isInteger(code) && code >= 0 && code <= 255)).toBe(true);
    expect(Object.keys(EVENT_TYPE_CODES).sort()).toEqual(Object.keys(bookEventCodecs).sort());
  });

  it('round-trip every type, and refuse a code no type has', () => {
    for (const type of Object.keys(bookEventCodecs) as Array<keyof typeof EVENT_TYPE_CODES>)
      expect(eventTypeOfCode(eventTypeCode(type))).toBe(type);
    expect(() => eventTypeOfCode(32)).toThrow(/event type code 32/);
    expect(() => eventTypeOfCode(255)).toThrow(/no event type/);
  });
});

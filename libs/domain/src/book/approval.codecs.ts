import * as t from 'io-ts';
import { closedObject } from '../codecs/closed-object';
import { NonNegativeBtc, NonNegativeUsd, StoredNonNegativeBtc, StoredNonNegativeUsd } from '../codecs/decimal-codecs';
import { StoredInstant } from '../codecs/instant';
import { literal } from '../codecs/literal';
import { EventId, StoredText, Text } from '../codecs/names';
import { withSchema } from '../codecs/schema-registry';

/**
 * Four eyes: the events and command bodies of approval. A book's policy says which commands need a
 * second person; such a command is recorded as CommandProposed (no effect on any figure) and takes
 * effect only when a different principal approves it, as ProposalApproved followed by its own events.
 */

export const Flag = withSchema(t.boolean, { type: 'boolean' });

export const MAX_PROPOSAL_LIFETIME_HOURS = 720;
const lifetimeRule = `must be a whole number of hours from 1 to ${MAX_PROPOSAL_LIFETIME_HOURS}`;
export const ProposalLifetimeHours = withSchema(
  new t.Type<number, number, unknown>(
    'ProposalLifetimeHours',
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= MAX_PROPOSAL_LIFETIME_HOURS,
    (u, c) =>
      typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= MAX_PROPOSAL_LIFETIME_HOURS
        ? t.success(u)
        : t.failure(u, c, lifetimeRule),
    (n) => n,
  ),
  { type: 'integer', minimum: 1, maximum: MAX_PROPOSAL_LIFETIME_HOURS, description: lifetimeRule, example: 168 },
);

/** Who proposed or decided: a principal id as the server recorded it (not a user input). */
const PrincipalId = withSchema(t.string, { type: 'string' });

const common = { effectiveAt: StoredInstant };

export const ApprovalPolicySet = closedObject(
  'ApprovalPolicySet',
  { type: literal('ApprovalPolicySet'), ...common, reversals: Flag, proposalLifetimeHours: ProposalLifetimeHours },
  { salesAboveBtc: StoredNonNegativeBtc, cashMovementsAboveUsd: StoredNonNegativeUsd, memo: StoredText },
);

export const CommandProposed = closedObject('CommandProposed', {
  type: literal('CommandProposed'),
  ...common,
  command: t.string,
  /** The command's body as its codec encodes it: decided again, exactly, when approved. */
  body: t.UnknownRecord,
  proposedBy: PrincipalId,
  expiresAt: StoredInstant,
});

export const ProposalApproved = closedObject('ProposalApproved', {
  type: literal('ProposalApproved'),
  ...common,
  proposalId: EventId,
  approvedBy: PrincipalId,
});

export const ProposalRejected = closedObject(
  'ProposalRejected',
  { type: literal('ProposalRejected'), ...common, proposalId: EventId, rejectedBy: PrincipalId },
  { reason: StoredText },
);

export const approvalCommandCodecs = {
  'set-approval-policy': closedObject(
    'SetApprovalPolicy',
    { reversals: Flag },
    {
      salesAboveBtc: NonNegativeBtc,
      cashMovementsAboveUsd: NonNegativeUsd,
      proposalLifetimeHours: ProposalLifetimeHours,
      memo: Text,
      reference: Text,
    },
  ),
  'approve-proposal': closedObject('ApproveProposal', { proposalId: EventId }, { memo: Text, reference: Text }),
  'reject-proposal': closedObject('RejectProposal', { proposalId: EventId }, { reason: Text, reference: Text }),
} as const;

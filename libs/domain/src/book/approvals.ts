import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import { formatInstant } from '../codecs/instant';
import { DomainError, ruleViolated } from '../errors';
import { formatBtc, formatUsd } from '../money/decimal';
import { BookCommand, bookCommandCodecs, decodeBookCommand, isBookCommandName } from './book.commands';
import type { BookEvent, BookEventOf } from './book.events';
import { approvalPolicyRefusal, heldMigrationRefusal } from './migration.rules';

/** What the book's policy holds proposals to, and the proposals made so far. */
export interface ApprovalPolicy {
  readonly reversals: boolean;
  readonly salesAboveBtc: bigint | undefined;
  readonly cashMovementsAboveUsd: bigint | undefined;
  readonly proposalLifetimeHours: number;
}

export type ProposalStatus = 'open' | 'approved' | 'rejected';

export interface Proposal {
  readonly proposalId: string;
  readonly command: BookCommand | undefined;
  readonly commandName: string;
  readonly proposedBy: string;
  readonly proposedAt: number;
  readonly expiresAt: number;
  status: ProposalStatus;
  decidedBy: string | undefined;
  decidedAt: number | undefined;
  reason: string | undefined;
}

export interface ApprovalState {
  policy: ApprovalPolicy;
  readonly proposals: Map<string, Proposal>;
}

export const DEFAULT_PROPOSAL_LIFETIME_HOURS = 168;
export const NO_APPROVAL_POLICY: ApprovalPolicy = {
  reversals: false,
  salesAboveBtc: undefined,
  cashMovementsAboveUsd: undefined,
  proposalLifetimeHours: DEFAULT_PROPOSAL_LIFETIME_HOURS,
};

export const initialApprovalState = (): ApprovalState => ({ policy: NO_APPROVAL_POLICY, proposals: new Map() });

export const APPROVAL_EVENT_TYPES = ['ApprovalPolicySet', 'CommandProposed', 'ProposalApproved', 'ProposalRejected'] as const;
export const isApprovalEvent = (event: BookEvent): boolean => (APPROVAL_EVENT_TYPES as ReadonlyArray<string>).includes(event.type);

/** Why a command needs a second person under `policy`, or undefined when it does not. */
export const approvalNeeded = (policy: ApprovalPolicy, command: BookCommand): string | undefined => {
  switch (command.name) {
    // Otherwise one admin could switch the policy off, act alone, and switch it back on.
    case 'set-approval-policy':
      return policy.reversals || policy.salesAboveBtc !== undefined || policy.cashMovementsAboveUsd !== undefined
        ? 'a book with an approval policy changes it only with approval'
        : undefined;
    case 'reverse-event':
      return policy.reversals ? 'the book requires approval of reversals' : undefined;
    // An amendment reverses; and its replacement is held as that command would be (a sale amended above the threshold).
    case 'amend-event':
      return policy.reversals
        ? 'the book requires approval of reversals, and an amendment reverses'
        : heldReplacement(policy, command.body.replacement);
    case 'record-btc-sale':
      return policy.salesAboveBtc !== undefined && command.body.btc > policy.salesAboveBtc
        ? `sales above ${formatBtc(policy.salesAboveBtc)} BTC need approval`
        : undefined;
    case 'record-cash-movement': {
      const size = command.body.amountUsd < 0n ? -command.body.amountUsd : command.body.amountUsd;
      return policy.cashMovementsAboveUsd !== undefined && size > policy.cashMovementsAboveUsd
        ? `cash movements above ${formatUsd(policy.cashMovementsAboveUsd)} USD need approval`
        : undefined;
    }
    default:
      return undefined;
  }
};

/**
 * The replacement's own reason to be held. Which command it is depends on the amended event's type
 * (known to the book, not here), but only sale and cash-movement bodies can be held, and each decodes
 * by its own codec alone (closed objects with distinct required fields).
 */
const heldReplacement = (policy: ApprovalPolicy, replacement: unknown): string | undefined => {
  for (const name of ['record-btc-sale', 'record-cash-movement'] as const) {
    const decoded = decodeBookCommand(name, replacement);
    if (E.isRight(decoded)) return approvalNeeded(policy, decoded.right);
  }
  return undefined;
};

/** Folds an approval event into the state (the decider's evolve calls this for those four types). */
export const evolveApproval = (state: ApprovalState, eventId: string, event: BookEvent): void => {
  switch (event.type) {
    case 'ApprovalPolicySet':
      state.policy = {
        reversals: event.reversals,
        salesAboveBtc: event.salesAboveBtc,
        cashMovementsAboveUsd: event.cashMovementsAboveUsd,
        proposalLifetimeHours: event.proposalLifetimeHours,
      };
      break;
    case 'CommandProposed': {
      // Decoded again by today's codec; a proposal it no longer accepts can only be rejected.
      const decoded = isBookCommandName(event.command) ? decodeBookCommand(event.command, event.body) : undefined;
      state.proposals.set(eventId, {
        proposalId: eventId,
        command: decoded !== undefined && E.isRight(decoded) ? decoded.right : undefined,
        commandName: event.command,
        proposedBy: event.proposedBy,
        proposedAt: event.effectiveAt,
        expiresAt: event.expiresAt,
        status: 'open',
        decidedBy: undefined,
        decidedAt: undefined,
        reason: undefined,
      });
      break;
    }
    case 'ProposalApproved':
    case 'ProposalRejected': {
      const proposal = state.proposals.get(event.proposalId);
      if (proposal !== undefined) {
        proposal.status = event.type === 'ProposalApproved' ? 'approved' : 'rejected';
        proposal.decidedBy = event.type === 'ProposalApproved' ? event.approvedBy : event.rejectedBy;
        proposal.decidedAt = event.effectiveAt;
        proposal.reason = event.type === 'ProposalRejected' ? event.reason : undefined;
      }
      break;
    }
    default:
      break;
  }
};

export type Decision = E.Either<DomainError, ReadonlyArray<BookEvent>>;

type PolicyBody = Extract<BookCommand, { readonly name: 'set-approval-policy' }>['body'];
const policySet = (
  { reversals, salesAboveBtc, cashMovementsAboveUsd, proposalLifetimeHours, memo }: PolicyBody,
  now: number,
): BookEventOf<'ApprovalPolicySet'> => ({
  type: 'ApprovalPolicySet',
  effectiveAt: now,
  reversals,
  proposalLifetimeHours: proposalLifetimeHours ?? DEFAULT_PROPOSAL_LIFETIME_HOURS,
  ...(salesAboveBtc === undefined ? {} : { salesAboveBtc }),
  ...(cashMovementsAboveUsd === undefined ? {} : { cashMovementsAboveUsd }),
  ...(memo === undefined ? {} : { memo }),
});
export interface ApprovalContext {
  readonly now: number;
  /** The principal deciding: a proposal records it, and an approval must come from someone else. */
  readonly actor?: string;
  /** The book is in migration mode: it takes no approval policy (four eyes start at go-live). */
  readonly migrating?: boolean;
  /** A migrated command (knownAt): history is recorded as it happened, never held; one a policy would hold is refused. */
  readonly migrated?: boolean;
}

const openProposal = (state: ApprovalState, proposalId: string, now: number): E.Either<DomainError, Proposal> => {
  const proposal = state.proposals.get(proposalId);
  if (proposal === undefined) return E.left(ruleViolated('unknown-proposal', `no proposal ${proposalId} in this book`));
  if (proposal.status !== 'open') return E.left(ruleViolated('proposal-decided', `proposal ${proposalId} was already ${proposal.status}`));
  if (now >= proposal.expiresAt)
    return E.left(
      ruleViolated('proposal-lapsed', `proposal ${proposalId} lapsed at ${formatInstant(proposal.expiresAt)}; propose it again`),
    );
  return E.right(proposal);
};

/**
 * Four eyes around the book decider: approval commands are decided here; a command the policy holds
 * is checked as if it were to take effect now (so a proposal that could never apply is refused at
 * once) and recorded as a proposal instead of its events.
 */
export const decideWithApprovals = (
  command: BookCommand,
  state: ApprovalState,
  context: ApprovalContext,
  decideDirect: (command: BookCommand) => Decision,
): Decision => {
  const actor = context.actor ?? 'unknown';
  // The book's own commands, and a policy change (which approval may also have held).
  const decideHeld = (held: BookCommand): Decision => {
    if (held.name !== 'set-approval-policy') return decideDirect(held);
    const refusal = context.migrating === true ? approvalPolicyRefusal('migrating') : undefined;
    return refusal === undefined ? E.right([policySet(held.body, context.now)]) : E.left(refusal);
  };
  switch (command.name) {
    case 'approve-proposal':
      return E.flatMap((proposal: Proposal): Decision => {
        if (proposal.proposedBy === actor)
          return E.left(ruleViolated('four-eyes', `${actor} proposed this; a different person must approve it`));
        if (proposal.command === undefined)
          return E.left(
            ruleViolated(
              'proposal-unreadable',
              `proposal ${proposal.proposalId} no longer decodes as a ${proposal.commandName} command; reject it`,
            ),
          );
        const approved: BookEventOf<'ProposalApproved'> = {
          type: 'ProposalApproved',
          effectiveAt: context.now,
          proposalId: proposal.proposalId,
          approvedBy: actor,
        };
        // Decided against the book as it is now: a sale whose BTC has since gone is refused, not forced.
        return E.map((events: ReadonlyArray<BookEvent>) => [approved, ...events])(decideHeld(proposal.command));
      })(openProposal(state, command.body.proposalId, context.now));
    case 'reject-proposal':
      return E.map((proposal: Proposal): ReadonlyArray<BookEvent> => [
        {
          type: 'ProposalRejected',
          effectiveAt: context.now,
          proposalId: proposal.proposalId,
          rejectedBy: actor,
          ...(command.body.reason === undefined ? {} : { reason: command.body.reason }),
        },
      ])(openProposal(state, command.body.proposalId, context.now));
    default: {
      const why = approvalNeeded(state.policy, command);
      const decided = decideHeld(command);
      if (why === undefined || E.isLeft(decided)) return decided;
      if (context.migrated === true) return E.left(heldMigrationRefusal(why));
      const codec = bookCommandCodecs[command.name] as t.Type<BookCommand['body'], Record<string, unknown>>;
      return E.right([
        {
          type: 'CommandProposed',
          effectiveAt: context.now,
          command: command.name,
          body: codec.encode(command.body),
          proposedBy: actor,
          expiresAt: context.now + state.policy.proposalLifetimeHours * 3_600_000,
        },
      ]);
    }
  }
};

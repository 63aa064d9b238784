import { BookCommand, formatInstant } from '@treasury/domain';
import type { BookEntry } from './book-command.service';
import type { CommandError } from './command.errors';
import { requestHash } from './request-hash';

/** Who sends a command or a batch, and how: what a single command and a batch have in common. */
export interface CommandCaller {
  readonly bookId: string;
  /** The authenticated principal's id: events record it as their actor. */
  readonly actor: string;
  readonly actorName?: string;
  /** The caller's own "on behalf of" note (X-Actor), kept beside the actor, never instead of it. */
  readonly onBehalfOf?: string;
  readonly correlationId?: string;
  readonly idempotencyKey?: string;
  /** The revision the client last saw (`If-Match`); absent means "decide against whatever is current". */
  readonly expectedRevision?: number;
  /**
   * Whether the caller may decide (approve or reject) a proposal of this command: it must hold the
   * command's own role on the book. Absent: no such check (the CLI, whose user owns the store).
   */
  readonly mayDecideProposalOf?: (command: string) => boolean;
}

/** Approving or rejecting a proposal needs the role of the command proposed. */
export const proposalPermission = (caller: CommandCaller, command: BookCommand, entry: BookEntry): CommandError | undefined => {
  if ((command.name !== 'approve-proposal' && command.name !== 'reject-proposal') || caller.mayDecideProposalOf === undefined)
    return undefined;
  const proposal = entry.state.approvals.proposals.get(command.body.proposalId);
  if (proposal === undefined || caller.mayDecideProposalOf(proposal.commandName)) return undefined;
  return { _tag: 'NotPermitted', detail: `deciding a proposal to ${proposal.commandName} needs the role that command needs on this book` };
};

/**
 * A request's identity for idempotency: a migrated command (knownAt) is another request than the same
 * body recorded at another instant, so knownAt is part of it; without knownAt the hash is what it always was.
 */
export const commandRequestHash = (command: string, body: unknown, knownAt: number | undefined): string =>
  requestHash(command, knownAt === undefined ? body : { body, knownAt: formatInstant(knownAt) });

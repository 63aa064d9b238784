import { Controller, Get, Param, Query } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import { BookCommandService, Clock } from '@treasury/application';
import { Proposal, bookCommandCodecs, formatInstant, isBookCommandName } from '@treasury/domain';
import { commandErrorToProblem } from '../http/command-error.mapper';
import { ProblemException } from '../http/problem';
import { decodeQuery } from '../http/query.params';
import { requireBookId } from '../http/request-fields';
import { ProposalsQuery } from './proposal.params';

/** A proposal as the API shows it: `lapsed` once open past its expiry. */
export const proposalView = (proposal: Proposal, now: number) => {
  const codec = isBookCommandName(proposal.commandName) ? (bookCommandCodecs[proposal.commandName] as t.Type<unknown, unknown>) : undefined;
  return {
    proposalId: proposal.proposalId,
    command: proposal.commandName,
    body: proposal.command === undefined || codec === undefined ? null : codec.encode(proposal.command.body),
    proposedBy: proposal.proposedBy,
    proposedAt: formatInstant(proposal.proposedAt),
    expiresAt: formatInstant(proposal.expiresAt),
    status: proposal.status === 'open' && now >= proposal.expiresAt ? ('lapsed' as const) : proposal.status,
    decidedBy: proposal.decidedBy ?? null,
    decidedAt: proposal.decidedAt === undefined ? null : formatInstant(proposal.decidedAt),
    reason: proposal.reason ?? null,
  };
};

/** Four eyes: what waits for a second person, and what was decided, with who proposed and who decided. */
@Controller('v1/books/:bookId/proposals')
export class ProposalsController {
  constructor(
    private readonly commands: BookCommandService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    decodeQuery(ProposalsQuery, query);
    const proposals = await this.commands.proposals(bookId)();
    if (E.isLeft(proposals)) throw new ProblemException(commandErrorToProblem(proposals.left, bookId));
    const now = this.clock.now();
    return { bookId, proposals: proposals.right.map((proposal) => proposalView(proposal, now)) };
  }
}

import { Body, Controller, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as E from 'fp-ts/Either';
import { BookCommandService, CommandCaller, CommandResult, Principal } from '@treasury/application';
import { formatInstant, grantsAllow } from '@treasury/domain';
import { commandRole } from '../auth/access-policy';
import { CurrentPrincipal } from '../auth/auth.guard';
import { commandErrorToProblem } from '../http/command-error.mapper';
import { ProblemException, invalidRequest, problem } from '../http/problem';
import { decodeQuery } from '../http/query.params';
import { parseIfMatch, requireBookId, textHeaders } from '../http/request-fields';
import { BatchQuery, CommandQuery } from './command.params';
import { knownAtInBody, migrationRoleRefusal, placeKnownAt } from './known-at';
import { batchFailureToProblem, batchResultView, batchRoleRefusal, parseBatchBody } from './batch-commands';

export const commandResultView = (result: CommandResult) => ({
  bookId: result.bookId,
  command: result.command,
  commandId: result.commandId,
  revision: result.revision,
  logPosition: result.logPosition.toString(),
  replayed: result.replayed,
  events: result.events.map((event) => ({
    eventId: event.eventId,
    type: event.type,
    effectiveAt: formatInstant(event.effectiveAt),
    recordedAt: formatInstant(event.recordedAt),
  })),
});

/**
 * What a single command and a batch take from the request alike. The actor is who authenticated;
 * X-Actor is only kept as a labelled "on behalf of" note.
 */
const callerOf = (
  bookId: string,
  principal: Principal,
  raw: Record<'idempotency-key' | 'x-actor' | 'x-correlation-id', string | undefined>,
  ifMatch: string | undefined,
): CommandCaller => {
  const headers = textHeaders(raw);
  return {
    bookId,
    actor: principal.id,
    actorName: principal.name,
    ...(headers['x-actor'] === undefined ? {} : { onBehalfOf: headers['x-actor'] }),
    mayDecideProposalOf: (proposed) => grantsAllow(principal.grants, commandRole(proposed), bookId),
    expectedRevision: parseIfMatch(ifMatch),
    ...(headers['idempotency-key'] === undefined ? {} : { idempotencyKey: headers['idempotency-key'] }),
    ...(headers['x-correlation-id'] === undefined ? {} : { correlationId: headers['x-correlation-id'] }),
  };
};

@Controller('v1/books/:bookId/commands')
export class CommandsController {
  constructor(private readonly commands: BookCommandService) {}

  /** A batch: every item decided in order and appended in one commit, or none (see batch-commands.ts). */
  @Post()
  @HttpCode(201)
  async executeBatch(
    @Param('bookId') rawBookId: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-actor') actor: string | undefined,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ) {
    const bookId = requireBookId(rawBookId);
    // A batch item's knownAt sits beside its command: a `?knownAt=` here must not be silently dropped.
    decodeQuery(BatchQuery, query);
    if (!request.is('application/json')) {
      throw new ProblemException(
        problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send the batch as Content-Type: application/json.'),
      );
    }
    const caller = callerOf(
      bookId,
      principal,
      { 'idempotency-key': idempotencyKey, 'x-actor': actor, 'x-correlation-id': correlationId },
      ifMatch,
    );
    const parsed = parseBatchBody(body);
    if ('problem' in parsed) throw new ProblemException(parsed.problem);
    // The guard asked only for a viewer on the book: every item needs its own command's role.
    const forbidden = batchRoleRefusal(parsed.items, principal, bookId);
    if (forbidden !== undefined) throw new ProblemException(forbidden);
    const outcome = await this.commands.executeBatch({ ...caller, items: parsed.items, atomicity: 'all' })();
    if (E.isLeft(outcome)) throw new ProblemException(batchFailureToProblem(outcome.left, parsed.items, bookId));
    response.setHeader('ETag', `"${outcome.right.revision}"`);
    if (outcome.right.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return batchResultView(outcome.right);
  }

  @Post(':command')
  @HttpCode(201)
  async execute(
    @Param('bookId') rawBookId: string,
    @Param('command') command: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-actor') actor: string | undefined,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ) {
    const bookId = requireBookId(rawBookId);
    if (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0' && !request.is('application/json')) {
      throw new ProblemException(
        problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send the command as Content-Type: application/json.'),
      );
    }
    const caller = callerOf(
      bookId,
      principal,
      { 'idempotency-key': idempotencyKey, 'x-actor': actor, 'x-correlation-id': correlationId },
      ifMatch,
    );
    // Migration mode: `?knownAt=` is when the old system knew the command (a typo must not record it at the clock).
    const { knownAt } = decodeQuery(CommandQuery, query);
    const inBody = knownAtInBody(body, '', 'as the query parameter knownAt');
    if (inBody !== undefined) throw new ProblemException(invalidRequest([inBody]));
    const forbidden = knownAt === undefined ? undefined : migrationRoleRefusal(principal, bookId);
    if (forbidden !== undefined) throw new ProblemException(forbidden);
    const outcome = await this.commands.execute({ ...caller, command, body, ...(knownAt === undefined ? {} : { knownAt }) })();
    if (E.isLeft(outcome)) {
      const refused = commandErrorToProblem(outcome.left, bookId);
      throw new ProblemException(
        refused.errors === undefined ? refused : { ...refused, errors: placeKnownAt(refused.errors, 'query.knownAt') },
      );
    }
    response.setHeader('ETag', `"${outcome.right.revision}"`);
    if (outcome.right.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return commandResultView(outcome.right);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { VerifyBookQuery } from '@treasury/application';
import { eventsErrorToProblem } from '../http/command-error.mapper';
import { ProblemException } from '../http/problem';
import { decodeQuery } from '../http/query.params';
import { requireBookId } from '../http/request-fields';
import { BookVerifyQuery } from './audit.params';

@Controller('v1/books/:bookId')
export class AuditController {
  constructor(private readonly verifier: VerifyBookQuery) {}

  /** Recomputes the book's hash chain from its first event; names the first event that does not hold. */
  @Get('verify')
  async verify(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    decodeQuery(BookVerifyQuery, query);
    const report = await this.verifier.verify(bookId)();
    if (E.isLeft(report)) throw new ProblemException(eventsErrorToProblem(report.left, bookId));
    return { bookId, ...report.right };
  }
}

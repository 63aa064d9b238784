import { Controller, Get, Param } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { VerifyBookQuery } from '@treasury/application';
import { eventsErrorToProblem } from '../http/command-error.mapper';
import { ProblemException } from '../http/problem';
import { requireBookId } from '../http/request-fields';

@Controller('v1/books/:bookId')
export class AuditController {
  constructor(private readonly verifier: VerifyBookQuery) {}

  /** Recomputes the book's hash chain from its first event; names the first event that does not hold. */
  @Get('verify')
  async verify(@Param('bookId') rawBookId: string) {
    const bookId = requireBookId(rawBookId);
    const report = await this.verifier.verify(bookId)();
    if (E.isLeft(report)) throw new ProblemException(eventsErrorToProblem(report.left, bookId));
    return { bookId, ...report.right };
  }
}

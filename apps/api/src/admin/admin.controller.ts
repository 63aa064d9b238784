import { Controller, HttpCode, Post, Query } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { PositionProjector, describeFinding } from '@treasury/application';
import { ProblemException, problem } from '../http/problem';
import { NO_QUERY, decodeQuery } from '../http/query.params';

@Controller('v1/admin/projections')
export class AdminController {
  constructor(private readonly projector: PositionProjector) {}

  /**
   * Re-folds the whole log from zero, in slices that leave the event loop to other requests, and swaps
   * the result in once caught up; queries keep answering from the old projection meanwhile. Concurrent
   * requests share one rebuild. It clears the findings of vanished events, and says which. The same as
   * `npm run rebuild`, without stopping the server.
   */
  @Post('rebuild')
  @HttpCode(200)
  async rebuild(@Query() query: Record<string, unknown>) {
    decodeQuery(NO_QUERY, query);
    const report = await this.projector.rebuild()();
    if (E.isLeft(report)) throw new ProblemException(problem(503, 'rebuild-failed', 'Rebuild failed', report.left.message));
    const { fromStore, checkpoint, ms, clearedFindings } = report.right;
    return {
      events: fromStore,
      checkpoint: checkpoint.toString(),
      ms: Math.round(ms),
      eventsPerSecond: ms > 0 ? Math.round((fromStore * 1000) / ms) : null,
      clearedFindings: clearedFindings.map((finding) => ({
        bookId: finding.bookId,
        reason: finding.reason,
        expected: finding.expected,
        found: finding.found,
        detail: describeFinding(finding),
      })),
      failedBooks: this.projector
        .failures()
        .map((f) => ({ bookId: f.bookId, eventId: f.eventId, revision: f.revision, message: f.message })),
    };
  }
}

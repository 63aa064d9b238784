import { Controller, Get, Query } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { ACCESS_CHAIN, ACCESS_STREAM, checkLink, GENESIS_HASH, readAccessLog } from '@treasury/application';
import { EventStore, StoredEvent, storeErrorMessage } from '@treasury/event-store';
import { ProblemException, problem } from '../http/problem';
import { decodeQuery } from '../http/query.params';
import { AccessEventsQuery, AccessVerifyQuery, MAX_ACCESS_PAGE } from './access.params';

const MAX_PAGE = MAX_ACCESS_PAGE;
const VERIFY_PAGE = 1_000;

/** An access event as an auditor sees it: the secret's hash is replaced by a mark that it exists. */
const accessEventView = (stored: StoredEvent) => {
  const { secretHash, ...data } = stored.data as { secretHash?: unknown };
  return {
    eventId: stored.eventId,
    revision: stored.revision,
    type: stored.type,
    data: secretHash === undefined ? data : { ...data, secretHash: '(scrypt hash, withheld)' },
    metadata: stored.metadata,
  };
};

const storeDown = (message: string) => new ProblemException(problem(503, 'store-unavailable', 'Event store unavailable', message));

/** The access log (keys created, re-scoped, revoked, used): read and verified like a book. */
@Controller('v1/access')
export class AccessLogController {
  constructor(private readonly store: EventStore) {}

  @Get('events')
  async events(@Query() query: Record<string, unknown>) {
    const { after, limit = MAX_PAGE } = decodeQuery(AccessEventsQuery, query);
    const page = await readAccessLog(this.store, after, limit)();
    if (E.isLeft(page)) throw storeDown(page.left.message);
    return { events: page.right.events.map(accessEventView), next: page.right.next };
  }

  /** Recomputes the access log's hash chain, as `GET /v1/books/{id}/verify` does for a book. */
  @Get('verify')
  async verify(@Query() query: Record<string, unknown>) {
    decodeQuery(AccessVerifyQuery, query);
    let previousHash = GENESIS_HASH;
    let checked = 0;
    for (;;) {
      const page = await this.store.readStream(ACCESS_STREAM, { fromRevision: checked, maxCount: VERIFY_PAGE })();
      if (E.isLeft(page)) throw storeDown(storeErrorMessage(page.left));
      for (const stored of page.right) {
        const broken = checkLink(ACCESS_CHAIN, stored, checked, previousHash);
        if (broken !== undefined) return { ok: false, checked, firstBroken: broken, lastHash: previousHash };
        previousHash = (stored.metadata as { hash: string }).hash;
        checked += 1;
      }
      if (page.right.length < VERIFY_PAGE) return { ok: true, checked, firstBroken: null, lastHash: previousHash };
      // Let other requests in between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

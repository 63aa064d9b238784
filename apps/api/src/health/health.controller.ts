import { Controller, Get } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { EventStore, storeErrorMessage } from '@treasury/event-store';
import { ProblemException, problem } from '../http/problem';

@Controller('health')
export class HealthController {
  constructor(private readonly store: EventStore) {}

  /** Up means the event store answers a read, not merely that the process is alive. */
  @Get()
  async health() {
    const probe = await this.store.readStream('health-probe', { maxCount: 1 })();
    if (E.isLeft(probe)) {
      throw new ProblemException(problem(503, 'store-unavailable', 'Event store unavailable', storeErrorMessage(probe.left)));
    }
    return { status: 'ok', eventStore: this.store.constructor.name };
  }
}

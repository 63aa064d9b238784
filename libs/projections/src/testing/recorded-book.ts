import * as E from 'fp-ts/Either';
import { BookCommand, BookState, RecordedBookEvent, decide, evolve, initialState } from '@treasury/domain';
import { command } from '@treasury/domain/testing/book-spec';
import { BookProjection } from '../book/book-projection';

/**
 * A book recorded the way the application records one: each command is decided against the state so
 * far at its recording time, and its events are appended with that recordedAt. Refusals throw, so a
 * hand-computed test can only describe a book the engine would accept.
 */
export class RecordedBook {
  readonly events: RecordedBookEvent[] = [];
  /** The decider's state so far, for generators that shape the next command on it. */
  readonly state: BookState = initialState();

  /** Records `name` with its JSON body at `recordedAt` (ISO); returns the new event ids. */
  record(recordedAt: string, name: BookCommand['name'], body: Record<string, unknown>): string[] {
    const ids = this.tryRecord(Date.parse(recordedAt), command(name, body));
    if (E.isLeft(ids)) throw new Error(`${name} at ${recordedAt} was refused: ${JSON.stringify(ids.left)}`);
    return ids.right;
  }

  /** Decides an already decoded command at `now`; a refusal records nothing (random books keep what the engine accepts). */
  tryRecord(now: number, cmd: BookCommand): E.Either<unknown, string[]> {
    const decision = decide(cmd, this.state, { now });
    if (E.isLeft(decision)) return decision;
    return E.right(
      decision.right.map((event) => {
        const eventId = `00000000-0000-4000-8000-${String(this.events.length).padStart(12, '0')}`;
        const recorded: RecordedBookEvent = { eventId, revision: this.events.length, recordedAt: now, event };
        evolve(this.state, recorded);
        this.events.push(recorded);
        return eventId;
      }),
    );
  }

  projection(): BookProjection {
    const projection = new BookProjection();
    for (const event of this.events) projection.apply(event);
    return projection;
  }
}

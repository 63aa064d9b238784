import * as E from 'fp-ts/Either';
import { PathReporter } from 'io-ts/PathReporter';
import { BookCommand, BookCommandName, bookCommandCodecs } from '../book/book.commands';
import { BookState, decide, evolve, initialState } from '../book/book.decider';
import type { BookEvent } from '../book/book.events';
import type { DomainError } from '../errors';

/**
 * Given / when / then for the book decider. Commands are written as the JSON an API client sends and
 * decoded by the real codecs, so the tests read like requests and exercise the same parsing.
 */
export const command = <K extends BookCommandName>(name: K, body: Record<string, unknown>): BookCommand => {
  const decoded = bookCommandCodecs[name].decode(body);
  if (E.isLeft(decoded)) throw new Error(`bad test command ${name}: ${PathReporter.report(decoded).join('; ')}`);
  return { name, body: decoded.right } as BookCommand;
};

export const NOW = Date.parse('2026-03-01T00:00:00Z');
export const at = (iso: string): number => Date.parse(iso);

export interface BookSpec {
  readonly state: BookState;
  /** Ids of the given events, in order, for reversal tests. */
  readonly eventIds: ReadonlyArray<string>;
  when(cmd: BookCommand, now?: number): E.Either<DomainError, ReadonlyArray<BookEvent>>;
  /** The same, decided as a given principal (four eyes); given commands are decided as `proposer`. */
  whenBy(actor: string, cmd: BookCommand, now?: number): E.Either<DomainError, ReadonlyArray<BookEvent>>;
}

/** Builds state by deciding and recording each given command in turn, as the application would. */
export const given = (...commands: ReadonlyArray<BookCommand>): BookSpec => {
  const state = initialState();
  const eventIds: string[] = [];
  for (const cmd of commands) {
    const decision = decide(cmd, state, { now: NOW, actor: 'proposer' });
    if (E.isLeft(decision)) throw new Error(`given command ${cmd.name} was refused: ${JSON.stringify(decision.left)}`);
    for (const event of decision.right) {
      const eventId = `00000000-0000-4000-8000-${String(eventIds.length).padStart(12, '0')}`;
      evolve(state, { eventId, revision: state.revision + 1, recordedAt: NOW, event });
      eventIds.push(eventId);
    }
  }
  return {
    state,
    eventIds,
    when: (cmd, now = NOW) => decide(cmd, state, { now }),
    whenBy: (actor, cmd, now = NOW) => decide(cmd, state, { now, actor }),
  };
};

export const refusalOf = (decision: E.Either<DomainError, unknown>): DomainError => {
  if (E.isRight(decision))
    throw new Error(`expected a refusal, got ${JSON.stringify(decision.right, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
  return decision.left;
};

export const eventsOf = (decision: E.Either<DomainError, ReadonlyArray<BookEvent>>): ReadonlyArray<BookEvent> => {
  if (E.isLeft(decision)) throw new Error(`expected events, got ${JSON.stringify(decision.left)}`);
  return decision.right;
};

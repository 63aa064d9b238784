import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import { isBookCommandName } from '@treasury/domain';
import type { CommandError } from './command.errors';

/**
 * How one command (or one batch) ended, for whoever watches the service (the API's metrics). Every
 * field is from a small fixed set, so a watcher can use them as labels: a command name nobody knows
 * is `unknown`, never the name the caller sent.
 */
export interface CommandOutcome {
  /** The command's name, `batch` for a batch, `unknown` for a name that is not a command. */
  readonly command: string;
  /** `appended`, `replayed` (an Idempotency-Key's earlier answer), or the refusal's tag (`RuleViolated`, …). */
  readonly outcome: 'appended' | 'replayed' | CommandError['_tag'];
  /** From the call to the answer, lock wait and commit included. */
  readonly seconds: number;
}

/** Told of every command the service answers; it must not throw or block (it runs on the command's path). */
export interface CommandObserver {
  onCommand(outcome: CommandOutcome): void;
}

export const commandLabel = (name: string): string => (isBookCommandName(name) ? name : 'unknown');

/** Runs `task` and tells the observer how it ended; the task's answer is passed on untouched. */
export const observed =
  <L, R>(
    observer: CommandObserver | undefined,
    command: string,
    task: TE.TaskEither<L, R>,
    outcomeOf: (answer: E.Either<L, R>) => CommandOutcome['outcome'],
  ): TE.TaskEither<L, R> =>
  async () => {
    if (observer === undefined) return task();
    const started = performance.now();
    const answer = await task();
    try {
      observer.onCommand({ command, outcome: outcomeOf(answer), seconds: (performance.now() - started) / 1000 });
    } catch {
      // A watcher's failure is never the command's: the answer stands.
    }
    return answer;
  };

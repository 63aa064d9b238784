import type { CommandError } from '@treasury/application';
import type { EventStoreError } from '@treasury/event-store';
import { STORE_RETRY_AFTER_SECONDS, commandErrorToProblem, storeErrorToProblem } from './command-error.mapper';

const cases: Array<[EventStoreError, number, string, boolean]> = [
  [{ _tag: 'StoreUnavailable', message: 'EventStoreDB: 14 UNAVAILABLE' }, 503, 'store-unavailable', true],
  [{ _tag: 'NotLeader', message: 'the EventStoreDB node is not the leader (leader: esdb2:2113)' }, 503, 'store-not-leader', true],
  [{ _tag: 'OutcomeUnknown', message: 'the outcome of the append is unknown: deadline exceeded' }, 503, 'store-outcome-unknown', true],
  [{ _tag: 'AppendTooLarge', message: 'too large', maxAppendSize: 1_048_576 }, 413, 'append-too-large', false],
  [{ _tag: 'StreamDeleted', stream: 'book-a', message: 'deleted' }, 410, 'stream-deleted', false],
  [{ _tag: 'SerialisationFailed', message: 'a bigint', path: 'events[0].data.x' }, 422, 'event-not-serialisable', false],
  [{ _tag: 'AccessDenied', message: 'refused' }, 503, 'store-access-denied', false],
  [{ _tag: 'WrongExpectedRevision', stream: 'book-a', expected: '3', actual: '5' }, 409, 'store-conflict', true],
];

describe('store errors as problem documents', () => {
  it.each(cases)('%o is %i %s, never a 500, with a retry delay only when a retry can help', (error, status, slug, retry) => {
    const problem = storeErrorToProblem(error);
    expect(problem).toMatchObject({ status, type: expect.stringMatching(new RegExp(`/${slug}$`)) });
    expect(problem['retryAfterSeconds']).toBe(retry ? STORE_RETRY_AFTER_SECONDS : undefined);
  });

  it('says that the outcome is unknown and that a retry with the same Idempotency-Key is safe', () => {
    const problem = storeErrorToProblem({
      _tag: 'OutcomeUnknown',
      message:
        'the outcome of the append is unknown: deadline exceeded; it may or may not have been written (retrying with the same Idempotency-Key is safe)',
    });
    expect(problem.detail).toMatch(/outcome .* unknown.*Idempotency-Key/);
  });

  it("maps a command's store failure by the store error it carries, and without one as store unavailable", () => {
    const carried = { _tag: 'StoreFailure', message: 'x', store: cases[3]![0] } as CommandError;
    expect(commandErrorToProblem(carried, 'b1').status).toBe(413);
    const bare: CommandError = { _tag: 'StoreFailure', message: 'down' };
    expect(commandErrorToProblem(bare, 'b1')).toMatchObject({ status: 503, retryAfterSeconds: STORE_RETRY_AFTER_SECONDS });
  });
});

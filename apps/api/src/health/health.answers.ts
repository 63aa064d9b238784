import * as t from 'io-ts';
import { asComponent } from '@treasury/domain';
import { Integer, PositionText, SameShape, closed, nullable } from '../docs/answer-codecs';
import { LogFindingAnswer } from '../events/event.answers';
import type { HealthController } from './health.controller';
import type { AdminController } from '../admin/admin.controller';

/** What /health, /ready and the projection rebuild answer. */
const Finding = t.exact(t.intersection([LogFindingAnswer.type, t.type({ detail: t.string })]));

const SnapshotAnswer = t.union([
  closed({ status: t.literal('none') }),
  closed({ status: t.literal('loaded'), checkpoint: PositionText, events: Integer }),
  closed({ status: t.literal('discarded'), reason: t.string }),
  closed({ status: t.literal('rebuilt') }),
]);

export const HealthAnswer = asComponent(
  closed({
    status: t.union([t.literal('ok'), t.literal('degraded')]),
    eventStore: t.string,
    projection: closed({
      started: t.boolean,
      caughtUp: t.boolean,
      checkpoint: PositionText,
      head: PositionText,
      lag: PositionText,
      rebuilding: t.boolean,
      snapshot: SnapshotAnswer,
      snapshotNotSaved: nullable(t.string),
      failedBooks: t.readonlyArray(
        closed({ bookId: t.string, eventId: t.string, revision: Integer, logPosition: PositionText, message: t.string }),
      ),
      vanishedEvents: t.readonlyArray(Finding),
      subscription: closed({
        drops: Integer,
        lastDrop: nullable(closed({ message: t.string, resumeAfter: nullable(PositionText), consecutive: Integer, retryInMs: Integer })),
      }),
    }),
  }),
  'Health',
);

export const ReadyAnswer = asComponent(closed({ status: t.literal('ready'), checkpoint: PositionText, lag: PositionText }), 'Ready');

export const RebuildAnswer = asComponent(
  closed({
    events: Integer,
    checkpoint: PositionText,
    ms: Integer,
    eventsPerSecond: nullable(Integer),
    clearedFindings: t.readonlyArray(Finding),
    failedBooks: t.readonlyArray(closed({ bookId: t.string, eventId: t.string, revision: Integer, message: t.string })),
  }),
  'RebuildReport',
);

export const healthAnswerIsTheView: SameShape<Awaited<ReturnType<HealthController['health']>>, t.TypeOf<typeof HealthAnswer>> = [
  (v) => v,
  (a) => a,
];
export const readyAnswerIsTheView: SameShape<Awaited<ReturnType<HealthController['ready']>>, t.TypeOf<typeof ReadyAnswer>> = [
  (v) => v,
  (a) => a,
];
export const rebuildAnswerIsTheView: SameShape<Awaited<ReturnType<AdminController['rebuild']>>, t.TypeOf<typeof RebuildAnswer>> = [
  (v) => v,
  (a) => a,
];

import * as t from 'io-ts';
import { ALERT_KINDS, asComponent } from '@treasury/domain';
import { InstantText, Integer, PositionText, SameShape, closed, mapOf, nullable } from '../docs/answer-codecs';
import type { FeedController } from './feed.controller';

const AlertKindText = t.keyof(Object.fromEntries(ALERT_KINDS.map((kind) => [kind, null])) as Record<(typeof ALERT_KINDS)[number], null>);

/** One AlertRaised, as GET /alerts lists it and the feed's `data:` carries it. */
export const AlertAnswer = asComponent(
  closed({
    eventId: t.string,
    type: t.literal('AlertRaised'),
    bookId: t.string,
    sequence: Integer,
    logPosition: PositionText,
    recordedAt: InstantText,
    kind: AlertKindText,
    subject: nullable(t.string),
    from: t.string,
    to: t.string,
    figures: mapOf(nullable(t.string)),
    causedBy: t.union([closed({ eventId: t.string, logPosition: PositionText }), closed({ timer: InstantText })]),
    detectedAt: InstantText,
  }),
  'Alert',
);

export const AlertsAnswer = asComponent(
  closed({ bookId: t.string, alerts: t.readonlyArray(AlertAnswer), next: nullable(Integer) }),
  'Alerts',
);

export const alertsAnswerIsTheView: SameShape<Awaited<ReturnType<FeedController['list']>>, t.TypeOf<typeof AlertsAnswer>> = [
  (v) => v,
  (a) => a,
];

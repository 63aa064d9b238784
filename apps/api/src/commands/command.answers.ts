import * as t from 'io-ts';
import { asComponent } from '@treasury/domain';
import { InstantText, Integer, PositionText, SameShape, Uuid, closed } from '../docs/answer-codecs';
import { EventTypeText } from '../positions/position.answers';
import type { commandResultView } from './commands.controller';
import type { batchResultView } from './batch-commands';

/** What a command and a batch answer (201). */
const AppendedEvent = closed({ eventId: Uuid, type: EventTypeText, effectiveAt: InstantText, recordedAt: InstantText });

export const CommandResultAnswer = asComponent(
  closed({
    bookId: t.string,
    command: t.string,
    commandId: Uuid,
    revision: Integer,
    logPosition: PositionText,
    replayed: t.boolean,
    events: t.readonlyArray(AppendedEvent),
  }),
  'CommandResult',
);

export const BatchResultAnswer = asComponent(
  closed({
    bookId: t.string,
    revision: Integer,
    logPosition: PositionText,
    replayed: t.boolean,
    items: t.readonlyArray(closed({ index: Integer, command: t.string, commandId: Uuid, events: t.readonlyArray(AppendedEvent) })),
  }),
  'BatchResult',
);

export const commandAnswerIsTheView: SameShape<ReturnType<typeof commandResultView>, t.TypeOf<typeof CommandResultAnswer>> = [
  (v) => v,
  (a) => a,
];
export const batchAnswerIsTheView: SameShape<ReturnType<typeof batchResultView>, t.TypeOf<typeof BatchResultAnswer>> = [(v) => v, (a) => a];

import * as t from 'io-ts';
import { asComponent } from '@treasury/domain';
import { InstantText, SameShape, closed, nullable, oneOf } from '../docs/answer-codecs';
import type { ProposalsController } from './proposals.controller';

/** What GET /proposals answers. `body` is the proposed command's body as it was sent (its schema is the command's). */
export const ProposalAnswer = closed({
  proposalId: t.string,
  command: t.string,
  body: t.unknown,
  proposedBy: t.string,
  proposedAt: InstantText,
  expiresAt: InstantText,
  status: oneOf(['open', 'approved', 'rejected', 'lapsed']),
  decidedBy: nullable(t.string),
  decidedAt: nullable(InstantText),
  reason: nullable(t.string),
});

export const ProposalsAnswer = asComponent(closed({ bookId: t.string, proposals: t.readonlyArray(ProposalAnswer) }), 'Proposals');

export const proposalsAnswerIsTheView: SameShape<Awaited<ReturnType<ProposalsController['list']>>, t.TypeOf<typeof ProposalsAnswer>> = [
  (v) => v,
  (a) => a,
];

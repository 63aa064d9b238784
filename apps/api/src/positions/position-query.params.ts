import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import type { PositionQueryError } from '@treasury/application';
import { positionErrorToProblem } from '../http/command-error.mapper';
import { ProblemException } from '../http/problem';
import { positionParam, timeParam } from '../http/request-fields';

export type Query = Record<string, unknown>;

/** knownAt and minPosition, which every query on the projection takes; knownAt may be a date (the end of that day in the book's zone). */
export const freshness = (query: Query) => {
  const knownAt = timeParam(query, 'knownAt');
  const minPosition = positionParam(query, 'minPosition');
  return { ...(knownAt === undefined ? {} : { knownAt }), ...(minPosition === undefined ? {} : { minPosition }) };
};

export const asOfCut = (query: Query) => {
  const asOf = timeParam(query, 'asOf');
  return { ...(asOf === undefined ? {} : { asOf }), ...freshness(query) };
};

/** Runs a projection query; a refusal leaves as its problem document. */
export const answer = async <A>(bookId: string, query: TE.TaskEither<PositionQueryError, A>): Promise<A> => {
  const result = await query();
  if (E.isLeft(result)) throw new ProblemException(positionErrorToProblem(result.left, bookId));
  return result.right;
};

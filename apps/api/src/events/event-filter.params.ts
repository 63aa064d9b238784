import type { EventFilter } from '@treasury/application';
import { FieldError, isBookEventType } from '@treasury/domain';
import { ProblemException, invalidRequest } from '../http/problem';
import { instantParam } from '../http/request-fields';

export const EVENT_FILTER_PARAMS = ['type', 'effectiveFrom', 'effectiveTo', 'recordedFrom', 'recordedTo', 'actor', 'reference', 'loanId', 'wallet'] as const;

const MAX_TEXT = 200;
const PRINTABLE = /^[\x20-\x7e]+$/;

/** The filters of GET …/events and its exports, every bad one reported together with its path. */
export const eventFilterFrom = (query: Record<string, unknown>): EventFilter => {
  const errors: FieldError[] = [];
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT || !PRINTABLE.test(value)) {
      errors.push({ path: `query.${name}`, message: `must be 1 to ${MAX_TEXT} printable characters, given once` });
      return undefined;
    }
    return value;
  };
  const instant = (name: string): number | undefined => {
    try {
      return instantParam(query, name);
    } catch (error) {
      if (error instanceof ProblemException) errors.push(...(error.problem.errors ?? []));
      return undefined;
    }
  };
  const typeText = text('type');
  const types = typeText?.split(',');
  const unknown = types?.filter((type) => !isBookEventType(type)) ?? [];
  if (unknown.length > 0) errors.push({ path: 'query.type', message: `unknown event type ${unknown.map((t) => `"${t}"`).join(', ')}; comma-separate several` });
  const filter: EventFilter = {
    ...(types === undefined || unknown.length > 0 ? {} : { types: types as EventFilter['types'] }),
    ...definedOnly({
      effectiveFrom: instant('effectiveFrom'),
      effectiveTo: instant('effectiveTo'),
      recordedFrom: instant('recordedFrom'),
      recordedTo: instant('recordedTo'),
      actor: text('actor'),
      reference: text('reference'),
      loanId: text('loanId'),
      wallet: text('wallet'),
    }),
  };
  if (filter.effectiveFrom !== undefined && filter.effectiveTo !== undefined && filter.effectiveTo < filter.effectiveFrom) {
    errors.push({ path: 'query.effectiveTo', message: 'must not be before effectiveFrom' });
  }
  if (filter.recordedFrom !== undefined && filter.recordedTo !== undefined && filter.recordedTo < filter.recordedFrom) {
    errors.push({ path: 'query.recordedTo', message: 'must not be before recordedFrom' });
  }
  if (errors.length > 0) throw new ProblemException(invalidRequest(errors));
  return filter;
};

const definedOnly = <T extends Record<string, unknown>>(record: T): Partial<T> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;

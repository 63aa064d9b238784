import type { FieldError } from '@treasury/domain';

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** For 400s: every failing field, by its path in the request (e.g. `btc`, `query.limit`, `headers.if-match`). */
  readonly errors?: ReadonlyArray<FieldError>;
  readonly [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://treasury-engine.dev/problems/';

export const problem = (status: number, slug: string, title: string, detail: string, extra: Record<string, unknown> = {}): Problem => ({
  type: `${PROBLEM_BASE}${slug}`,
  title,
  status,
  detail,
  ...extra,
});

export const invalidRequest = (errors: ReadonlyArray<FieldError>, detail = 'The request has invalid fields; see errors.'): Problem =>
  problem(400, 'invalid-request', 'Invalid request', detail, { errors });

/** Thrown by controllers and pipes to leave through the problem-details filter. */
export class ProblemException extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

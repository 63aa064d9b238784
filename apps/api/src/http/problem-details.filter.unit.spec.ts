import type { Response } from 'express';
import { problem } from './problem';
import { sendProblem } from './problem-details.filter';

/** Records what sendProblem does to a response. */
const recorder = () => {
  const seen: { headers: Record<string, string>; status?: number; type?: string; body?: string } = { headers: {} };
  const response = {
    setHeader: (name: string, value: string) => void (seen.headers[name] = value),
    status(code: number) {
      seen.status = code;
      return this;
    },
    type(value: string) {
      seen.type = value;
      return this;
    },
    send(body: string) {
      seen.body = body;
      return this;
    },
  };
  return { seen, response: response as unknown as Response };
};

describe('sendProblem', () => {
  it('sets Retry-After on a 503 that says when to retry, and only there', () => {
    const transient = recorder();
    sendProblem(transient.response, problem(503, 'store-unavailable', 'Event store unavailable', 'down', { retryAfterSeconds: 2 }));
    expect(transient.seen).toMatchObject({ headers: { 'Retry-After': '2' }, status: 503, type: 'application/problem+json' });
    expect(JSON.parse(transient.seen.body!)).toMatchObject({ retryAfterSeconds: 2 });

    const operatorMustAct = recorder();
    sendProblem(operatorMustAct.response, problem(503, 'store-access-denied', 'Event store refused access', 'denied'));
    expect(operatorMustAct.seen.headers).toEqual({});

    const notTransient = recorder();
    sendProblem(notTransient.response, problem(413, 'append-too-large', 'Too large', 'big', { retryAfterSeconds: 2 }));
    expect(notTransient.seen.headers).toEqual({});
  });
});

import { MAX_ATTEMPTS, RETRY_DELAYS_MS, retryDelay } from './backoff';
import { DeliveryAttempted, emptyEndpointState, endpointStatus, evolveEndpoint } from './delivery.events';
import { redactWebhookSecret, secretFingerprint } from './secret-redaction';

describe('retry schedule', () => {
  const total = (random: () => number) => {
    let sum = 0;
    for (let attempt = 1; ; attempt++) {
      const delay = retryDelay(attempt, random);
      if (delay === undefined) return { sum, attempts: attempt };
      sum += delay;
    }
  };

  it('starts at 5 s, grows to every 4 h, and spans at least 24 h at the lowest jitter', () => {
    expect(RETRY_DELAYS_MS.slice(0, 6)).toEqual([5_000, 30_000, 120_000, 600_000, 3_600_000, 7_200_000]);
    expect(total(() => 0)).toEqual({ sum: expect.any(Number), attempts: MAX_ATTEMPTS });
    expect(total(() => 0).sum).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(total(() => 0.999999).sum).toBeLessThan(30 * 3_600_000);
  });

  it('jitters each delay within ±10% and stops after the last attempt', () => {
    expect(retryDelay(1, () => 0)).toBe(4_500);
    expect(retryDelay(1, () => 0.5)).toBe(5_000);
    expect(retryDelay(2, () => 0.999999)).toBe(33_000);
    expect(retryDelay(MAX_ATTEMPTS - 1, () => 0.5)).toBe(14_400_000);
    expect(retryDelay(MAX_ATTEMPTS, () => 0.5)).toBeUndefined();
    expect(retryDelay(0, () => 0.5)).toBeUndefined();
  });
});

describe('endpoint state from its delivery log', () => {
  const attempt = (logPosition: string, n: number, extra: Partial<DeliveryAttempted>): DeliveryAttempted => ({
    type: 'WebhookDeliveryAttempted',
    logPosition,
    eventId: `e${logPosition}`,
    messageId: `msg_e${logPosition}`,
    attempt: n,
    attemptedAt: 1_000 * n,
    redelivery: false,
    outcome: 'failed',
    ...extra,
  });

  it('acknowledged moves the cursor; a failure is pending until given up; an admin retry restarts the schedule; a resend moves nothing', () => {
    let state = evolveEndpoint(emptyEndpointState, attempt('10', 1, { outcome: 'acknowledged', statusCode: 200 }), 0);
    expect([state.acknowledgedThrough, state.pending, endpointStatus(state, false)]).toEqual([10n, undefined, 'active']);
    state = evolveEndpoint(state, attempt('12', 1, { statusCode: 500, nextAttemptAt: 6_000 }), 1);
    expect([state.pending, endpointStatus(state, false)]).toEqual([
      { logPosition: 12n, eventId: 'e12', attempts: 1, nextAttemptAt: 6_000 },
      'retrying',
    ]);
    state = evolveEndpoint(state, attempt('12', 13, { gaveUp: true }), 2);
    expect(endpointStatus(state, false)).toBe('failing');
    state = evolveEndpoint(state, attempt('10', 1, { redelivery: true, outcome: 'acknowledged' }), 3);
    expect([state.acknowledgedThrough, state.pending?.logPosition]).toEqual([10n, 12n]);
    state = evolveEndpoint(
      state,
      { type: 'WebhookRedeliveryHandled', requestPosition: '40', logPosition: '12', action: 'retry-now', handledAt: 99_000 },
      4,
    );
    expect([state.pending, state.lastRequest, state.revision]).toEqual([
      { logPosition: 12n, eventId: 'e12', attempts: 0, nextAttemptAt: 99_000 },
      40n,
      4,
    ]);
    expect(endpointStatus(state, true)).toBe('disabled');
  });
});

describe('secret redaction', () => {
  it('replaces the secret of a WebhookRegistered with [redacted] and a fingerprint, and leaves other events alone', () => {
    const data = { webhookId: 'erp', url: 'https://x.example/', events: ['BtcSold'], secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0' };
    expect(redactWebhookSecret('WebhookRegistered', data)).toEqual({
      ...data,
      secret: '[redacted]',
      secretFingerprint: secretFingerprint(data.secret),
    });
    expect(secretFingerprint(data.secret)).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(redactWebhookSecret('BtcSold', { secret: 'kept' })).toEqual({ secret: 'kept' });
  });
});

/**
 * Waiting between delivery attempts, injectable so tests need not wait 24 hours: a test scheduler
 * resolves waits when the test moves its clock. Per-attempt HTTP timeouts are real time (the network is real).
 */
export abstract class WebhookScheduler {
  /** Resolves after `ms` milliseconds of the scheduler's time, or as soon as `signal` aborts. */
  abstract wait(ms: number, signal: AbortSignal): Promise<void>;
}

/** setTimeout's limit (about 24.8 days); a longer wait wakes then and is waited again by the caller. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class TimerScheduler extends WebhookScheduler {
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      // unref: a pending retry does not keep a process alive.
      const timer = setTimeout(done, Math.min(Math.max(0, ms), MAX_TIMER_MS));
      timer.unref();
      signal.addEventListener('abort', done);
    });
  }
}

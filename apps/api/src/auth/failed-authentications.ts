import { ipKeyGenerator } from 'express-rate-limit';

const WINDOW_MS = 60_000;
/** Addresses remembered at once; past it, the expired ones are dropped first, then the oldest. */
const MAX_TRACKED = 10_000;

/**
 * Refused authentications (401) per client address in a one-minute window. Past the limit the address
 * is turned away (429) until its window ends: each made-up key would otherwise be a new "principal" to
 * the per-credential rate limit, and a wrong secret for a real prefix costs an scrypt hash. Counted in
 * the guard, where the outcome is known, rather than by a second rate-limiter middleware on every request.
 */
export class FailedAuthentications {
  private readonly windows = new Map<string, { readonly startedAt: number; count: number }>();

  constructor(readonly limitPerMinute: number) {}

  /** Seconds until the address may try again, or 0 when it may now. */
  retryAfterSeconds(address: string | undefined, now: number): number {
    if (this.limitPerMinute <= 0) return 0;
    const window = this.windows.get(keyOf(address));
    if (window === undefined || now - window.startedAt >= WINDOW_MS || window.count < this.limitPerMinute) return 0;
    return Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
  }

  record(address: string | undefined, now: number): void {
    if (this.limitPerMinute <= 0) return;
    const key = keyOf(address);
    const window = this.windows.get(key);
    if (window !== undefined && now - window.startedAt < WINDOW_MS) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.prune(now);
    this.windows.set(key, { startedAt: now, count: 1 });
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= WINDOW_MS) this.windows.delete(key);
    // Still full: forget the oldest (a Map iterates in insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED) break;
      this.windows.delete(key);
    }
  }
}

/** IPv6 by /56, as express-rate-limit does, so one host cannot rotate through its addresses. */
const keyOf = (address: string | undefined): string => ipKeyGenerator(address ?? 'unknown');

import { Clock } from '@treasury/application';

/** A server clock the test sets and moves, so recordedAt values are known in advance. */
export class FixedClock extends Clock {
  constructor(private millis: number) {
    super();
  }
  now(): number {
    return this.millis;
  }
  set(iso: string): void {
    this.millis = Date.parse(iso);
  }
  advance(ms: number): void {
    this.millis += ms;
  }
}

/** The server clock, injected so that tests can pin recordedAt and deciders stay deterministic. */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

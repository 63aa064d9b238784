import { randomUUID } from 'node:crypto';

/** Event and command ids, injected for the same reason as the clock. */
export abstract class IdGenerator {
  abstract newId(): string;
}

export class RandomIds extends IdGenerator {
  newId(): string {
    return randomUUID();
  }
}

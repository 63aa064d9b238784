/** Enough for minutes of heads sampled twice a second; beyond it the oldest kept still bounds the lag from below. */
const MAX_SIGHTINGS = 4_096;

/**
 * Projection lag in seconds without trusting any event's own timestamps (a migrated event's recordedAt
 * is years old): remember when each new log head was first seen, and report how long ago the oldest
 * head the projection has not folded yet was seen. Accurate to the sampling interval.
 */
export class ProjectionLag {
  private readonly sightings: Array<{ readonly logPosition: bigint; readonly at: number }> = [];

  /** A head as seen at `at` (ms); a head not beyond the last one seen adds nothing. */
  sawHead(logPosition: bigint, at: number): void {
    const last = this.sightings[this.sightings.length - 1];
    if ((last === undefined || logPosition > last.logPosition) && this.sightings.length < MAX_SIGHTINGS)
      this.sightings.push({ logPosition, at });
  }

  /** Seconds since the first head beyond `checkpoint` was seen; 0 when the projection holds everything seen. */
  seconds(checkpoint: bigint, now: number): number {
    let folded = 0;
    while (folded < this.sightings.length && this.sightings[folded]!.logPosition <= checkpoint) folded += 1;
    if (folded > 0) this.sightings.splice(0, folded);
    const oldest = this.sightings[0];
    return oldest === undefined ? 0 : Math.max(0, now - oldest.at) / 1000;
  }
}

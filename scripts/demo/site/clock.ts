// One clock for the simulated org and the service: "wait past expiry" moves both forward without waiting, while the
// page (and any token it already holds) stays where it was.

/** The longest single jump; enough to pass any token lifetime the issuer allows (at most 3600 s). */
export const MAX_ADVANCE_SECONDS = 3600;

export class DemoClock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  readonly now = (): number => this.realNow() + this.offsetMs;

  get offsetSeconds(): number {
    return Math.round(this.offsetMs / 1000);
  }

  /** Forward only: going back in time would let bound sessions and the binding store disagree. */
  advance(seconds: number): void {
    if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_ADVANCE_SECONDS) {
      throw new RangeError(`seconds must be a whole number from 1 to ${MAX_ADVANCE_SECONDS}`);
    }
    this.offsetMs += seconds * 1000;
  }
}

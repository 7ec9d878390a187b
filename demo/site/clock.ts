// The demo clock for the simulated org and the service: "wait past expiry" moves both forward without waiting, while
// the page (and any token it already holds) stays where it was. The jump belongs to one browser session (the site
// session cookie), so one visitor's jump never expires another visitor's token; it ends with that session.

/** The longest single jump; enough to pass any token lifetime the issuer allows (at most 3600 s). */
export const MAX_ADVANCE_SECONDS = 3600;
/** As many offsets as the site keeps sessions; the oldest is forgotten first. */
const MAX_OFFSETS = 1000;

export class DemoClock {
  private readonly offsets = new Map<string, number>();
  /** The offset of the session whose request the service is answering (see during()); 0 otherwise. */
  private activeOffsetMs = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly realNow: () => number = Date.now) {}

  /** The service's clock: real time plus the offset of the session being served. */
  readonly now = (): number => this.realNow() + this.activeOffsetMs;

  /** The org's clock for one session (null: a visitor without a session, at real time). */
  nowFor(session: string | null): number {
    return this.realNow() + this.offsetMsOf(session);
  }

  offsetSecondsOf(session: string | null): number {
    return Math.round(this.offsetMsOf(session) / 1000);
  }

  /** Forward only: going back in time would let bound sessions and the binding store disagree. */
  advance(session: string, seconds: number): void {
    if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_ADVANCE_SECONDS) {
      throw new RangeError(`seconds must be a whole number from 1 to ${MAX_ADVANCE_SECONDS}`);
    }
    const offset = this.offsetMsOf(session) + seconds * 1000;
    this.offsets.delete(session);
    if (this.offsets.size >= MAX_OFFSETS) this.offsets.delete(this.offsets.keys().next().value!);
    this.offsets.set(session, offset);
  }

  /** The same browser under a new session id (logging in replaces the session): the jump goes with it. */
  move(from: string | null, to: string): void {
    if (from === null || !this.offsets.has(from)) return;
    this.offsets.set(to, this.offsets.get(from)!);
    this.offsets.delete(from);
  }

  forget(session: string | null): void {
    if (session !== null) this.offsets.delete(session);
  }

  /**
   * Runs `work` (which calls the in-process service) with the service's clock at this session's offset. The service
   * has one clock, so sessions take turns: one verification at a time, a few milliseconds each in the demo.
   */
  during<T>(session: string | null, work: () => Promise<T>): Promise<T> {
    const run = async () => {
      this.activeOffsetMs = this.offsetMsOf(session);
      try {
        return await work();
      } finally {
        this.activeOffsetMs = 0;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private offsetMsOf(session: string | null): number {
    return session === null ? 0 : (this.offsets.get(session) ?? 0);
  }
}

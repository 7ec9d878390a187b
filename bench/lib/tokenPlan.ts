// How a pool of fresh tokens is cut up. The service caches verified tokens, so a round that met a token before
// (in its warm-up, or an earlier round) would measure the cache, not verification: every phase of a case (warm-up,
// each measured round) gets its own slice, and no slice overlaps another. Each case starts a new server (and, for
// Redis, an emptied store), so the same slices serve every case.

export interface Phase {
  name: string;
  seconds: number;
}

export interface Slice {
  name: string;
  /** Index of the slice's first token in the pool. */
  start: number;
  count: number;
}

export interface PlanInput {
  phases: readonly Phase[];
  /** The highest request rate any case can reach (req/s): the slices are sized for it. */
  maxRate: number;
  /** Extra share on top of maxRate × seconds, for a rate above the estimate (0.25 = 25 % more). */
  headroom: number;
  /** Requests in flight at the end of a phase still take a token each. */
  connections: number;
}

export function tokensForPhase(
  seconds: number,
  input: Pick<PlanInput, 'maxRate' | 'headroom' | 'connections'>,
): number {
  if (!(seconds > 0)) throw new Error(`a phase must last a positive time, got ${seconds} s`);
  if (!(input.maxRate > 0) || !Number.isFinite(input.maxRate)) {
    throw new Error(`the expected maximum rate must be a positive number, got ${input.maxRate}`);
  }
  if (input.headroom < 0) throw new Error(`the headroom must not be negative, got ${input.headroom}`);
  return Math.ceil(input.maxRate * seconds * (1 + input.headroom)) + input.connections;
}

/** Consecutive, disjoint slices, one per phase, in order. */
export function planSlices(input: PlanInput): Slice[] {
  const names = new Set<string>();
  let start = 0;
  return input.phases.map((phase) => {
    if (names.has(phase.name)) throw new Error(`two phases are named "${phase.name}"`);
    names.add(phase.name);
    const count = tokensForPhase(phase.seconds, input);
    const slice = { name: phase.name, start, count };
    start += count;
    return slice;
  });
}

export function poolSize(slices: readonly Slice[]): number {
  return slices.reduce((total, slice) => Math.max(total, slice.start + slice.count), 0);
}

/** Splits a slice into `parts` disjoint slices (for several load generators feeding instances that share a store). */
export function splitSlice(slice: Slice, parts: number): Slice[] {
  if (!Number.isInteger(parts) || parts < 1) throw new Error(`cannot split into ${parts} parts`);
  if (slice.count < parts)
    throw new Error(`slice "${slice.name}" has ${slice.count} tokens, fewer than ${parts} parts`);
  const base = Math.floor(slice.count / parts);
  return Array.from({ length: parts }, (_, i) => ({
    name: `${slice.name}#${i + 1}`,
    start: slice.start + i * base,
    count: i === parts - 1 ? slice.count - (parts - 1) * base : base,
  }));
}

export interface WrapCheck {
  sent: number;
  available: number;
  /** More requests were sent than the slice had tokens: some token was sent twice and met the cache. */
  wrapped: boolean;
  /** Requests that carried a token already sent in this phase. */
  repeated: number;
}

export function checkWrap(sent: number, available: number): WrapCheck {
  if (!Number.isInteger(sent) || sent < 0) throw new Error(`requests sent must be a count, got ${sent}`);
  if (!Number.isInteger(available) || available < 1) throw new Error(`tokens available must be ≥ 1, got ${available}`);
  const repeated = Math.max(0, sent - available);
  return { sent, available, wrapped: repeated > 0, repeated };
}

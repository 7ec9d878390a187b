// A closed-loop load generator for tests: `concurrency` workers call `task` back to back until stopped. Each result
// is recorded with the phase that was current when the request was *sent*, so assertions can be per phase.
export interface Sample<T> {
  phase: string;
  result: T;
}

export interface Load<T> {
  setPhase(phase: string): void;
  /** Stops launching new requests and waits for the ones in flight. */
  stop(): Promise<Array<Sample<T>>>;
  samples(): ReadonlyArray<Sample<T>>;
}

export function startLoad<T>(concurrency: number, task: (n: number) => Promise<T>, phase = 'start'): Load<T> {
  let current = phase;
  let running = true;
  let counter = 0;
  const samples: Array<Sample<T>> = [];
  const worker = async () => {
    while (running) {
      const sentIn = current;
      const result = await task(counter++);
      samples.push({ phase: sentIn, result });
      // yield to timers and I/O between requests, so an in-process app cannot starve the test's own steps
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    setPhase: (next) => {
      current = next;
    },
    async stop() {
      running = false;
      await Promise.all(workers);
      return samples;
    },
    samples: () => samples,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or the deadline passes; returns whether it became true. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(pollMs);
  }
  return false;
}

/** The promise's value, or `fallback` when it takes longer than `ms` (the timer is cleared either way). */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

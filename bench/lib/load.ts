// One autocannon run on loopback, reduced to the figures the report needs.
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadOptions {
  port: number;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A fixed body, or a function giving the body of each request. */
  body?: string | (() => string);
  durationS?: number;
  /** At most this many requests (the run ends early when they are done, e.g. when a token pool runs out). */
  amount?: number;
  connections: number;
  /** Requests per second over all connections (open-loop pacing); unset = as fast as possible. */
  overallRate?: number;
}

export async function drive(options: LoadOptions): Promise<LoadResult> {
  const { body } = options;
  const request: autocannon.Request = {
    method: options.method,
    path: options.path,
    headers: { 'content-type': 'application/json', ...options.headers },
  };
  if (typeof body === 'string') request.body = body;
  if (typeof body === 'function') request.setupRequest = (req) => ({ ...req, body: body() });
  const durationS = options.durationS ?? 4;
  // The returned tracker is both an event emitter with stop() and a thenable of the result.
  const instance = autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    pipelining: 1,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: durationS }),
    ...(options.overallRate !== undefined ? { overallRate: options.overallRate } : {}),
    requests: [request],
    timeout: 10,
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  // With `amount`, autocannon ignores the duration: stop it ourselves so a run stays bounded in time.
  const timer =
    options.amount !== undefined && options.durationS !== undefined
      ? setTimeout(() => instance.stop(), durationS * 1000)
      : null;
  const result = await instance;
  if (timer) clearTimeout(timer);
  return {
    // completed requests over the run's real duration (a run that ended early is not averaged over idle seconds)
    requestsPerSecond: Math.round(result.requests.total / Math.max(result.duration, 0.001)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    p999Ms: result.latency.p99_9,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

// HTTP probes of the verification service (readiness, JWKS, one stateless verify), with a timeout on each call.

export const PROBE_TIMEOUT_MS = 5000;

export interface ProbeResponse {
  status: number;
  body: string;
}

export async function probe(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit = {},
): Promise<ProbeResponse | { error: string }> {
  try {
    const response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { error: `${(error as Error).message}${cause ? ` (${cause})` : ''}` };
  }
}

export function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

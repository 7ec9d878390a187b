// The fresh-token limit: what a server that did nothing but the HTTP work of the hello-world POST plus one synchronous
// RSA verify per request could reach on one core. Each request costs 1/helloPostRate seconds of HTTP and JSON and
// t_verify seconds of RSA, so limit = 1 / (1/helloPostRate + t_verify). Every fresh-token figure is read against it.

export function freshLimit(helloPostRate: number, verifySeconds: number): number {
  if (!(helloPostRate > 0) || !Number.isFinite(helloPostRate)) {
    throw new Error(`the hello-world POST rate must be a positive number, got ${helloPostRate}`);
  }
  if (!(verifySeconds > 0) || !Number.isFinite(verifySeconds)) {
    throw new Error(`the RSA verify time must be a positive number of seconds, got ${verifySeconds}`);
  }
  return 1 / (1 / helloPostRate + verifySeconds);
}

/** value ÷ base, or null when there is no base to compare with (a baseline that was not measured). */
export function ratio(value: number, base: number | undefined): number | null {
  if (base === undefined || !(base > 0) || !Number.isFinite(value)) return null;
  return value / base;
}

/** "0.62 ×", or "–" when there is no ratio. */
export function formatRatio(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(2)} ×`;
}

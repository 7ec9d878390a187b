// The times of a token read against a clock and its tolerance, in the verifier's own terms (tokens/verifier.ts):
// not_yet_valid when iat or nbf > now + tolerance; an unbound token expired when now ≥ exp + tolerance, too old when
// iat < now − max age − tolerance. Saying "10 s past exp, inside the 30 s tolerance" beats a surprising VALID.

export interface ClockRules {
  nowMs: number;
  toleranceSeconds: number;
  maxTokenAgeSeconds: number;
}

/** A duration for a person: whole seconds up to two minutes, then minutes, hours, days (rounded down). */
export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  // Rounded, so "10 s ago" and "still accepted for 20 s" add up to the 30 s tolerance when now has milliseconds.
  if (s < 119.5) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} days`;
}

function relative(deltaSeconds: number): string {
  if (Math.abs(deltaSeconds) < 1) return 'now';
  return deltaSeconds > 0 ? `in ${formatDuration(deltaSeconds)}` : `${formatDuration(deltaSeconds)} ago`;
}

/** `iat = 2026-11-23T11:59:50.000Z (10 s ago)`, with what the tolerance makes of it. */
export function describeTime(name: 'iat' | 'nbf' | 'exp', valueSeconds: number, rules: ClockRules): string {
  const now = rules.nowMs / 1000;
  const tolerance = rules.toleranceSeconds;
  const delta = valueSeconds - now;
  const when = relative(delta);
  let note = when;
  if (name === 'exp') {
    if (delta <= 0) {
      const left = valueSeconds + tolerance - now;
      note =
        left > 0
          ? `${when}; still accepted for ${formatDuration(left)}: within the ${tolerance} s clock tolerance`
          : `${when}: beyond the ${tolerance} s clock tolerance`;
    }
  } else if (delta > 0) {
    note =
      delta <= tolerance
        ? `${when}; accepted: within the ${tolerance} s clock tolerance`
        : `${when}: beyond the ${tolerance} s clock tolerance, so not yet valid`;
  } else if (name === 'iat' && now - valueSeconds > rules.maxTokenAgeSeconds + tolerance) {
    const maxAge = rules.maxTokenAgeSeconds;
    note = `${when}: older than the maximum token age of ${maxAge} s plus the ${tolerance} s tolerance`;
  }
  return `${name} = ${new Date(valueSeconds * 1000).toISOString()} (${note})`;
}

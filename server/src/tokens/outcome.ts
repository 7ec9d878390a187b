// What a verification answers: a verified identity, or a reason code with one sentence for a person.
import { REASONS, type ServiceReason } from './reasons';

export type BindingState = 'new' | 'same-session' | 'none';

export interface Verified {
  valid: true;
  userId: string;
  issuer: string | null;
  tokenId: string | null;
  expiresAt: string | null;
  binding: BindingState;
  claims: Record<string, unknown>;
  legacy?: true;
}

export interface Rejected {
  valid: false;
  reason: ServiceReason;
  detail: string;
}

export type Outcome = Verified | Rejected;

export function reject(reason: ServiceReason, detail: string = REASONS[reason]): Rejected {
  return { valid: false, reason, detail };
}

/** A request the service cannot answer with a verification outcome (HTTP 4xx). */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 401 | 413 | 429,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

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

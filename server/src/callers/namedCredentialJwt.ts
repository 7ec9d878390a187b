// Named Credential callers: Salesforce's External Credential (JWT protocol) sends `Authorization: Bearer <JWT>`,
// RS256/RS512 with a kid, about 2 minutes of life. Verified with jose against a separate trust folder.
import { createHash } from 'node:crypto';
import { jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import type { CallerJwtConfig } from '../config';
import { TrustStore } from '../keys/trustStore';
import { isWithinValidity } from '../keys/certificate';

export class NamedCredentialVerifier {
  readonly trustStore: TrustStore;
  /** Salesforce may reuse a JWT until it expires: remember accepted ones by hash so each costs one RSA check. */
  private readonly accepted = new Map<string, number>();

  constructor(
    private readonly config: CallerJwtConfig,
    private readonly now: () => number,
    private readonly clockToleranceSeconds: number,
  ) {
    this.trustStore = new TrustStore(config.trustDir);
  }

  /** True when the JWT is a valid caller credential. */
  async verify(jwt: string): Promise<boolean> {
    const nowMs = this.now();
    const hash = createHash('sha256').update(jwt).digest('base64url');
    const until = this.accepted.get(hash);
    if (until !== undefined) {
      if (until > nowMs) return true;
      this.accepted.delete(hash);
    }
    try {
      const { payload } = await jwtVerify(
        jwt,
        async (header) => {
          const key = typeof header.kid === 'string' ? this.trustStore.get(header.kid) : undefined;
          if (!key || !isWithinValidity(key, nowMs)) throw new joseErrors.JWKSNoMatchingKey();
          return key.publicKey;
        },
        {
          algorithms: ['RS256', 'RS512'],
          issuer: this.config.issuer,
          audience: this.config.audience,
          requiredClaims: ['exp', 'iat'],
          clockTolerance: this.clockToleranceSeconds,
          currentDate: new Date(nowMs),
          // External Credential JWTs are short-lived by default (2 minutes); refuse long-lived bearer credentials.
          maxTokenAge: '1h',
        },
      );
      this.remember(hash, payload, nowMs);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.trustStore.close();
  }

  private remember(hash: string, payload: JWTPayload, nowMs: number): void {
    if (this.accepted.size > 10_000) this.accepted.clear();
    this.accepted.set(hash, Math.min((payload.exp ?? 0) * 1000, nowMs + 3600_000));
  }
}

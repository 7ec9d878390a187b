// Named Credential callers: Salesforce's External Credential (JWT protocol) sends `Authorization: Bearer <JWT>`,
// RS256/RS512 with a kid, about 2 minutes of life. Verified with jose against a separate trust folder, which is
// reloaded on change like the identity trust folder, so a caller certificate can be revoked without a restart.
import { jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import type { CallerJwtConfig } from '../config';
import { TrustStore, type TrustStoreEvents } from '../keys/trustStore';
import { isWithinValidity } from '../keys/certificate';
import { sha256Base64url } from '../sha256';

export class NamedCredentialVerifier {
  readonly trustStore: TrustStore;
  /**
   * Salesforce may reuse a JWT until it expires: remember accepted ones by hash (with the caller they proved) so each
   * costs one RSA check. Emptied on every trust-folder reload: an accepted JWT must not outlive its certificate.
   */
  private readonly accepted = new Map<string, { until: number; caller: string }>();

  constructor(
    private readonly config: CallerJwtConfig,
    private readonly now: () => number,
    private readonly clockToleranceSeconds: number,
    events: TrustStoreEvents = {},
  ) {
    this.trustStore = new TrustStore(config.trustDir, {
      onReload: (snapshot) => {
        this.accepted.clear();
        events.onReload?.(snapshot);
      },
    });
  }

  /** The caller the JWT proves (its kid and subject), or null when it is not a valid caller credential. */
  async verify(jwt: string): Promise<string | null> {
    const nowMs = this.now();
    const hash = sha256Base64url(jwt);
    const known = this.accepted.get(hash);
    if (known !== undefined) {
      if (known.until > nowMs) return known.caller;
      this.accepted.delete(hash);
    }
    try {
      const { payload, protectedHeader } = await jwtVerify(
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
      const caller = `${protectedHeader.kid ?? ''}\n${payload.sub ?? ''}`;
      this.remember(hash, payload, caller, nowMs);
      return caller;
    } catch {
      return null;
    }
  }

  /** Reloads the caller trust folder on change (fs.watch, and a poll every `pollMs` as the fallback). */
  watch(pollMs = 2000): void {
    this.trustStore.watch(pollMs);
  }

  close(): void {
    this.trustStore.close();
  }

  private remember(hash: string, payload: JWTPayload, caller: string, nowMs: number): void {
    if (this.accepted.size > 10_000) this.accepted.clear();
    this.accepted.set(hash, { until: Math.min((payload.exp ?? 0) * 1000, nowMs + 3600_000), caller });
  }
}

// Apex methods imported by the LWC sources. sfdx-lwc-jest and the platform resolve these at run time; TypeScript needs
// the shapes. Mirrors the shared contract for PrechatGuardIdentityController.getIdentity (owned by the Apex package).
declare module '@salesforce/apex/PrechatGuardIdentityController.getIdentity' {
  /** What the controller returns. Guests: loggedIn false and every other property null. */
  export interface PrechatGuardIdentityResponse {
    loggedIn: boolean;
    /** 18-character user id. */
    userId: string | null;
    /** Compact JWS (header.payload.signature). */
    token: string | null;
    /** ISO 8601 UTC, e.g. 2026-11-23T16:05:00.000Z. */
    expiresAt: string | null;
    firstName: string | null;
  }
  const getIdentity: () => Promise<PrechatGuardIdentityResponse>;
  export default getIdentity;
}

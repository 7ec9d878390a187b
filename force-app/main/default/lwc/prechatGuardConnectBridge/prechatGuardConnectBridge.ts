// Amazon Connect bridge: answers the head-markup `authenticate` handler (docs/amazon-connect.md) with a fresh identity
// token. Always fresh: the exchange consumes a token, so a cached one would answer `replayed` on the next chat.
// Renders nothing; the Apex call lives in the shared identity module.
import { LightningElement } from 'lwc';
import { IdentityClient } from 'c/prechatGuardIdentity';

export const REQUEST_EVENT = 'prechatguard:identity-request';
export const ANSWER_EVENT = 'prechatguard:identity';

export default class PrechatGuardConnectBridge extends LightningElement {
  private readonly identity = new IdentityClient();
  private readonly onRequest = (): void => {
    void this.answer();
  };

  override connectedCallback(): void {
    document.addEventListener(REQUEST_EVENT, this.onRequest);
  }

  override disconnectedCallback(): void {
    document.removeEventListener(REQUEST_EVENT, this.onRequest);
  }

  private async answer(): Promise<void> {
    let token: string | null;
    try {
      const identity = await this.identity.refresh();
      token = identity.kind === 'user' ? identity.token : null;
    } catch {
      // The head script reports "not logged in"; no Apex error text reaches the page script.
      token = null;
    }
    // A plain string (or null) as detail: nothing for the page script to unwrap.
    document.dispatchEvent(new CustomEvent(ANSWER_EVENT, { detail: token }));
  }
}

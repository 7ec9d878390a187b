// Custom pre-chat form for legacy Embedded Service Chat (target lightningSnapin__PreChat). It renders the fields
// configured in Setup with real labels, validates them with the base class, and starts the chat with them. The
// signed-in user's id and identity token travel separately: a pre-chat component cannot reach `embedded_svc`, so it
// hands them to the snippet settings file (Salesforce KB 000380580), which puts them on the LiveChatTranscript fields.
// Guests, and visitors who choose to after an error, start without them.
import { api } from 'lwc';
import BasePrechat, { type PrechatField } from 'lightningsnapin/basePrechat';
import { IdentityClient, toIdentityError, type ChatIdentity, type SignedInIdentity } from 'c/prechatGuardIdentity';

/**
 * Sent on `document` when the visitor starts the chat. The snippet settings file's listener copies `userId` and `token`
 * into the values of its `extraPrechatFormDetails` (or removes them when null) and then calls `startChat`.
 */
export const LEGACY_VALUES_EVENT = 'prechatguard:legacy-prechat';

/** The event's detail. Plain values and one function: the KB's pattern, which crosses the component sandbox. */
export interface LegacyPrechatDetail {
  userId: string | null;
  token: string | null;
  /** Starts the chat with the validated form fields. One-shot: later calls do nothing. */
  startChat: () => void;
}

/** Named in the warning when nothing answers the event, so an admin knows what to install. */
export const SNIPPET_SETTINGS_RESOURCE = 'PrechatGuardSnippetSettings';

interface FormField {
  name: string;
  label: string;
  value: string;
  required: boolean;
  maxLength: number | undefined;
  inputType: string;
  autocomplete: string;
  inputId: string;
  errorId: string;
  errorMessage: string;
  describedBy: string | null;
  ariaInvalid: string;
  containerClass: string;
}

type Status = 'loading' | 'user' | 'guest' | 'error';

const AUTOCOMPLETE: Record<string, string> = {
  firstname: 'given-name',
  lastname: 'family-name',
  email: 'email',
  phone: 'tel',
  subject: 'off',
};

export default class PrechatGuardLegacyPrechat extends BasePrechat {
  /** Set by the platform: the pre-chat fields configured for the deployment. */
  @api prechatFields: PrechatField[] = [];

  status: Status = 'loading';
  firstName: string | null = null;
  alertMessage = '';
  errorCode = '';
  starting = false;
  canStartAsGuest = false;
  values: Record<string, string> = {};
  fieldErrors: Record<string, string> = {};

  private identity = new IdentityClient();
  private disconnected = false;

  override connectedCallback(): void {
    this.disconnected = false;
    this.values = Object.fromEntries(this.prechatFields.map((field) => [field.name, field.value ?? '']));
    // Fetched early so the form can say who the chat will know; fetched again at start only if it went stale.
    void this.loadIdentity();
  }

  override disconnectedCallback(): void {
    this.disconnected = true;
  }

  get formFields(): FormField[] {
    return this.prechatFields.map((field, index) => {
      const errorMessage = this.fieldErrors[field.name] ?? '';
      return {
        name: field.name,
        label: field.label,
        value: this.values[field.name] ?? '',
        required: field.required === true,
        maxLength: typeof field.maxLength === 'number' && field.maxLength > 0 ? field.maxLength : undefined,
        inputType: inputTypeOf(field),
        autocomplete: AUTOCOMPLETE[field.name.toLowerCase()] ?? 'on',
        inputId: `prechat-field-${index}`,
        errorId: `prechat-field-${index}-error`,
        errorMessage,
        describedBy: errorMessage ? `prechat-field-${index}-error` : null,
        ariaInvalid: String(errorMessage !== ''),
        containerClass: errorMessage ? 'slds-form-element slds-has-error' : 'slds-form-element',
      };
    });
  }

  get statusText(): string {
    switch (this.status) {
      case 'loading':
        return 'Checking your sign-in…';
      case 'user':
        return this.firstName
          ? `You're signed in, ${this.firstName}. The chat will know who you are.`
          : "You're signed in. The chat will know who you are.";
      case 'guest':
        return "You're not signed in. You can still chat; sign in first if you need help with your account.";
      default:
        return '';
    }
  }

  get hasAlert(): boolean {
    return this.alertMessage !== '';
  }

  get startLabel(): string {
    return this.starting ? 'Starting chat…' : 'Start chat';
  }

  handleInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const name = input.dataset.name;
    if (name) {
      this.values = { ...this.values, [name]: input.value };
      if (this.fieldErrors[name]) {
        const { [name]: _cleared, ...rest } = this.fieldErrors;
        this.fieldErrors = rest;
      }
    }
  }

  handleSubmit(event: Event): void {
    event.preventDefault();
    void this.start(true);
  }

  handleStartAsGuest(): void {
    void this.start(false);
  }

  private async loadIdentity(): Promise<void> {
    try {
      this.showIdentity(await this.identity.get());
    } catch (error) {
      if (!this.disconnected) this.showError(toIdentityError(error));
    }
  }

  private async start(withIdentity: boolean): Promise<void> {
    if (this.starting) return;
    const fields = this.collectFields();
    if (!fields) return;

    let identity: ChatIdentity = { kind: 'guest' };
    if (withIdentity) {
      this.starting = true;
      try {
        // Refreshes first when the token is close to expiry, so the chat never starts with a stale one.
        identity = await this.identity.get();
      } catch (error) {
        this.starting = false;
        if (!this.disconnected) this.showError(toIdentityError(error));
        return;
      }
      if (this.disconnected) return;
      this.showIdentity(identity);
    }

    this.starting = false;
    this.handOver(fields, identity.kind === 'user' ? identity : null);
  }

  /**
   * Dispatches the values with a start-chat callback for the snippet settings file's listener, which fills them in
   * before the platform reads them at chat start. Listeners run synchronously inside dispatchEvent, so if the callback
   * has not run when it returns, nobody is listening (the static resource is not selected on the site): the chat then
   * starts anyway, unverified — the visitor still gets help, and the bot treats the chat as anonymous.
   */
  private handOver(fields: PrechatField[], identity: SignedInIdentity | null): void {
    let started = false;
    const startChat = (): void => {
      // A second call (a listener calling twice, or late after the fallback) must not open a second chat.
      if (started) return;
      started = true;
      this.startChat(fields);
    };
    const detail: LegacyPrechatDetail = { userId: identity?.userId ?? null, token: identity?.token ?? null, startChat };
    document.dispatchEvent(new CustomEvent(LEGACY_VALUES_EVENT, { detail }));
    if (!started) {
      console.warn(
        `prechat-guard: nothing answered ${LEGACY_VALUES_EVENT}, so the chat starts unverified. Select the static ` +
          `resource ${SNIPPET_SETTINGS_RESOURCE} as the Snippet Settings File of the Embedded Service Chat component.`,
      );
      startChat();
    }
  }

  /** The configured fields with the visitor's values, or null (and visible errors) when they do not validate. */
  private collectFields(): PrechatField[] | null {
    const errors: Record<string, string> = {};
    for (const field of this.prechatFields) {
      if (field.required && (this.values[field.name] ?? '').trim() === '') {
        errors[field.name] = `Enter your ${field.label.toLowerCase()}.`;
      }
    }
    this.fieldErrors = errors;
    const firstInvalid = Object.keys(errors)[0];
    if (firstInvalid) {
      this.alertMessage = 'Some required fields are empty. Fill them in to start the chat.';
      this.errorCode = 'required_fields';
      this.focusField(firstInvalid);
      return null;
    }

    const fields: PrechatField[] = this.prechatFields.map(({ label, name, required, maxLength }) => ({
      label,
      name,
      value: (this.values[name] ?? '').trim(),
      required,
      maxLength,
    }));
    if (!this.validateFields(fields).valid) {
      this.alertMessage = "Some of your details weren't accepted. Check them and try again.";
      this.errorCode = 'invalid_fields';
      return null;
    }
    this.alertMessage = '';
    this.errorCode = '';
    return fields;
  }

  private focusField(name: string): void {
    // After render, so the error text is already linked through aria-describedby when focus lands.
    Promise.resolve().then(() => {
      const inputs = Array.from(this.template?.querySelectorAll<HTMLInputElement>('input[data-name]') ?? []);
      inputs.find((input) => input.dataset.name === name)?.focus();
    });
  }

  private showIdentity(identity: ChatIdentity): void {
    this.status = identity.kind;
    this.firstName = identity.kind === 'user' ? identity.firstName : null;
    this.canStartAsGuest = false;
    if (this.errorCode.startsWith('identity_')) {
      this.alertMessage = '';
      this.errorCode = '';
    }
  }

  private showError(error: { code: string; message: string }): void {
    this.status = 'error';
    this.alertMessage = `${error.message} You can also chat without signing in.`;
    this.errorCode = `identity_${error.code}`;
    this.canStartAsGuest = true;
  }
}

function inputTypeOf(field: PrechatField): string {
  const hint = `${field.type ?? ''} ${field.name}`.toLowerCase();
  if (hint.includes('email')) return 'email';
  if (hint.includes('phone')) return 'tel';
  return 'text';
}

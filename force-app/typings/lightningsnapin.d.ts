// lightningsnapin/basePrechat: the base class of a custom pre-chat component for legacy Embedded Service Chat
// (target lightningSnapin__PreChat, API 48.0+). @salesforce/lightning-types has no lightningsnapin module, so these
// declarations are written from the developer guide and Salesforce's pre-chat sample:
// https://developer.salesforce.com/docs/atlas.en-us.snapins_web_dev.meta/snapins_web_dev/embedded_services_web_lightning_web_components.htm
// Only label, name, value, required and maxLength are documented by the sample; the rest is marked optional.
declare module 'lightningsnapin/basePrechat' {
  import { LightningElement } from 'lwc';

  /** One pre-chat field as configured in Setup (and as handed back to startChat). */
  export interface PrechatField {
    label: string;
    name: string;
    value?: string | null;
    required?: boolean;
    maxLength?: number;
    /** Seen in the wild (e.g. inputText, inputEmail, inputPhone, inputSelect); not documented. */
    type?: string;
    className?: string;
    picklistOptions?: ReadonlyArray<{ label: string; value: string }>;
  }

  /** Result of validateFields; only `valid` is documented. */
  export interface PrechatValidationResult {
    valid: boolean;
    [key: string]: unknown;
  }

  /**
   * Subclasses declare `@api prechatFields: PrechatField[]` themselves (as Salesforce's sample does): the platform sets
   * it to the fields configured for the deployment's pre-chat form.
   */
  export default class BasePrechat extends LightningElement {
    /** Checks the values against the deployment's pre-chat configuration. */
    validateFields(fields: PrechatField[]): PrechatValidationResult;
    /** Starts the chat with these field values. */
    startChat(fields: PrechatField[]): void;
  }
}

/*
 * Jest stand-in for the platform module `lightningsnapin/basePrechat`: the base class of custom pre-chat components
 * for legacy Embedded Service Chat (target lightningSnapin__PreChat). sfdx-lwc-jest stubs only the `lightning`
 * namespace, so jest.config.js maps this module here.
 *
 * The LWC engine freezes component prototypes, so tests cannot jest.spyOn(BasePrechat.prototype, ...). Instead every
 * call is reported to the module-level `basePrechatRecorder`, and tests choose what validateFields answers.
 */
import { LightningElement } from 'lwc';

const copy = (value) => JSON.parse(JSON.stringify(value));

export const basePrechatRecorder = {
  /** Each entry is a deep copy of the fields passed to startChat. */
  /** @type {Array<Array<{ label: string, name?: string, value?: unknown }>>} */
  startChatCalls: [],
  /** Each entry is a deep copy of the fields passed to validateFields. */
  /** @type {unknown[]} */
  validateFieldsCalls: [],
  /** What validateFields returns; the platform documents only `valid`. */
  validationResult: { valid: true },
  reset() {
    this.startChatCalls = [];
    this.validateFieldsCalls = [];
    this.validationResult = { valid: true };
  },
};

export default class BasePrechat extends LightningElement {
  validateFields(fields) {
    basePrechatRecorder.validateFieldsCalls.push(copy(fields));
    return basePrechatRecorder.validationResult;
  }

  startChat(fields) {
    basePrechatRecorder.startChatCalls.push(copy(fields));
  }
}

/*
 * Demo stand-in for the platform module `lightningsnapin/basePrechat`: the base class of a custom pre-chat component
 * for legacy Embedded Service Chat. validateFields checks what the deployment's pre-chat settings would (required
 * values, maximum lengths); startChat hands the fields to the simulated chat platform, which sends them with the snippet
 * settings file's extraPrechatFormDetails, as legacy chat does.
 */
/// <reference lib="dom" />
import { LightningElement } from 'lwc';
import { chatPlatform } from './simulatedChat';

export interface PrechatField {
  label: string;
  name: string;
  value?: string | null;
  required?: boolean;
  maxLength?: number;
}

export default class BasePrechat extends LightningElement {
  validateFields(fields: PrechatField[]): { valid: boolean; errors: string[] } {
    const errors: string[] = [];
    for (const field of fields) {
      const value = field.value ?? '';
      if (field.required && value.trim() === '') errors.push(`${field.label} is required.`);
      if (typeof field.maxLength === 'number' && field.maxLength > 0 && value.length > field.maxLength) {
        errors.push(`${field.label} is longer than ${field.maxLength} characters.`);
      }
    }
    return { valid: errors.length === 0, errors };
  }

  startChat(fields: PrechatField[]): void {
    void chatPlatform.startLegacyChat(fields.map((field) => ({ ...field })));
  }
}

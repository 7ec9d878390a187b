// The Apex side's reason codes (force-app/main/default/classes/PrechatGuardReasons.cls) against their sources: the
// service's codes must be exactly the service's list (server/src/tokens/reasons.ts), so a code added to the service
// cannot be forgotten in Apex nor an Apex constant drift from what the service sends; the codes produced in the org
// must be the ones documented: docs/architecture.md §5 (no_token) and the actions' reason-code table
// (docs/salesforce-package.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REASONS, type Reason, type ServiceReason } from '../../server/src/tokens/reasons';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/**
 * The codes in REASONS that the service never sends. A Record over the type, so that tsc fails when reasons.ts
 * changes which codes are service codes and this list is not updated with it.
 */
const ORG_ONLY_IN_REASONS: Record<Exclude<Reason, ServiceReason>, true> = { no_token: true };
const SERVICE_CODES = (Object.keys(REASONS) as Reason[]).filter((code) => !(code in ORG_ONLY_IN_REASONS));

const APEX_PATH = 'force-app/main/default/classes/PrechatGuardReasons.cls';

interface ApexReasons {
  /** Constant name (upper case) to its value. */
  constants: Map<string, string>;
  service: string[];
  salesforce: string[];
}

/** Apex without comments, so that commented-out code is not read as a constant. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

function parseApexReasons(source: string): ApexReasons {
  const code = stripComments(source);
  const constants = new Map<string, string>();
  for (const match of code.matchAll(/public\s+static\s+final\s+String\s+(\w+)\s*=\s*'([^']*)'\s*;/gi)) {
    const [, name = '', value = ''] = match;
    if (constants.has(name.toUpperCase())) {
      throw new Error(`${APEX_PATH} declares ${name} twice (Apex names ignore case)`);
    }
    constants.set(name.toUpperCase(), value);
  }
  const setOf = (setName: string): string[] => {
    const block = new RegExp(`Set<String>\\s+${setName}\\s*=\\s*new\\s+Set<String>\\s*\\{([^}]*)\\}`, 'i').exec(code);
    if (!block?.[1]) {
      throw new Error(`${APEX_PATH} declares no Set<String> ${setName} = new Set<String>{ … }`);
    }
    return block[1]
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .map((entry) => {
        const value = constants.get(entry.toUpperCase());
        if (value === undefined) {
          throw new Error(`${setName} names ${entry}, which is not a String constant of ${APEX_PATH}`);
        }
        return value;
      });
  };
  return { constants, service: setOf('SERVICE_CODES'), salesforce: setOf('SALESFORCE_CODES') };
}

/** The body of a Markdown section, from its heading line to the next heading of the same or a higher level. */
function section(markdown: string, heading: RegExp): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) {
    throw new Error(`no heading matching ${heading}`);
  }
  const level = /^#+/.exec(lines[start] ?? '')?.[0].length ?? 1;
  const end = lines.findIndex(
    (line, index) => index > start && /^#+\s/.test(line) && (/^#+/.exec(line)?.[0].length ?? 0) <= level,
  );
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The actions' reason-code table: the "Reason codes" section of the Salesforce package reference. */
function orgReasonTable(): { path: string; body: string } {
  const path = 'docs/salesforce-package.md';
  const body = section(read(path), /^#+\s+Reason codes\s*$/);
  if (!/^\|\s*`no_token`\s*\|/m.test(body))
    throw new Error(`the "Reason codes" section of ${path} has no \`no_token\` row`);
  return { path, body };
}

const sorted = (codes: Iterable<string>): string[] => [...codes].sort();

describe('PrechatGuardReasons.cls', () => {
  const apex = parseApexReasons(read(APEX_PATH));

  it('holds every service reason code, and no service code the service does not have', () => {
    expect(SERVICE_CODES.length).toBeGreaterThan(0);
    expect(sorted(apex.service)).toEqual(sorted(SERVICE_CODES));
  });

  it('holds the codes reasons.ts marks as produced only on the Salesforce side among the org-side codes', () => {
    for (const code of Object.keys(ORG_ONLY_IN_REASONS)) {
      expect(apex.salesforce).toContain(code);
    }
  });

  it('lists every constant in exactly one group, each code once', () => {
    const grouped = [...apex.service, ...apex.salesforce];
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(sorted(grouped)).toEqual(sorted(apex.constants.values()));
  });

  it('spells each code as a reason code, named after its constant', () => {
    for (const [name, value] of apex.constants) {
      expect(value).toMatch(/^[a-z][a-z_]{0,63}$/);
      expect(name).toBe(value.toUpperCase());
    }
  });

  it('matches the reason codes of docs/architecture.md §5: the service list plus no_token', () => {
    const contract = section(read('docs/architecture.md'), /^##\s+5\.\s/);
    const paragraph = /Reason codes[^:]*:([\s\S]*?)(?:\n\s*\n|$)/.exec(contract)?.[1];
    expect(paragraph).toBeDefined();
    const documented = [...(paragraph ?? '').matchAll(/`([a-z][a-z_]*)`/g)].map((match) => match[1] ?? '');
    expect(sorted(new Set(documented))).toEqual(sorted([...SERVICE_CODES, ...Object.keys(ORG_ONLY_IN_REASONS)]));
    for (const code of documented) {
      expect([...apex.service, ...apex.salesforce]).toContain(code);
    }
  });

  it('matches the org-side codes of the documented reason-code table, and its list of the service codes', () => {
    const { path, body } = orgReasonTable();
    const tableCodes = [...body.matchAll(/^\|\s*`([a-z][a-z_]*)`\s*\|/gm)].map((match) => match[1] ?? '');
    expect({ path, codes: sorted(tableCodes) }).toEqual({ path, codes: sorted(apex.salesforce) });
    // The sentence before the table lists the service's codes that actions pass through unchanged.
    const passedThrough = /codes unchanged \(([^)]*)\)/.exec(body)?.[1];
    expect(passedThrough).toBeDefined();
    const listed = [...(passedThrough ?? '').matchAll(/`([a-z][a-z_]*)`/g)].map((match) => match[1] ?? '');
    expect({ path, codes: sorted(listed) }).toEqual({ path, codes: sorted(apex.service) });
  });
});

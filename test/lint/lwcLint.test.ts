// The LWC lint is proven able to fail: small violating sources, linted under LWC paths with the repository's own
// eslint.config.mjs, must get Salesforce's LWC rules; the same source elsewhere in the repository must not.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const RUNNER = path.join(__dirname, 'eslintRunner.mjs');
const LWC_ROOTS = ['force-app/main/default/lwc', 'legacy-chat/main/default/lwc'];

interface LintMessage {
  ruleId: string | null;
  severity: number;
  fatal: boolean;
  message: string;
}

interface RunnerOutput {
  results: Array<{ filePath: string; messages: LintMessage[] }>;
  configs: Array<{ filePath: string; parser: string | null; rules: Record<string, number> }>;
}

function runEslint(request: { lint?: Array<{ filePath: string; text: string }>; configFor?: string[] }): RunnerOutput {
  const stdout = execFileSync(process.execPath, [RUNNER], {
    cwd: ROOT,
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(stdout) as RunnerOutput;
}

const ruleIds = (messages: LintMessage[]) => messages.map((message) => message.ruleId);

// TypeScript an LWC source really uses: typed fields, access modifiers, `override`, a type assertion, a type import.
const API_REASSIGNMENT = `import { LightningElement, api } from 'lwc';
import type { Status } from './status';

export default class Violating extends LightningElement {
  @api label: string = 'Chat';
  private status: Status | undefined;

  override connectedCallback(): void {
    this.label = (this.status as string | undefined) ?? 'reassigned';
  }
}
`;

const INNER_HTML = `import { LightningElement } from 'lwc';

export default class Violating extends LightningElement {
  override renderedCallback(): void {
    const host = this.template.querySelector('div') as HTMLDivElement;
    host.innerHTML = '<p>unsafe</p>';
  }
}
`;

const CLEAN = `import { LightningElement, api } from 'lwc';
import type { Status } from './status';

type Props = { label: string };

export default class Clean extends LightningElement {
  @api label = 'Chat';
  private readonly seen = new Map<string, Props>();
  status: Status | undefined;

  override connectedCallback(): void {
    const props = { label: this.label } as Props;
    this.seen.set(props.label, props);
  }

  get count(): number {
    return this.seen.size;
  }
}
`;

// fit is Jest's focused it: the rule must refuse it in committed tests.
const FOCUSED_TEST = `describe('component', () => {
  fit('runs alone', () => {
    expect([1, 2]).toHaveLength(2);
  });
});
`;

/** Every LWC TypeScript source and test in both package directories. */
function lwcSources(): string[] {
  return LWC_ROOTS.flatMap((root) =>
    readdirSync(path.join(ROOT, root), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(root, file)),
  );
}

// Sources linted at repository paths (the files need not exist), all in one ESLint run: starting ESLint and loading
// the config is what takes time.
const CASES = {
  apiReassignment: { filePath: 'force-app/main/default/lwc/violating/violating.ts', text: API_REASSIGNMENT },
  innerHtmlForceApp: { filePath: 'force-app/main/default/lwc/violating/violating.ts', text: INNER_HTML },
  innerHtmlLegacyChat: { filePath: 'legacy-chat/main/default/lwc/violating/violating.ts', text: INNER_HTML },
  focusedLwcTest: { filePath: 'force-app/main/default/lwc/violating/__tests__/violating.test.ts', text: FOCUSED_TEST },
  focusedLegacyTest: {
    filePath: 'legacy-chat/main/default/lwc/violating/__tests__/violating.test.ts',
    text: FOCUSED_TEST,
  },
  focusedJestHelper: { filePath: 'force-app/test/jest-utils/violating.ts', text: FOCUSED_TEST },
  clean: { filePath: 'force-app/main/default/lwc/clean/clean.ts', text: CLEAN },
  outsideLwc: { filePath: 'server/src/violating.ts', text: INNER_HTML },
};
type CaseName = keyof typeof CASES;

describe('ESLint: Salesforce LWC config on the TypeScript LWC', () => {
  const sources = lwcSources();
  let messagesOf: (name: CaseName) => LintMessage[];
  let configs: RunnerOutput['configs'];

  beforeAll(() => {
    const names = Object.keys(CASES) as CaseName[];
    const output = runEslint({ lint: names.map((name) => CASES[name]), configFor: sources });
    messagesOf = (name) => output.results[names.indexOf(name)]!.messages;
    configs = output.configs;
  }, 60_000);

  it('reports an @api property reassigned inside the component, in a .ts file with TypeScript syntax', () => {
    const messages = messagesOf('apiReassignment');

    expect(messages.filter((message) => message.fatal)).toEqual([]);
    expect(messages).toContainEqual(expect.objectContaining({ ruleId: '@lwc/lwc/no-api-reassignments', severity: 2 }));
  });

  it('reports innerHTML in both package directories', () => {
    expect(ruleIds(messagesOf('innerHtmlForceApp'))).toContain('@lwc/lwc/no-inner-html');
    expect(ruleIds(messagesOf('innerHtmlLegacyChat'))).toContain('@lwc/lwc/no-inner-html');
  });

  it('reports a focused test in an LWC test of either package directory and in the shared Jest helpers', () => {
    expect(ruleIds(messagesOf('focusedLwcTest'))).toContain('jest/no-focused-tests');
    expect(ruleIds(messagesOf('focusedLegacyTest'))).toContain('jest/no-focused-tests');
    expect(ruleIds(messagesOf('focusedJestHelper'))).toContain('jest/no-focused-tests');
  });

  it('accepts a clean TypeScript component: the parser reads TypeScript and type-only names are not misreported', () => {
    expect(messagesOf('clean')).toEqual([]);
  });

  it('keeps the LWC rules out of the rest of the repository', () => {
    const messages = messagesOf('outsideLwc');

    // Linted, not skipped: an ignored or unparsable file would come back with a message that has no rule.
    expect(messages.filter((message) => message.ruleId === null)).toEqual([]);
    expect(ruleIds(messages).filter((ruleId) => ruleId?.startsWith('@lwc/'))).toEqual([]);
  });

  it('lints every LWC source and test with the typescript-eslint parser and the LWC rules switched on', () => {
    expect(sources.length).toBeGreaterThanOrEqual(8);
    expect(configs.map((config) => config.filePath)).toEqual(sources);

    for (const config of configs) {
      expect({ filePath: config.filePath, parser: config.parser }).toEqual({
        filePath: config.filePath,
        parser: 'typescript-eslint/parser',
      });
      expect({ filePath: config.filePath, rules: config.rules }).toMatchObject({
        rules: {
          '@lwc/lwc/no-api-reassignments': 2,
          '@lwc/lwc/no-inner-html': 2,
          '@lwc/lwc/no-async-operation': 2,
          'jest/no-focused-tests': 2,
        },
      });
    }
  });
});

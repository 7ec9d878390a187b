// Test harness for the admin commands: @salesforce/core's real TestContext (auth files, aliases and
// Connection.request faked in memory), a request router for REST/Tooling calls, SDR-level fakes of the Metadata API
// deploy/retrieve calls (the SOAP layer, as SDR's own tests do), captured output and a frozen clock.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { MetadataApi } from '@jsforce/jsforce-node/lib/api/metadata';
import type { OrgIo } from '../../../../../server/src/cli/org/context';
import * as sinon from 'sinon';

export interface FakeRequest {
  method: string;
  url: string;
  body?: string;
}

export type Route = (request: FakeRequest) => unknown;

export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = errorCode;
  }
}

function normalise(request: unknown): FakeRequest {
  if (typeof request === 'string') return { method: 'GET', url: request };
  const { method, url, body } = request as { method?: string; url: string; body?: string };
  return { method: (method ?? 'GET').toUpperCase(), url, body };
}

/** The SOQL text of a REST or Tooling query request, or undefined for other requests. */
export function soqlOf(request: FakeRequest): string | undefined {
  const match = /\/query\/?\?q=([^&]*)/.exec(request.url);
  return match ? decodeURIComponent(match[1]!.replace(/\+/g, ' ')) : undefined;
}

export function records(rows: Array<Record<string, unknown>>): unknown {
  return { totalSize: rows.length, done: true, records: rows };
}

export interface Captured {
  io: Partial<OrgIo>;
  stdout: () => string;
  stderr: () => string;
  all: () => string;
}

export function captureIo(now: Date, fetchFn?: typeof fetch, cwd?: string): Captured {
  let out = '';
  let err = '';
  const unexpectedFetch: typeof fetch = (input) => Promise.reject(new Error(`unexpected fetch ${String(input)}`));
  return {
    io: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      fetch: fetchFn ?? unexpectedFetch,
      now: () => now,
      env: {},
      pollIntervalMs: 5,
      ...(cwd ? { cwd } : {}),
    },
    stdout: () => out,
    stderr: () => err,
    all: () => out + err,
  };
}

export interface OrgHarness {
  $$: TestContext;
  testOrg: () => MockTestOrgData;
  /** alias that resolves to the fake org */
  alias: string;
  /** requests seen by Connection.request, in order (the API-version probe excluded) */
  requests: FakeRequest[];
  /** answer requests whose matcher is true; the first match wins; an unmatched request fails the test */
  route(matcher: (request: FakeRequest) => boolean, respond: Route): void;
  /** answer SOQL queries that match a pattern */
  query(pattern: RegExp, respond: (soql: string) => unknown): void;
  /** make the named alias have no stored login, as on a machine where `sf org login` was never run */
  removeAuth(): void;
  /**
   * Let @salesforce/core see the project in `root` as it is on disk: TestContext otherwise resolves every project to a
   * fake path and serves sfdx-project.json from memory, and SDR reads `replacements` through it.
   */
  useProject(root: string): void;
}

export function useOrgHarness(): OrgHarness {
  const $$ = new TestContext({ sinon });
  const routes: Array<{ matcher: (request: FakeRequest) => boolean; respond: Route }> = [];
  let org: MockTestOrgData;
  const harness: OrgHarness = {
    $$,
    testOrg: () => org,
    alias: 'acme-prod',
    requests: [],
    route(matcher, respond) {
      routes.push({ matcher, respond });
    },
    query(pattern, respond) {
      routes.push({
        matcher: (request) => pattern.test(soqlOf(request) ?? ''),
        respond: (request) => respond(soqlOf(request)!),
      });
    },
    removeAuth() {
      // TestContext's stub of OrgAccessor.exists treats every username as known; the real one reads the auth files.
      $$.SANDBOXES.ORGS.restore();
    },
    useProject(root) {
      $$.SANDBOXES.PROJECT.restore(); // real project-path resolution (stubContext stubs it again before each test)
      const contents: unknown = JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8'));
      $$.setConfigStubContents('SfProjectJson', { contents } as Parameters<TestContext['setConfigStubContents']>[1]);
    },
  };
  beforeEach(async () => {
    routes.length = 0;
    harness.requests.length = 0;
    org = new MockTestOrgData();
    org.orgId = '00D5g000004Abc1EAC';
    org.userId = '0055g00000AbCdEAAV';
    await $$.stubAuths(org);
    $$.stubAliases({ [harness.alias]: org.username });
    $$.fakeConnectionRequest = (raw: unknown) => {
      const request = normalise(raw);
      harness.requests.push(request);
      const route = routes.find((candidate) => candidate.matcher(request));
      if (!route) return Promise.reject(new Error(`unexpected request ${request.method} ${request.url}`));
      try {
        return Promise.resolve(route.respond(request)) as never;
      } catch (error) {
        return Promise.reject(error) as never;
      }
    };
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  return harness;
}

/** SDR calls these four SOAP operations; tests replace them the way SDR's own test utilities do. */
export function fakeMetadataApi(): {
  deploy: jest.SpyInstance;
  checkDeployStatus: jest.SpyInstance;
  retrieve: jest.SpyInstance;
  checkRetrieveStatus: jest.SpyInstance;
} {
  const proto = MetadataApi.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  return {
    deploy: jest.spyOn(proto, 'deploy').mockImplementation(() => {
      throw new Error('deploy not faked in this test');
    }),
    checkDeployStatus: jest.spyOn(proto, 'checkDeployStatus').mockImplementation(() => {
      throw new Error('checkDeployStatus not faked in this test');
    }),
    retrieve: jest.spyOn(proto, 'retrieve').mockImplementation(() => {
      throw new Error('retrieve not faked in this test');
    }),
    checkRetrieveStatus: jest.spyOn(proto, 'checkRetrieveStatus').mockImplementation(() => {
      throw new Error('checkRetrieveStatus not faked in this test');
    }),
  };
}

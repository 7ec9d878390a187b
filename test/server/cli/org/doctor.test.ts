import { runOrgCommand } from '../../../../server/src/cli/org/main';
import { inspectCertificate, toJwk } from '../../../../server/src/cli/org/certificate';
import { MINT_APEX } from '../../../../server/src/cli/org/doctorChecks';
import { PLACEHOLDER_SERVICE_URL } from '../../../../server/src/cli/org/layout';
import { days, makeCertificate, signToken } from './support/certs';
import { serveAgentMetadata, serveCertificate, serveSettings, type AgentTypeAnswer } from './support/fixtures';
import { captureIo, fakeMetadataApi, records, useOrgHarness, type FakeRequest } from './support/orgHarness';

const NOW = new Date('2026-11-23T16:00:00.000Z');
const SERVICE = 'https://pg.example.com';
const CALLER_KEY = 'test-only-caller-key';
const USER_ID = '0055g00000XyZabAAB';
const harness = useOrgHarness();
const orgCert = makeCertificate({
  notBefore: new Date(NOW.getTime() - days(5)),
  notAfter: new Date(NOW.getTime() + days(300)),
});
const otherCert = makeCertificate({ notBefore: NOW, notAfter: new Date(NOW.getTime() + days(300)), slot: 1 });

interface World {
  /** the settings row overrides, `null` for no record, or `'type_missing'` for a type that is not deployed */
  settings: Record<string, unknown> | null | 'type_missing';
  certificatePem: string;
  classes: string[];
  permissionSets: string[];
  namedCredentialUrl: string | null;
  authorApex: boolean;
  mintedToken: string | null;
  readyStatus: number;
  jwksKeys: unknown[];
  verifyAnswer: (body: { token: string }) => { status: number; body: unknown };
  /** fixture folders under fixtures/actionBindings served by the agent-metadata retrieves */
  agentFolders: string[];
  agentOverrides?: Record<string, AgentTypeAnswer>;
  /** BotVersion rows ("Bot/v1" → Status); undefined: the query is not answered */
  botVersions?: Record<string, string>;
}

function token(privateKey = orgCert.privateKey, overrides: Record<string, unknown> = {}): string {
  const iat = Math.floor(NOW.getTime() / 1000);
  return signToken(
    privateKey,
    { alg: 'RS256', typ: 'JWT', kid: 'prechat-guard-1' },
    {
      iss: harness.testOrg().orgId,
      sub: USER_ID,
      aud: 'prechat-guard',
      iat,
      nbf: iat,
      exp: iat + 300,
      jti: 'AAECAwQFBgcICQoLDA0ODw',
      ...overrides,
    },
  );
}

function healthyWorld(): World {
  return {
    settings: {},
    certificatePem: orgCert.pem,
    classes: [
      'PrechatGuardIdentityController',
      'PrechatGuardTokenIssuer',
      'PrechatGuardVerifierClient',
      'PrechatGuardVerifyChatUser',
    ],
    permissionSets: ['PrechatGuard_Admin', 'PrechatGuard_Bot_User', 'PrechatGuard_Site_User'],
    namedCredentialUrl: SERVICE,
    authorApex: true,
    mintedToken: token(),
    readyStatus: 200,
    jwksKeys: [toJwk(inspectCertificate(Buffer.from(orgCert.pem), 'x'), 'prechat-guard-1', 'RS256')],
    verifyAnswer: () => ({ status: 200, body: { valid: true, userId: USER_ID, binding: 'none' } }),
    agentFolders: ['agent-bound'],
  };
}

const fetchCalls: Array<{ url: string; init?: RequestInit }> = [];
let retrieveSpy: jest.SpyInstance | undefined;

async function serve(world: World) {
  const api = fakeMetadataApi();
  const settings = world.settings;
  if (settings === 'type_missing') {
    harness.query(/FROM PrechatGuard_Setting__mdt/, () => {
      throw Object.assign(new Error("sObject type 'PrechatGuard_Setting__mdt' is not supported."), {
        errorCode: 'INVALID_TYPE',
      });
    });
  } else {
    serveSettings(harness, settings);
  }
  await serveCertificate(api, { name: 'PrechatGuard_Signing', content: world.certificatePem });
  serveAgentMetadata(api, world.agentFolders, world.agentOverrides);
  retrieveSpy = api.retrieve;
  const botVersions = world.botVersions;
  if (botVersions) {
    harness.query(/FROM BotVersion/, () =>
      records(
        Object.entries(botVersions).map(([key, Status]) => ({
          DeveloperName: key.split('/')[1],
          Status,
          BotDefinition: { DeveloperName: key.split('/')[0] },
        })),
      ),
    );
  }
  harness.query(/FROM ApexClass/, () => records(world.classes.map((Name) => ({ Name }))));
  harness.query(/FROM PermissionSet WHERE/, () => records(world.permissionSets.map((Name) => ({ Name }))));
  harness.query(/FROM NamedCredential/, () =>
    records(
      world.namedCredentialUrl === null
        ? []
        : [{ DeveloperName: 'PrechatGuard_Service', Endpoint: world.namedCredentialUrl }],
    ),
  );
  harness.query(/PermissionsAuthorApex = true/, () => records(world.authorApex ? [{ Id: '0Pa' }] : []));
  harness.route(
    (request: FakeRequest) => request.url.includes('/tooling/executeAnonymous'),
    (request: FakeRequest) => {
      const body = decodeURIComponent(/anonymousBody=([^&]*)/.exec(request.url)![1]!);
      expect(body).toBe(MINT_APEX);
      const identity = world.mintedToken
        ? { loggedIn: true, userId: USER_ID, token: world.mintedToken, expiresAt: '2026-11-23T16:05:00.000Z' }
        : { loggedIn: false, userId: null, token: null, expiresAt: null, firstName: null };
      return {
        line: 2,
        column: 1,
        compiled: true,
        compileProblem: null,
        success: false,
        exceptionMessage: `System.AssertException: Assertion Failed: PRECHAT_GUARD_DOCTOR ${JSON.stringify(identity)}`,
        exceptionStackTrace: 'AnonymousBlock: line 2, column 1',
      };
    },
  );
  fetchCalls.length = 0;
  const fakeFetch: typeof fetch = async (input, init) => {
    const url = String(input);
    fetchCalls.push({ url, init });
    if (url === `${SERVICE}/readyz`) return new Response('{"status":"ok"}', { status: world.readyStatus });
    if (url === `${SERVICE}/.well-known/jwks.json`) return Response.json({ keys: world.jwksKeys });
    if (url === `${SERVICE}/v1/verify`) {
      const headers = new Headers(init?.headers);
      if (headers.get('authorization') !== `Bearer ${CALLER_KEY}`)
        return Response.json({ error: 'x' }, { status: 401 });
      const answer = world.verifyAnswer(JSON.parse(String(init?.body)) as { token: string });
      return Response.json(answer.body, { status: answer.status });
    }
    throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
  };
  return fakeFetch;
}

async function doctor(world: World, ...extra: string[]) {
  const fakeFetch = await serve(world);
  const captured = captureIo(NOW, fakeFetch);
  const code = await runOrgCommand(['doctor', '--target-org', harness.alias, ...extra], captured.io);
  return { code, ...captured };
}

function row(output: string, check: string): string {
  const line = output
    .split('\n')
    .find((candidate) => candidate.startsWith(check) && / {2}(PASS|FAIL|WARN|SKIP) {2}/.test(candidate));
  if (!line) throw new Error(`no table row for ${check} in:\n${output}`);
  return line;
}

test('a healthy installation: every row PASS, the token is verified by the service, exit 0', async () => {
  const result = await doctor(healthyWorld(), '--service-url', SERVICE, '--caller-key', CALLER_KEY);

  expect(result.code).toBe(0);
  const out = result.stdout();
  expect(row(out, 'Package components')).toMatch(/PASS\s+4 Apex classes and 3 permission sets found/);
  expect(row(out, 'Action inputs bound')).toMatch(
    /PASS\s+2 use\(s\) of the package's actions bind Chat Record Id to a context variable linked to the chat record id \(agents: Service_Agent\)/,
  );
  expect(row(out, 'Settings record')).toMatch(/PASS\s+certificate PrechatGuard_Signing, kid prechat-guard-1/);
  expect(row(out, 'Certificate PrechatGuard_Signing')).toMatch(/PASS\s+RSA 2048; valid until/);
  expect(row(out, 'Named Credential PrechatGuard_Service')).toMatch(/PASS\s+points at https:\/\/pg.example.com/);
  expect(row(out, 'Service /readyz')).toMatch(/PASS/);
  expect(row(out, 'Service JWKS has kid prechat-guard-1')).toMatch(/PASS\s+kid prechat-guard-1 published and matches/);
  expect(row(out, 'Token minted in the org verifies')).toMatch(/PASS\s+the service verified a fresh token for 0055g/);
  expect(out).toContain('✔ All checks passed.');
  // The verify call is stateless: no sessionKey, so the doctor never binds (uses up) a token.
  const verify = fetchCalls.find((call) => call.url.endsWith('/v1/verify'))!;
  expect(JSON.parse(String(verify.init?.body))).toEqual({ token: expect.any(String), userId: USER_ID });
});

test('without a service URL the Named Credential URL is used; without a caller key the token is checked locally', async () => {
  const result = await doctor(healthyWorld());

  expect(result.code).toBe(0);
  expect(row(result.stdout(), 'Named Credential PrechatGuard_Service')).toContain('used as the service URL below');
  expect(row(result.stdout(), 'Service /readyz')).toMatch(/PASS\s+https:\/\/pg.example.com\/readyz answered 200/);
  expect(row(result.stdout(), 'Token minted in the org verifies')).toMatch(/PASS\s+token verified locally/);
  expect(fetchCalls.some((call) => call.url.endsWith('/v1/verify'))).toBe(false);
});

test('failures: missing components, service not ready, kid not published, wrong NC URL — FAIL rows with fixes, exit 1', async () => {
  const world = healthyWorld();
  world.classes = world.classes.filter((name) => name !== 'PrechatGuardVerifyChatUser');
  world.readyStatus = 503;
  world.jwksKeys = [toJwk(inspectCertificate(Buffer.from(otherCert.pem), 'x'), 'old-key', 'RS256')];
  world.namedCredentialUrl = 'https://staging.example.com/';

  const result = await doctor(world, '--service-url', SERVICE, '--caller-key', CALLER_KEY);

  expect(result.code).toBe(1);
  const out = result.stdout();
  expect(row(out, 'Package components')).toMatch(/FAIL\s+missing: PrechatGuardVerifyChatUser/);
  expect(row(out, 'Named Credential PrechatGuard_Service')).toMatch(
    /FAIL\s+points at https:\/\/staging.example.com\/, but the service is https:\/\/pg.example.com/,
  );
  expect(row(out, 'Service /readyz')).toMatch(/FAIL\s+https:\/\/pg.example.com\/readyz answered 503/);
  expect(row(out, 'Service JWKS has kid prechat-guard-1')).toMatch(
    /FAIL\s+kid prechat-guard-1 not published \(published: old-key\)/,
  );
  expect(out).toContain(`FAIL Package components: npm run org:deploy -- --target-org ${harness.alias}`);
  expect(out).toContain(
    'FAIL Named Credential PrechatGuard_Service: Setup › Named Credentials › PrechatGuard_Service › Edit › URL = https://pg.example.com',
  );
  expect(out).toContain(
    `FAIL Service JWKS has kid prechat-guard-1: npm run org:export-cert -- --target-org ${harness.alias}`,
  );
  expect(result.stderr()).toContain('4 check(s) failed');
});

test('the service trusting a different key under the org kid is a FAIL, and so is a token it rejects', async () => {
  const world = healthyWorld();
  world.jwksKeys = [toJwk(inspectCertificate(Buffer.from(otherCert.pem), 'x'), 'prechat-guard-1', 'RS256')];
  world.verifyAnswer = () => ({
    status: 200,
    body: { valid: false, reason: 'bad_signature', detail: 'The signature does not match the key.' },
  });

  const result = await doctor(world, '--service-url', SERVICE, '--caller-key', CALLER_KEY);

  expect(result.code).toBe(1);
  expect(row(result.stdout(), 'Service JWKS has kid prechat-guard-1')).toMatch(
    /FAIL\s+the service trusts a different key/,
  );
  expect(row(result.stdout(), 'Token minted in the org verifies')).toMatch(/FAIL\s+the service answered bad_signature/);
  expect(result.stdout()).toContain('FAIL Token minted in the org verifies: npm run org:export-cert');
});

test('a token signed by another key fails the local check', async () => {
  const world = healthyWorld();
  world.mintedToken = token(otherCert.privateKey);

  const result = await doctor(world);

  expect(result.code).toBe(1);
  expect(row(result.stdout(), 'Token minted in the org verifies')).toMatch(/FAIL\s+the signature does not verify/);
});

test('an expiring certificate is a WARN (exit 0); an unreachable service is a FAIL naming the address', async () => {
  const world = healthyWorld();
  const soon = makeCertificate({
    notBefore: new Date(NOW.getTime() - days(350)),
    notAfter: new Date(NOW.getTime() + days(3)),
  });
  world.certificatePem = soon.pem;
  world.jwksKeys = [toJwk(inspectCertificate(Buffer.from(soon.pem), 'x'), 'prechat-guard-1', 'RS256')];
  world.mintedToken = token(soon.privateKey);

  const result = await doctor(world);

  expect(result.code).toBe(0);
  expect(row(result.stdout(), 'Certificate PrechatGuard_Signing')).toMatch(/WARN\s+RSA 2048; it expires in 3 day\(s\)/);
  expect(result.stdout()).toContain('WARN Certificate PrechatGuard_Signing: create a new certificate');
  expect(result.stdout()).toContain('All checks passed with 1 warning(s).');

  const down = await doctor(world, '--service-url', 'https://down.example.com');
  expect(down.code).toBe(1);
  expect(row(down.stdout(), 'Service /readyz')).toMatch(
    /FAIL\s+cannot reach https:\/\/down.example.com\/readyz: fetch failed \(ECONNREFUSED\)/,
  );
});

test('the Named Credential still on the package placeholder URL is a FAIL with the Setup path', async () => {
  const world = healthyWorld();
  // The same constant the deploy refuses as --service-url, and a test ties to bootstrap's Named Credential file.
  world.namedCredentialUrl = PLACEHOLDER_SERVICE_URL;

  const result = await doctor(world, '--service-url', SERVICE, '--skip-mint');

  expect(result.code).toBe(1);
  expect(row(result.stdout(), 'Named Credential PrechatGuard_Service')).toMatch(/FAIL\s+still the package placeholder/);
  expect(result.stdout()).toContain('Edit › URL = https://pg.example.com');
});

test('a Named Credential missing from the org: the fix is the first install, or deploying just that piece', async () => {
  const world = healthyWorld();
  world.namedCredentialUrl = null;

  const result = await doctor(world, '--service-url', SERVICE, '--skip-mint');

  expect(result.code).toBe(1);
  expect(row(result.stdout(), 'Named Credential PrechatGuard_Service')).toMatch(/FAIL\s+not in the org/);
  expect(result.stdout()).toContain(
    `FAIL Named Credential PrechatGuard_Service: if nothing is installed yet: npm run org:deploy -- --target-org ` +
      `${harness.alias} --first-install --service-url https://<your service>; if only NamedCredential ` +
      `PrechatGuard_Service is missing: PRECHAT_GUARD_SERVICE_URL=https://<your service> sf project deploy start ` +
      `--metadata NamedCredential:PrechatGuard_Service --target-org ${harness.alias}`,
  );
});

test('no Author Apex: the mint check is skipped, never attempted', async () => {
  const world = healthyWorld();
  world.authorApex = false;

  const result = await doctor(world, '--service-url', SERVICE);

  expect(result.code).toBe(0);
  expect(row(result.stdout(), 'Token minted in the org verifies')).toMatch(
    /SKIP\s+your user may not run anonymous Apex/,
  );
  expect(harness.requests.some((request) => request.url.includes('executeAnonymous'))).toBe(false);
});

test('an internal user gets no token: the mint row warns instead of failing', async () => {
  const world = healthyWorld();
  world.mintedToken = null;

  const result = await doctor(world);

  expect(result.code).toBe(0);
  expect(row(result.stdout(), 'Token minted in the org verifies')).toMatch(/WARN\s+getIdentity\(\) issued no token/);
});

test('settings type not deployed: FAIL with the Setup path; the certificate check falls back to the default name', async () => {
  const world = healthyWorld();
  world.settings = 'type_missing';

  const result = await doctor(world, '--skip-mint');

  expect(result.code).toBe(1);
  expect(row(result.stdout(), 'Settings record')).toMatch(
    /FAIL\s+sObject type 'PrechatGuard_Setting__mdt' is not supported/,
  );
  expect(result.stdout()).toContain('Setup › Custom Metadata Types › PrechatGuard Setting › Manage Records › New');
  // The record is a first-install piece: an upgrade deploy would not bring it back.
  expect(result.stdout()).toContain('--first-install --service-url https://<your service>');
  expect(result.stdout()).toContain('sf project deploy start --metadata CustomMetadata:PrechatGuard_Setting.Default');
  expect(row(result.stdout(), 'Certificate PrechatGuard_Signing')).toMatch(/PASS/);
  expect(row(result.stdout(), 'Token minted in the org verifies')).toMatch(/SKIP\s+--skip-mint given/);
});

test('settings out of range (TTL over an hour, unknown algorithm) is a FAIL', async () => {
  const world = healthyWorld();
  world.settings = { Token_TTL_Seconds__c: 7200, Algorithm__c: 'HS256' };

  const result = await doctor(world, '--skip-mint');

  expect(result.code).toBe(1);
  expect(row(result.stdout(), 'Settings record')).toMatch(
    /FAIL\s+Token_TTL_Seconds__c is 7200; it must be 1–3600; Algorithm__c is "HS256"; it must be RS256 or RS512/,
  );
});

test('no stored login: exit 3 naming sf org login', async () => {
  harness.removeAuth();
  const captured = captureIo(NOW);
  const code = await runOrgCommand(['doctor', '--target-org', 'not-logged-in'], captured.io);
  expect(code).toBe(3);
  expect(captured.stderr()).toContain('sf org login web --alias not-logged-in');
});

test('action inputs: every agent, bot and global action is retrieved read-only (members *, one retrieve per type)', async () => {
  await doctor(healthyWorld(), '--skip-mint');

  const requested = retrieveSpy!.mock.calls.map(
    (call) => (call[0] as { unpackaged: { types: Array<{ members: string[]; name: string }> } }).unpackaged.types,
  );
  expect(requested).toEqual(
    expect.arrayContaining([
      [{ members: ['*'], name: 'Bot' }],
      [{ members: ['*'], name: 'GenAiPlannerBundle' }],
      [{ members: ['*'], name: 'GenAiPlugin' }],
      [{ members: ['*'], name: 'GenAiFunction' }],
    ]),
  );
  // All bound: the version status is not needed and not asked for.
  expect(harness.requests.some((request) => /FROM BotVersion/.test(decodeURIComponent(request.url)))).toBe(false);
});

test('action inputs not bound to the chat context variable: FAIL naming agent/bot, topic/dialog, action and mapping; exit 1', async () => {
  const world = healthyWorld();
  world.agentFolders = ['agent-unbound', 'agent-variable', 'bots'];
  world.botVersions = { 'Legacy_Bot/v1': 'Active', 'Retail_Agent/v2': 'Active', 'Support_Bot/v1': 'Active' };

  const result = await doctor(world, '--service-url', SERVICE, '--skip-mint');

  expect(result.code).toBe(1);
  const out = result.stdout();
  const line = row(out, 'Action inputs bound');
  expect(line).toMatch(/FAIL\s+4 of 7 use\(s\) of the package's actions do not bind Chat Record Id/);
  expect(line).toContain(
    '[chat_input_unmapped] agent Sales_Agent › topic Orders › action Verify_Chat_User (PrechatGuardVerifyChatUser): ' +
      'no variable assigned, so the agent fills it from the conversation',
  );
  expect(line).toContain(
    '[chat_input_mutable_variable] agent Retail_Agent v2 › topic My_Account › action Update_My_Contact ' +
      '(PrechatGuardUpdateMyContact): variable ChatRecordId',
  );
  expect(line).toContain(
    '[chat_input_wrong_context_variable] agent Retail_Agent v2 › topic My_Account › action Update_My_Case',
  );
  expect(line).toContain(
    '[chat_input_mutable_variable] bot Legacy_Bot v1 › dialog Welcome › action PrechatGuardVerifyChatUser',
  );
  expect(line).not.toContain('Support_Bot');
  expect(out).toContain(
    'FAIL Action inputs bound: Agent Builder › the agent › topic › action › input "Chat Record Id" › Select Variable › ' +
      'the MessagingSession Id context variable (RoutableId, linked to MessagingSession.Id)',
  );
  expect(out).toContain(
    'Bot Builder › the bot › dialog › Action (Apex) step › input "Chat Record Id" = the Routable Id',
  );
  expect(result.stderr()).toContain('1 check(s) failed');
  const statusQuery = harness.requests
    .map((request) => decodeURIComponent(request.url))
    .find((url) => /FROM BotVersion/.test(url));
  expect(statusQuery).toContain(
    "BotDefinition.DeveloperName IN ('Legacy_Bot', 'Support_Bot', 'Sales_Agent', 'Retail_Agent')",
  );
});

test('an unbound input only in a version the org reports inactive is a WARN (exit 0)', async () => {
  const world = healthyWorld();
  world.agentFolders = ['agent-bound', 'bots'];
  world.botVersions = { 'Legacy_Bot/v1': 'Inactive', 'Support_Bot/v1': 'Active', 'Service_Agent/v1': 'Active' };

  const result = await doctor(world, '--skip-mint');

  expect(result.code).toBe(0);
  const line = row(result.stdout(), 'Action inputs bound');
  expect(line).toMatch(
    /WARN\s+4 of 5 use\(s\) bound and confirmed; to check: \[chat_input_mutable_variable\] bot Legacy_Bot v1/,
  );
  expect(line).toContain('[inactive version]');
});

test('no agent or bot uses the actions: SKIP; a type the org does not offer is named, not an error', async () => {
  const world = healthyWorld();
  world.agentFolders = [];
  world.agentOverrides = { GenAiPlannerBundle: { problem: "Entity type: 'GenAiPlannerBundle' is unknown" } };

  const result = await doctor(world, '--skip-mint');

  expect(result.code).toBe(0);
  expect(row(result.stdout(), 'Action inputs bound')).toMatch(
    /SKIP\s+no agent or bot uses the package's actions \(read 0 agent planner\(s\) and 0 bot\(s\)\); GenAiPlannerBundle not in this org \(Entity type: 'GenAiPlannerBundle' is unknown\)/,
  );
});

test('the Metadata API refuses the retrieve: SKIP saying why, with the permission the check needs', async () => {
  const world = healthyWorld();
  const refuse = {
    refuse:
      'INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions',
  };
  world.agentOverrides = { Bot: refuse, GenAiPlannerBundle: refuse, GenAiPlugin: refuse, GenAiFunction: refuse };

  const result = await doctor(world, '--skip-mint');

  expect(result.code).toBe(0);
  expect(row(result.stdout(), 'Action inputs bound')).toMatch(
    /SKIP\s+could not retrieve agent or bot metadata: Bot: INSUFFICIENT_ACCESS/,
  );
  expect(result.stdout()).toContain('SKIP Action inputs bound: run the doctor as a user with the Modify Metadata');
});

test('bots not retrievable (retrieve Failed) while the agents are bound: WARN, the bots were not checked', async () => {
  const world = healthyWorld();
  world.agentOverrides = { Bot: { failed: 'Retrieve timed out on the server' } };

  const result = await doctor(world, '--skip-mint');

  expect(result.code).toBe(0);
  // Without the Bot, the agent's RoutableId cannot be traced to MessagingSession.Id either.
  expect(row(result.stdout(), 'Action inputs bound')).toMatch(
    /WARN\s+0 of 2 use\(s\) bound and confirmed; to check: \[chat_input_bound_unconfirmed\] agent Service_Agent_v1 › topic Customer_Cases/,
  );
  expect(row(result.stdout(), 'Action inputs bound')).toContain('; Bot not checked: Retrieve timed out on the server');
});

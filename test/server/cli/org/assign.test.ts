import { runOrgCommand } from '../../../../server/src/cli/org/main';
import { captureIo, records, soqlOf, useOrgHarness, type FakeRequest } from './support/orgHarness';

const NOW = new Date('2026-11-23T16:00:00.000Z');
const harness = useOrgHarness();
const SETS = [
  { Id: '0PS000000000001AAA', Name: 'PrechatGuard_Admin' },
  { Id: '0PS000000000002AAA', Name: 'PrechatGuard_Bot_User' },
  { Id: '0PS000000000003AAA', Name: 'PrechatGuard_Site_User' },
];

const isCreate = (request: FakeRequest) =>
  request.method === 'POST' && /\/sobjects\/PermissionSetAssignment$/.test(request.url);

async function run() {
  const captured = captureIo(NOW);
  const code = await runOrgCommand(['assign', '--target-org', harness.alias], captured.io);
  return { code, ...captured };
}

test('assigns PrechatGuard_Admin to the logged-in user and explains the bot and site permission sets', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, () => records(SETS));
  harness.query(/FROM PermissionSetAssignment/, () => records([]));
  harness.route(isCreate, () => ({ id: '0Pa000000000001AAA', success: true, errors: [] }));

  const result = await run();

  expect(result.code).toBe(0);
  const create = harness.requests.find(isCreate)!;
  expect(JSON.parse(create.body!)).toEqual({
    AssigneeId: harness.testOrg().userId,
    PermissionSetId: '0PS000000000001AAA',
  });
  const existing = harness.requests.map(soqlOf).find((soql) => soql?.includes('FROM PermissionSetAssignment'));
  expect(existing).toContain(`AssigneeId = '${harness.testOrg().userId}'`);
  const out = result.stdout();
  expect(out).toContain(`✔ Assigned PrechatGuard_Admin to ${harness.testOrg().username}.`);
  expect(out).toContain(
    `sf org assign permset --name PrechatGuard_Bot_User --on-behalf-of <bot-or-agent-username> --target-org ${harness.alias}`,
  );
  expect(out).toContain('PrechatGuard_Site_User Id 0PS000000000003AAA');
  expect(out).toContain('External Credential principal');
});

test('an existing assignment is reported and not created again', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, () => records(SETS));
  harness.query(/FROM PermissionSetAssignment/, () => records([{ Id: '0Pa000000000009AAA' }]));

  const result = await run();

  expect(result.code).toBe(0);
  expect(result.stdout()).toContain('already has PrechatGuard_Admin');
  expect(harness.requests.some(isCreate)).toBe(false);
});

test('the package not deployed: exit 1, the fix is the deploy command', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, () => records([]));

  const result = await run();

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[permission_set_missing] Permission set PrechatGuard_Admin is not in the org.');
  expect(result.stderr()).toContain(`npm run org:deploy -- --target-org ${harness.alias}`);
  expect(harness.requests.some(isCreate)).toBe(false);
});

test('the org refusing the assignment: exit 1 with the org message and who can do it', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, () => records(SETS));
  harness.query(/FROM PermissionSetAssignment/, () => records([]));
  harness.route(isCreate, () => {
    throw Object.assign(new Error('insufficient access rights on cross-reference id'), {
      errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
    });
  });

  const result = await run();

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('insufficient access rights on cross-reference id');
  expect(result.stderr()).toContain('Assign Permission Sets');
});

test('an expired login surfacing mid-command maps to exit 3', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, () => {
    throw Object.assign(new Error('Session expired or invalid'), {
      errorCode: 'INVALID_SESSION_ID',
      name: 'INVALID_SESSION_ID',
    });
  });

  const result = await run();

  expect(result.code).toBe(3);
  expect(result.stderr()).toContain(`sf org login web --alias ${harness.alias}`);
});

const LEGACY_SET = { Id: '0PS000000000004AAA', Name: 'PrechatGuard_Legacy_Chat' };
const BOT = { Id: '0055g00000BoTusAAB', Username: 'einstein-bot@acme.example' };

/** Which (assignee, permission set) pairs were created, in order. */
function created(): Array<[string, string]> {
  return harness.requests.filter(isCreate).map((request) => {
    const body = JSON.parse(request.body!) as { AssigneeId: string; PermissionSetId: string };
    return [body.AssigneeId, body.PermissionSetId];
  });
}

async function runWith(...extra: string[]) {
  const captured = captureIo(NOW);
  const code = await runOrgCommand(['assign', '--target-org', harness.alias, ...extra], captured.io);
  return { code, ...captured };
}

test('--with-legacy-chat --bot-user: admin and legacy sets to you, bot and legacy sets to the bot user', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, (soql) => {
    expect(soql).toContain("'PrechatGuard_Legacy_Chat'");
    return records([...SETS, LEGACY_SET]);
  });
  harness.query(/FROM User WHERE Username = 'einstein-bot@acme\.example'/, () => records([{ Id: BOT.Id }]));
  // The bot already has its bot set; everything else is new.
  harness.query(/FROM PermissionSetAssignment/, (soql) =>
    records(soql.includes(BOT.Id) && soql.includes('0PS000000000002AAA') ? [{ Id: '0Pa000000000007AAA' }] : []),
  );
  harness.route(isCreate, () => ({ id: '0Pa000000000001AAA', success: true, errors: [] }));

  const result = await runWith('--with-legacy-chat', '--bot-user', BOT.Username);

  expect(result.code).toBe(0);
  const you = harness.testOrg().userId;
  expect(created()).toEqual([
    [you, '0PS000000000001AAA'],
    [you, LEGACY_SET.Id],
    [BOT.Id, LEGACY_SET.Id],
  ]);
  const out = result.stdout();
  expect(out).toContain(`✔ ${BOT.Username} already has PrechatGuard_Bot_User.`);
  expect(out).toContain(`✔ Assigned PrechatGuard_Legacy_Chat to ${BOT.Username}.`);
  expect(out).not.toContain('--on-behalf-of <bot-or-agent-username>'); // the bot user is done
  expect(out).toContain('sf org assign permset --name PrechatGuard_Site_User');
});

test('--with-legacy-chat without --bot-user prints the legacy command for the bot user next to the bot set', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, () => records([...SETS, LEGACY_SET]));
  harness.query(/FROM PermissionSetAssignment/, () => records([]));
  harness.route(isCreate, () => ({ id: '0Pa000000000001AAA', success: true, errors: [] }));

  const result = await runWith('--with-legacy-chat');

  expect(result.code).toBe(0);
  expect(created().map(([, set]) => set)).toEqual(['0PS000000000001AAA', LEGACY_SET.Id]);
  expect(result.stdout()).toContain(
    `sf org assign permset --name PrechatGuard_Legacy_Chat --on-behalf-of <bot-or-agent-username> --target-org ${harness.alias}`,
  );
});

test('without the flag, an org that has the legacy set gets a hint and no legacy assignment', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, () => records([...SETS, LEGACY_SET]));
  harness.query(/FROM PermissionSetAssignment/, () => records([]));
  harness.route(isCreate, () => ({ id: '0Pa000000000001AAA', success: true, errors: [] }));

  const result = await run();

  expect(result.code).toBe(0);
  expect(created().map(([, set]) => set)).toEqual(['0PS000000000001AAA']);
  expect(result.stdout()).toContain('add --with-legacy-chat to assign it too');
});

test('--with-legacy-chat on an org without legacy-chat: exit 1 before any assignment, the fix deploys it', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, () => records(SETS));

  const result = await runWith('--with-legacy-chat');

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain(
    '[permission_set_missing] Permission set PrechatGuard_Legacy_Chat is not in the org.',
  );
  expect(result.stderr()).toContain(`npm run org:deploy -- --target-org ${harness.alias} --with-legacy-chat`);
  expect(harness.requests.some(isCreate)).toBe(false);
});

test('an unknown --bot-user: exit 1 with [user_not_found], nothing assigned', async () => {
  harness.query(/FROM PermissionSet WHERE Name IN/, () => records(SETS));
  harness.query(/FROM User WHERE Username/, () => records([]));

  const result = await runWith('--bot-user', 'nobody@acme.example');

  expect(result.code).toBe(1);
  expect(result.stderr()).toContain('[user_not_found] The org has no user with the username nobody@acme.example.');
  expect(harness.requests.some(isCreate)).toBe(false);
});

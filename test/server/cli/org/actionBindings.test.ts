// The pure analysis behind the doctor's "Action inputs bound" row: fixture XML in, findings and the row out.
import {
  analyseActionBindings,
  applyVersionStatus,
  classifyMetadataPath,
  describeFinding,
  summariseBindings,
  type BindingFinding,
  type MetadataFile,
  type TypeRead,
} from '../../../../server/src/cli/org/actionBindings';
import { readFixtureFiles } from './support/fixtures';

const ALL_READ: TypeRead[] = ['Bot', 'GenAiPlannerBundle', 'GenAiPlugin', 'GenAiFunction'].map((type) => ({
  type,
  state: 'read',
}));

function brief(findings: BindingFinding[]): string[] {
  return findings.map(
    (finding) =>
      `${finding.kind} ${finding.owner}${finding.version ? `/${finding.version}` : ''} ${finding.container} ` +
      `${finding.action} ${finding.apexClass} ${finding.code}`,
  );
}

const xml = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;

function bundle(name: string, inner: string): MetadataFile {
  return {
    path: `genAiPlannerBundles/${name}/${name}.genAiPlannerBundle`,
    text: xml(`<GenAiPlannerBundle xmlns="http://soap.sforce.com/2006/04/metadata">${inner}</GenAiPlannerBundle>`),
  };
}

function topic(name: string, actions: Array<[string, string, string?]>): string {
  const local = actions
    .map(
      ([action, target, type = 'apex']) =>
        `<localActions><fullName>${action}</fullName><developerName>${action}</developerName>` +
        `<invocationTarget>${target}</invocationTarget><invocationTargetType>${type}</invocationTargetType>` +
        `<localDeveloperName>${action}</localDeveloperName><masterLabel>${action}</masterLabel></localActions>`,
    )
    .join('');
  return (
    `<localTopics><fullName>${name}</fullName><developerName>${name}</developerName>` +
    `<localDeveloperName>${name}</localDeveloperName>${local}</localTopics>`
  );
}

function mapping(attributeName: string, mappingType: string, target?: string, extra = ''): string {
  return (
    `<attributeMappings><attributeName>${attributeName}</attributeName>` +
    `<attributeType>CustomPluginFunctionAttribute</attributeType>` +
    `${target === undefined ? '' : `<mappingTargetName>${target}</mappingTargetName>`}${extra}` +
    `<mappingType>${mappingType}</mappingType></attributeMappings>`
  );
}

test('retrieved paths are classified by the metadata-format folder and suffix of each type', () => {
  expect(classifyMetadataPath('bots/Support_Bot.bot')).toEqual({ kind: 'bot', name: 'Support_Bot' });
  expect(classifyMetadataPath('unpackaged/bots/Support_Bot.bot')).toEqual({ kind: 'bot', name: 'Support_Bot' });
  expect(classifyMetadataPath('genAiPlannerBundles/A_v1/A_v1.genAiPlannerBundle')).toEqual({
    kind: 'plannerBundle',
    name: 'A_v1',
  });
  expect(classifyMetadataPath('genAiPlugins/Topic.genAiPlugin')).toEqual({ kind: 'plugin', name: 'Topic' });
  expect(classifyMetadataPath('genAiFunctions/Act/Act.genAiFunction')).toEqual({ kind: 'function', name: 'Act' });
  // schema files beside a bundle, a bundle file in the wrong folder, package.xml: not analysed
  expect(classifyMetadataPath('genAiPlannerBundles/A/localActions/T/X/input/schema.json')).toBeUndefined();
  expect(classifyMetadataPath('genAiPlannerBundles/A/B.genAiPlannerBundle')).toBeUndefined();
  expect(classifyMetadataPath('package.xml')).toBeUndefined();
});

test('an agent whose actions are bound to RoutableId (MessagingSession.Id): PASS; input_ prefix and plain name both count', () => {
  const analysis = analyseActionBindings(readFixtureFiles('agent-bound'));

  expect(analysis.unreadable).toEqual([]);
  expect(analysis.agentsRead).toBe(1);
  expect(brief(analysis.findings)).toEqual([
    'agent Service_Agent/v1 Customer_Cases Verify_Chat_User PrechatGuardVerifyChatUser chat_input_bound',
    'agent Service_Agent/v1 Customer_Cases List_My_Open_Cases PrechatGuardListMyCases chat_input_bound',
  ]);
  expect(analysis.findings[0]!.mappedTo).toBe('context variable RoutableId (MessagingSession.Id)');
  const row = summariseBindings(analysis, ALL_READ);
  expect(row).toEqual({
    status: 'PASS',
    code: 'action_inputs_bound',
    detail:
      "2 use(s) of the package's actions bind Chat Record Id to a context variable linked to the chat record id " +
      '(agents: Service_Agent)',
  });
});

test('an action with no mapping is agent-filled: FAIL naming agent, topic and action; a mapping in another topic does not count', () => {
  const analysis = analyseActionBindings(readFixtureFiles('agent-unbound'));

  expect(brief(analysis.findings)).toEqual([
    'agent Sales_Agent Orders Verify_Chat_User PrechatGuardVerifyChatUser chat_input_unmapped',
    'agent Sales_Agent Orders Update_My_Case PrechatGuardUpdateMyCase chat_input_bound',
  ]);
  const row = summariseBindings(analysis, ALL_READ);
  expect(row.status).toBe('FAIL');
  expect(row.code).toBe('action_inputs_unbound');
  expect(row.detail).toBe(
    "1 of 2 use(s) of the package's actions do not bind Chat Record Id to the chat's context variable: " +
      '[chat_input_unmapped] agent Sales_Agent › topic Orders › action Verify_Chat_User (PrechatGuardVerifyChatUser): ' +
      'no variable assigned, so the agent fills it from the conversation',
  );
  expect(row.fix).toContain('Agent Builder › the agent › topic › action › input "Chat Record Id" › Select Variable');
  expect(row.fix).toContain('MessagingSession Id context variable (RoutableId, linked to MessagingSession.Id)');
  expect(row.fix).not.toContain('Bot Builder');
});

test('a mutable variable and a context variable linked to another field are both FAIL, with what they are mapped to', () => {
  const analysis = analyseActionBindings(readFixtureFiles('agent-variable'));

  expect(brief(analysis.findings)).toEqual([
    'agent Retail_Agent/v2 My_Account Update_My_Contact PrechatGuardUpdateMyContact chat_input_mutable_variable',
    'agent Retail_Agent/v2 My_Account Update_My_Case PrechatGuardUpdateMyCase chat_input_wrong_context_variable',
  ]);
  expect(analysis.findings.map((finding) => finding.mappedTo)).toEqual([
    'variable ChatRecordId (a mutable agent variable, which actions and the conversation can change)',
    'context variable ContactId, linked to MessagingEndUser.ContactId, not to the chat record id (MessagingSession.Id)',
  ]);
  expect(summariseBindings(analysis, ALL_READ).status).toBe('FAIL');
});

test('a global topic and action (GenAiPlugin, GenAiFunction) are resolved; RoutableId without its source is a WARN', () => {
  const analysis = analyseActionBindings(readFixtureFiles('agent-global'));

  expect(brief(analysis.findings)).toEqual([
    'agent Help_Agent Identity_Check PrechatGuard_Verify PrechatGuardVerifyChatUser chat_input_bound_unconfirmed',
  ]);
  const row = summariseBindings(analysis, ALL_READ);
  expect(row.status).toBe('WARN');
  expect(row.code).toBe('action_inputs_unconfirmed');
  expect(row.detail).toContain('0 of 1 use(s) bound and confirmed; to check: [chat_input_bound_unconfirmed]');
  expect(row.detail).toContain('its link to MessagingSession.Id is not confirmed');
  expect(row.fix).toContain('check it is linked to MessagingSession.Id');
});

test('Einstein Bots: ContextVariable RoutableId (also in a Group step) is bound; a ConversationVariable is a FAIL', () => {
  const analysis = analyseActionBindings(readFixtureFiles('bots'));

  expect(analysis.botsRead).toBe(2);
  expect([...brief(analysis.findings)].sort()).toEqual([
    'bot Legacy_Bot/v1 Welcome PrechatGuardVerifyChatUser PrechatGuardVerifyChatUser chat_input_mutable_variable',
    'bot Support_Bot/v1 My_Cases PrechatGuardListMyCases PrechatGuardListMyCases chat_input_bound',
    'bot Support_Bot/v1 Welcome PrechatGuardVerifyChatUser PrechatGuardVerifyChatUser chat_input_bound',
  ]);
  const support = analysis.findings.find((finding) => finding.owner === 'Support_Bot')!;
  expect(support.mappedTo).toBe('context variable RoutableId (MessagingSession.Id, LiveChatTranscript.Id)');
  const row = summariseBindings(analysis, ALL_READ);
  expect(row.status).toBe('FAIL');
  expect(row.detail).toContain(
    '[chat_input_mutable_variable] bot Legacy_Bot v1 › dialog Welcome › action PrechatGuardVerifyChatUser: ' +
      'conversation variable ChatId',
  );
  expect(row.fix).toContain(
    'Bot Builder › the bot › dialog › Action (Apex) step › input "Chat Record Id" = the Routable Id',
  );
  expect(row.fix).not.toContain('Agent Builder');
});

test('an unbound input in a version the org reports inactive is a WARN, not a FAIL', () => {
  const analysis = analyseActionBindings(readFixtureFiles('bots'));
  const findings = applyVersionStatus(analysis.findings, new Map([['legacy_bot/v1', 'Inactive']]));

  const row = summariseBindings(analysis, ALL_READ, findings);
  expect(row.status).toBe('WARN');
  expect(row.detail).toContain('Legacy_Bot v1 › dialog Welcome');
  expect(row.detail).toContain('[inactive version]');
  // an active version stays a FAIL
  const active = applyVersionStatus(analysis.findings, new Map([['legacy_bot/v1', 'Active']]));
  expect(summariseBindings(analysis, ALL_READ, active).status).toBe('FAIL');
});

test('every fixture together: all agents and bots are read and every use is reported once', () => {
  const analysis = analyseActionBindings(
    readFixtureFiles('agent-bound', 'agent-unbound', 'agent-variable', 'agent-global', 'bots'),
  );
  expect(analysis.agentsRead).toBe(4);
  expect(analysis.botsRead).toBe(5);
  expect(analysis.findings).toHaveLength(10);
  const row = summariseBindings(analysis, ALL_READ);
  expect(row.status).toBe('FAIL');
  expect(row.detail).toMatch(/^4 of 10 use\(s\)/);
  expect(row.detail).toContain('; also: [chat_input_bound_unconfirmed] agent Help_Agent');
  expect(row.fix).toContain('Agent Builder');
  expect(row.fix).toContain('Bot Builder');
});

test('constant, another action output, unknown context variable: FAIL; outputs, other apps and flows are ignored', () => {
  const files = [
    bundle(
      'Mixed',
      topic('T', [
        ['A', 'PrechatGuardVerifyChatUser'],
        ['B', 'PrechatGuardListMyCases'],
        ['C', 'PrechatGuardUpdateMyCase'],
        ['D', 'PrechatGuardUpdateMyContact', 'flow'],
        ['E', 'SomeoneElsesClass'],
      ]) +
        mapping('T.A.routableId', 'Constant', undefined, '<constantValue>0Mw000000000001</constantValue>') +
        mapping('T.B.input_routableId', 'ActionAttribute', 'T.Lookup.output_id') +
        mapping('T.C.routableId', 'ContextVariable', 'SessionKey') +
        mapping('T.D.routableId', 'Variable', 'X') +
        mapping('T.E.routableId', 'Variable', 'X'),
    ),
  ];
  const analysis = analyseActionBindings(files);
  expect(analysis.findings.map((finding) => [finding.action, finding.code, finding.mappedTo])).toEqual([
    ['A', 'chat_input_constant', 'the constant "0Mw000000000001"'],
    ['B', 'chat_input_action_output', "another action's output (T.Lookup.output_id)"],
    [
      'C',
      'chat_input_wrong_context_variable',
      'context variable SessionKey, whose source field is not in the retrieved metadata (expected RoutableId, ' +
        'linked to MessagingSession.Id)',
    ],
  ]);
});

test('an output mapping never binds the input; a namespaced class name (ns__Class) is still ours', () => {
  const files = [
    bundle(
      'Outputs',
      topic('T', [['A', 'acme__PrechatGuardVerifyChatUser']]) +
        '<attributeMappings><attributeName>T.A.routableId</attributeName>' +
        '<attributeType>StandardPluginFunctionOutput</attributeType><mappingTargetName>RoutableId</mappingTargetName>' +
        '<mappingType>ContextVariable</mappingType></attributeMappings>',
    ),
  ];
  const [finding] = analyseActionBindings(files).findings;
  expect(finding?.apexClass).toBe('PrechatGuardVerifyChatUser');
  expect(finding?.code).toBe('chat_input_unmapped');
});

test('an Agent Script agent without a mapping is a WARN: its bindings are in the script, which is not read', () => {
  const files = [
    bundle('Scripted', '<agentScript>system: ...</agentScript>' + topic('T', [['A', 'PrechatGuardVerifyChatUser']])),
  ];
  const analysis = analyseActionBindings(files);
  expect(analysis.findings.map((finding) => finding.code)).toEqual(['chat_input_in_agent_script']);
  const row = summariseBindings(analysis, ALL_READ);
  expect(row.status).toBe('WARN');
  expect(row.fix).toContain('with routableId = @variables.RoutableId');
});

test('bots: no input mapping and a page context variable are FAIL; other action types of the same name are ignored', () => {
  const step = (name: string, type: string, mappings: string): string =>
    `<botSteps><botInvocation><invocationActionName>${name}</invocationActionName>` +
    `<invocationActionType>${type}</invocationActionType>${mappings}</botInvocation><type>Invocation</type></botSteps>`;
  const bot: MetadataFile = {
    path: 'bots/Page_Bot.bot',
    text: xml(
      '<Bot xmlns="http://soap.sforce.com/2006/04/metadata"><botVersions><fullName>v3</fullName><botDialogs>' +
        step('PrechatGuardVerifyChatUser', 'apex', '') +
        step(
          'PrechatGuardListMyCases',
          'apex',
          '<invocationMappings><parameterName>routableId</parameterName><type>Input</type>' +
            '<variableName>Chat_Id</variableName><variableType>PageContextVariable</variableType></invocationMappings>',
        ) +
        step('PrechatGuardUpdateMyCase', 'flow', '') +
        '<developerName>Start</developerName></botDialogs></botVersions></Bot>',
    ),
  };
  const analysis = analyseActionBindings([bot]);
  expect(analysis.findings.map((finding) => `${finding.version} ${finding.action} ${finding.code}`)).toEqual([
    'v3 PrechatGuardVerifyChatUser chat_input_unmapped',
    'v3 PrechatGuardListMyCases chat_input_page_variable',
  ]);
  expect(describeFinding(analysis.findings[1]!)).toBe(
    '[chat_input_page_variable] bot Page_Bot v3 › dialog Start › action PrechatGuardListMyCases: page context ' +
      "variable Chat_Id (set by the web page, under the visitor's control)",
  );
});

test('unreadable files are reported, not fatal; nothing found is a SKIP; types the org lacks are a note', () => {
  const analysis = analyseActionBindings([{ path: 'bots/Broken.bot', text: '<Flow></Flow>' }]);
  expect(analysis.unreadable).toEqual([{ path: 'bots/Broken.bot', problem: 'no <Bot> element' }]);

  const empty = analyseActionBindings([]);
  const reads: TypeRead[] = [
    { type: 'Bot', state: 'read' },
    { type: 'GenAiPlannerBundle', state: 'unavailable', reason: "Entity type: 'GenAiPlannerBundle' is unknown" },
  ];
  expect(summariseBindings(empty, reads)).toEqual({
    status: 'SKIP',
    code: 'action_inputs_not_used',
    detail:
      "no agent or bot uses the package's actions (read 0 agent planner(s) and 0 bot(s)); GenAiPlannerBundle not in " +
      "this org (Entity type: 'GenAiPlannerBundle' is unknown)",
    fix: undefined,
  });
});

test('retrieve refused for every type: SKIP naming why and the permission; refused for some: a bound result is a WARN', () => {
  const refused: TypeRead[] = ['Bot', 'GenAiPlannerBundle'].map((type) => ({
    type,
    state: 'failed',
    reason:
      'INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions',
  }));
  const none = summariseBindings(analyseActionBindings([]), refused);
  expect(none.status).toBe('SKIP');
  expect(none.code).toBe('action_inputs_not_checked');
  expect(none.detail).toMatch(/^could not retrieve agent or bot metadata: Bot: INSUFFICIENT_ACCESS/);
  expect(none.fix).toContain('Modify Metadata');

  const partly = summariseBindings(analyseActionBindings(readFixtureFiles('agent-bound')), [
    { type: 'GenAiPlannerBundle', state: 'read' },
    { type: 'Bot', state: 'failed', reason: 'timed out' },
  ]);
  expect(partly.status).toBe('WARN');
  expect(partly.detail).toBe('2 of 2 use(s) bound and confirmed; Bot not checked: timed out');
});

// Pure analysis for the doctor's "Action inputs bound" check: metadata-format XML (Bot, GenAiPlannerBundle,
// GenAiPlugin, GenAiFunction) in, one finding per use of a package action out. No I/O: the doctor retrieves the files.
//
// Why: every package action takes `routableId` ("Chat Record Id"), the chat record whose token proves who the visitor
// is. An Agentforce action input is filled by the language model from the conversation unless the admin assigns a
// variable to it (Salesforce Help, "Create Variables": "when you assign a variable to an action input, your agent can
// use only the assigned variable to fill the value of the input"), so a visitor could ask for another customer's chat.
// The control is binding the input to the context variable linked to MessagingSession.Id (RoutableId).
//
// UNVERIFIED: no official example shows exactly a custom (Apex) action input bound to a context variable in
// GenAiPlannerBundle metadata. The shapes below follow the documented types and enums (Metadata API Developer Guide:
// GenAiPlannerBundle, GenAiPlannerAttrMapping, GenAiFunction, GenAiPlugin, Bot, BotInvocation, BotInvocationMapping,
// ConversationContextVariable; the same element names are in @salesforce/types' metadata.d.ts) and two third-party
// examples; the test fixtures are written from them, not retrieved from an org.
import { XMLParser } from 'fast-xml-parser';

/** The package's bot/agent actions: @InvocableMethod classes whose `routableId` input names the chat. */
export const PACKAGE_ACTIONS = [
  { apexClass: 'PrechatGuardVerifyChatUser', label: 'Verify Chat User' },
  { apexClass: 'PrechatGuardListMyCases', label: 'List My Open Cases' },
  { apexClass: 'PrechatGuardUpdateMyCase', label: 'Update My Case' },
  { apexClass: 'PrechatGuardUpdateMyContact', label: 'Update My Contact Details' },
] as const;

/** The @InvocableVariable that names the chat record (label "Chat Record Id"). */
export const CHAT_INPUT = 'routableId';
/** The context variable Salesforce's service agents and Enhanced Chat bots link to MessagingSession.Id. */
export const DEFAULT_CONTEXT_VARIABLE = 'RoutableId';

/**
 * Chat record objects whose Id a bound context variable may carry: MessagingSession (Enhanced Chat) and, where the
 * legacy-chat package directory is deployed, LiveChatTranscript (legacy Chat: the Bot metadata sample links RoutableId
 * to LiveChatTranscript.Id for WebChat).
 */
const CHAT_RECORD_OBJECTS = new Set(['messagingsession', 'livechattranscript']);

export type BindingCode =
  /** bound to a context variable linked to a chat record Id */
  | 'chat_input_bound'
  /** bound to a context variable named RoutableId whose source field is not in the retrieved metadata */
  | 'chat_input_bound_unconfirmed'
  /** an Agent Script agent without an attribute mapping: the binding, if any, is in the script, not read here */
  | 'chat_input_in_agent_script'
  /** no mapping at all: the agent (language model) fills the input from the conversation, or the bot passes nothing */
  | 'chat_input_unmapped'
  /** an agent variable (mappingType Variable) or a bot conversation variable: mutable during the conversation */
  | 'chat_input_mutable_variable'
  /** a bot page context variable: set by the web page, under the visitor's control */
  | 'chat_input_page_variable'
  /** a constant value */
  | 'chat_input_constant'
  /** another action's output (mappingType ActionAttribute) */
  | 'chat_input_action_output'
  /** a context variable not linked to a chat record Id (or whose link cannot be found and is not RoutableId) */
  | 'chat_input_wrong_context_variable'
  /** a mapping type this check does not know */
  | 'chat_input_unknown_mapping';

export type FindingLevel = 'ok' | 'warn' | 'fail';

const LEVEL: Record<BindingCode, FindingLevel> = {
  chat_input_bound: 'ok',
  chat_input_bound_unconfirmed: 'warn',
  chat_input_in_agent_script: 'warn',
  chat_input_unmapped: 'fail',
  chat_input_mutable_variable: 'fail',
  chat_input_page_variable: 'fail',
  chat_input_constant: 'fail',
  chat_input_action_output: 'fail',
  chat_input_wrong_context_variable: 'fail',
  chat_input_unknown_mapping: 'fail',
};

export interface BindingFinding {
  code: BindingCode;
  level: FindingLevel;
  kind: 'agent' | 'bot';
  /** the agent's bot name when known, else its GenAiPlannerBundle name; or the Einstein Bot's name */
  owner: string;
  /** the Bot developer name, when known (for the version status lookup) */
  botName?: string;
  /** the bot version ("v2"), when known */
  version?: string;
  /** the agent's topic, or the bot's dialog */
  container: string;
  /** the action's name in the agent, or the Apex class a bot step invokes */
  action: string;
  apexClass: string;
  /** what Chat Record Id is mapped to, in words */
  mappedTo: string;
  /** false when the version is known to be inactive (set by applyVersionStatus) */
  active?: boolean;
}

export interface MetadataFile {
  /** path inside the retrieve (metadata format), e.g. bots/Support_Bot.bot */
  path: string;
  text: string;
}

export type MetadataKind = 'bot' | 'plannerBundle' | 'plugin' | 'function';

export interface BindingAnalysis {
  findings: BindingFinding[];
  agentsRead: number;
  botsRead: number;
  unreadable: Array<{ path: string; problem: string }>;
}

/** Which retrieved file is which: metadata-format folder and suffix of each type (SDR's metadataRegistry.json). */
export function classifyMetadataPath(filePath: string): { kind: MetadataKind; name: string } | undefined {
  const normalised = filePath.replace(/\\/g, '/');
  const patterns: Array<[MetadataKind, RegExp]> = [
    ['bot', /(?:^|\/)bots\/([^/]+)\.bot$/],
    // bundle adapter: genAiPlannerBundles/<Agent>/<Agent>.genAiPlannerBundle (schema files beside it are skipped)
    ['plannerBundle', /(?:^|\/)genAiPlannerBundles\/([^/]+)\/\1\.genAiPlannerBundle$/],
    ['plugin', /(?:^|\/)genAiPlugins\/([^/]+)\.genAiPlugin$/],
    ['function', /(?:^|\/)genAiFunctions\/([^/]+)\/\1\.genAiFunction$/],
  ];
  for (const [kind, pattern] of patterns) {
    const match = pattern.exec(normalised);
    if (match) return { kind, name: match[1]! };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// XML access

type Node = Record<string, unknown>;

const LIST_ELEMENTS = new Set([
  'attributeMappings',
  'localTopics',
  'localActions',
  'localActionLinks',
  'localTopicLinks',
  'genAiPlugins',
  'genAiFunctions',
  'botVersions',
  'botDialogs',
  'botSteps',
  'invocationMappings',
  'contextVariables',
  'contextVariableMappings',
  'conversationDefinitionPlanners',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => LIST_ELEMENTS.has(tagName),
});

function asNode(value: unknown): Node | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
}

function text(node: Node | undefined, key: string): string | undefined {
  const value = node?.[key];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function list(node: Node | undefined, key: string): Node[] {
  const value = node?.[key];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.map(asNode).filter((item): item is Node => item !== undefined);
}

function parseRoot(xml: string, root: string): Node {
  const document = asNode(parser.parse(xml) as unknown);
  const node = asNode(document?.[root]);
  if (!node) throw new Error(`no <${root}> element`);
  return node;
}

const same = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

function names(node: Node | undefined, ...keys: string[]): string[] {
  return [...new Set(keys.map((key) => text(node, key)).filter((name): name is string => name !== undefined))];
}

/** The package class an invocation target names: our class, or one with a namespace prefix (`ns__Class`). */
function packageClass(target: string | undefined, targetType: string | undefined): string | undefined {
  if (!target || (targetType !== undefined && !same(targetType, 'apex'))) return undefined;
  const bare = target.includes('__') ? target.slice(target.lastIndexOf('__') + 2) : target;
  return PACKAGE_ACTIONS.find((action) => same(action.apexClass, bare))?.apexClass;
}

/**
 * Custom action attributes are named `<Topic>.<Action>.<attribute>`, possibly after a namespace segment. The
 * attribute is the Apex parameter name; an observed third-party example prefixes inputs with `input_`
 * (`...Action.input_verifiedContactID`), so both `routableId` and `input_routableId` are accepted.
 */
function isChatInputName(attribute: string | undefined): boolean {
  return same(attribute, CHAT_INPUT) || same(attribute, `input_${CHAT_INPUT}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Context variables

interface ContextVariable {
  name: string;
  /** "Object.Field" of each channel mapping */
  sources: string[];
  linkedToChatRecord: boolean;
}

function readContextVariables(bot: Node): Map<string, ContextVariable> {
  const variables = new Map<string, ContextVariable>();
  for (const variable of list(bot, 'contextVariables')) {
    const name = text(variable, 'developerName');
    if (!name) continue;
    let linked = false;
    const sources: string[] = [];
    for (const mapping of list(variable, 'contextVariableMappings')) {
      const field = text(mapping, 'fieldName');
      if (!field) continue;
      // fieldName is documented as "MessagingSession.Id"; a bare field name takes its object from SObjectType.
      const [object, column] = field.includes('.')
        ? [field.slice(0, field.indexOf('.')), field.slice(field.indexOf('.') + 1)]
        : [text(mapping, 'SObjectType') ?? text(variable, 'SObjectType') ?? '?', field];
      sources.push(`${object}.${column}`);
      if (CHAT_RECORD_OBJECTS.has(object.toLowerCase()) && same(column, 'Id')) linked = true;
    }
    variables.set(name.toLowerCase(), { name, sources: [...new Set(sources)], linkedToChatRecord: linked });
  }
  return variables;
}

interface Verdict {
  code: BindingCode;
  mappedTo: string;
}

function contextVerdict(target: string | undefined, variables: Map<string, ContextVariable> | undefined): Verdict {
  const name = target ?? '(no name)';
  const variable = target ? variables?.get(target.toLowerCase()) : undefined;
  if (variable && variable.sources.length > 0) {
    if (variable.linkedToChatRecord) {
      const chat = variable.sources.filter((source) => /^(MessagingSession|LiveChatTranscript)\.Id$/i.test(source));
      return { code: 'chat_input_bound', mappedTo: `context variable ${variable.name} (${chat.join(', ')})` };
    }
    return {
      code: 'chat_input_wrong_context_variable',
      mappedTo:
        `context variable ${variable.name}, linked to ${variable.sources.join(', ')}, not to the chat record id ` +
        '(MessagingSession.Id)',
    };
  }
  if (same(target, DEFAULT_CONTEXT_VARIABLE)) {
    return {
      code: 'chat_input_bound_unconfirmed',
      mappedTo:
        `context variable ${name}, whose source field is not in the retrieved metadata, so its link to ` +
        'MessagingSession.Id is not confirmed',
    };
  }
  return {
    code: 'chat_input_wrong_context_variable',
    mappedTo: `context variable ${name}, whose source field is not in the retrieved metadata (expected ${DEFAULT_CONTEXT_VARIABLE}, linked to MessagingSession.Id)`,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Bots

interface BotInfo {
  name: string;
  variables: Map<string, ContextVariable>;
  /** Agent Script agents (agentDSLEnabled) keep their bindings in the script */
  agentScript: boolean;
}

function botInvocationVerdict(invocation: Node, variables: Map<string, ContextVariable>): Verdict {
  const mapping = list(invocation, 'invocationMappings').find(
    (candidate) =>
      same(text(candidate, 'parameterName'), CHAT_INPUT) && same(text(candidate, 'type') ?? 'Input', 'Input'),
  );
  if (!mapping) return { code: 'chat_input_unmapped', mappedTo: 'nothing (no input mapping for Chat Record Id)' };
  const variableType = text(mapping, 'variableType');
  const variableName = text(mapping, 'variableName');
  if (same(variableType, 'ContextVariable')) return contextVerdict(variableName, variables);
  if (same(variableType, 'ConversationVariable')) {
    return {
      code: 'chat_input_mutable_variable',
      mappedTo: `conversation variable ${variableName ?? '?'} (the bot sets it during the conversation, e.g. from what the visitor types)`,
    };
  }
  if (same(variableType, 'PageContextVariable')) {
    return {
      code: 'chat_input_page_variable',
      mappedTo: `page context variable ${variableName ?? '?'} (set by the web page, under the visitor's control)`,
    };
  }
  const value = text(mapping, 'value');
  if (!variableType && value !== undefined) return { code: 'chat_input_constant', mappedTo: `the constant "${value}"` };
  return {
    code: 'chat_input_unknown_mapping',
    mappedTo: `variableType "${variableType ?? ''}" ${variableName ?? ''}`.trim(),
  };
}

function walkSteps(steps: Node[], visit: (step: Node) => void): void {
  for (const step of steps) {
    visit(step);
    walkSteps(list(step, 'botSteps'), visit); // Group steps nest further steps
  }
}

function analyseBotDialogs(bot: Node, info: BotInfo, findings: BindingFinding[]): void {
  for (const version of list(bot, 'botVersions')) {
    const versionName = text(version, 'fullName');
    for (const dialog of list(version, 'botDialogs')) {
      const dialogName = text(dialog, 'developerName') ?? text(dialog, 'label') ?? '(dialog)';
      walkSteps(list(dialog, 'botSteps'), (step) => {
        const invocation = asNode(step['botInvocation']);
        const apexClass = packageClass(
          text(invocation, 'invocationActionName'),
          text(invocation, 'invocationActionType'),
        );
        if (!invocation || !apexClass) return;
        const verdict = botInvocationVerdict(invocation, info.variables);
        findings.push({
          ...verdict,
          level: LEVEL[verdict.code],
          kind: 'bot',
          owner: info.name,
          botName: info.name,
          version: versionName,
          container: dialogName,
          action: text(invocation, 'invocationActionName') ?? apexClass,
          apexClass,
        });
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Agents

interface GlobalFunction {
  apexClass: string | undefined;
}

interface ActionUse {
  topicNames: string[];
  topicLabel: string;
  actionNames: string[];
  actionLabel: string;
  apexClass: string;
}

/** Our actions in a topic (a bundle's local topic or a global GenAiPlugin): local actions, then linked functions. */
function topicActions(
  topic: Node,
  topicNames: string[],
  functions: Map<string, GlobalFunction>,
  uses: ActionUse[],
): void {
  const topicLabel = text(topic, 'localDeveloperName') ?? topicNames[0] ?? '(topic)';
  const localNames = new Set<string>();
  for (const action of list(topic, 'localActions')) {
    const actionNames = names(action, 'fullName', 'developerName', 'localDeveloperName');
    actionNames.forEach((name) => localNames.add(name.toLowerCase()));
    const apexClass = packageClass(text(action, 'invocationTarget'), text(action, 'invocationTargetType'));
    if (!apexClass) continue;
    const actionLabel = text(action, 'localDeveloperName') ?? actionNames[0] ?? apexClass;
    uses.push({ topicNames, topicLabel, actionNames, actionLabel, apexClass });
  }
  // Global actions (GenAiFunction) linked by name; only resolvable when the GenAiFunction was retrieved.
  const linked = [...list(topic, 'genAiFunctions'), ...list(topic, 'localActionLinks')]
    .map((link) => text(link, 'functionName') ?? text(link, 'genAiFunctionName'))
    .filter((name): name is string => name !== undefined && !localNames.has(name.toLowerCase()));
  for (const name of new Set(linked)) {
    const apexClass = functions.get(name.toLowerCase())?.apexClass;
    if (apexClass) uses.push({ topicNames, topicLabel, actionNames: [name], actionLabel: name, apexClass });
  }
}

function attributeVerdict(mapping: Node, variables: Map<string, ContextVariable> | undefined): Verdict {
  const mappingType = text(mapping, 'mappingType');
  const target = text(mapping, 'mappingTargetName');
  if (same(mappingType, 'ContextVariable')) return contextVerdict(target, variables);
  if (same(mappingType, 'Variable')) {
    return {
      code: 'chat_input_mutable_variable',
      mappedTo: `variable ${target ?? '?'} (a mutable agent variable, which actions and the conversation can change)`,
    };
  }
  if (same(mappingType, 'Constant')) {
    return {
      code: 'chat_input_constant',
      mappedTo: `the constant "${text(mapping, 'constantValue') ?? target ?? ''}"`,
    };
  }
  if (same(mappingType, 'ActionAttribute')) {
    return { code: 'chat_input_action_output', mappedTo: `another action's output (${target ?? '?'})` };
  }
  return { code: 'chat_input_unknown_mapping', mappedTo: `mappingType "${mappingType ?? ''}" ${target ?? ''}`.trim() };
}

/**
 * The attribute mappings of one action's Chat Record Id input. UNVERIFIED: which of a local topic's or action's names
 * (fullName, developerName, localDeveloperName; they differ when Agent Builder adds an id suffix) the attributeName
 * uses; every one is accepted. A name form not accepted here shows as "no variable assigned" (a false FAIL), never as
 * a false PASS.
 */
function chatInputMappings(bundle: Node, use: ActionUse): Node[] {
  return list(bundle, 'attributeMappings').filter((mapping) => {
    // Outputs are never the input; custom (CustomPluginFunctionAttribute) and standard inputs are both considered.
    if (same(text(mapping, 'attributeType'), 'StandardPluginFunctionOutput')) return false;
    const segments = (text(mapping, 'attributeName') ?? '').split('.');
    if (segments.length < 2 || !isChatInputName(segments[segments.length - 1])) return false;
    const action = segments[segments.length - 2];
    if (!use.actionNames.some((name) => same(name, action))) return false;
    if (use.topicNames.length === 0) return true; // an action on the planner itself, outside any topic
    const topic = segments.length >= 3 ? segments[segments.length - 3] : undefined;
    return use.topicNames.some((name) => same(name, topic));
  });
}

const WORST: FindingLevel[] = ['fail', 'warn', 'ok'];

interface BundleContext {
  name: string;
  bot: BotInfo | undefined;
  version: string | undefined;
  functions: Map<string, GlobalFunction>;
  plugins: Map<string, Node>;
}

function analyseBundle(bundle: Node, context: BundleContext, findings: BindingFinding[]): void {
  const uses: ActionUse[] = [];
  for (const topic of list(bundle, 'localTopics')) {
    topicActions(topic, names(topic, 'fullName', 'developerName', 'localDeveloperName'), context.functions, uses);
  }
  for (const link of list(bundle, 'genAiPlugins')) {
    const name = text(link, 'genAiPluginName');
    const plugin = name ? context.plugins.get(name.toLowerCase()) : undefined;
    if (name && plugin) {
      topicActions(
        plugin,
        [...new Set([name, ...names(plugin, 'developerName', 'localDeveloperName')])],
        context.functions,
        uses,
      );
    }
  }
  // Actions on the planner itself, outside any topic.
  topicActions(
    { localActions: bundle['localActions'], genAiFunctions: bundle['genAiFunctions'] },
    [],
    context.functions,
    uses,
  );
  uses.forEach((use) => {
    if (use.topicNames.length === 0) use.topicLabel = '(no topic)';
  });

  // UNVERIFIED: how a published Agent Script agent stores `with routableId = @variables.RoutableId`; without an
  // attribute mapping such an agent gets a WARN asking for a look at the script rather than a FAIL.
  const script =
    context.bot?.agentScript === true ||
    ['agentScript', 'agentGraph', 'agentGraphRef'].some((key) => text(bundle, key) !== undefined);
  const seen = new Set<string>();
  for (const use of uses) {
    const key = `${use.topicLabel.toLowerCase()}|${use.actionLabel.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const mappings = chatInputMappings(bundle, use);
    let verdict: Verdict;
    if (mappings.length === 0) {
      verdict = script
        ? {
            code: 'chat_input_in_agent_script',
            mappedTo:
              'no attribute mapping; the agent is authored in Agent Script, whose input bindings this check does not read',
          }
        : {
            code: 'chat_input_unmapped',
            mappedTo: 'no variable assigned, so the agent fills it from the conversation',
          };
    } else {
      const verdicts = mappings.map((mapping) => attributeVerdict(mapping, context.bot?.variables));
      verdict = verdicts.sort((a, b) => WORST.indexOf(LEVEL[a.code]) - WORST.indexOf(LEVEL[b.code]))[0]!;
    }
    findings.push({
      ...verdict,
      level: LEVEL[verdict.code],
      kind: 'agent',
      owner: context.bot?.name ?? context.name,
      botName: context.bot?.name,
      version: context.version,
      container: use.topicLabel,
      action: use.actionLabel,
      apexClass: use.apexClass,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------------

/** Reads the retrieved files and returns one finding per use of a package action in an agent or bot. */
export function analyseActionBindings(files: readonly MetadataFile[]): BindingAnalysis {
  const unreadable: BindingAnalysis['unreadable'] = [];
  const parsed: Record<MetadataKind, Array<{ name: string; node: Node }>> = {
    bot: [],
    plannerBundle: [],
    plugin: [],
    function: [],
  };
  const roots: Record<MetadataKind, string> = {
    bot: 'Bot',
    plannerBundle: 'GenAiPlannerBundle',
    plugin: 'GenAiPlugin',
    function: 'GenAiFunction',
  };
  for (const file of files) {
    const kind = classifyMetadataPath(file.path);
    if (!kind) continue;
    try {
      parsed[kind.kind].push({ name: kind.name, node: parseRoot(file.text, roots[kind.kind]) });
    } catch (error) {
      unreadable.push({ path: file.path, problem: error instanceof Error ? error.message : String(error) });
    }
  }

  const findings: BindingFinding[] = [];
  const bots = new Map<string, BotInfo>();
  /** GenAiPlannerBundle name → the bot version that uses it (BotVersion.conversationDefinitionPlanners) */
  const plannerOwners = new Map<string, { bot: BotInfo; version: string | undefined }>();
  for (const { name, node } of parsed.bot) {
    const info: BotInfo = {
      name,
      variables: readContextVariables(node),
      agentScript: same(text(node, 'agentDSLEnabled'), 'true'),
    };
    bots.set(name.toLowerCase(), info);
    for (const version of list(node, 'botVersions')) {
      for (const planner of list(version, 'conversationDefinitionPlanners')) {
        const plannerName = text(planner, 'genAiPlannerName');
        if (plannerName)
          plannerOwners.set(plannerName.toLowerCase(), { bot: info, version: text(version, 'fullName') });
      }
    }
    analyseBotDialogs(node, info, findings);
  }

  const functions = new Map<string, GlobalFunction>();
  for (const { name, node } of parsed.function) {
    const fn = { apexClass: packageClass(text(node, 'invocationTarget'), text(node, 'invocationTargetType')) };
    for (const alias of [name, ...names(node, 'developerName')]) functions.set(alias.toLowerCase(), fn);
  }
  const plugins = new Map<string, Node>();
  for (const { name, node } of parsed.plugin) {
    for (const alias of [name, ...names(node, 'developerName')]) plugins.set(alias.toLowerCase(), node);
  }

  for (const { name, node } of parsed.plannerBundle) {
    // The bundle's agent: the bot version that names it; else SDR's convention <Bot>_v<N>; else a bot of its name.
    let owner = plannerOwners.get(name.toLowerCase());
    const versioned = /^(.+)_v(\d+)$/.exec(name);
    if (!owner && versioned) {
      const bot = bots.get(versioned[1]!.toLowerCase());
      if (bot) owner = { bot, version: `v${versioned[2]}` };
    }
    if (!owner) {
      const bot = bots.get(name.toLowerCase());
      if (bot) owner = { bot, version: undefined };
    }
    analyseBundle(node, { name, bot: owner?.bot, version: owner?.version, functions, plugins }, findings);
  }

  return { findings, agentsRead: parsed.plannerBundle.length, botsRead: parsed.bot.length, unreadable };
}

/** Marks findings in versions the org reports as inactive ("Bot/v1" → Status of the BotVersion record). */
export function applyVersionStatus(
  findings: readonly BindingFinding[],
  statuses: ReadonlyMap<string, string>,
): BindingFinding[] {
  return findings.map((finding) => {
    if (!finding.botName || !finding.version) return finding;
    const status = statuses.get(`${finding.botName}/${finding.version}`.toLowerCase());
    return status === undefined ? finding : { ...finding, active: same(status, 'Active') };
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// The doctor row

export type TypeRead =
  | { type: string; state: 'read' }
  /** the org does not offer the type (not enabled, older API): nothing of that kind can use the actions */
  | { type: string; state: 'unavailable'; reason: string }
  /** the retrieve failed for another reason (permissions, timeout): the type was not checked */
  | { type: string; state: 'failed'; reason: string };

export type BindingRowCode =
  | 'action_inputs_bound'
  | 'action_inputs_unbound'
  | 'action_inputs_unconfirmed'
  | 'action_inputs_not_used'
  | 'action_inputs_not_checked';

export interface BindingSummary {
  status: 'PASS' | 'WARN' | 'FAIL' | 'SKIP';
  code: BindingRowCode;
  detail: string;
  fix?: string;
}

export const AGENT_BUILDER_FIX =
  'Agent Builder › the agent › topic › action › input "Chat Record Id" › Select Variable › the MessagingSession Id ' +
  'context variable (RoutableId, linked to MessagingSession.Id); in Agent Script view: with routableId = ' +
  '@variables.RoutableId (not = ..., which lets the model fill it)';
export const BOT_BUILDER_FIX =
  'Bot Builder › the bot › dialog › Action (Apex) step › input "Chat Record Id" = the Routable Id context variable';

export function describeFinding(finding: BindingFinding): string {
  const owner = `${finding.kind} ${finding.owner}${finding.version ? ` ${finding.version}` : ''}`;
  const where = finding.kind === 'agent' ? `topic ${finding.container}` : `dialog ${finding.container}`;
  const action =
    finding.action === finding.apexClass
      ? `action ${finding.action}`
      : `action ${finding.action} (${finding.apexClass})`;
  const inactive = finding.active === false ? ' [inactive version]' : '';
  return `[${finding.code}] ${owner} › ${where} › ${action}: ${finding.mappedTo}${inactive}`;
}

/** A finding's weight in the row: a FAIL in a version the org reports inactive counts as a warning. */
function rowLevel(finding: BindingFinding): FindingLevel {
  return finding.level === 'fail' && finding.active === false ? 'warn' : finding.level;
}

function uniqueOwners(findings: readonly BindingFinding[], kind: 'agent' | 'bot'): string[] {
  return [...new Set(findings.filter((finding) => finding.kind === kind).map((finding) => finding.owner))];
}

export function summariseBindings(
  analysis: BindingAnalysis,
  reads: readonly TypeRead[],
  findings: readonly BindingFinding[] = analysis.findings,
): BindingSummary {
  const failedReads = reads.filter((read): read is Extract<TypeRead, { state: 'failed' }> => read.state === 'failed');
  const notes: string[] = [
    ...failedReads.map((read) => `${read.type} not checked: ${read.reason}`),
    ...reads
      .filter((read): read is Extract<TypeRead, { state: 'unavailable' }> => read.state === 'unavailable')
      .map((read) => `${read.type} not in this org (${read.reason})`),
    ...analysis.unreadable.map((file) => `${file.path} unreadable: ${file.problem}`),
  ];
  const suffix = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  const read = `read ${analysis.agentsRead} agent planner(s) and ${analysis.botsRead} bot(s)`;

  if (findings.length === 0) {
    if (failedReads.length === reads.length && reads.length > 0) {
      return {
        status: 'SKIP',
        code: 'action_inputs_not_checked',
        detail: `could not retrieve agent or bot metadata: ${failedReads.map((r) => `${r.type}: ${r.reason}`).join('; ')}`,
        fix:
          'run the doctor as a user with the Modify Metadata or Modify All Data permission (the Metadata API ' +
          'retrieve needs it), or check the bindings by hand: ' +
          `${AGENT_BUILDER_FIX}; ${BOT_BUILDER_FIX}`,
      };
    }
    return {
      status: 'SKIP',
      code:
        failedReads.length > 0 || analysis.unreadable.length > 0
          ? 'action_inputs_not_checked'
          : 'action_inputs_not_used',
      detail: `no agent or bot uses the package's actions (${read})${suffix}`,
      fix:
        failedReads.length > 0
          ? `the types not checked may still use the actions: check them by hand: ${AGENT_BUILDER_FIX}; ${BOT_BUILDER_FIX}`
          : undefined,
    };
  }

  const failing = findings.filter((finding) => rowLevel(finding) === 'fail');
  const warning = findings.filter((finding) => rowLevel(finding) === 'warn');
  const bound = findings.filter((finding) => rowLevel(finding) === 'ok');
  const kinds = new Set([...failing, ...warning].map((finding) => finding.kind));
  const fixes = [...(kinds.has('agent') ? [AGENT_BUILDER_FIX] : []), ...(kinds.has('bot') ? [BOT_BUILDER_FIX] : [])];
  const fixText = `${fixes.join('; ')}; then save and activate that version`;

  if (failing.length > 0) {
    const rest = warning.length > 0 ? `; also: ${warning.map(describeFinding).join('; ')}` : '';
    return {
      status: 'FAIL',
      code: 'action_inputs_unbound',
      detail:
        `${failing.length} of ${findings.length} use(s) of the package's actions do not bind Chat Record Id to the ` +
        `chat's context variable: ${failing.map(describeFinding).join('; ')}${rest}${suffix}`,
      fix: fixText,
    };
  }
  if (warning.length > 0 || failedReads.length > 0 || analysis.unreadable.length > 0) {
    const confirmed = `${bound.length} of ${findings.length} use(s) bound and confirmed`;
    return {
      status: 'WARN',
      code: 'action_inputs_unconfirmed',
      detail: `${confirmed}${warning.length > 0 ? `; to check: ${warning.map(describeFinding).join('; ')}` : ''}${suffix}`,
      fix:
        warning.length > 0
          ? `${fixText}; for an unconfirmed RoutableId: check it is linked to MessagingSession.Id (Agent Builder › ` +
            'Variables › context variables; Bot Builder › Context Variables)'
          : `check the types not read by hand: ${AGENT_BUILDER_FIX}; ${BOT_BUILDER_FIX}`,
    };
  }
  const agents = uniqueOwners(findings, 'agent');
  const bots = uniqueOwners(findings, 'bot');
  const where = [
    ...(agents.length > 0 ? [`agents: ${agents.join(', ')}`] : []),
    ...(bots.length > 0 ? [`bots: ${bots.join(', ')}`] : []),
  ].join('; ');
  return {
    status: 'PASS',
    code: 'action_inputs_bound',
    detail:
      `${findings.length} use(s) of the package's actions bind Chat Record Id to a context variable linked to the ` +
      `chat record id (${where})${suffix}`,
  };
}

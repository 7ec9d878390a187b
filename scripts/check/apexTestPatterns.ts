// Apex test patterns that compile and deploy, then fail only when the tests run in an org. Two are checked in every
// @IsTest class so they cannot come back:
//
// mixed DML: DML on a setup object (User, UserRole, PermissionSetAssignment... see SETUP_OBJECTS) and DML on any other
//   object in one test method fail with MIXED_DML_OPERATION (Salesforce, Apex Developer Guide: "sObjects That Can't Be
//   Used Together in DML Operations"). Tests avoid it by doing the setup-object DML inside System.runAs(...) { }, which
//   is this project's rule (PrechatGuardTestData: "Setup-object DML ... runs inside runAs of the test's own user"), so
//   any setup-object DML outside runAs in a test method that also does other DML is reported, even where a platform
//   exception (a User inserted without a role) would let it pass.
// setMock order: a callout after uncommitted DML fails ("You have uncommitted work pending"); DML belongs before
//   Test.startTest() and Test.setMock after it (Apex Developer Guide: "Performing DML Operations and Mock Callouts").
//   A Test.setMock that comes before Test.startTest() in a test method that did DML before it is reported.
//
// How: each .cls of every package directory is parsed with @apexdevtools/apex-parser and each test method's body is
// walked in source order, collecting DML, Test.setMock, Test.startTest and whether a System.runAs block encloses them.
// A call to a method of the same class, or to a static method of another @IsTest class of the project (the shared
// test data, e.g. PrechatGuardTestData.siteUser()), is walked in place, up to MAX_CALL_DEPTH deep. Calls into
// production classes are not followed. The SObject type of a DML operand comes from `new T(...)`, `new List<T>{...}`,
// a cast, a SOQL query's FROM, a variable, parameter or field declared as T, List<T> or T[], a Map's values(), or the
// declared return type of a called project method; when none of these gives it (SObject, a generic List<SObject>, an
// expression this module does not type), the DML counts as "some DML" for the setMock rule but never as setup or
// non-setup DML, so an unknown type is never reported as mixed DML.
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import {
  ApexErrorListener,
  ApexParserFactory,
  BlockContext,
  CastExpressionContext,
  ClassBodyDeclarationContext,
  DeleteStatementContext,
  DotExpressionContext,
  EnhancedForControlContext,
  FieldDeclarationContext,
  FormalParameterContext,
  FromNameListContext,
  IdPrimaryContext,
  InsertStatementContext,
  LocalVariableDeclarationContext,
  MergeStatementContext,
  MethodCallExpressionContext,
  MethodDeclarationContext,
  ModifierContext,
  NewExpressionContext,
  PrimaryExpressionContext,
  RunAsStatementContext,
  SoqlPrimaryContext,
  SubExpressionContext,
  UndeleteStatementContext,
  UpdateStatementContext,
  UpsertStatementContext,
  type ApexParserRuleContext,
  type ApexParseTree,
  type ExpressionContext,
  type ExpressionListContext,
} from '@apexdevtools/apex-parser';
import { listFiles } from './files';
import { resultOf, type CheckResult, type Problem } from './result';
import { packageDirectories } from './sfdxProject';

/**
 * Setup objects, from Salesforce's "sObjects That Can't Be Used Together in DML Operations" (which says the list is
 * not exhaustive), plus PermissionSetGroup and PermissionSetGroupComponent, permission setup like PermissionSet.
 */
export const SETUP_OBJECTS: ReadonlySet<string> = new Set(
  [
    'AuthSession',
    'ContentWorkspace',
    'FieldPermissions',
    'ForecastingShare',
    'Group',
    'GroupMember',
    'ObjectPermissions',
    'ObjectTerritory2AssignmentRule',
    'ObjectTerritory2AssignmentRuleItem',
    'PermissionSet',
    'PermissionSetAssignment',
    'PermissionSetGroup',
    'PermissionSetGroupComponent',
    'QueueSObject',
    'RuleTerritory2Association',
    'SetupEntityAccess',
    'Territory',
    'Territory2',
    'Territory2Model',
    'User',
    'UserPackageLicense',
    'UserRole',
    'UserTerritory',
    'UserTerritory2Association',
  ].map((name) => name.toLowerCase()),
);

const DATABASE_DML = new Set(['insert', 'update', 'upsert', 'delete', 'undelete', 'merge']);
/** How deep calls into helpers are followed: test method -> shared test data -> its own helpers ... */
const MAX_CALL_DEPTH = 4;

export interface TestPatternFinding extends Problem {
  rule: 'mixed_dml' | 'setmock_order';
  /** Class.method of the test method. */
  method: string;
}

// ---- The project's classes, as far as this check needs them -------------------------------------------------------

interface ApexMethod {
  name: string;
  parameterCount: number;
  returnType?: string;
  isTest: boolean;
  isTestSetup: boolean;
  declaration: MethodDeclarationContext;
}

interface ApexClass {
  name: string;
  file: string;
  isTest: boolean;
  methods: ApexMethod[];
  /** Field name (lower case) to declared type. */
  fields: Map<string, string>;
}

class SilentListener extends ApexErrorListener {
  // Syntax errors are the apex syntax check's to report; here a class that does not parse is read as far as it goes.
  apexSyntaxError(): void {}
}

function annotationNames(modifiers: ModifierContext[]): string[] {
  return modifiers.flatMap((modifier) => {
    const annotation = modifier.annotation();
    return annotation ? [annotation.id().getText().toLowerCase()] : [];
  });
}

function readClass(file: string): ApexClass | undefined {
  const { parser } = ApexParserFactory.createLexerAndParser(readFileSync(file, 'utf8'), new SilentListener());
  const type = parser.compilationUnit().typeDeclaration();
  const declaration = type?.classDeclaration();
  if (!type || !declaration) return undefined;
  const apexClass: ApexClass = {
    name: declaration.id().getText(),
    file,
    isTest: annotationNames(type.modifier_list()).includes('istest'),
    methods: [],
    fields: new Map(),
  };
  for (const member of declaration.classBody().classBodyDeclaration_list()) {
    const memberDeclaration = member.memberDeclaration();
    const method = memberDeclaration?.methodDeclaration();
    const field = memberDeclaration?.fieldDeclaration();
    if (method) apexClass.methods.push(methodOf(member, method));
    if (field) addField(apexClass.fields, field);
  }
  return apexClass;
}

function methodOf(member: ClassBodyDeclarationContext, method: MethodDeclarationContext): ApexMethod {
  const annotations = annotationNames(member.modifier_list());
  return {
    name: method.id().getText(),
    parameterCount: method.formalParameters().formalParameterList()?.formalParameter_list().length ?? 0,
    returnType: method.typeRef()?.getText(),
    isTest: annotations.includes('istest') || member.modifier_list().some((modifier) => modifier.TESTMETHOD()),
    isTestSetup: annotations.includes('testsetup'),
    declaration: method,
  };
}

function addField(fields: Map<string, string>, field: FieldDeclarationContext): void {
  for (const declarator of field.variableDeclarators().variableDeclarator_list()) {
    fields.set(declarator.id().getText().toLowerCase(), field.typeRef().getText());
  }
}

// ---- Walking a test method -------------------------------------------------------------------------------------------

interface Event {
  kind: 'dml' | 'setMock' | 'startTest';
  /** Line in the test method's file: the statement itself, or the call into the helper that contains it. */
  line: number;
  /** Where the statement really is, e.g. PrechatGuardTestData.cls:190. */
  at: string;
  /** Helper calls from the test method to the statement, e.g. ['PrechatGuardTestData.siteUser()']. */
  via: string[];
  insideRunAs: boolean;
  operation?: string;
  /** SObject type of the DML operand, when known. */
  sobject?: string;
}

interface Declaration {
  name: string;
  type: string;
  tokenIndex: number;
}

interface Frame {
  apexClass: ApexClass;
  insideRunAs: boolean;
  via: string[];
  /** Line of the outermost helper call in the test method; unset while walking the test method itself. */
  callLine?: number;
  /** Methods being walked, to stop at recursion. */
  stack: string[];
  declarations: Declaration[];
}

class Walker {
  readonly events: Event[] = [];

  constructor(private readonly classes: Map<string, ApexClass>) {}

  walkMethod(apexClass: ApexClass, method: ApexMethod, outer?: Frame, callLine?: number): void {
    const key = `${apexClass.name}.${method.name}`.toLowerCase();
    const body = method.declaration.block() as BlockContext | null;
    if (!body || (outer && (outer.stack.includes(key) || outer.stack.length > MAX_CALL_DEPTH))) return;
    this.walk(body, {
      apexClass,
      insideRunAs: outer?.insideRunAs ?? false,
      via: outer ? [...outer.via, `${apexClass.name}.${method.name}()`] : [],
      callLine: outer ? (outer.callLine ?? callLine) : undefined,
      stack: [...(outer?.stack ?? []), key],
      declarations: declarationsIn(method.declaration),
    });
  }

  private walk(node: ApexParseTree, frame: Frame): void {
    if (node instanceof RunAsStatementContext) {
      const runAsUser = node.expressionList() as ExpressionListContext | null;
      if (runAsUser) this.walk(runAsUser, frame);
      this.walk(node.block(), { ...frame, insideRunAs: true });
      return;
    }
    for (const child of ruleChildren(node)) this.walk(child, frame);
    const statement = dmlStatement(node);
    if (statement) this.dml(frame, node as ApexParserRuleContext, statement.operation, statement.operand);
    if (node instanceof MethodCallExpressionContext) this.unqualifiedCall(node, frame);
    if (node instanceof DotExpressionContext) this.qualifiedCall(node, frame);
  }

  private event(frame: Frame, node: ApexParserRuleContext, event: Pick<Event, 'kind' | 'operation' | 'sobject'>): void {
    this.events.push({
      ...event,
      line: frame.callLine ?? node.start.line,
      at: `${basename(frame.apexClass.file)}:${node.start.line}`,
      via: frame.via,
      insideRunAs: frame.insideRunAs,
    });
  }

  private dml(frame: Frame, node: ApexParserRuleContext, operation: string, operand?: ExpressionContext): void {
    this.event(frame, node, { kind: 'dml', operation, sobject: operand ? this.sobjectOf(operand, frame) : undefined });
  }

  /** `helper(...)`: a method of the class being walked. */
  private unqualifiedCall(node: MethodCallExpressionContext, frame: Frame): void {
    const call = node.methodCall();
    const name = call.id()?.getText();
    if (!name) return; // this(...) or super(...)
    const method = findMethod(frame.apexClass, name, argumentCount(call.expressionList()));
    if (method) this.walkMethod(frame.apexClass, method, frame, node.start.line);
  }

  /** `Receiver.name(...)`: Test and Database methods, and static methods of @IsTest classes. */
  private qualifiedCall(node: DotExpressionContext, frame: Frame): void {
    const call = node.dotMethodCall();
    if (!call) return;
    const name = call.anyId().getText().toLowerCase();
    const receiver = qualifiedName(node.expression())?.replace(/^system\./, '');
    if (!receiver) return; // a call on the result of an expression: not followed
    const args = (call.expressionList() as ExpressionListContext | null)?.expression_list() ?? [];
    if (receiver === 'test') {
      if (name === 'setmock') this.event(frame, node, { kind: 'setMock' });
      if (name === 'starttest') this.event(frame, node, { kind: 'startTest' });
      return;
    }
    if (receiver === 'database') {
      if (DATABASE_DML.has(name)) this.dml(frame, node, `Database.${name}`, args[0]);
      return;
    }
    const target = receiver === 'this' ? frame.apexClass : this.classes.get(receiver);
    if (!target || (!target.isTest && target !== frame.apexClass)) return;
    const method = findMethod(target, name, args.length);
    if (method) this.walkMethod(target, method, frame, node.start.line);
  }

  /** The SObject type of a DML operand, or undefined when it cannot be determined. */
  private sobjectOf(expression: ExpressionContext, frame: Frame): string | undefined {
    const type = elementType(this.typeOf(expression, frame));
    if (!type || type.toLowerCase() === 'sobject' || this.classes.has(type.toLowerCase())) return undefined;
    return type;
  }

  private typeOf(expression: ExpressionContext, frame: Frame): string | undefined {
    if (expression instanceof SubExpressionContext) return this.typeOf(expression.expression(), frame);
    if (expression instanceof CastExpressionContext) return expression.typeRef().getText();
    if (expression instanceof NewExpressionContext) return createdType(expression);
    if (expression instanceof PrimaryExpressionContext) {
      const primary = expression.primary();
      if (primary instanceof IdPrimaryContext) return variableType(primary.getText(), primary.start.tokenIndex, frame);
      if (primary instanceof SoqlPrimaryContext) return soqlObject(primary);
      return undefined;
    }
    if (expression instanceof MethodCallExpressionContext) {
      const call = expression.methodCall();
      const name = call.id()?.getText();
      return name ? findMethod(frame.apexClass, name, argumentCount(call.expressionList()))?.returnType : undefined;
    }
    if (expression instanceof DotExpressionContext) {
      const call = expression.dotMethodCall();
      const receiver = qualifiedName(expression.expression());
      if (!call) {
        // this.records: a field of the class.
        const field = expression.anyId().getText().toLowerCase();
        return receiver === 'this' ? frame.apexClass.fields.get(field) : undefined;
      }
      const name = call.anyId().getText();
      const target = receiver === 'this' ? frame.apexClass : receiver ? this.classes.get(receiver) : undefined;
      if (target) return findMethod(target, name, argumentCount(call.expressionList()))?.returnType;
      // someMap.values() is a List of the Map's value type; clone() keeps the type.
      const receiverType = this.typeOf(expression.expression(), frame);
      if (name.toLowerCase() === 'values') return /^map<[^,]+,(.+)>$/i.exec(receiverType ?? '')?.[1];
      if (name.toLowerCase() === 'clone' || name.toLowerCase() === 'deepclone') return receiverType;
    }
    return undefined;
  }
}

function ruleChildren(node: ApexParseTree): ApexParserRuleContext[] {
  const children = (node as ApexParserRuleContext).children ?? [];
  // Terminal nodes (tokens) carry a symbol; rule contexts do not.
  return children.filter((child): child is ApexParserRuleContext => !('symbol' in child));
}

function descendants(node: ApexParseTree): ApexParserRuleContext[] {
  return ruleChildren(node).flatMap((child) => [child, ...descendants(child)]);
}

function dmlStatement(node: ApexParseTree): { operation: string; operand?: ExpressionContext } | undefined {
  if (node instanceof InsertStatementContext) return { operation: 'insert', operand: node.expression() };
  if (node instanceof UpdateStatementContext) return { operation: 'update', operand: node.expression() };
  if (node instanceof UpsertStatementContext) return { operation: 'upsert', operand: node.expression() };
  if (node instanceof DeleteStatementContext) return { operation: 'delete', operand: node.expression() };
  if (node instanceof UndeleteStatementContext) return { operation: 'undelete', operand: node.expression() };
  if (node instanceof MergeStatementContext) return { operation: 'merge', operand: node.expression(0) };
  return undefined;
}

function argumentCount(list: ExpressionListContext | null | undefined): number {
  return list?.expression_list().length ?? 0;
}

/** The dotted name an expression spells (lower case), e.g. `PrechatGuardTestData` or `System.Test`; else undefined. */
function qualifiedName(expression: ExpressionContext): string | undefined {
  const text = expression.getText();
  return /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(text) ? text.toLowerCase() : undefined;
}

function findMethod(apexClass: ApexClass, name: string, argumentCount: number): ApexMethod | undefined {
  const named = apexClass.methods.filter((method) => method.name.toLowerCase() === name.toLowerCase());
  return named.find((method) => method.parameterCount === argumentCount) ?? named[0];
}

function declarationsIn(method: MethodDeclarationContext): Declaration[] {
  const found: Declaration[] = [];
  for (const node of descendants(method)) {
    if (node instanceof FormalParameterContext || node instanceof EnhancedForControlContext) {
      found.push({ name: node.id().getText(), type: node.typeRef().getText(), tokenIndex: node.start.tokenIndex });
    }
    if (node instanceof LocalVariableDeclarationContext) {
      for (const declarator of node.variableDeclarators().variableDeclarator_list()) {
        found.push({
          name: declarator.id().getText(),
          type: node.typeRef().getText(),
          tokenIndex: node.start.tokenIndex,
        });
      }
    }
  }
  return found;
}

/** The nearest declaration of the name before its use (blocks are not tracked), else a field of the class. */
function variableType(name: string, tokenIndex: number, frame: Frame): string | undefined {
  const before = frame.declarations.filter(
    (declaration) => declaration.name.toLowerCase() === name.toLowerCase() && declaration.tokenIndex < tokenIndex,
  );
  return before.at(-1)?.type ?? frame.apexClass.fields.get(name.toLowerCase());
}

function createdType(expression: NewExpressionContext): string | undefined {
  const creator = expression.creator();
  // `new User[]{...}` is a list of User; `new List<User>{...}` is handled by elementType().
  return creator.createdName().getText() + (creator.arrayCreatorRest() ? '[]' : '');
}

function soqlObject(primary: SoqlPrimaryContext): string | undefined {
  const from = descendants(primary).find((node): node is FromNameListContext => node instanceof FromNameListContext);
  return from?.fieldName(0)?.getText();
}

/** User, List<User>, Set<User>, User[], Schema.User -> User; anything else (Map<...>, String...) unchanged. */
function elementType(type: string | undefined): string | undefined {
  if (!type) return undefined;
  const element = /^(?:list|set)<(.+)>$/i.exec(type)?.[1] ?? type.replace(/\[\]$/, '');
  return element.replace(/^schema\./i, '');
}

// ---- The rules ---------------------------------------------------------------------------------------------------------

function describe(event: Event): string {
  const what = event.kind === 'dml' ? `${event.operation} on ${event.sobject ?? 'a record'}` : 'Test.setMock';
  return `${what} (${event.at}${event.via.length ? `, via ${event.via.join(' -> ')}` : ''})`;
}

function mixedDml(events: Event[], method: string): Omit<TestPatternFinding, 'code' | 'file'> | undefined {
  const known = (event: Event): boolean => event.kind === 'dml' && event.sobject !== undefined;
  const setup = events.filter((event) => known(event) && SETUP_OBJECTS.has(event.sobject!.toLowerCase()));
  const others = events.filter((event) => known(event) && !SETUP_OBJECTS.has(event.sobject!.toLowerCase()));
  const outside = setup.find((event) => !event.insideRunAs);
  // Name the non-setup DML that shares the transaction with it, outside runAs, where there is one.
  const other = others.find((event) => !event.insideRunAs) ?? others[0];
  if (!outside || !other) return undefined;
  return {
    rule: 'mixed_dml',
    method,
    line: outside.line,
    message:
      `${method}: ${describe(outside)} is a setup-object DML outside System.runAs, and the test also does ` +
      `${describe(other)}. Setup and non-setup DML in one transaction fail with MIXED_DML_OPERATION: do the ` +
      `setup-object DML inside System.runAs(...) { }.`,
  };
}

function setMockOrder(events: Event[], method: string): Omit<TestPatternFinding, 'code' | 'file'> | undefined {
  let dml: Event | undefined;
  for (const event of events) {
    if (event.kind === 'startTest') return undefined;
    if (event.kind === 'dml') dml ??= event;
    if (event.kind === 'setMock' && dml) {
      return {
        rule: 'setmock_order',
        method,
        line: event.line,
        message:
          `${method}: ${describe(event)} comes before Test.startTest() and after ${describe(dml)}. A callout after ` +
          `uncommitted DML fails ("You have uncommitted work pending"): call Test.startTest() first, then set the mock.`,
      };
    }
  }
  return undefined;
}

export function findTestPatternViolations(root: string): {
  findings: TestPatternFinding[];
  classes: number;
  methods: number;
} {
  const files = packageDirectories(root).flatMap((directory) =>
    listFiles(directory.absolute, (name) => name.endsWith('.cls')),
  );
  const classes = new Map<string, ApexClass>();
  for (const file of files) {
    const apexClass = readClass(file);
    if (apexClass) classes.set(apexClass.name.toLowerCase(), apexClass);
  }
  const findings: TestPatternFinding[] = [];
  let methods = 0;
  const testClasses = [...classes.values()].filter((apexClass) => apexClass.isTest);
  for (const apexClass of testClasses) {
    for (const method of apexClass.methods.filter((candidate) => candidate.isTest || candidate.isTestSetup)) {
      methods += 1;
      const walker = new Walker(classes);
      walker.walkMethod(apexClass, method);
      const name = `${apexClass.name}.${method.name}`;
      // @TestSetup runs in its own transaction before each test: mixed DML applies, the callout order does not.
      const found = [mixedDml(walker.events, name), method.isTest ? setMockOrder(walker.events, name) : undefined];
      for (const finding of found) {
        if (finding) findings.push({ ...finding, code: `apex_${finding.rule}`, file: relative(root, apexClass.file) });
      }
    }
  }
  return { findings, classes: testClasses.length, methods };
}

export function checkApexTestPatterns(root: string): CheckResult {
  const { findings, classes, methods } = findTestPatternViolations(root);
  return resultOf(
    'apex test patterns (mixed DML, setMock order)',
    `${methods} test methods in ${classes} @IsTest classes`,
    findings,
  );
}

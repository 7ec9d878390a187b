// The reference check: each kind of broken reference is found (so the check can fail), and the repository has none.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkReferences, headingAnchor, markdownAnchors } from '../../../scripts/check/references';

const REPOSITORY = join(__dirname, '../../..');
/** The folder beside a checkout that design notes once lived in, spelt in pieces so this file does not name it. */
const BESIDE = ['..', 'sha' + 'red'].join('/');

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'references-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('checkReferences', () => {
  let root: string;
  const files = {
    'README.md': [
      '# Project',
      'See [the API](docs/http-api.md#http-errors) and [the design](docs/architecture.md#4-token-formats).',
      'Broken: [gone](docs/gone.md), [bad anchor](docs/http-api.md#no-such-heading), [up](../elsewhere.md).',
      'External: [jose](https://github.com/panva/jose), [self](#project).',
    ].join('\n'),
    'docs/http-api.md': '# HTTP API\n\n## HTTP errors\n\n## HTTP errors\n',
    'docs/architecture.md': '# Architecture\n\n## 4. Token formats\n\n### 4.2 What valid means\n',
    'server/src/app.ts': [
      '// Checks in the order of docs/architecture.md §4.2; errors as in docs/http-api.md.',
      '// Wrong: docs/architecture.md §9.1, server/src/missing.ts, and the notes in ' + BESIDE + '/design/x.md.',
      '// Exit codes as in README, "Project"; errors in docs/http-api.md, "HTTP errors"; gone: README, "Old heading".',
      "// Compiled output named by its source's twin: server/src/app.js; a glob is not a path: server/src/**/*.js",
    ].join('\n'),
    'test/fixtures/broken.md': '[deliberately broken](nowhere.md)',
  };

  beforeAll(() => {
    root = tree(files);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds every broken reference, and only those', () => {
    const found = checkReferences(root, Object.keys(files)).map(
      ({ file, line, reference, problem }) => `${file}:${line} ${reference} — ${problem}`,
    );
    expect(found).toEqual([
      'README.md:3 docs/gone.md — no such file in the repository',
      'README.md:3 docs/http-api.md#no-such-heading — no heading with the anchor #no-such-heading in docs/http-api.md',
      'README.md:3 ../elsewhere.md — points outside the repository',
      `server/src/app.ts:2 ${BESIDE}/ — points outside the repository`,
      'server/src/app.ts:2 server/src/missing.ts — no such file in the repository',
      'server/src/app.ts:2 docs/architecture.md §9.1 — no such numbered section',
      'server/src/app.ts:3 README, "Old heading" — no heading "Old heading"',
    ]);
  });
});

describe('anchors', () => {
  it('follow GitHub: lower case, punctuation dropped, spaces as hyphens, repeats numbered', () => {
    expect(headingAnchor('4. Token formats')).toBe('4-token-formats');
    expect(headingAnchor('What "valid" means (v2), and which reason wins')).toBe(
      'what-valid-means-v2-and-which-reason-wins',
    );
    expect([...markdownAnchors('# A\n## A\n```\n# not a heading\n```\n## `code` B\n')]).toEqual(['a', 'a-1', 'code-b']);
  });
});

describe('the repository', () => {
  it('has no reference that does not resolve inside it', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: REPOSITORY,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((file) => file !== '');
    expect(files.length).toBeGreaterThan(100); // the listing found the repository, not nothing
    expect(checkReferences(REPOSITORY, files)).toEqual([]);
  });
});

// Every reference in the repository resolves inside it: relative Markdown links (and their #anchors), repository paths
// named in code and prose ("see docs/http-api.md", "server/src/app.ts"), section references into the architecture
// ("docs/architecture.md §4.2"), and nothing that points at a folder beside the checkout.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize, relative } from 'node:path';

export interface BrokenReference {
  /** Repository-relative path of the file that holds the reference. */
  file: string;
  line: number;
  reference: string;
  problem: string;
}

const TEXT_EXTENSIONS = new Set([
  '.md',
  '.ts',
  '.js',
  '.mjs',
  '.cjs',
  '.json',
  '.cls',
  '.xml',
  '.html',
  '.css',
  '.sh',
  '.yml',
  '.yaml',
  '.example',
]);

/** Folders at the top of the repository whose paths may be named in text. */
const TOP_FOLDERS = [
  'bench',
  'bin',
  'bootstrap',
  'config',
  'demo',
  'docs',
  'force-app',
  'legacy-chat',
  'ops',
  'scripts',
  'server',
  'test',
];
const PATH_EXTENSIONS = 'md|ts|js|mjs|cjs|json|cls|xml|sh|yml|yaml|html|css';
const REPOSITORY_PATH = new RegExp(
  `(?<![\\w./@-])((?:${TOP_FOLDERS.join('|')})/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\\.(?:${PATH_EXTENSIONS}))(?![\\w*])`,
  'g',
);
const MARKDOWN_LINK = /\[[^\]\n]*\]\(([^)\s]+)\)/g;
const ARCHITECTURE_SECTION = /docs\/architecture\.md §\s?(\d+(?:\.\d+)?)/g;
/** A section named by its heading: README, "CLI" · docs/install.md, "Exit codes" · docs/http-api.md's "HTTP errors". */
const NAMED_SECTION = /\b(README(?:\.md)?|docs\/[\w-]+\.md)(?:'s)?,? \(?"([^"]+)"/g;
/** Design documents and research notes that live beside a checkout, never inside it. */
const OUTSIDE = /\.\.\/shared\/|\bshared\/(?:design|research)\/|\bARCHITECTURE(?:\.md)? §/g;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file offers, with GitHub's -1, -2… for repeated headings. */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = headingAnchor(heading[1]!.replace(/`/g, ''));
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return anchors;
}

/** The headings of a Markdown file as written, without Markdown code marks. */
function headingTexts(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.*?)\s*$/gm)].map((match) => match[1]!.replace(/`/g, '').toLowerCase()),
  );
}

/** Section numbers ("4", "4.2") of the numbered headings of a Markdown file. */
function sectionNumbers(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)?)\.?\s/gm)].map((match) => match[1]!));
}

/** A path exists in the checkout, or is the compiled output of a TypeScript source beside it (LWC, dist). */
function resolves(root: string, path: string): boolean {
  if (existsSync(join(root, path))) return true;
  return extname(path) === '.js' && existsSync(join(root, path.slice(0, -3) + '.ts'));
}

const OWN_TEST = 'test/scripts/check/references.test.ts';

/** The prose of a line of code: its comment. String literals name virtual files (test inputs) as often as real ones. */
function commentOf(line: string): string {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('*') || trimmed.startsWith('/*')) return line;
  const start = line.search(/(?<!:)\/\//);
  return start === -1 ? '' : line.slice(start);
}

export function checkReferences(root: string, files: readonly string[]): BrokenReference[] {
  const broken: BrokenReference[] = [];
  const cache = new Map<string, string>();
  const read = (path: string): string => {
    let text = cache.get(path);
    if (text === undefined) {
      text = readFileSync(join(root, path), 'utf8');
      cache.set(path, text);
    }
    return text;
  };

  for (const file of files) {
    if (!TEXT_EXTENSIONS.has(extname(file)) || file.endsWith('package-lock.json')) continue;
    // Fixtures hold deliberately broken inputs for the checks that read them, and so do this check's own examples.
    if (file.split('/').includes('fixtures') || file === OWN_TEST) continue;
    const isMarkdown = extname(file) === '.md';
    const lines = read(file).split('\n');
    lines.forEach((line, index) => {
      const text = isMarkdown ? line : commentOf(line);
      const reported = new Set<string>();
      // A Markdown link to a repository path matches two of the checks below: one finding is enough.
      const report = (reference: string, problem: string) => {
        const key = reference.split('#')[0]!;
        if (reported.has(key)) return;
        reported.add(key);
        broken.push({ file, line: index + 1, reference, problem });
      };

      for (const match of text.matchAll(OUTSIDE)) report(match[0], 'points outside the repository');

      for (const [, path] of text.matchAll(REPOSITORY_PATH)) {
        if (!resolves(root, path!)) report(path!, 'no such file in the repository');
      }

      for (const [reference, document, heading] of text.matchAll(NAMED_SECTION)) {
        const path = document!.startsWith('README') ? 'README.md' : document!;
        if (!resolves(root, path)) report(reference, 'no such file in the repository');
        // A heading may be cited by its start ("Lightning Web Security" for "Lightning Web Security: when …").
        else if (![...headingTexts(read(path))].some((text) => text.startsWith(heading!.toLowerCase()))) {
          report(reference, `no heading "${heading}"`);
        }
      }

      for (const [, section] of text.matchAll(ARCHITECTURE_SECTION)) {
        if (!sectionNumbers(read('docs/architecture.md')).has(section!)) {
          report(`docs/architecture.md §${section}`, 'no such numbered section');
        }
      }

      if (!isMarkdown) return;
      for (const [, target] of text.matchAll(MARKDOWN_LINK)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto:…
        const [pathPart, anchor] = target!.split('#', 2) as [string, string | undefined];
        const linked = pathPart === '' ? file : normalize(join(dirname(file), decodeURI(pathPart)));
        if (linked.startsWith('..')) {
          report(target!, 'points outside the repository');
          continue;
        }
        if (!resolves(root, linked)) {
          report(target!, 'no such file in the repository');
          continue;
        }
        if (anchor && extname(linked) === '.md' && !markdownAnchors(read(linked)).has(anchor)) {
          report(target!, `no heading with the anchor #${anchor} in ${relative('.', linked)}`);
        }
      }
    });
  }
  return broken;
}

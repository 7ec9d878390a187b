import { join } from 'node:path';
import { apexSyntaxErrors, checkApexSyntax } from '../../scripts/check/apexSyntax';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');

describe('apex syntax check', () => {
  it('passes on every class in force-app', () => {
    const result = checkApexSyntax(join(ROOT, 'force-app'));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(/^\d+ classes parsed$/);
  });

  it('fails on a class with a syntax error and names file and line', () => {
    const result = checkApexSyntax(join(FIXTURES, 'apex-syntax-error'));
    expect(result.ok).toBe(false);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems[0]).toMatchObject({ code: 'apex_syntax', file: join('classes', 'Broken.cls'), line: 5 });
  });

  it('counts errors itself instead of trusting the parser to throw', () => {
    expect(apexSyntaxErrors('public with sharing class Fine { Integer x = 1; }')).toEqual([]);
    expect(apexSyntaxErrors('public class { }').length).toBeGreaterThan(0);
  });

  it('fails when a folder has no Apex at all (a wrong path must not pass silently)', () => {
    const result = checkApexSyntax(join(FIXTURES, 'unknown-suffix', 'gadgets'));
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.code).toBe('no_apex');
  });
});

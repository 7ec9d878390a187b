import { join } from 'node:path';
import { checkApexSyntax } from '../../scripts/check/apexSyntax';
import { resultOf } from '../../scripts/check/result';
import { overPackageDirectories, runSalesforceChecks } from '../../scripts/check/salesforce';
import { packageDirectories } from '../../scripts/check/sfdxProject';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');

jest.setTimeout(180_000);

describe('check:salesforce runner', () => {
  it('runs every check and reports each failure of a broken folder', async () => {
    const results = await runSalesforceChecks(join(FIXTURES, 'apex-syntax-error'));
    expect(results.map((r) => r.name)).toEqual([
      'apex syntax',
      'apex semantics (apex-ls)',
      'apex test patterns (mixed DML, setMock order)',
      'metadata xml well-formed',
      'metadata conversion',
      'pmd (apex security + best practices)',
    ]);
    expect(results.find((r) => r.name === 'apex syntax')?.ok).toBe(false);
    expect(results.find((r) => r.name === 'apex semantics (apex-ls)')?.ok).toBe(false);
  });

  it('checks every package directory of sfdx-project.json, not only force-app', () => {
    expect(packageDirectories(ROOT).map((directory) => directory.path)).toEqual(
      expect.arrayContaining(['force-app', 'legacy-chat', 'bootstrap']),
    );
  });

  it('merges per-folder results with paths relative to the project', async () => {
    const project = packageDirectories(join(FIXTURES, 'apex-semantic-optional-object'));
    const syntax = await overPackageDirectories(project, checkApexSyntax);
    expect(syntax.ok).toBe(true);
    expect(syntax.summary).toBe('core: 1 classes parsed; legacy: 2 classes parsed');

    // "Nothing found" in one package directory (bootstrap has no Apex) is no failure; elsewhere problems keep their path.
    const merged = await overPackageDirectories(project, (folder) =>
      folder.endsWith('legacy')
        ? resultOf('fake', 'nothing', [{ code: 'no_apex', message: 'none' }])
        : resultOf('fake', 'one problem', [{ code: 'bad', file: 'A.cls', line: 1, message: 'bad' }]),
    );
    expect(merged.problems).toEqual([{ code: 'bad', file: join('core', 'A.cls'), line: 1, message: 'bad' }]);
    const empty = await overPackageDirectories(project, () =>
      resultOf('fake', 'nothing', [{ code: 'no_apex', message: 'none' }]),
    );
    expect(empty.problems.map((problem) => problem.code)).toEqual(['no_apex', 'no_apex']);
  });
});

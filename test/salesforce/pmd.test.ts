import { join } from 'node:path';
import { checkPmd } from '../../scripts/check/pmd';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');
const workFolder = join(ROOT, '.code-analyzer');

// PMD runs in a JVM: each run takes several seconds.
jest.setTimeout(120_000);

describe('pmd check (Code Analyzer, Apex security + best-practice rules)', () => {
  it('finds no High or Critical violation in force-app', async () => {
    const result = await checkPmd(join(ROOT, 'force-app'), { workFolder });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('fails on a SOQL injection and names the rule, file and line', async () => {
    const result = await checkPmd(join(FIXTURES, 'pmd-high'), { workFolder });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'pmd_violation',
          rule: 'ApexSOQLInjection',
          file: join('classes', 'Injectable.cls'),
          line: 4,
        }),
      ]),
    );
  });
});

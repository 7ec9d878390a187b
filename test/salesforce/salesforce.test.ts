import { join } from 'node:path';
import { runSalesforceChecks } from '../../scripts/check/salesforce';

jest.setTimeout(120_000);

describe('check:salesforce runner', () => {
  it('runs every check and reports each failure of a broken folder', async () => {
    const results = await runSalesforceChecks(join(__dirname, 'fixtures', 'apex-syntax-error'));
    expect(results.map((r) => r.name)).toEqual([
      'apex syntax',
      'metadata xml well-formed',
      'metadata conversion',
      'pmd (apex security + best practices)',
    ]);
    expect(results.find((r) => r.name === 'apex syntax')?.ok).toBe(false);
  });
});

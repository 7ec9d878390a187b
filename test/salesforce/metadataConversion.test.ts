import { join } from 'node:path';
import { checkMetadataConversion } from '../../scripts/check/metadataConversion';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');

describe('metadata conversion check (source-deploy-retrieve)', () => {
  it('converts all of force-app to Metadata API format', async () => {
    const result = await checkMetadataConversion(join(ROOT, 'force-app'));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('fails on a file of an unknown metadata type', async () => {
    const result = await checkMetadataConversion(join(FIXTURES, 'unknown-suffix'));
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.code).toBe('metadata_unconvertible');
    expect(result.problems[0]?.message).toContain('Thing.gadget-meta.xml');
  });

  it('does not see malformed XML, which is why the xml check exists', async () => {
    const result = await checkMetadataConversion(join(FIXTURES, 'xml-malformed'));
    expect(result.ok).toBe(true);
  });
});

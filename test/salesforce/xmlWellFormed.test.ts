import { join } from 'node:path';
import { checkXmlWellFormed } from '../../scripts/check/xmlWellFormed';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');

describe('metadata xml well-formedness check', () => {
  it('passes on every xml file in force-app', () => {
    const result = checkXmlWellFormed(join(ROOT, 'force-app'));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('fails on a meta.xml with a mismatched closing tag and names file and line', () => {
    const result = checkXmlWellFormed(join(FIXTURES, 'xml-malformed'));
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      code: 'xml_malformed',
      file: join('classes', 'Fine.cls-meta.xml'),
      line: 4,
    });
  });
});

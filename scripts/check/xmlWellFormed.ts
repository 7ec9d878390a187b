// Every *-meta.xml (and other .xml) under the folder is well-formed XML. SDR's conversion does not parse metadata XML,
// so without this a broken tag would only show up at deploy time.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { listFiles } from './files';
import { resultOf, type CheckResult, type Problem } from './result';

export function checkXmlWellFormed(root: string): CheckResult {
  const files = listFiles(root, (name) => name.endsWith('.xml'));
  const problems: Problem[] = [];
  for (const file of files) {
    const verdict = XMLValidator.validate(readFileSync(file, 'utf8'));
    if (verdict !== true) {
      problems.push({
        code: 'xml_malformed',
        file: relative(root, file),
        line: verdict.err.line,
        message: `${verdict.err.code}: ${verdict.err.msg}`,
      });
    }
  }
  if (files.length === 0) problems.push({ code: 'no_xml', message: `No .xml files found under ${root}.` });
  return resultOf('metadata xml well-formed', `${files.length} xml files`, problems);
}

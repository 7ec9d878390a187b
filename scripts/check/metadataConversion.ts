// Metadata layout: the folder resolves with source-deploy-retrieve and converts to Metadata API format, which proves
// every file is a known metadata type with a valid source layout (unknown suffixes and missing parts throw).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { resultOf, type CheckResult } from './result';

export async function checkMetadataConversion(root: string): Promise<CheckResult> {
  const outputDirectory = mkdtempSync(join(tmpdir(), 'prechat-guard-mdapi-'));
  try {
    const components = ComponentSet.fromSource(root);
    const count = components.getSourceComponents().toArray().length;
    if (count === 0) {
      return resultOf('metadata conversion', 'no components', [
        { code: 'no_components', message: `No Salesforce metadata components found under ${root}.` },
      ]);
    }
    await new MetadataConverter().convert(components, 'metadata', {
      type: 'directory',
      outputDirectory,
      genUniqueDir: false,
    });
    return resultOf('metadata conversion', `${count} components converted to Metadata API format`, []);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return resultOf('metadata conversion', 'conversion failed', [{ code: 'metadata_unconvertible', message }]);
  } finally {
    rmSync(outputDirectory, { recursive: true, force: true });
  }
}

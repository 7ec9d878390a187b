// The Node versions the service runs on (package.json "engines": >= 22). Checked before anything else is loaded:
// on an older Node the service would start and then fail in ways that do not point at the cause.

export const MIN_NODE_MAJOR = 22;

/** The refusal for an unsupported Node version (`process.versions.node`, e.g. "20.20.2"), or null when supported. */
export function unsupportedNodeMessage(version: string): string | null {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  if (Number.isInteger(major) && major >= MIN_NODE_MAJOR) return null;
  return (
    `prechat-guard: Node ${version} is not supported; Node ${MIN_NODE_MAJOR} or later is required (Node 24 LTS ` +
    'recommended).\n' +
    'In a clone of the repository, run `. scripts/dev/use-node.sh` (it puts Node 24 first on PATH) and start again; ' +
    `elsewhere, install Node ${MIN_NODE_MAJOR}+ (https://nodejs.org/en/download) and start again.\n`
  );
}

// Runs ESLint's Node API with the repository's own eslint.config.mjs, outside Jest. Jest runs test code in a VM
// context that cannot load an ES module config file (ESLint imports it with a dynamic import()), so
// lwcLint.test.ts starts this script as a child process: the config is found and loaded exactly as `npx eslint` does.
//
// stdin:  {"lint": [{"filePath": "<relative to the repository root>", "text": "<source>"}], "configFor": ["<path>"]}
// stdout: {"results": [{"filePath", "messages": [{"ruleId", "severity", "fatal", "message"}]}],
//          "configs": [{"filePath", "parser", "rules": {"<rule>": <severity 0-2>}}]}
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function readStdin() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  return JSON.parse(input);
}

/** A rule's configured severity as a number (ESLint normalises `'error'`/`['error', {...}]` to 2, and so on). */
function severityOf(setting) {
  const level = Array.isArray(setting) ? setting[0] : setting;
  return typeof level === 'number' ? level : { off: 0, warn: 1, error: 2 }[level];
}

const request = await readStdin();
const eslint = new ESLint({ cwd: ROOT });
const results = [];
for (const { filePath, text } of request.lint ?? []) {
  const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, filePath) });
  results.push({
    filePath,
    messages: (result?.messages ?? []).map(({ ruleId, severity, fatal, message }) => ({
      ruleId,
      severity,
      fatal: fatal === true,
      message,
    })),
  });
}
const configs = [];
for (const filePath of request.configFor ?? []) {
  const config = await eslint.calculateConfigForFile(path.join(ROOT, filePath));
  configs.push({
    filePath,
    parser: config?.languageOptions?.parser?.meta?.name ?? null,
    rules: Object.fromEntries(
      Object.entries(config?.rules ?? {}).map(([rule, setting]) => [rule, severityOf(setting)]),
    ),
  });
}
process.stdout.write(JSON.stringify({ results, configs }));

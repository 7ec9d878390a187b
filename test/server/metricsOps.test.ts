// The Grafana dashboard and the Prometheus alert rules under ops/ query only metrics (and labels, and reason codes) a
// running service exposes: renaming a metric, a label or a reason breaks this test, not a dashboard at 3 a.m.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REASONS } from '../../server/src/tokens/reasons';
import { NOW_MS, mint, productionEnv, removeDir, testApp, testKey, trustDirWith, verify } from '../support/fixtures';

const ROOT = path.resolve(__dirname, '../..');
const DASHBOARD = path.join(ROOT, 'ops/grafana/prechat-guard-dashboard.json');
const RULES = path.join(ROOT, 'ops/prometheus/prechat-guard-alerts.yml');
const OPERATIONS = path.join(ROOT, 'docs/operations.md');
/** Series Prometheus makes itself for every scrape target; no service exposes them. */
const FROM_PROMETHEUS = new Set(['up']);

// --- a small PromQL reader: enough for the selectors, functions and operators these files use -----------------------

const NOT_METRICS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or']);
const NOT_METRICS_TOO = new Set(['unless', 'offset', 'inf', 'nan', 'Inf', 'NaN']);

/** Grafana variables ($__rate_interval, $instance, ${kid}) stand for a duration or a label value. */
function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{[^}]*\}|\$\w+/g, '5m');
}

export function metricNamesIn(rawExpr: string): string[] {
  const text = withoutGrafanaVariables(rawExpr)
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\{[^}]*\}/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = match[0];
    const before = text[match.index - 1] ?? ' ';
    const after = text.slice(match.index + name.length);
    if (/[0-9.]/.test(before)) continue; // the exponent of a number such as 1e3
    if (/^\s*\(/.test(after)) continue; // a function or an aggregation
    if (NOT_METRICS.has(name) || NOT_METRICS_TOO.has(name)) continue;
    names.add(name);
  }
  return [...names];
}

/** Every `metric{label op "value"}` of an expression. */
function selectorsIn(rawExpr: string): Array<{ metric: string; label: string; op: string; value: string }> {
  const found = [];
  for (const selector of withoutGrafanaVariables(rawExpr).matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\s*\{([^}]*)\}/g)) {
    for (const matcher of selector[2]!.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
      found.push({ metric: selector[1]!, label: matcher[1]!, op: matcher[2]!, value: matcher[3]! });
    }
  }
  return found;
}

// --- the files -------------------------------------------------------------------------------------------------------

interface Panel {
  title?: string;
  type: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
  title: string;
  uid: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: string | { query: string } }> };
};
const rules = parseYaml(readFileSync(RULES, 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> };

function dashboardExpressions(): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  const walk = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) out.push({ where: `panel "${panel.title}"`, expr: target.expr });
      walk(panel.panels ?? []);
    }
  };
  walk(dashboard.panels);
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
    // label_values(<series selector>, <label>): the label is not a metric.
    const selector = /^label_values\((.*),\s*\w+\s*\)$/.exec(query)?.[1] ?? query;
    out.push({ where: `variable "${variable.name}"`, expr: selector });
  }
  return out;
}

function ruleExpressions(): Array<{ where: string; expr: string }> {
  return rules.groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
  );
}

// --- what a running service exposes --------------------------------------------------------------------------------

const key = testKey('ops-key');
const soon = testKey('ops-soon', { notAfter: new Date(NOW_MS + 10 * 86_400_000) });
let trustDir: string;
const exposed = new Set<string>();
const labelsOf = new Map<string, Set<string>>();

beforeAll(async () => {
  trustDir = trustDirWith([key, soon]);
  const { app, close } = await testApp(productionEnv(trustDir));
  // One of each kind of event, so that labelled series have samples to read label names from.
  await verify(app, { token: mint(key) });
  await verify(app, { token: 'garbage' });
  await verify(app, { token: mint(key) }, 'wrong-caller-key-0123456789');
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  await close();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    exposed.add(name!);
    const suffixes =
      type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['_sum', '_count'] : [];
    for (const suffix of suffixes) exposed.add(name! + suffix);
  }
  for (const [, name, labels] of text.matchAll(/^([A-Za-z_:][A-Za-z0-9_:]*)\{([^}]*)\} /gm)) {
    const set = labelsOf.get(name!) ?? new Set<string>();
    for (const [, label] of labels!.matchAll(/(\w+)="/g)) set.add(label!);
    labelsOf.set(name!, set);
  }
});
afterAll(() => removeDir(trustDir));

describe('the PromQL reader', () => {
  it('finds metric names and skips functions, keywords, labels, durations and numbers', () => {
    const expr =
      'histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{outcome="valid", x=~"$v"}[$__rate_interval]))) ' +
      '> 0.1 and on(instance) (b_total / ignoring(reason) group_left sum without (kid) (c_days)) < 1e3 or up';
    expect(metricNamesIn(expr).sort()).toEqual(['a_seconds_bucket', 'b_total', 'c_days', 'up']);
  });
});

describe('ops/ files', () => {
  const all = () => [...dashboardExpressions(), ...ruleExpressions()];

  it('the dashboard and the rules are readable and not empty', () => {
    expect(dashboard.uid).toBe('prechat-guard');
    expect(dashboardExpressions().length).toBeGreaterThanOrEqual(12);
    expect(ruleExpressions().length).toBeGreaterThanOrEqual(8);
  });

  it('query only metrics a running service exposes', () => {
    const unknown = all().flatMap(({ where, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !exposed.has(name) && !FROM_PROMETHEUS.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
    // The checked set is real: the reader found the service's, the process's and Node.js's metrics.
    const used = new Set(all().flatMap(({ expr }) => metricNamesIn(expr)));
    for (const name of [
      'prechat_guard_verifications_total',
      'prechat_guard_verify_duration_seconds_bucket',
      'prechat_guard_binding_store_errors_total',
      'prechat_guard_key_expiry_days',
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(used).toContain(name);
    }
  });

  it('select only labels those metrics carry, and only real reason codes and outcomes', () => {
    const reasons = new Set([...Object.keys(REASONS), 'ok']);
    const problems: string[] = [];
    for (const { where, expr } of all()) {
      for (const { metric, label, op, value } of selectorsIn(expr)) {
        const known = labelsOf.get(metric);
        if (label !== 'instance' && label !== 'job' && known && !known.has(label)) {
          problems.push(`${where}: ${metric} has no label "${label}"`);
        }
        if (label === 'reason' && (op === '=~' || op === '=')) {
          for (const code of value.split('|')) if (!reasons.has(code)) problems.push(`${where}: no reason "${code}"`);
        }
        if (label === 'outcome' && !['valid', 'invalid'].includes(value)) {
          problems.push(`${where}: no outcome "${value}"`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every alert has a severity, a summary, and a runbook section in docs/operations.md', () => {
    const doc = readFileSync(OPERATIONS, 'utf8');
    for (const group of rules.groups) {
      for (const rule of group.rules) {
        expect([rule.alert, rule.labels?.severity]).toEqual([
          rule.alert,
          expect.stringMatching(/^(warning|critical)$/),
        ]);
        expect(rule.annotations?.summary).toBeTruthy();
        expect(rule.annotations?.runbook).toBe(`docs/operations.md#${rule.alert.toLowerCase()}`);
        expect(doc).toContain(`#### ${rule.alert}`);
      }
    }
  });
});

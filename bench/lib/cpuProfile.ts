// Reads a V8 CPU profile (node --cpu-prof) and says where the time went: the functions with the most self time, and
// the share of the busy time spent in hashing, JSON, logging, metrics, crypto, HTTP and garbage collection, so that
// a missed goal comes with the place to look.

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds before each sample (the first is relative to startTime). */
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export type Category = 'logging' | 'metrics' | 'crypto' | 'hashing' | 'json' | 'http' | 'gc' | 'idle' | 'other';

export interface FunctionTime {
  name: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  top: FunctionTime[];
  /** Share of the busy time per category (idle is a share of the total). */
  categories: Record<Category, number>;
}

// Libraries that own their JSON and hashing: a sample anywhere under them is their cost.
const OWNERS: Array<[Category, RegExp]> = [
  ['logging', /\/node_modules\/(pino|sonic-boom|pino-std-serializers|thread-stream)\//],
  ['metrics', /\/node_modules\/prom-client\//],
];

function innermostCategory(frame: CallFrame): Category | null {
  const { functionName: fn, url } = frame;
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'gc';
  if (/internal\/crypto\/hash/.test(url) || (url === '' && /^(createHash|digest|update|Hash|Hmac)$/.test(fn))) {
    return 'hashing';
  }
  if (/internal\/crypto\/(sig|keys|keygen)/.test(url) || (url === '' && /^(verify|Verify|verifyOneShot)$/.test(fn))) {
    return 'crypto';
  }
  if (
    (url === '' && /^(parse|stringify)$/.test(fn)) ||
    /\/node_modules\/(secure-json-parse|fast-json-stringify)\//.test(url)
  ) {
    return 'json';
  }
  if (
    /^node:(_http_|net|internal\/(stream_base_commons|net|http))/.test(url) ||
    /^(writev|writeUtf8String|writeBuffer|writeLatin1String)$/.test(fn)
  ) {
    return 'http';
  }
  return null;
}

/** A label that names the function and where it lives, short enough for a table. */
export function frameName(frame: CallFrame): string {
  const fn = frame.functionName || '(anonymous)';
  if (!frame.url) return fn;
  const url = frame.url.replace(/^file:\/\//, '');
  const modules = url.lastIndexOf('/node_modules/');
  const dist = url.lastIndexOf('/dist/');
  const short = modules >= 0 ? url.slice(modules + 14) : dist >= 0 ? url.slice(dist + 6) : url;
  return `${fn} ${short}:${frame.lineNumber + 1}`;
}

export function summarizeProfile(profile: CpuProfile, topCount = 15): ProfileSummary {
  if (profile.samples.length !== profile.timeDeltas.length) {
    throw new Error('not a CPU profile: samples and timeDeltas differ in length');
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const categoryCache = new Map<number, Category>();
  const categoryOf = (id: number): Category => {
    const cached = categoryCache.get(id);
    if (cached) return cached;
    let innermost: Category | null = null;
    let owner: Category | null = null;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) break;
      innermost ??= innermostCategory(frame);
      owner ??= OWNERS.find(([, pattern]) => pattern.test(frame.url))?.[0] ?? null;
    }
    const category = innermost === 'idle' ? 'idle' : (owner ?? innermost ?? 'other');
    categoryCache.set(id, category);
    return category;
  };

  // Sample i lasts until sample i + 1 (the way DevTools reads it); the last one until endTime.
  const selfUs = new Map<number, number>();
  const categoryUs = new Map<Category, number>();
  let clock = profile.startTime;
  const times = profile.timeDeltas.map((delta) => (clock += delta));
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const duration = Math.max(0, (i + 1 < times.length ? times[i + 1]! : profile.endTime) - times[i]!);
    selfUs.set(id, (selfUs.get(id) ?? 0) + duration);
    const category = categoryOf(id);
    categoryUs.set(category, (categoryUs.get(category) ?? 0) + duration);
  }
  const totalUs = [...categoryUs.values()].reduce((a, b) => a + b, 0);
  const idleUs = categoryUs.get('idle') ?? 0;
  const busyUs = totalUs - idleUs;

  const byName = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || categoryOf(id) === 'idle') continue;
    const name = frameName(node.callFrame);
    byName.set(name, (byName.get(name) ?? 0) + us);
  }
  const share = (us: number) => (busyUs > 0 ? us / busyUs : 0);
  const top = [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topCount)
    .map(([name, us]) => ({ name, selfMs: us / 1000, share: share(us) }));
  const categories = {} as Record<Category, number>;
  for (const category of ['logging', 'metrics', 'crypto', 'hashing', 'json', 'http', 'gc', 'other'] as const) {
    categories[category] = share(categoryUs.get(category) ?? 0);
  }
  categories.idle = totalUs > 0 ? idleUs / totalUs : 0;
  return { totalMs: totalUs / 1000, busyMs: busyUs / 1000, top, categories };
}

// Real redis-server processes for the topology tests: each on a free loopback port with its own temporary folder,
// started, killed and restarted by the test, never the shared Redis on 6379. A single server, a Redis Cluster, and a
// Sentinel-managed primary with its replica. Every process is stopped by stopAllRedis() (call it in afterAll).
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../bench/lib/processes';

const started = new Set<RedisServer>();
const folders = new Set<string>();

function available(binary: string): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * `describe` when redis-server and redis-cli are installed. Without them the suite is skipped with a loud message,
 * except in CI (CI=true), where their absence fails the run: a topology nobody tested is not a supported one.
 */
export function describeWithRedisServer(name: string, suite: () => void): void {
  if (available('redis-server') && available('redis-cli')) return describe(name, suite);
  const install = 'install Redis (Debian: apt-get install redis-server) to run it';
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs redis-server and redis-cli', () => {
        throw new Error(`redis-server or redis-cli is missing and CI=true: ${install}`);
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPED "${name}": redis-server or redis-cli is not installed; ${install}. !!!\n`);
  describe.skip(name, suite);
}

export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `prechat-guard-${prefix}-`));
  folders.add(dir);
  return dir;
}

export interface RedisTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

export interface RedisServerOptions {
  /** Extra configuration, one directive per entry: ['appendonly', 'yes'], ['user', 'alice', 'on', …]. */
  config?: string[][];
  /** Serve TLS only (the port is the TLS port). */
  tls?: RedisTls;
  /** The credentials redis-cli (the readiness check) uses when the default user is off. */
  auth?: { user: string; password: string };
  /** Run as a Sentinel. */
  sentinel?: boolean;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RedisServer {
  private child: ChildProcess | null = null;
  private stderr = '';
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), tempFolder('redis'), options);
    started.add(server);
    await server.start();
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /**
   * Starts (again) on the same port and folder: whatever it persisted there is loaded. `extra` directives apply to
   * this start only (a former primary coming back as a replica: [['replicaof', host, port]]).
   */
  async start(extra: string[][] = []): Promise<void> {
    const { tls } = this.options;
    const directives: string[][] = [
      ...(tls
        ? [
            ['port', '0'],
            ['tls-port', String(this.port)],
          ]
        : [['port', String(this.port)]]),
      ['bind', '127.0.0.1'],
      ['dir', this.dir],
      ['logfile', path.join(this.dir, 'redis.log')],
      ['loglevel', 'notice'],
    ];
    if (!this.options.sentinel) directives.push(['save', '""'], ['appendonly', 'no']);
    if (tls) {
      directives.push(
        ['tls-cert-file', tls.certFile],
        ['tls-key-file', tls.keyFile],
        ['tls-ca-cert-file', tls.caFile],
        ['tls-auth-clients', 'no'],
      );
    }
    directives.push(...(this.options.config ?? []), ...extra);
    // A config file rather than arguments: Sentinel needs one it can rewrite, and quoting stays Redis's own.
    const file = path.join(this.dir, this.options.sentinel ? 'sentinel.conf' : 'redis.conf');
    writeFileSync(file, directives.map((line) => line.join(' ')).join('\n') + '\n');
    const args = this.options.sentinel ? [file, '--sentinel'] : [file];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('error', () => undefined);
    const deadline = Date.now() + 10_000;
    let last = '';
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server on ${this.port} exited:\n${this.logTail()}`);
      last = await this.cli('PING').catch((error: Error) => error.message);
      if (last === 'PONG') return;
      await sleep(20);
    }
    throw new Error(`redis-server on port ${this.port} did not answer PING within 10 s: ${last}\n${this.logTail()}`);
  }

  /** The end of its log file (it also reports configuration errors there, or on stderr before the log is open). */
  logTail(): string {
    try {
      return this.stderr + readFileSync(path.join(this.dir, 'redis.log'), 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return this.stderr || '(no redis.log)';
    }
  }

  /** Stops the process with `signal` (SIGKILL: a crash, nothing flushed beyond what it already wrote). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT'); // a stalled server must run to handle a signal
    child.kill(signal);
    await this.exited;
  }

  stall(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** redis-cli against this server (TLS and credentials as configured); resolves with its trimmed output. */
  cli(...args: string[]): Promise<string> {
    return redisCli([...this.connectionArgs(), ...args]);
  }

  private connectionArgs(): string[] {
    const args = ['-h', '127.0.0.1', '-p', String(this.port)];
    if (this.options.tls) args.push('--tls', '--cacert', this.options.tls.caFile);
    if (this.options.auth) args.push('--user', this.options.auth.user, '--pass', this.options.auth.password);
    return args.concat('--no-auth-warning');
  }
}

export function redisCli(args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`redis-cli ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** Polls `check` until it returns true; throws with `what` when `timeoutMs` passes. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The persistence docs/deployment.md prescribes for a single Redis (the crash test runs with exactly this). */
export const AOF_ALWAYS = [
  ['appendonly', 'yes'],
  ['appendfsync', 'always'],
];

/** The permissions docs/deployment.md gives the service's Redis user (the TLS test runs as exactly this user). */
export const SERVICE_ACL = [
  '~prechat-guard:*',
  'resetchannels',
  '-@all',
  '+get',
  '+set',
  '+incr',
  '+pexpire',
  '+pttl',
  '+eval',
  '+evalsha',
  '+wait',
  '+info',
  '+ping',
  '+cluster|slots',
];

/** Exactly the command docs/deployment.md shows: 3 or more primaries, `replicas` replicas for each. */
export function clusterCreateArgs(addresses: string[], replicas: number): string[] {
  return ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'];
}

export interface RedisCluster {
  primaries: RedisServer[];
  /** The replicas of primaries[i], in that order (empty without replicas). */
  replicas: RedisServer[];
  /** REDIS_CLUSTER_NODES for every node. */
  nodes: string;
}

/**
 * A Redis Cluster of `size` primaries, each serving a share of the 16384 slots, with `replicas` replicas each; ready
 * when every node says "cluster_state:ok" and every replica is in sync.
 */
export async function startRedisCluster(size = 3, replicas = 0): Promise<RedisCluster> {
  const servers = await Promise.all(
    Array.from({ length: size * (1 + replicas) }, () =>
      RedisServer.start({
        config: [
          ['cluster-enabled', 'yes'],
          ['cluster-config-file', 'nodes.conf'],
          ['cluster-node-timeout', '2000'],
          // a primary waits 5 s by default for more replicas before it streams a full sync
          ['repl-diskless-sync-delay', '0'],
        ],
      }),
    ),
  );
  await redisCli(
    clusterCreateArgs(
      servers.map((server) => server.address),
      replicas,
    ),
    20_000,
  );
  for (const server of servers) {
    await until(`cluster_state:ok on ${server.address}`, async () =>
      (await server.cli('CLUSTER', 'INFO')).includes('cluster_state:ok'),
    );
  }
  // redis-cli chose the roles: ask each node (ROLE: "master", or "slave" followed by its primary's host and port).
  const roles = await Promise.all(servers.map(async (server) => (await server.cli('ROLE')).split('\n')));
  const primaries = servers.filter((_, index) => roles[index]![0] === 'master');
  const replicaOf = (primary: RedisServer) =>
    servers.find((_, index) => roles[index]![0] === 'slave' && roles[index]![2] === String(primary.port));
  const ordered = replicas > 0 ? primaries.map((primary) => replicaOf(primary)!) : [];
  for (const replica of ordered) {
    await until(`replica ${replica.address} in sync`, async () =>
      (await replica.cli('INFO', 'replication')).includes('master_link_status:up'),
    );
  }
  return { primaries, replicas: ordered, nodes: servers.map((server) => server.address).join(',') };
}

export interface SentinelGroup {
  primary: RedisServer;
  replica: RedisServer;
  sentinels: RedisServer[];
  /** REDIS_SENTINELS for all of them. */
  addresses: string;
  masterName: string;
  /** The address every Sentinel names as primary, or null while they disagree (a failover still spreading). */
  currentPrimary(): Promise<string | null>;
}

/** The sentinel.conf lines docs/deployment.md shows (timeouts shortened here so that a failover takes seconds). */
export function sentinelDirectives(masterName: string, primary: string, quorum: number): string[][] {
  const [host, port] = primary.split(':') as [string, string];
  return [
    ['sentinel', 'monitor', masterName, host, port, String(quorum)],
    ['sentinel', 'down-after-milliseconds', masterName, '1000'],
    ['sentinel', 'failover-timeout', masterName, '2000'],
    ['sentinel', 'parallel-syncs', masterName, '1'],
  ];
}

/** A primary, one replica of it, and `count` Sentinels (quorum: a majority) that agree on both. */
export async function startSentinelGroup(masterName = 'prechat-guard', count = 3): Promise<SentinelGroup> {
  // A primary waits 5 s by default for more replicas before it streams a full sync; here there is only ever one.
  const noDelay = ['repl-diskless-sync-delay', '0'];
  const primary = await RedisServer.start({ config: [noDelay] });
  const replica = await RedisServer.start({ config: [noDelay, ['replicaof', '127.0.0.1', String(primary.port)]] });
  await until('the replica to be in sync', async () =>
    (await replica.cli('INFO', 'replication')).includes('master_link_status:up'),
  );
  const quorum = Math.floor(count / 2) + 1;
  const sentinels = await Promise.all(
    Array.from({ length: count }, () =>
      RedisServer.start({ sentinel: true, config: sentinelDirectives(masterName, primary.address, quorum) }),
    ),
  );
  // A failover needs every Sentinel to know the replica and a majority of Sentinels to know each other.
  for (const sentinel of sentinels) {
    await until(`Sentinel ${sentinel.address} to see the replica and its peers`, async () => {
      const replicas = await sentinel.cli('SENTINEL', 'REPLICAS', masterName);
      const quorumCheck = await sentinel.cli('SENTINEL', 'CKQUORUM', masterName);
      return replicas.includes(String(replica.port)) && quorumCheck.startsWith(`OK ${count} usable`);
    });
  }
  return {
    primary,
    replica,
    sentinels,
    addresses: sentinels.map((sentinel) => sentinel.address).join(','),
    masterName,
    async currentPrimary() {
      const answers = await Promise.all(
        sentinels.map((sentinel) => sentinel.cli('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)),
      );
      const addresses = new Set(answers.map((answer) => answer.split('\n').join(':')));
      return addresses.size === 1 ? [...addresses][0]! : null;
    },
  };
}

/** Kills every server started here and removes their folders (call in afterAll). */
export async function stopAllRedis(): Promise<void> {
  await Promise.all([...started].map((server) => server.stop('SIGKILL')));
  started.clear();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  folders.clear();
}

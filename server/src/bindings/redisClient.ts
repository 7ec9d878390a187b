// One ioredis client for the configured Redis topology (a server, a Cluster, or a primary found through Sentinels),
// built the same way for the binding store and for the rate limiter, and the readiness probe keys that reach every
// primary a binding may land on.
import { randomUUID } from 'node:crypto';
import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config';

export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** How long one command may take before the caller fails closed. */
  commandTimeoutMs?: number;
}

/** A REDIS_URL given directly (tests, the benchmark): one server, no replicas required. */
export function singleRedis(url: string): RedisConfig {
  return { topology: 'single', url, username: null, password: null, tlsCa: null, minReplicas: 0 };
}

export function createRedisClient(config: RedisConfig, options: RedisClientOptions = {}): RedisClient {
  const tls = config.tlsCa !== null ? { ca: config.tlsCa } : undefined;
  // Fail fast instead of queueing while disconnected: a queued verification would just time out later.
  const enableOfflineQueue = false;
  const connection: RedisOptions = {
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: 2000,
    // On close, ioredis waits this long for a socket that may already be gone (2 s by default, holding the process).
    disconnectTimeout: 500,
    // A primary demoted by a failover answers writes with READONLY: reconnect, which asks the Sentinels again.
    reconnectOnError: (error) => /READONLY/.test(error.message),
  };
  const retry = (attempt: number) => Math.min(attempt * 100, 1000);
  let client: RedisClient;
  switch (config.topology) {
    case 'single':
      client = new Redis(config.url, {
        ...connection,
        enableOfflineQueue,
        ...(tls ? { tls } : {}),
        retryStrategy: retry,
      });
      break;
    case 'cluster':
      client = new Cluster(config.nodes as ClusterNode[], {
        enableOfflineQueue,
        clusterRetryStrategy: retry,
        // Every binding is one key, so one slot: reads and writes go to the slot's primary (the truth).
        scaleReads: 'master',
        slotsRefreshTimeout: 2000,
        redisOptions: {
          ...connection,
          username: config.username ?? undefined,
          password: config.password ?? undefined,
          ...(tls ? { tls } : {}),
        },
      });
      break;
    case 'sentinel':
      client = new Redis({
        ...connection,
        enableOfflineQueue,
        sentinels: config.sentinels,
        name: config.masterName,
        role: 'master',
        username: config.username ?? undefined,
        password: config.password ?? undefined,
        // The Sentinels are asked without credentials; TLS, when on, protects both them and the data nodes.
        ...(tls ? { tls, sentinelTLS: tls, enableTLSForSentinelMode: true } : {}),
        retryStrategy: retry,
        sentinelRetryStrategy: retry,
        sentinelCommandTimeout: options.commandTimeoutMs ?? 1000,
        // No failoverDetector: a Sentinel that demotes a primary disconnects its clients itself (CLIENT KILL), and
        // READONLY reconnects us; the detector's own Sentinel subscriptions outlived close() and dropped the
        // connection again on every Sentinel's late +switch-master (measured: spurious 503s after a failover).
      });
      break;
  }
  // Connection errors surface per command (the caller fails closed); the client keeps reconnecting on its own.
  client.on('error', () => undefined);
  return client;
}

/** Waits (bounded) for the first connection, so a fresh instance does not answer 503 while it connects. */
export function whenReady(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once('ready', onReady);
  });
}

/** CRC16 (XMODEM) of the key or of its {hash tag}, modulo 16384: the Redis Cluster slot of a key. */
export function clusterSlot(key: string): number {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of Buffer.from(hashed, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

const PROBE_PREFIX = 'prechat-guard:ready:';

/**
 * Keys whose slots are served by each primary of the cluster, one per primary (a single server or a Sentinel primary:
 * one key). A readiness probe on each of them reaches every primary a binding may land on.
 */
export function probeKeys(client: RedisClient, instance: string): string[] {
  if (!(client instanceof Cluster)) return [`${PROBE_PREFIX}${instance}`];
  const primaries = new Set(client.slots.map((nodes) => nodes[0]).filter((node) => node !== undefined));
  const keys: string[] = [];
  for (let tag = 0; primaries.size > 0 && tag < 100_000; tag++) {
    const key = `${PROBE_PREFIX}${instance}:{${tag}}`;
    const primary = client.slots[clusterSlot(key)]?.[0];
    if (primary !== undefined && primaries.delete(primary)) keys.push(key);
  }
  // No slot map yet (still connecting), or slots that no node serves: nothing to probe, so not ready.
  for (let slot = 0; slot < 16384; slot++) if (client.slots[slot]?.[0] === undefined) return [];
  return keys;
}

/** Identifies this process's probe keys, so that instances do not share (and mask) each other's probes. */
export const PROBE_INSTANCE = randomUUID();

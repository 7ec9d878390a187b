// The Redis the bench uses: its own database (by default 15 of the local server, see BENCH_REDIS_URL), emptied of
// the service's keys before each Redis case (so every case starts from an empty store, as a fresh deployment does)
// and at the end.
import Redis from 'ioredis';

export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Deletes the service's keys (prechat-guard:*) in the bench database; returns how many there were. */
export async function deleteServiceKeys(url: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', 'prechat-guard:*', 'COUNT', 5000);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    client.disconnect();
  }
}

// Node's on-disk compile cache (Node >= 22.1) roughly halves module loading on the second and later starts.
// Imported first by main.ts; a no-op where the API is missing or the cache folder cannot be written.
import nodeModule from 'node:module';

const withCache = nodeModule as typeof nodeModule & { enableCompileCache?: (dir?: string) => unknown };
try {
  withCache.enableCompileCache?.();
} catch {
  // start without the cache
}

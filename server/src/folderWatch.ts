// Calls back soon after anything in a folder changes: fs.watch for speed, and a poll as the fallback, because fs.watch
// misses events on some file systems (network mounts, some container volumes). Shared by the trust stores and the
// caller key file, which each decide for themselves whether a change matters.
import { watch, type FSWatcher } from 'node:fs';

export interface FolderWatch {
  close(): void;
}

/** `onChange` must not throw: it runs from timers. */
export function watchFolder(dir: string, onChange: () => void, pollMs: number): FolderWatch {
  let watcher: FSWatcher | null = null;
  let pending: NodeJS.Timeout | null = null;
  const settled = () => {
    // Editors, `cp` and the kubelet write in several steps; wait for the folder to settle.
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = null;
      onChange();
    }, 50);
    pending.unref();
  };
  try {
    watcher = watch(dir, settled);
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = null; // the poll still runs
  }
  const poll = setInterval(onChange, pollMs);
  poll.unref();
  return {
    close() {
      watcher?.close();
      clearInterval(poll);
      if (pending) clearTimeout(pending);
    },
  };
}

// PRECHAT_GUARD_CALLER_KEYS_FILE: API keys from a file (format: config.ts parseCallerKeysFile), reloaded on change so a
// key can be revoked or added without a restart. Start-up refuses a bad file (config.ts); later, a bad line is skipped
// and logged while the others keep working, and a file that cannot be read gives no key at all: fail closed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCallerKeysFile } from '../config';
import { watchFolder, type FolderWatch } from '../folderWatch';

export interface CallerKeysProblem {
  file: string;
  /** The line that was skipped; never its text, which may hold a key. Absent when the whole file is unreadable. */
  line?: number;
  problem: string;
}

export interface CallerKeysSnapshot {
  /** Increases on every reload that changed the file's content (or whether it can be read). */
  generation: number;
  digests: readonly Buffer[];
  problems: readonly CallerKeysProblem[];
  /** Allowed but weak entries (short keys), by line number. */
  warnings: readonly string[];
}

export interface CallerKeysFileEvents {
  onReload?: (snapshot: CallerKeysSnapshot) => void;
}

export class CallerKeysFile {
  private current: CallerKeysSnapshot = { generation: 0, digests: [], problems: [], warnings: [] };
  /** The content last applied (or the read error): the file is small, so comparing it is exact and cheap. */
  private lastSeen: string | null = null;
  private watcher: FolderWatch | null = null;

  constructor(
    readonly file: string,
    private readonly events: CallerKeysFileEvents = {},
  ) {
    this.reload();
  }

  get snapshot(): CallerKeysSnapshot {
    return this.current;
  }

  get digests(): readonly Buffer[] {
    return this.current.digests;
  }

  /** Reads the file again; returns true when what it says changed. */
  reload(): boolean {
    let text: string | null = null;
    let seen: string;
    try {
      text = readFileSync(this.file, 'utf8');
      seen = 'text:' + text;
    } catch (error) {
      seen = 'error:' + ((error as NodeJS.ErrnoException).code ?? 'unknown error');
    }
    if (seen === this.lastSeen) return false;
    this.lastSeen = seen;
    const generation = this.current.generation + 1;
    if (text === null) {
      this.current = {
        generation,
        digests: [],
        problems: [
          {
            file: this.file,
            problem: `cannot read the file (${seen.slice('error:'.length)}); no key from it is accepted`,
          },
        ],
        warnings: [],
      };
    } else {
      const content = parseCallerKeysFile(text);
      this.current = {
        generation,
        digests: content.digests,
        problems: content.problems.map(({ line, problem }) => ({ file: this.file, line, problem })),
        warnings: content.warnings.map(({ line, warning }) => `line ${line}: ${warning}`),
      };
    }
    this.events.onReload?.(this.current);
    return true;
  }

  /**
   * Watches the file's folder rather than the file: an editor's save or a Kubernetes secret update replaces the file
   * (or the link it is reached through), and a watch on the old file would never fire again.
   */
  watch(pollMs = 2000): void {
    this.watcher ??= watchFolder(path.dirname(this.file), () => this.reload(), pollMs);
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}

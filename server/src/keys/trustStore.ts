// The trust store: a folder of `<kid>.crt|.pem` certificates, loaded into an immutable snapshot and reloaded on change.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { watchFolder, type FolderWatch } from '../folderWatch';
import { parseCertificateFile, isWithinValidity, type TrustedKey } from './certificate';

export interface TrustProblem {
  file: string;
  problem: string;
}

export interface TrustSnapshot {
  /** Increases on every reload that changed something; verified-token caches key on it. */
  generation: number;
  keys: ReadonlyMap<string, TrustedKey>;
  problems: readonly TrustProblem[];
}

/** A kid is the file name without its last extension; keep to a conservative, path-free alphabet. */
const KID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const CERT_EXTENSIONS = new Set(['.crt', '.pem']);

/** True when `target` (a resolved path) lies inside `root` (a resolved folder). `..data` is inside; `../x` is not. */
function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..';
}

export function readTrustDir(dir: string): { keys: Map<string, TrustedKey>; problems: TrustProblem[] } {
  const keys = new Map<string, TrustedKey>();
  const problems: TrustProblem[] = [];
  let entries: string[];
  let root: string;
  try {
    entries = readdirSync(dir);
    // Symbolic links are followed only while they stay inside the folder: Kubernetes mounts a Secret as links into
    // `..data/` within it, which must work; a link to a file elsewhere would make any certificate on the machine
    // trusted by whoever can place one link here.
    root = realpathSync(dir);
  } catch (error) {
    return {
      keys,
      problems: [{ file: dir, problem: `cannot read the folder (${(error as NodeJS.ErrnoException).code})` }],
    };
  }
  const byKid = new Map<string, string[]>();
  for (const name of entries.sort()) {
    const ext = path.extname(name).toLowerCase();
    if (!CERT_EXTENSIONS.has(ext)) continue;
    const kid = name.slice(0, -ext.length);
    if (!KID_PATTERN.test(kid)) {
      problems.push({ file: name, problem: 'file name is not a usable kid (letters, digits, . _ - ; up to 128)' });
      continue;
    }
    byKid.set(kid, [...(byKid.get(kid) ?? []), name]);
  }
  for (const [kid, files] of byKid) {
    if (files.length > 1) {
      problems.push({ file: files.join(', '), problem: `kid "${kid}" is present as both .crt and .pem; both refused` });
      continue;
    }
    const file = files[0]!;
    try {
      const real = realpathSync(path.join(dir, file));
      if (!isInside(root, real)) {
        problems.push({ file, problem: 'a symbolic link to a file outside the trust folder; refused' });
        continue;
      }
      if (!statSync(real).isFile()) continue;
      keys.set(kid, parseCertificateFile(kid, readFileSync(real, 'utf8')));
    } catch (error) {
      problems.push({ file, problem: (error as Error).message });
    }
  }
  return { keys, problems };
}

export interface TrustStoreEvents {
  onReload?: (snapshot: TrustSnapshot) => void;
}

export class TrustStore {
  private current: TrustSnapshot;
  private watcher: FolderWatch | null = null;
  private fingerprint = '';

  constructor(
    readonly dir: string,
    private readonly events: TrustStoreEvents = {},
  ) {
    this.current = { generation: 0, keys: new Map(), problems: [] };
    this.reload();
  }

  get snapshot(): TrustSnapshot {
    return this.current;
  }

  /** The trusted key for a kid; a Map lookup, so no object-prototype name (`__proto__`, `constructor`) can match. */
  get(kid: string): TrustedKey | undefined {
    return this.current.keys.get(kid);
  }

  /** Reads the folder again; returns true when the set of keys changed. */
  reload(): boolean {
    const fingerprint = this.dirFingerprint();
    if (fingerprint === this.fingerprint && this.current.generation > 0) return false;
    const { keys, problems } = readTrustDir(this.dir);
    this.fingerprint = fingerprint;
    this.current = { generation: this.current.generation + 1, keys, problems };
    this.events.onReload?.(this.current);
    return true;
  }

  /** Watches the folder (and polls as a fallback: fs.watch misses events on some file systems). */
  watch(pollMs = 2000): void {
    this.watcher ??= watchFolder(this.dir, () => this.reload(), pollMs);
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  validKeys(nowMs: number): TrustedKey[] {
    return [...this.current.keys.values()].filter((key) => isWithinValidity(key, nowMs));
  }

  private dirFingerprint(): string {
    try {
      return readdirSync(this.dir)
        .sort()
        .map((name) => {
          try {
            const stat = statSync(path.join(this.dir, name));
            return `${name}:${stat.size}:${stat.mtimeMs}:${stat.ino}`;
          } catch {
            return `${name}:gone`;
          }
        })
        .join('|');
    } catch {
      return 'unreadable';
    }
  }
}

/**
 * Why a production trust folder cannot be used at start-up, or null when it holds at least one usable certificate.
 * A missing or unreadable folder, or one without a usable certificate, would start a service that serves an empty
 * JWKS and refuses every token with `unknown_key`: an outage that looks healthy. So it is fatal at start-up; later
 * reloads keep the service running and log what they skipped.
 */
export function trustDirProblem(dir: string): string | null {
  const { keys, problems } = readTrustDir(dir);
  if (keys.size > 0) return null;
  const unreadable = problems.find((problem) => problem.file === dir);
  if (unreadable)
    return `${unreadable.problem.replace('the folder', `the folder ${dir}`)}: it must exist and be readable`;
  const skipped = problems.map((problem) => `${problem.file} (${problem.problem})`).join('; ');
  return (
    `${dir} holds no usable certificate (<kid>.crt or <kid>.pem); ` +
    (skipped === '' ? 'it has no .crt or .pem file' : `skipped: ${skipped}`)
  );
}

// The command line's contact with the world, replaced in tests: output streams, environment, clock, standard input.
import { readFileSync } from 'node:fs';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  now: () => number;
  stdin: () => string;
}

export const defaultIo: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  env: process.env,
  now: Date.now,
  stdin: () => readFileSync(0, 'utf8'),
};

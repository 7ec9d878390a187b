// The shape every offline Salesforce check returns: pass/fail plus problems a person can act on.

export interface Problem {
  /** Stable machine code of the kind of problem, e.g. `apex_syntax`, `pmd_violation`. */
  code: string;
  /** File the problem is in, relative to the checked folder where possible. */
  file?: string;
  line?: number;
  message: string;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  /** One line for the summary, e.g. "16 classes parsed". */
  summary: string;
  problems: Problem[];
}

export function resultOf(name: string, summary: string, problems: Problem[]): CheckResult {
  return { name, ok: problems.length === 0, summary, problems };
}

/** What every resolver module returns besides its value: problems (fatal) and warnings. */
import type { ConfigIssue } from '../errors';

export interface Findings {
  readonly issues: ConfigIssue[];
  readonly warnings: string[];
}

/** A problem at a stack-file path; `input` is what the file holds there, when there is one. */
export const issue = (path: readonly PropertyKey[], message: string, input?: unknown): ConfigIssue => ({
  path,
  message,
  input,
  hasInput: input !== undefined,
});

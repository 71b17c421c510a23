import type { ReleaseEntry } from '../../src/report/release.js';

import type { StrayOptions } from './runner-commands.mjs';

export const ACTION_ENTRY: string;
export function parseOutputFile(text: string): Record<string, string>;
export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Date.now() just before the process was spawned. */
  startedAt: number;
  outputs: Record<string, string>;
  summary: string;
  /** What the step saved with core.saveState (what a post step gets as STATE_*). */
  state: Record<string, string>;
}
export function runAction(options: {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  workspace: string;
  entry?: string;
  state?: Record<string, string>;
  onLine?: (line: string) => void;
  /** Send `signal` once a line of stdout matches `pattern` (`afterMs` later, when given). */
  killWhen?: { pattern: RegExp; signal: NodeJS.Signals; afterMs?: number };
  /**
   * What the step may emit as workflow commands; by default the run throws if stdout or stderr holds
   * any but error, warning, notice, debug, group, endgroup and `add-mask` of a value in `env`.
   */
  commands?: false | StrayOptions;
}): Promise<ActionRun>;
export interface Annotation {
  kind: 'error' | 'warning' | 'notice';
  title?: string;
  message: string;
}
export function annotations(stdout: string): Annotation[];
/** One entry of the `release` output: the action's own type. */
export type { ReleaseEntry };
export function releaseOf(outputs: Record<string, string>): ReleaseEntry[];

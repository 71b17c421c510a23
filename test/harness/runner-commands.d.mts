export const RUNNER_COMMANDS: string[];
export const ACTION_OWN_COMMANDS: string[];
export interface RunnerCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
  /** `::name::data` (TryParseV2) or `##[name]data` (TryParse). */
  form: 'v2' | 'legacy';
}
export function parseCommandLine(line: string, registered?: Set<string>): RunnerCommand | null;
export function runnerLines(text: string): string[];
export function runnerCommands(text: string): (RunnerCommand & { line: string })[];
export interface StrayOptions {
  /** Values the action may `add-mask` (the stage's secrets). */
  masks?: string[];
  /** Commands the action emits on purpose; ACTION_OWN_COMMANDS by default. */
  allow?: string[];
}
export function strayCommands(
  streams: { stdout: string; stderr: string },
  options?: StrayOptions,
): (RunnerCommand & { line: string; stream: 'stdout' | 'stderr' })[];
export function assertNoStrayCommands(streams: { stdout: string; stderr: string }, options?: StrayOptions): void;

export const ACTION_ENTRY: string;
export function parseOutputFile(text: string): Record<string, string>;
export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  outputs: Record<string, string>;
  summary: string;
}
export function runAction(options: {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  workspace: string;
  entry?: string;
}): Promise<ActionRun>;

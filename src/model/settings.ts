/**
 * What a run is asked to do: the action's inputs, and one stage's settings resolved from the
 * stages file and the inputs.
 */

/** Which HTTP statuses count as healthy: explicit codes and/or whole classes ("2xx" → 2). */
export interface StatusExpectation {
  codes: number[];
  classes: number[];
  /** As the user wrote it, for messages: `200`, `[200, 204]`, `"2xx"`. */
  text: string;
}

/** A body expectation: a plain substring, or a regular expression written as `/re/flags`. */
export type BodyExpectation =
  | { kind: 'substring'; text: string }
  | { kind: 'regex'; source: string; flags: string };

export interface SmokeSettings {
  /**
   * The URL checked. Empty when the stages file gives a smoke block without `url`: the alias's
   * function URL is used (looked up before any change; see src/release/function-url.ts).
   */
  url: string;
  method: string;
  /** Header values after `${VAR}` expansion. */
  headers: Record<string, string>;
  /** Values that came from `${VAR}` expansion: masked in every log and summary. */
  secrets: string[];
  body?: string;
  expectStatus: StatusExpectation;
  expectBody?: BodyExpectation;
  attempts: number;
  intervalMs: number;
  timeoutMs: number;
  /** Invoke the new version directly before it takes traffic (issue 5). */
  invoke: boolean;
  /**
   * Signs each request (each attempt, each redirect hop) before it is sent. Set only for the
   * alias's own function URL with AuthType AWS_IAM (src/release/function-url.ts), never for a
   * user's `smoke.url`.
   */
  sign?: RequestSigner;
}

/** A request the smoke test is about to send, as a signer sees it. */
export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The headers to add to one request (SigV4: `authorization`, `x-amz-date`,
 * `x-amz-content-sha256`, `x-amz-security-token`), named in lower case. Their values are secrets:
 * the smoke test masks them and never prints them.
 */
export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

/** A smoke test with every setting at its default: GET, 2xx, 3 attempts 2 s apart, 10 s each. */
export function defaultSmoke(url: string): SmokeSettings {
  return {
    url,
    method: 'GET',
    headers: {},
    secrets: [],
    expectStatus: { codes: [], classes: [2], text: '2xx' },
    attempts: 3,
    intervalMs: 2000,
    timeoutMs: 10_000,
    invoke: false,
  };
}

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'WARNING' | 'ERROR' | 'CRITICAL' | 'FATAL';

export type TrafficStrategy =
  | { kind: 'all-at-once' }
  | { kind: 'canary'; percent: number; waitMs: number }
  | { kind: 'linear'; percent: number; intervalMs: number };

/** One stage, fully resolved: stages file (defaults, extends) with the inputs laid over it. */
export interface StageSettings {
  stage: string;
  /** Function name or ARN, as written. */
  functionName: string;
  /** Where the name was written, for messages: `function-name`, `stages.dev.function`, `stages.dev.functions`. */
  functionField?: string;
  alias: string;
  region?: string;
  s3Bucket?: string;
  s3Prefix: string;
  logLevel?: LogLevel;
  logFormat: 'json' | 'text';
  logRetentionDays?: number;
  /** Variables to merge into the function's own; never removes a variable it does not name. */
  environment: Record<string, string>;
  memorySize?: number;
  timeoutSeconds?: number;
  keepVersions?: number;
  traffic: TrafficStrategy;
  alarms: string[];
  /** A fraction, 0.01 for `1%`. */
  maxErrorRate?: number;
  bakeMs: number;
  smoke?: SmokeSettings;
  api?: { id: string; stage: string };
  /**
   * This function's code when the stage lists several (`functions`): a `.zip` or a directory,
   * relative to the workspace. Undefined for a one-function stage (the `artifact` input gives it).
   */
  artifact?: string;
  /** A container-image function's code: an ECR image URI by tag or digest, as written (stage, per-function key or input `image`). */
  image?: string;
  /** The IAM role ARN assumed (STS) for every AWS call on this stage; undefined: the job's own credentials. */
  role?: string;
  /**
   * `provisioned-concurrency`: warm instances for what the alias runs. Put on the version that
   * takes traffic, READY before the alias moves (release/capacity.ts); all-at-once traffic only.
   */
  provisionedConcurrency?: number;
  /** A stage that is a template for one preview alias per pull request; its `alias` is then the pull request's. */
  preview?: PreviewSettings;
}

/**
 * One function in one region of a stage: a stage with `functions` and/or `regions` resolves to
 * several units, released as one (every alias shifts, or none stays shifted); a plain stage is
 * one unit. Each unit carries the stage's settings with the function's own keys laid over them.
 */
export type StageUnit = StageSettings;

export interface RunContext {
  /** GITHUB_SHA */
  commit: string;
  /** GITHUB_RUN_ID */
  runId: string;
  /**
   * The pull request's number, from the event payload (GITHUB_EVENT_PATH: `pull_request.number`,
   * else `number`) and nowhere else; undefined outside a pull-request event.
   */
  pullRequest?: number;
}

export const COMMANDS = ['deploy', 'promote', 'rollback', 'status', 'preview', 'remove', 'prune'] as const;

export type Command = (typeof COMMANDS)[number];

/** The commands that move an alias. */
export type ReleaseCommand = 'deploy' | 'promote' | 'rollback';

/** The commands of a stage with a `preview` block (CONTRACT "A preview per pull request"); the others are refused there. */
export const PREVIEW_COMMANDS: readonly Command[] = ['preview', 'remove', 'prune'];

/** A stage's `preview` block, resolved: one short-lived alias per pull request. */
export interface PreviewSettings {
  /** The alias template as written, with `{number}` in it (default `pr-{number}`). */
  aliasTemplate: string;
  /** Give each preview alias a function URL with this AuthType; undefined: no URL. */
  url?: { auth: 'AWS_IAM' | 'NONE' };
  /** `command: prune` removes previews whose last release is older than this many days. */
  keepDays: number;
  /** The pull request's number (preview, remove): from the event payload only. */
  pullRequest?: number;
}

export interface ActionInputs {
  stage: string;
  command: Command;
  /** deploy: the zip or directory, relative to the workspace. */
  artifact?: string;
  /** deploy: an ECR image URI (by tag or digest) for a container-image function; overrides the stage's `image`. */
  image?: string;
  /** The stages file, relative to the workspace. */
  config: string;
  /** True when the user named `config` (then it must exist). */
  configRequired: boolean;
  promoteFrom?: string;
  toVersion?: string;
  overrides: StageOverrides;
  githubToken?: string;
  dryRun: boolean;
  force: boolean;
}

/** What the action's inputs override: `function-name`, `alias`, `region`, `s3-bucket`, `log-level`, `smoke-url`. */
export interface StageOverrides {
  functionName?: string;
  alias?: string;
  region?: string;
  s3Bucket?: string;
  logLevel?: string;
  smokeUrl?: string;
}

/** Input and output names of action.yml, declared once. */
export const Inputs = {
  Stage: 'stage',
  Command: 'command',
  Artifact: 'artifact',
  Image: 'image',
  Config: 'config',
  PromoteFrom: 'promote-from',
  ToVersion: 'to-version',
  FunctionName: 'function-name',
  Alias: 'alias',
  Region: 'region',
  S3Bucket: 's3-bucket',
  LogLevel: 'log-level',
  SmokeUrl: 'smoke-url',
  GithubToken: 'github-token',
  DryRun: 'dry-run',
  Force: 'force',
} as const;

export const Outputs = {
  Status: 'status',
  Version: 'version',
  PreviousVersion: 'previous-version',
  CodeSha256: 'code-sha256',
  AliasArn: 'alias-arn',
  /** JSON: every function and region of the release (`function`, `region`, `version`, `previous-version`, `code-sha256`). */
  Release: 'release',
  /** The URL smoke-tested: `smoke.url`, or the alias's function URL (the first function's when several). */
  Url: 'url',
} as const;

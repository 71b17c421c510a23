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
} as const;

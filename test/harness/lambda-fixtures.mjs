// Lambda, IAM and S3 fixtures on a moto server, for integration tests, end-to-end tests and
// scripts/demo.mjs. Plain JavaScript (no compiler needed); types in lambda-fixtures.d.mts.
// Every helper talks to the given moto endpoint with dummy credentials; none reads process.env.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

export const TEST_REGION = 'us-east-1';
export const TEST_ROLE_NAME = 'stage-deploy-test';
export const TEST_ROLE_ARN = `arn:aws:iam::123456789012:role/${TEST_ROLE_NAME}`;

const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
/** Fixed timestamp for files put into test zips, so equal files give an equal CodeSha256. */
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

function clientConfig(endpoint, region = TEST_REGION) {
  return { endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 2 };
}

export function lambdaClient(endpoint, region) {
  return new LambdaClient(clientConfig(endpoint, region));
}

export function s3Client(endpoint, region) {
  return new S3Client({ ...clientConfig(endpoint, region), forcePathStyle: true });
}

/** Create the IAM role Lambda functions run as (moto's CreateFunction requires it). Idempotent. */
export async function createRole(endpoint) {
  const iam = new IAMClient(clientConfig(endpoint));
  try {
    try {
      const found = await iam.send(new GetRoleCommand({ RoleName: TEST_ROLE_NAME }));
      return found.Role.Arn;
    } catch (error) {
      if (error?.name !== 'NoSuchEntityException' && error?.name !== 'NoSuchEntity') throw error;
    }
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: TEST_ROLE_NAME,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    return created.Role.Arn;
  } finally {
    iam.destroy();
  }
}

/**
 * Another account, as a stage's `role` reaches it: the credentials STS gives for `roleArn` (moto
 * acts in the role's account with them), and an execution role created there for its functions.
 * Set-up for a test, made with the harness's own key.
 * @returns {Promise<{ credentials: { accessKeyId: string, secretAccessKey: string, sessionToken: string }, executionRole: string }>}
 */
export async function otherAccount(endpoint, roleArn, { region = TEST_REGION, roleName = 'notes-exec' } = {}) {
  const sts = new STSClient({ ...clientConfig(endpoint, region) });
  let c;
  try {
    c = (await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test-setup' }))).Credentials;
  } finally {
    sts.destroy();
  }
  const credentials = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
  const iam = new IAMClient({ ...clientConfig(endpoint, region), credentials });
  try {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const role = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }));
    return { credentials, executionRole: role.Role?.Arn ?? '' };
  } finally {
    iam.destroy();
  }
}

/** Create a function from a zip file (the role is created first if missing). Returns its configuration. */
export async function createFunction(endpoint, options) {
  const {
    name,
    zipPath,
    environment,
    handler = 'index.handler',
    runtime = 'nodejs20.x',
    region = TEST_REGION,
  } = options;
  const role = await createRole(endpoint);
  const lambda = lambdaClient(endpoint, region);
  try {
    return await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: role,
        Handler: handler,
        Runtime: runtime,
        Code: { ZipFile: readFileSync(zipPath) },
        ...(environment && { Environment: { Variables: environment } }),
      }),
    );
  } finally {
    lambda.destroy();
  }
}

/** Create an S3 bucket (us-east-1, so no location constraint). */
export async function createBucket(endpoint, name) {
  const s3 = s3Client(endpoint);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    s3.destroy();
  }
}

function configSnapshot(config) {
  return {
    Version: config.Version,
    CodeSha256: config.CodeSha256,
    Description: config.Description ?? '',
    Environment: config.Environment?.Variables ?? {},
    MemorySize: config.MemorySize,
    Timeout: config.Timeout,
  };
}

/**
 * Everything a deploy could change, as plain JSON: $LATEST's configuration, every published
 * version and every alias (with its weights). Two equal snapshots mean "nothing in AWS changed".
 */
export async function snapshotFunction(endpoint, name) {
  const lambda = lambdaClient(endpoint);
  try {
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const versions = [];
    let marker;
    do {
      const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker }));
      for (const config of page.Versions ?? []) versions.push(configSnapshot(config));
      marker = page.NextMarker;
    } while (marker);
    const aliases = [];
    marker = undefined;
    do {
      const page = await lambda.send(new ListAliasesCommand({ FunctionName: name, Marker: marker }));
      for (const alias of page.Aliases ?? []) {
        aliases.push({
          Name: alias.Name,
          FunctionVersion: alias.FunctionVersion,
          Description: alias.Description ?? '',
          Weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {},
        });
      }
      marker = page.NextMarker;
    } while (marker);
    const byVersion = (a, b) =>
      a.Version === '$LATEST' ? -1 : b.Version === '$LATEST' ? 1 : Number(a.Version) - Number(b.Version);
    return {
      latest: configSnapshot(latest),
      versions: versions.sort(byVersion),
      aliases: aliases.sort((a, b) => a.Name.localeCompare(b.Name)),
    };
  } finally {
    lambda.destroy();
  }
}

/**
 * Write `files` (relative path → content) into a fresh folder under `dir` and zip them with
 * `zip -qrX`. File times are fixed, so the same files give the same zip bytes. Returns the zip path.
 */
export function makeZip(dir, files) {
  mkdirSync(dir, { recursive: true });
  const source = mkdtempSync(join(dir, 'src-'));
  for (const [path, content] of Object.entries(files)) {
    const target = join(source, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    utimesSync(target, FIXED_MTIME, FIXED_MTIME);
  }
  const zipPath = `${source}.zip`;
  const result = spawnSync('zip', ['-qrX', zipPath, '.'], { cwd: source, encoding: 'utf8' });
  if (result.error) throw new Error(`zip could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`zip exited with ${result.status}: ${result.stderr}`);
  return zipPath;
}

/** Base64 of the SHA-256 of a file: what Lambda reports as CodeSha256 for that zip. */
export function codeSha256(zipPath) {
  return createHash('sha256').update(readFileSync(zipPath)).digest('base64');
}

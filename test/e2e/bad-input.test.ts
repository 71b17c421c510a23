/**
 * The catalogue of bad input, end to end through `node dist/index.js` against one moto server.
 * Every case must fail the step with `status: failed`, say exactly one `::error::` line that
 * names the field and the value, and leave AWS as it was: the function's $LATEST, its versions
 * and aliases, and the bucket's objects.
 *
 * Each case runs in a workspace of its own holding `build/function.zip` (code different from
 * what dev runs, so a case that slipped through validation would publish and change the
 * snapshot) and, unless the case says otherwise, `stage-deploy.yml` from `stagesFile()`.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runAction, type ActionRun } from '../harness/action.mjs';
import { createBucket, createFunction, makeZip, s3Client, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';

const FN = 'notes-api';
const BUCKET = 'notes-artifacts';
const RELEASED = 'export const handler = async () => ({ statusCode: 200, body: "released" });\n';
const CANDIDATE = 'export const handler = async () => ({ statusCode: 200, body: "candidate" });\n';
/** Just over Lambda's 50 MB direct-upload limit (50 MiB), stored (not compressed) in the zip. */
const BIG_BYTES = 50 * 1024 * 1024 + 64 * 1024;

let moto: Awaited<ReturnType<typeof startMoto>>;
let s3: S3Client;
/** Everything this file writes lives under here: workspaces, zips, the big zip. */
let root: string;
let candidateZip: string;
let bigZip: string;
let caseCount = 0;
/** AWS right after the setup release: what every case must leave behind. */
let released: Awaited<ReturnType<typeof awsState>>;

interface StagesOptions {
  /** dev's block, as YAML lines (indented under `dev:` by the helper). */
  dev?: string;
  /** Lines added to prod's block, which always `extends: dev`. */
  prod?: string;
  /** Further stages, as YAML lines indented under `stages:` by the helper. */
  more?: string;
  /** Lines added to `defaults`. */
  defaults?: string;
  /** Put `s3-bucket` in defaults (default true). */
  bucket?: boolean;
}

/** A stages file like the one dev was released with, with the case's changes. */
function stagesFile({ dev = 'log-level: INFO', prod = '', more = '', defaults = '', bucket = true }: StagesOptions = {}): string {
  const indent = (text: string, by: number) =>
    text === '' ? [] : text.split('\n').map((line) => `${' '.repeat(by)}${line}`);
  return [
    'defaults:',
    `  function: ${FN}`,
    '  region: us-east-1',
    ...(bucket ? [`  s3-bucket: ${BUCKET}`, '  s3-prefix: stage-deploy/'] : []),
    ...indent(defaults, 2),
    'stages:',
    '  dev:',
    ...indent(dev, 4),
    '  prod:',
    '    extends: dev',
    ...indent(prod, 4),
    ...indent(more, 2),
    '',
  ].join('\n');
}

interface Case {
  name: string;
  /** The text of `stage-deploy.yml`; `null`: the workspace has no stages file. Default: `stagesFile()`. */
  stages?: string | null;
  /** Over the defaults `stage: dev`, `artifact: build/function.zip`; `''` leaves an input unset, as GitHub does. */
  inputs?: Record<string, string>;
  /** Added to the step's environment. */
  env?: Record<string, string>;
  /** Prepare the case's workspace (files the inputs name). */
  setup?: (workspace: string) => void;
  /** The one error: the whole message, or a pattern for the message. */
  message: string | RegExp;
}

const smoke = (lines: string) => `smoke:\n${lines.split('\n').map((line) => `  ${line}`).join('\n')}`;
const SMOKE_URL = 'url: https://dev.api.example.com/notes/health';
const RETENTIONS = '1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653';
const ALIAS_RULE = '(letters, digits, - and _, not only digits, at most 128 characters)';

const CASES: Case[] = [
  // --- the stages file: shape and types -------------------------------------------------------
  {
    name: 'an unknown key gets a did-you-mean',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\natempts: 3`) }),
    message: 'stages.dev.smoke.atempts: unknown key (did you mean "attempts"?)',
  },
  {
    name: 'an unknown top-level key gets a did-you-mean',
    stages: `${stagesFile()}stage:\n  qa: {}\n`,
    message: 'stage-deploy.yml: "stage" is an unknown key (did you mean "stages"?)',
  },
  {
    name: 'extends under defaults is said to belong in a stage',
    stages: stagesFile({ defaults: 'extends: dev' }),
    message: 'defaults.extends: unknown key (extends belongs inside a stage, under stages)',
  },
  {
    name: 'a wrong type (memory-size "big")',
    stages: stagesFile({ dev: 'memory-size: big' }),
    message: 'stages.dev.memory-size: "big" is not a memory size in MB',
  },
  {
    name: 'an environment value that is a list',
    stages: stagesFile({ dev: 'environment: { TABLE: [notes-a, notes-b] }' }),
    message: 'stages.dev.environment.TABLE: ["notes-a","notes-b"] is not a string, number or boolean',
  },
  {
    name: 'an environment that is a list, not a mapping',
    stages: stagesFile({ dev: 'environment: [TABLE=notes-dev]' }),
    message: 'stages.dev.environment: ["TABLE=notes-dev"] is not a mapping of variable names to values',
  },
  {
    name: 'two problems: the first, and how many more',
    stages: stagesFile({ dev: 'memory-size: big\nkeep-versions: many' }),
    message: 'stages.dev.memory-size: "big" is not a memory size in MB (and 1 more problem)',
  },
  {
    name: 'malformed YAML',
    stages: 'stages:\n  dev: [unclosed\n',
    message: /^stage-deploy\.yml: YAML syntax error at line \d+, column \d+: \S.*$/,
  },
  {
    name: 'an extends cycle',
    stages: stagesFile({ more: 'qa: { extends: staging }\nstaging: { extends: qa }' }),
    message: 'stages.staging.extends: "qa" makes a cycle (qa → staging → qa)',
  },
  {
    name: 'extends a stage that is not in the file',
    stages: stagesFile({ prod: 'log-level: ERROR' }).replace('extends: dev', 'extends: staging'),
    message: 'stages.prod.extends: "staging" is not defined in stage-deploy.yml (stages: dev, prod)',
  },
  {
    name: 'an explicitly named config file that does not exist',
    inputs: { config: 'deploy/stages.yml' },
    message: 'config: "deploy/stages.yml" does not exist',
  },

  // --- the stage's settings -----------------------------------------------------------------
  {
    name: 'an alias of digits only ("123")',
    stages: stagesFile({ dev: 'alias: "123"' }),
    message: `stages.dev.alias: "123" is not a Lambda alias name ${ALIAS_RULE}`,
  },
  {
    name: 'an alias with a space, from the alias input',
    inputs: { alias: 'bad alias' },
    message: `alias: "bad alias" is not a Lambda alias name ${ALIAS_RULE}`,
  },
  {
    name: 'a stage name that cannot be an alias, with no alias set',
    stages: stagesFile({ more: '"qa env": { log-level: INFO }' }),
    inputs: { stage: 'qa env' },
    message: `stages.qa env.alias: "qa env" (the stage name) is not a Lambda alias name ${ALIAS_RULE}; set alias`,
  },
  {
    name: 'a function-name input that is not a function name',
    inputs: { 'function-name': 'notes api' },
    message: 'function-name: "notes api" is not a Lambda function name or ARN (without a version or alias)',
  },
  {
    name: 'an invalid region input',
    inputs: { region: 'us-east' },
    message: 'region: "us-east" is not an AWS region (like us-east-1)',
  },
  {
    name: 'an invalid region in defaults',
    stages: stagesFile().replace('region: us-east-1', 'region: US East'),
    message: 'defaults.region: "US East" is not an AWS region (like us-east-1)',
  },
  {
    name: 'an invalid bucket name',
    stages: stagesFile({ dev: 's3-bucket: Notes_Artifacts' }),
    message: 'stages.dev.s3-bucket: "Notes_Artifacts" is not an S3 bucket name',
  },
  {
    name: 'an invalid log-level',
    stages: stagesFile({ dev: 'log-level: LOUD' }),
    message: 'stages.dev.log-level: "LOUD" is not a log level (use DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, WARN or FATAL)',
  },
  {
    name: 'an invalid log-level input',
    inputs: { 'log-level': 'verbose' },
    message: 'log-level: "verbose" is not a log level (use DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, WARN or FATAL)',
  },
  {
    name: 'an invalid log-format',
    stages: stagesFile({ dev: 'log-format: xml' }),
    message: 'stages.dev.log-format: "xml" is not a log format (use json or text)',
  },
  {
    name: 'an invalid log-retention-days (8)',
    stages: stagesFile({ dev: 'log-retention-days: 8' }),
    message: `stages.dev.log-retention-days: 8 is not a CloudWatch Logs retention (use one of ${RETENTIONS})`,
  },
  {
    name: 'memory-size out of range',
    stages: stagesFile({ dev: 'memory-size: 64' }),
    message: 'stages.dev.memory-size: 64 is not a memory size (use a whole number of MB from 128 to 10240)',
  },
  {
    name: 'a function timeout too long (16m)',
    stages: stagesFile({ dev: 'timeout: 16m' }),
    message: 'stages.dev.timeout: "16m" is not a function timeout (use whole seconds from 1s to 900s)',
  },
  {
    name: 'keep-versions 0',
    stages: stagesFile({ dev: 'keep-versions: 0' }),
    message: 'stages.dev.keep-versions: 0 is not a number of versions to keep (use a whole number, 1 or more)',
  },
  {
    name: 'an invalid traffic strategy',
    stages: stagesFile({ dev: 'traffic: sideways' }),
    message: 'stages.dev.traffic: "sideways" is not a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")',
  },
  {
    name: 'a canary above 99%',
    stages: stagesFile({ dev: 'traffic: canary 150% 5m' }),
    message: 'stages.dev.traffic: "canary 150% 5m" is not a traffic strategy (the canary percent must be from 1 to 99)',
  },
  {
    name: 'an invalid max-error-rate',
    stages: stagesFile({ dev: 'max-error-rate: 150%' }),
    message: 'stages.dev.max-error-rate: "150%" is not an error rate (use 1% or 0.01)',
  },
  {
    name: 'a reserved environment variable (AWS_REGION)',
    stages: stagesFile({ dev: 'environment: { AWS_REGION: eu-west-1 }' }),
    message: 'stages.dev.environment.AWS_REGION: "AWS_REGION" is reserved by Lambda (it sets this variable itself)',
  },
  {
    name: 'an environment variable name Lambda refuses',
    stages: stagesFile({ dev: 'environment: { 1TABLE: notes-dev }' }),
    message: 'stages.dev.environment: "1TABLE" is not a variable name (letters, digits and _, starting with a letter)',
  },

  // --- the smoke test -----------------------------------------------------------------------
  {
    name: 'a bad duration',
    stages: stagesFile({ prod: smoke(`${SMOKE_URL}\ninterval: 5 minutes`) }),
    inputs: { stage: 'prod' },
    message: 'stages.prod.smoke.interval: "5 minutes" is not a duration (use 500ms, 2s or 5m)',
  },
  {
    name: 'a bad duration inherited through extends, named where it is written',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\ntimeout: soon`) }),
    inputs: { stage: 'prod' },
    message: 'stages.dev.smoke.timeout: "soon" is not a duration (use 500ms, 2s or 5m)',
  },
  {
    name: 'a bad expect-status (2xz)',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\nexpect-status: 2xz`) }),
    message: 'stages.dev.smoke.expect-status: "2xz" is not a status (use 200, [200, 204] or "2xx")',
  },
  {
    name: 'negative attempts',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\nattempts: -1`) }),
    message: 'stages.dev.smoke.attempts: -1 is not a number of attempts (use a whole number from 1 to 20)',
  },
  {
    name: 'zero attempts',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\nattempts: 0`) }),
    message: 'stages.dev.smoke.attempts: 0 is not a number of attempts (use a whole number from 1 to 20)',
  },
  {
    name: 'a smoke URL that is not http(s)',
    stages: stagesFile({ dev: smoke('url: ftp://dev.api.example.com/health') }),
    message: 'stages.dev.smoke.url: "ftp://dev.api.example.com/health" is not an http(s) URL',
  },
  {
    name: 'a smoke-url input that is not a URL',
    inputs: { 'smoke-url': 'dev.api.example.com/health' },
    message: 'smoke-url: "dev.api.example.com/health" is not an http(s) URL',
  },
  {
    name: 'a smoke method that is not HTTP',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\nmethod: FETCH`) }),
    message: 'stages.dev.smoke.method: "FETCH" is not an HTTP method (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)',
  },
  {
    name: 'a smoke header ${VAR} that is not set',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\nheaders: { x-api-key: "\${SMOKE_API_KEY}" }`) }),
    message: "stages.dev.smoke.headers.x-api-key: ${SMOKE_API_KEY} is not set in the step's environment",
  },
  {
    name: 'an invalid expect-body regex',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\nexpect-body: "/([a-z/"`) }),
    message: /^stages\.dev\.smoke\.expect-body: "\/\(\[a-z\/" is not a valid regular expression \(missing closing \]: .+; expect-body uses RE2: no backreferences or lookaround\)$/,
  },
  {
    name: 'an expect-body regex with a lookahead (not linear time)',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\nexpect-body: "/(?=ok)o/"`) }),
    message: 'stages.dev.smoke.expect-body: "/(?=ok)o/" is not a valid regular expression (invalid or unsupported Perl syntax: `(?=`; expect-body uses RE2: no backreferences or lookaround)',
  },
  {
    name: 'too many smoke attempts (21)',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\nattempts: 21`) }),
    message: 'stages.dev.smoke.attempts: 21 is not a number of attempts (use a whole number from 1 to 20)',
  },
  {
    name: 'a smoke interval past 5m (1200h)',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\ninterval: 1200h`) }),
    message: 'stages.dev.smoke.interval: "1200h" is not a wait between attempts (use from 0s up to 5m)',
  },
  {
    name: 'a smoke timeout past 5m (1200h)',
    stages: stagesFile({ dev: smoke(`${SMOKE_URL}\ntimeout: 1200h`) }),
    message: 'stages.dev.smoke.timeout: "1200h" is not a request timeout (use more than 0s up to 5m)',
  },
  {
    name: 'a bake past 6h',
    stages: stagesFile({ dev: 'bake: 1200h' }),
    message: 'stages.dev.bake: "1200h" is not a bake time (use from 0s up to 6h)',
  },
  {
    name: 'a smoke URL with a user name and password',
    stages: stagesFile({ dev: smoke('url: https://user:pass@dev.api.example.com/health') }),
    message: 'stages.dev.smoke.url: "https://user:pass@dev.api.example.com/health" is not a smoke URL (it has a user name or password: send credentials in smoke.headers from ${VAR})',
  },
  {
    name: 'a smoke URL with a line break',
    stages: stagesFile({ dev: smoke('url: "https://dev.api.example.com/health\\r\\nX-Injected: 1"') }),
    message: 'stages.dev.smoke.url: "https://dev.api.example.com/health\\r\\nX-Injected: 1" is not a smoke URL (it contains a control character)',
  },

  // --- the inputs ---------------------------------------------------------------------------
  {
    name: 'an empty stage',
    inputs: { stage: '' },
    message: 'stage: required (a stage of the stages file, e.g. dev)',
  },
  {
    name: 'an unknown stage lists the stages',
    inputs: { stage: 'qa' },
    message: 'stage: "qa" is not defined in stage-deploy.yml (stages: dev, prod)',
  },
  {
    name: 'an unknown command',
    inputs: { command: 'deploi' },
    message: 'command: "deploi" is not a command (use deploy, promote, rollback, status, preview, remove, prune)',
  },
  {
    name: 'dry-run: maybe',
    inputs: { 'dry-run': 'maybe' },
    message: 'dry-run: "maybe" is not a boolean (use true or false)',
  },
  {
    name: 'no stages file and no function-name',
    stages: null,
    message: 'function-name: required when there is no stages file (add stage-deploy.yml or set the function-name input)',
  },

  // --- the artifact -------------------------------------------------------------------------
  {
    name: 'no artifact input for deploy',
    inputs: { artifact: '' },
    message: 'artifact: required for command deploy (a .zip file or a directory; or image: an ECR image URI)',
  },
  {
    name: 'a missing artifact',
    inputs: { artifact: 'build/missing.zip' },
    message: 'artifact: "build/missing.zip" does not exist',
  },
  {
    name: 'an artifact that is not a zip',
    inputs: { artifact: 'build/function.tar.gz' },
    setup: (ws) => writeFileSync(join(ws, 'build', 'function.tar.gz'), 'not a zip at all\n'),
    message: 'artifact: "build/function.tar.gz" is not a zip file',
  },
  {
    name: 'an empty directory',
    inputs: { artifact: 'dist' },
    setup: (ws) => mkdirSync(join(ws, 'dist')),
    message: 'artifact: "dist" is an empty directory',
  },
  {
    name: 'a symlink in an artifact directory pointing outside it',
    inputs: { artifact: 'app' },
    setup: (ws) => {
      mkdirSync(join(ws, 'app'));
      writeFileSync(join(ws, 'app', 'index.mjs'), CANDIDATE);
      writeFileSync(join(ws, 'secrets.env'), 'TOKEN=do-not-ship\n');
      symlinkSync(join(ws, 'secrets.env'), join(ws, 'app', 'secrets.env'));
    },
    message: /^artifact: "app\/secrets\.env" is a symlink pointing outside the directory \(\/.*\/secrets\.env\)$/,
  },
  {
    name: 'an artifact above the 50 MB direct-upload limit without a bucket',
    stages: stagesFile({ bucket: false }),
    inputs: { artifact: 'build/big.zip' },
    setup: (ws) => linkSync(bigZip, join(ws, 'build', 'big.zip')),
    message: 'artifact: "build/big.zip" is 50.1 MB, above Lambda\'s 50 MB direct-upload limit; set s3-bucket to upload it through S3',
  },

  // --- what is in AWS -----------------------------------------------------------------------
  {
    name: 'a function that does not exist',
    stages: stagesFile().replace(`function: ${FN}`, 'function: no-such-function'),
    message: 'defaults.function: "no-such-function" does not exist in us-east-1',
  },
  {
    name: 'a function-name input naming a function that does not exist',
    inputs: { 'function-name': 'no-such-function' },
    message: 'function-name: "no-such-function" does not exist in us-east-1',
  },
  {
    name: 'a function of a functions map that does not exist',
    stages: stagesFile({ dev: 'functions:\n  no-such-function: { artifact: build/function.zip }' }),
    inputs: { artifact: '' },
    message: 'stages.dev.functions: "no-such-function" does not exist in us-east-1',
  },
  {
    name: 'promote-from equal to stage',
    inputs: { command: 'promote', stage: 'prod', 'promote-from': 'prod', artifact: '' },
    message: 'promote-from: "prod" is the stage being promoted to; name another stage',
  },
  {
    name: 'promote-from a stage not in the file',
    inputs: { command: 'promote', stage: 'prod', 'promote-from': 'qa', artifact: '' },
    message: 'promote-from: "qa" is not defined in stage-deploy.yml (stages: dev, prod)',
  },
  {
    name: 'promote-from a stage with no release yet',
    inputs: { command: 'promote', stage: 'dev', 'promote-from': 'prod', artifact: '' },
    message: 'promote-from: stage "prod" has no release to promote (alias prod of notes-api does not exist)',
  },
  {
    name: 'a rollback to a version that does not exist',
    inputs: { command: 'rollback', 'to-version': '42', artifact: '' },
    message: 'to-version: "42" is not a published version of notes-api',
  },
  {
    name: 'a rollback to-version that is not a number',
    inputs: { command: 'rollback', 'to-version': 'v1', artifact: '' },
    message: 'to-version: "v1" is not a version number (e.g. 7)',
  },
  {
    name: 'a rollback to the version the stage runs already',
    inputs: { command: 'rollback', 'to-version': '1', artifact: '' },
    message: 'to-version: "1" is what dev runs already',
  },
  {
    name: 'a rollback of a stage with no release',
    inputs: { command: 'rollback', stage: 'prod', artifact: '' },
    message: 'stage: "prod" has no release to roll back (alias prod of notes-api does not exist)',
  },

  // --- several functions, regions and images (issue 14) ----------------------------------------
  {
    name: 'a functions map with the artifact input',
    stages: stagesFile({ dev: 'functions:\n  notes-api: { artifact: build/function.zip }\n  notes-worker: { artifact: build/function.zip }' }),
    message:
      'artifact: "build/function.zip" cannot be used with a stage that lists functions (stages.dev.functions): each function names its own artifact or image',
  },
  {
    name: 'a function listed twice, by name and by ARN',
    stages: stagesFile({
      dev: 'functions:\n  notes-api: { artifact: build/function.zip }\n  "arn:aws:lambda:us-east-1:123456789012:function:notes-api": { artifact: build/function.zip }',
    }),
    inputs: { artifact: '' },
    message:
      'stages.dev.functions: "arn:aws:lambda:us-east-1:123456789012:function:notes-api" is listed twice (as "notes-api" and "arn:aws:lambda:us-east-1:123456789012:function:notes-api"): name each function once',
  },
  {
    name: 'a deploy of functions, one without an artifact',
    stages: stagesFile({ dev: 'functions:\n  notes-api: { artifact: build/function.zip }\n  notes-worker: { memory-size: 256 }' }),
    inputs: { artifact: '' },
    message: "stages.dev.functions: notes-worker has no artifact or image (a deploy needs each function's code: set artifact or image in its block)",
  },
  {
    name: 'function-name with a functions map',
    stages: stagesFile({ dev: 'functions:\n  notes-api: { artifact: build/function.zip }' }),
    inputs: { artifact: '', 'function-name': FN },
    message: 'function-name: "notes-api" cannot be used with a stage that lists functions (stages.dev.functions); change the stages file instead',
  },
  {
    name: 'one bucket for two regions',
    stages: stagesFile({ dev: 'regions: [us-east-1, eu-west-1]' }),
    message:
      "defaults.s3-bucket: \"notes-artifacts\" is one bucket for 2 regions (S3 code must be in the function's region: use a mapping, {us-east-1: <bucket>, eu-west-1: <bucket>})",
  },
  {
    name: 'a bucket mapping without the region',
    stages: stagesFile({ bucket: false, dev: 'regions: [us-east-1, eu-west-1]\ns3-bucket: { us-east-1: notes-artifacts }' }),
    message:
      'stages.dev.s3-bucket: {"us-east-1":"notes-artifacts"} has no bucket for region "eu-west-1" (S3 code must be in the function\'s region: add eu-west-1: <bucket>)',
  },
  {
    name: 'an image input that is not an ECR image URI',
    inputs: { artifact: '', image: 'docker.io/library/notes:latest' },
    message:
      'image: "docker.io/library/notes:latest" is not an ECR image URI (use <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<64 hex digits>)',
  },
  {
    name: 'the artifact and image inputs together',
    inputs: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/notes:v1' },
    message:
      'image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/notes:v1" cannot be used with the artifact input (a function\'s code is a .zip or an image, not both)',
  },
];

/** What the step said with `::error::`, the runner's escaping (%25, %0D, %0A) undone. */
function errorMessages(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('::error::'))
    .map((line) =>
      line
        .slice('::error::'.length)
        .replace(/\r$/, '')
        .replace(/%0D/g, '\r')
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%'),
    );
}

async function bucketObjects(): Promise<{ key: string; size: number; etag: string }[]> {
  const objects: { key: string; size: number; etag: string }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
    for (const o of page.Contents ?? []) objects.push({ key: o.Key ?? '', size: o.Size ?? 0, etag: o.ETag ?? '' });
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

/** Everything a run could change in AWS. */
async function awsState() {
  return { function: await snapshotFunction(moto.endpoint, FN), bucket: await bucketObjects() };
}

/** A fresh workspace with build/function.zip and the stages file the case asks for. */
function workspaceFor(c: Case): string {
  const ws = join(root, 'cases', String(++caseCount));
  mkdirSync(join(ws, 'build'), { recursive: true });
  copyFileSync(candidateZip, join(ws, 'build', 'function.zip'));
  const stages = c.stages === undefined ? stagesFile() : c.stages;
  if (stages !== null) writeFileSync(join(ws, 'stage-deploy.yml'), stages);
  c.setup?.(ws);
  return ws;
}

function run(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({ inputs, workspace, env: { ...awsEnv(moto.endpoint), ...env } });
}

beforeAll(async () => {
  moto = await startMoto();
  s3 = s3Client(moto.endpoint);
  root = mkdtempSync(join(tmpdir(), 'e2e-bad-input-'));
  const build = join(root, 'build');
  candidateZip = makeZip(build, { 'index.mjs': CANDIDATE });

  // A real zip just over 50 MiB: random bytes, stored, so the zip is as big as the data.
  const bigDir = join(root, 'big');
  mkdirSync(bigDir);
  writeFileSync(join(bigDir, 'blob.bin'), randomBytes(BIG_BYTES));
  bigZip = join(root, 'big.zip');
  const zipped = spawnSync('zip', ['-0', '-qX', bigZip, 'blob.bin'], { cwd: bigDir, encoding: 'utf8' });
  if (zipped.error || zipped.status !== 0) throw new Error(`zip failed: ${zipped.error?.message ?? zipped.stderr}`);
  rmSync(bigDir, { recursive: true, force: true });

  // notes-api with dev released through the action (and so its code in the bucket).
  await createBucket(moto.endpoint, BUCKET);
  await createFunction(moto.endpoint, {
    name: FN,
    zipPath: makeZip(build, { 'index.mjs': 'export const handler = async () => ({ statusCode: 503 });\n' }),
    environment: { KEEP: 'me' },
  });
  const setup = join(root, 'setup');
  mkdirSync(join(setup, 'build'), { recursive: true });
  // No log-level for the release made through plain moto: moto drops LoggingConfig, and the action
  // checks the published version against the stage's settings before it takes traffic.
  writeFileSync(join(setup, 'stage-deploy.yml'), stagesFile({ dev: '' }));
  copyFileSync(makeZip(build, { 'index.mjs': RELEASED }), join(setup, 'build', 'function.zip'));
  const deployed = await run(setup, { stage: 'dev', artifact: 'build/function.zip' });
  expect(deployed.stdout).not.toContain('::error::');
  expect(deployed.code).toBe(0);
  expect(deployed.outputs).toMatchObject({ status: 'deployed', version: '1' });
  released = await awsState();
  expect(released.bucket).toHaveLength(1);
  expect(released.function.aliases.map((a) => [a.Name, a.FunctionVersion])).toEqual([['dev', '1']]);
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('bad input: one clear error naming the field and the value, and AWS untouched', () => {
  it('has a case for everything in the catalogue', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(35);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  // Concurrently, a few at a time: the cases are independent, and none may change anything, so
  // after each one AWS must be exactly as the setup released it. (A case that changed something
  // also fails the cases running beside it: look for the one whose error differs.) The last test
  // checks the whole run left AWS that way too.
  it.concurrent.for(CASES)('$name', async (c, { expect }) => {
    const workspace = workspaceFor(c);

    const result = await run(workspace, { stage: 'dev', artifact: 'build/function.zip', ...c.inputs }, c.env);

    const errors = errorMessages(result.stdout);
    if (typeof c.message === 'string') {
      expect(errors).toEqual([c.message]);
    } else {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(c.message);
    }
    expect(errors[0]).not.toMatch(/[\r\n]/);
    expect(result.code).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(await awsState()).toEqual(released);
  });

  it('left notes-api and the bucket as the setup released them', async () => {
    expect(await awsState()).toEqual(released);
  });
});

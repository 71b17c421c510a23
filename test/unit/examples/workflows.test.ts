/**
 * The action's metadata and every workflow we ship or show are checked with GitHub's own parser
 * (@actions/workflow-parser, from actions/languageservices: the schema behind the Actions editor
 * and the VS Code extension), so a broken example or a broken action.yml cannot land.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

import { listStages, parseStagesFile } from '../../../src/stages/parse.js';
import { resolveStage } from '../../../src/stages/resolve.js';
import { loadWorkflowParser } from './workflow-parser.js';

type WorkflowParser = typeof import('@actions/workflow-parser');
type ActionParser = typeof import('@actions/workflow-parser/actions/index');

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The names CONTRACT.md fixes (shared/CONTRACT.md, "Inputs" and "Outputs"; `image` from "Beyond one zip on one function"). */
const CONTRACT_INPUTS = [
  'stage', 'command', 'artifact', 'config', 'promote-from', 'to-version', 'function-name', 'alias',
  'region', 's3-bucket', 'log-level', 'smoke-url', 'github-token', 'dry-run', 'force', 'image',
];
const CONTRACT_OUTPUTS = ['status', 'version', 'previous-version', 'code-sha256', 'alias-arn', 'release', 'url'];

/** `uses:` of a step that runs this action: the published name in examples, `./` in this repo. */
const USES_THIS_ACTION = /^(?:org\/stage-deploy@|\.\/?$)/;

let workflows: WorkflowParser;
let actions: ActionParser;

beforeAll(async () => {
  workflows = await loadWorkflowParser();
  actions = await import('@actions/workflow-parser/actions/index');
});

/** Every problem GitHub's parser reports for a workflow: schema, expressions, job graph. */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const result = workflows.parseWorkflow({ name, content }, new workflows.NoOperationTraceWriter());
  // The conversion checks what the schema cannot (duplicate step ids, `needs`, cycles...) and
  // adds its findings to the same list; it is skipped when parsing already failed.
  if (result.value) await workflows.convertWorkflowTemplate(result.context, result.value);
  return result.context.errors.getErrors().map((error) => error.message);
}

/** Every problem GitHub's parser reports for an action.yml. */
function actionErrors(name: string, content: string): string[] {
  const result = actions.parseAction({ name, content }, new workflows.NoOperationTraceWriter());
  if (result.value) actions.convertActionTemplate(result.context, result.value);
  return result.context.errors.getErrors().map((error) => error.message);
}

const yamlFiles = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => `${dir}/${file}`);

const exampleWorkflows = yamlFiles('examples/workflows');
const repoWorkflows = yamlFiles('.github/workflows');

/** The README's workflow blocks: the ```yaml fences whose first line names a workflow file. */
const readmeWorkflows = [...read('README.md').matchAll(/```ya?ml\n(# \.github\/workflows\/(\S+)[^\n]*\n[\s\S]*?)```/g)].map(
  (match) => ({ name: `README.md: ${match[2]}`, content: match[1] ?? '' }),
);

const allWorkflows = [
  ...[...exampleWorkflows, ...repoWorkflows].map((path) => ({ name: path, content: read(path) })),
  ...readmeWorkflows,
];

describe('the validator', () => {
  it.each([
    ['a step with both uses and run', 'on: push\njobs: { build: { runs-on: ubuntu-latest, steps: [ { uses: a, run: b } ] } }', "Unexpected value 'run'"],
    ['an unknown top-level key', 'on: push\ndeploy: true\njobs: { build: { runs-on: ubuntu-latest, steps: [ { run: b } ] } }', "Unexpected value 'deploy'"],
    ['a misspelt trigger filter', 'on: { push: { branch: [main] } }\njobs: { build: { runs-on: ubuntu-latest, steps: [ { run: b } ] } }', "Unexpected value 'branch'"],
    ['a broken expression', 'on: push\njobs: { build: { runs-on: ubuntu-latest, steps: [ { run: "${{ inputs.x ( }}" } ] } }', "Unexpected symbol: '('"],
    ['the same step id twice', 'on: push\njobs: { build: { runs-on: ubuntu-latest, steps: [ { id: s, run: a }, { id: s, run: b } ] } }', "identifier 's' may not be used more than once"],
    ['a job that needs a job that does not exist', 'on: push\njobs:\n  a: { runs-on: ubuntu-latest, steps: [ { run: a } ] }\n  b: { runs-on: ubuntu-latest, needs: c, steps: [ { run: b } ] }', "'c'"],
    ['an unquoted expression inside a flow map', 'on: workflow_dispatch\njobs: { build: { runs-on: ubuntu-latest, steps: [ { uses: a/b@v1, with: { x: ${{ inputs.y }} } } ] } }', 'flow-map-start'],
    ['YAML that does not parse', 'on: push\njobs: { build: { runs-on: ubuntu-latest ', 'Flow map'],
  ])('rejects a workflow with %s', async (_what, content, expected) => {
    const errors = await workflowErrors('broken.yml', content);
    expect(errors.join('\n')).toContain(expected);
  });

  it.each([
    ['an unknown runtime and no name', 'description: x\nruns: { using: node99, main: index.js }', ["Unexpected value 'node99'", 'Required property is missing: name']],
    ['a node action without main', 'name: x\ndescription: x\nruns: { using: node20 }', ['main']],
    ['an unknown top-level key', 'name: x\ndescription: x\nouputs: {}\nruns: { using: node20, main: index.js }', ["Unexpected value 'ouputs'"]],
  ])('rejects an action.yml with %s', (_what, content, expected) => {
    const errors = actionErrors('action.yml', content).join('\n');
    for (const text of expected) expect(errors).toContain(text);
  });

  it('accepts a minimal valid workflow and action', async () => {
    expect(await workflowErrors('ok.yml', 'on: push\njobs: { build: { runs-on: ubuntu-latest, steps: [ { run: echo } ] } }')).toEqual([]);
    expect(actionErrors('action.yml', 'name: x\ndescription: x\nruns: { using: node24, main: index.js }')).toEqual([]);
  });
});

describe('action.yml', () => {
  const action = parseYaml(read('action.yml')) as { inputs?: Record<string, { required?: boolean }>; outputs?: Record<string, unknown> };

  it('is a valid action', () => {
    expect(actionErrors('action.yml', read('action.yml'))).toEqual([]);
  });

  it('declares exactly the inputs and outputs of the contract', () => {
    expect(Object.keys(action.inputs ?? {}).sort()).toEqual([...CONTRACT_INPUTS].sort());
    expect(Object.keys(action.outputs ?? {}).sort()).toEqual([...CONTRACT_OUTPUTS].sort());
  });
});

describe('workflows', () => {
  it('finds the examples, the repository workflows and the README workflows', () => {
    expect(exampleWorkflows).toEqual(['examples/workflows/deploy-dev.yml', 'examples/workflows/promote.yml', 'examples/workflows/rollback.yml']);
    expect(repoWorkflows.length).toBeGreaterThan(0);
    expect(readmeWorkflows.map((w) => w.name)).toEqual(expect.arrayContaining(['README.md: deploy-dev.yml', 'README.md: promote.yml', 'README.md: rollback.yml']));
  });

  it.each(allWorkflows)('$name is a valid workflow', async ({ name, content }) => {
    expect(await workflowErrors(name, content)).toEqual([]);
  });

  const inputs = parseYaml(read('action.yml')) as { inputs: Record<string, { required?: boolean }> };
  const declared = Object.keys(inputs.inputs);
  const required = declared.filter((name) => inputs.inputs[name]?.required === true);

  interface Step { uses?: string; with?: Record<string, unknown> }
  const actionSteps = (content: string): Step[] => {
    const doc = parseYaml(content) as { jobs?: Record<string, { steps?: Step[] }> };
    return Object.values(doc.jobs ?? {})
      .flatMap((job) => job.steps ?? [])
      .filter((step) => typeof step.uses === 'string' && USES_THIS_ACTION.test(step.uses));
  };

  it.each([...exampleWorkflows.map((path) => ({ name: path, content: read(path) })), ...readmeWorkflows])(
    '$name uses stage-deploy with inputs that action.yml declares',
    ({ content }) => {
      const steps = actionSteps(content);
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        const given = Object.keys(step.with ?? {});
        expect(given.filter((name) => !declared.includes(name))).toEqual([]);
        expect(required.filter((name) => !given.includes(name))).toEqual([]);
      }
    },
  );

  it.each(repoWorkflows)('%s passes only declared inputs to this action', (path) => {
    for (const step of actionSteps(read(path))) {
      expect(Object.keys(step.with ?? {}).filter((name) => !declared.includes(name))).toEqual([]);
    }
  });

  it('README shows the rollback example as it is in examples/workflows', () => {
    const shown = readmeWorkflows.find((w) => w.name === 'README.md: rollback.yml');
    const example = read('examples/workflows/rollback.yml');
    expect(shown?.content.split('\n').slice(1).join('\n')).toBe(example);
  });
});

describe('examples/stage-deploy.yml', () => {
  it('is accepted by the stages-file parser, and each stage resolves', () => {
    const file = parseStagesFile(read('examples/stage-deploy.yml'), 'examples/stage-deploy.yml');
    expect(listStages(file)).toEqual(['dev', 'prod']);
    for (const stage of listStages(file)) {
      const settings = resolveStage({ file, stage, overrides: {}, env: { SMOKE_API_KEY: 'k' } });
      expect(settings).toMatchObject({ stage, functionName: 'notes-api', alias: stage === 'dev' ? 'dev' : 'prod' });
    }
  });
});

// The layer boundaries in eslint.config.js: each one fires on a deliberate breach and stays quiet
// on the allowed counterpart. The snippets are linted as virtual files under src/ (they do not
// exist on disk), so the typed rules and the project service are turned off for them: the boundary
// rules are purely syntactic.
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const IMPORTS = '@typescript-eslint/no-restricted-imports';
const SYNTAX = 'no-restricted-syntax';
const PROPERTIES = 'no-restricted-properties';
const BOUNDARY_RULES = new Set([IMPORTS, SYNTAX, PROPERTIES]);

const RUNNER = 'only src/action/ talks to the runner (@actions/core)';
const GITHUB = 'only src/github/ talks to the GitHub API';
const AWS = 'only src/aws/ talks to AWS';
const MODEL = 'src/model/ is the dependency-free core';
const ENV = 'read the environment in src/action/ and pass it in';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfig: [tseslint.configs.disableTypeChecked as Linter.Config],
  });
});

/** The boundary messages ESLint reports for `code` linted as `file` (relative to the repository root). */
async function boundaryErrors(file: string, code: string): Promise<{ rule: string; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` });
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal, `${file} did not parse`).toEqual([]);
  return result!.messages
    .filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId))
    .map((m) => ({ rule: m.ruleId!, message: m.message }));
}

async function expectBreach(file: string, code: string, rule: string, message: string): Promise<void> {
  const errors = await boundaryErrors(file, code);
  expect(errors, `${file}: ${code}`).toContainEqual({ rule, message: expect.stringContaining(message) as string });
}

async function expectAllowed(file: string, code: string): Promise<void> {
  expect(await boundaryErrors(file, code), `${file}: ${code}`).toEqual([]);
}

describe('the config is the one the repository lints with', () => {
  it('covers src/ and leaves test/ alone', async () => {
    expect(await eslint.isPathIgnored(`${root}src/release/x.ts`)).toBe(false);
    await expectAllowed('test/unit/x.ts', "import * as core from '@actions/core';\nexport const env = process.env;\nexport { core };\n");
  });
});

describe('@actions/core: only src/action/', () => {
  it.each(['src/app.ts', 'src/release/x.ts', 'src/aws/x.ts', 'src/github/x.ts', 'src/index.ts'])('is refused in %s', async (file) => {
    await expectBreach(file, "import * as core from '@actions/core';\nexport { core };\n", IMPORTS, RUNNER);
  });

  it('is refused as a type-only import and as a dynamic import', async () => {
    await expectBreach('src/report/x.ts', "import type { InputOptions } from '@actions/core';\nexport type O = InputOptions;\n", IMPORTS, RUNNER);
    await expectBreach('src/report/x.ts', "export const core = () => import('@actions/core');\n", SYNTAX, RUNNER);
    await expectBreach('src/report/x.ts', "export type O = import('@actions/core').InputOptions;\n", SYNTAX, RUNNER);
  });

  it('is allowed in src/action/', async () => {
    await expectAllowed('src/action/x.ts', "import * as core from '@actions/core';\nexport const load = () => import('@actions/core');\nexport { core };\n");
  });
});

describe('@actions/github and @octokit/*: only src/github/', () => {
  it('are refused elsewhere, statically and dynamically', async () => {
    await expectBreach('src/commands/x.ts', "import { getOctokit } from '@actions/github';\nexport { getOctokit };\n", IMPORTS, GITHUB);
    await expectBreach('src/action/x.ts', "import type { Octokit } from '@octokit/core';\nexport type O = Octokit;\n", IMPORTS, GITHUB);
    await expectBreach('src/app.ts', "export const gh = () => import('@actions/github');\n", SYNTAX, GITHUB);
  });

  it('are allowed in src/github/', async () => {
    await expectAllowed(
      'src/github/x.ts',
      "import { getOctokit } from '@actions/github';\nimport type { Octokit } from '@octokit/core';\nexport type O = Octokit;\nexport { getOctokit };\n",
    );
  });
});

describe('@aws-sdk/* and @smithy/*: only src/aws/', () => {
  it('are refused elsewhere, type-only imports included', async () => {
    await expectBreach('src/release/x.ts', "import { LambdaClient } from '@aws-sdk/client-lambda';\nexport { LambdaClient };\n", IMPORTS, AWS);
    await expectBreach('src/checks/x.ts', "import type { FunctionConfiguration } from '@aws-sdk/client-lambda';\nexport type F = FunctionConfiguration;\n", IMPORTS, AWS);
    await expectBreach('src/action/x.ts', "import type { Provider } from '@smithy/types';\nexport type P = Provider<string>;\n", IMPORTS, AWS);
    await expectBreach('src/artifact/x.ts', "export { S3Client } from '@aws-sdk/client-s3';\n", IMPORTS, AWS);
  });

  it('are refused as dynamic imports elsewhere', async () => {
    await expectBreach('src/app.ts', "export const s3 = () => import('@aws-sdk/client-s3');\n", SYNTAX, AWS);
    await expectBreach('src/app.ts', 'export const s3 = () => import(`@aws-sdk/client-s3`);\n', SYNTAX, AWS);
    await expectBreach('src/stages/x.ts', "export type C = import('@aws-sdk/client-lambda').LambdaClient;\n", SYNTAX, AWS);
  });

  it('are allowed in src/aws/', async () => {
    await expectAllowed(
      'src/aws/x.ts',
      "import { LambdaClient } from '@aws-sdk/client-lambda';\nimport type { Provider } from '@smithy/types';\nexport type P = Provider<string>;\nexport const s3 = () => import('@aws-sdk/client-s3');\nexport { LambdaClient };\n",
    );
  });
});

describe('src/model/ imports only its siblings', () => {
  it.each([
    ["import { z } from 'zod';\nexport { z };\n", 'a package'],
    ["import { readFile } from 'node:fs/promises';\nexport { readFile };\n", 'a node: builtin'],
    ["import type { Stage } from '../stages/stages-file.js';\nexport type S = Stage;\n", 'another src/ folder'],
    ["import type { X } from './sub/x.js';\nexport type Y = X;\n", 'a nested path'],
    ["import * as core from '@actions/core';\nexport { core };\n", '@actions/core'],
    ["import type { LambdaClient } from '@aws-sdk/client-lambda';\nexport type C = LambdaClient;\n", 'an SDK type'],
  ])('refuses %s (%s)', async (code) => {
    await expectBreach('src/model/x.ts', code, IMPORTS, MODEL);
  });

  it('refuses dynamic imports of anything but a sibling', async () => {
    await expectBreach('src/model/x.ts', "export const y = () => import('yaml');\n", SYNTAX, MODEL);
    await expectBreach('src/model/x.ts', "export const e = () => import('../app.js');\n", SYNTAX, MODEL);
    await expectBreach('src/model/x.ts', 'export const any = (m: string) => import(m);\n', SYNTAX, MODEL);
  });

  it('allows a sibling', async () => {
    await expectAllowed(
      'src/model/x.ts',
      "import { InputError } from './errors.js';\nimport type { Settings } from './settings.js';\nexport type S = Settings;\nexport const e = () => import('./errors.js');\nexport { InputError };\n",
    );
  });
});

describe('process.env: read only in src/action/', () => {
  it.each(['src/app.ts', 'src/aws/x.ts', 'src/model/x.ts', 'src/github/x.ts', 'src/release/x.ts'])('is refused in %s', async (file) => {
    await expectBreach(file, 'export const region = process.env.AWS_REGION;\n', PROPERTIES, ENV);
  });

  it('is refused however it is spelled', async () => {
    await expectBreach('src/app.ts', 'export function f(env = process.env) { return env; }\n', PROPERTIES, ENV);
    await expectBreach('src/app.ts', 'const { env } = process;\nexport { env };\n', PROPERTIES, ENV);
    await expectBreach('src/app.ts', 'export const env = globalThis.process.env;\n', SYNTAX, ENV);
    await expectBreach('src/app.ts', "import { env } from 'node:process';\nexport { env };\n", IMPORTS, ENV);
  });

  it('is allowed in src/action/, and NodeJS.ProcessEnv as a type is allowed anywhere', async () => {
    await expectAllowed('src/action/x.ts', "import { env } from 'node:process';\nexport const summary = process.env.GITHUB_STEP_SUMMARY ?? env.X;\n");
    await expectAllowed('src/app.ts', 'export function f(env: NodeJS.ProcessEnv) { return env.AWS_REGION; }\n');
  });
});

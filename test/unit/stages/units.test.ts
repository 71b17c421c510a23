/**
 * resolveStageUnits (src/stages/resolve.ts): a stage with `functions` and `regions` into one unit
 * per function and region (CONTRACT "Beyond one zip on one function"), and its refusals.
 */
import { describe, expect, it } from 'vitest';
import { expectInputError, EXAMPLE, ENV } from './fixtures.js';
import { parseStagesFile } from '../../../src/stages/parse.js';
import { resolveStage, resolveStageUnits, type ResolveStageOptions } from '../../../src/stages/resolve.js';
import type { StageOverrides } from '../../../src/model/settings.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notes:latest';
const IMAGE_EU = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/notes:latest';
const DIGEST = `123456789012.dkr.ecr.us-east-1.amazonaws.com/team/notes@sha256:${'ab'.repeat(32)}`;

/** The contract's example of a multi-function stage (without `role` and `provisioned-concurrency`, which are not this part's). */
const MULTI = `
defaults:
  region: us-east-1
stages:
  dev:
    functions:
      notes-api:    { artifact: build/api.zip, smoke: { url: https://dev.example.com/health } }
      notes-worker: { artifact: build/worker, memory-size: 1024 }
      notes-image:  { image: ${IMAGE} }
    regions: [us-east-1, eu-west-1]
    s3-bucket: { us-east-1: code-use1, eu-west-1: code-euw1 }
  prod:
    extends: dev
`;

type Extra = Partial<Pick<ResolveStageOptions, 'artifact' | 'image' | 'command' | 'unsetVariables'>>;

function units(yaml: string, stage = 'dev', overrides: StageOverrides = {}, extra: Extra = {}) {
  return resolveStageUnits({ file: parseStagesFile(yaml, 'stage-deploy.yml'), fileName: 'stage-deploy.yml', stage, overrides, env: ENV, ...extra });
}

/** `function@region` of each unit, in order. */
const where = (list: ReturnType<typeof units>) => list.map((unit) => `${unit.functionName}@${unit.region ?? '-'}`);

describe('resolveStageUnits: a plain stage', () => {
  it('is exactly one unit, resolveStage itself', () => {
    for (const stage of ['dev', 'prod']) {
      const options = { file: parseStagesFile(EXAMPLE, 'stage-deploy.yml'), stage, overrides: {}, env: ENV };
      expect(resolveStageUnits(options)).toEqual([resolveStage(options)]);
    }
  });

  it('carries the stage image, and the image input over it', () => {
    const yaml = `defaults: { function: fn, region: us-east-1 }\nstages:\n  dev: { image: "${IMAGE}" }\n`;
    expect(units(yaml)[0]?.image).toBe(IMAGE);
    expect(units(yaml, 'dev', {}, { image: DIGEST })[0]?.image).toBe(DIGEST);
    expect(units(yaml, 'dev', {}, { command: 'deploy' })).toHaveLength(1);
  });

  it('refuses a deploy without code, in the words it always used', () => {
    const yaml = 'defaults: { function: fn }\nstages: { dev: {} }\n';
    expectInputError(() => units(yaml, 'dev', {}, { command: 'deploy' }), 'artifact: required for command deploy (a .zip file or a directory; or image: an ECR image URI)');
    expect(units(yaml, 'dev', {}, { command: 'deploy', artifact: 'build/f.zip' })).toHaveLength(1);
    expect(units(yaml, 'dev', {}, { command: 'promote' })).toHaveLength(1);
    expect(units(yaml, 'dev', {}, { command: 'deploy', image: IMAGE })[0]?.image).toBe(IMAGE);
  });

  it('refuses an artifact and an image for one function', () => {
    const yaml = `defaults: { function: fn }\nstages:\n  dev: { image: "${IMAGE}" }\n`;
    expectInputError(
      () => units(yaml, 'dev', {}, { artifact: 'build/f.zip' }),
      "artifact: \"build/f.zip\" cannot be used with stages.dev.image (a function's code is a .zip or an image, not both)",
    );
    expectInputError(
      () => units('defaults: { function: fn }\nstages: { dev: {} }\n', 'dev', {}, { artifact: 'build/f.zip', image: IMAGE }),
      `image: "${IMAGE}" cannot be used with the artifact input (a function's code is a .zip or an image, not both)`,
    );
  });
});

describe('resolveStageUnits: functions and regions', () => {
  it('gives one unit per function and region, function by function, in the order written', () => {
    const list = units(MULTI);
    expect(where(list)).toEqual([
      'notes-api@us-east-1',
      'notes-api@eu-west-1',
      'notes-worker@us-east-1',
      'notes-worker@eu-west-1',
      'notes-image@us-east-1',
      'notes-image@eu-west-1',
    ]);
  });

  it("lays each function's block over the stage's settings, and takes each region's bucket", () => {
    const [api, , worker, workerEu] = units(
      MULTI.replace('image: ' + IMAGE, `image: { us-east-1: "${IMAGE}", eu-west-1: "${IMAGE_EU}" }`),
    );
    expect(api).toMatchObject({ stage: 'dev', alias: 'dev', artifact: 'build/api.zip', s3Bucket: 'code-use1', smoke: { url: 'https://dev.example.com/health' } });
    expect(api).not.toHaveProperty('memorySize');
    expect(api).not.toHaveProperty('image');
    expect(worker).toMatchObject({ functionName: 'notes-worker', artifact: 'build/worker', memorySize: 1024, s3Bucket: 'code-use1' });
    expect(worker).not.toHaveProperty('smoke');
    expect(workerEu).toMatchObject({ region: 'eu-west-1', s3Bucket: 'code-euw1', memorySize: 1024 });
  });

  it("takes each region's image from a mapping", () => {
    const list = units(MULTI.replace('image: ' + IMAGE, `image: { us-east-1: "${IMAGE}", eu-west-1: "${IMAGE_EU}" }`));
    expect(list.filter((unit) => unit.functionName === 'notes-image').map((unit) => unit.image)).toEqual([IMAGE, IMAGE_EU]);
  });

  it('deep-merges a function\'s smoke over the stage\'s, and the inputs over both', () => {
    const yaml = `
stages:
  dev:
    log-level: INFO
    smoke: { url: https://dev.example.com/a, attempts: 5 }
    functions:
      a: { log-level: ERROR, smoke: { url: https://dev.example.com/b } }
      b: {}
`;
    const [a, b] = units(yaml);
    expect(a?.smoke).toMatchObject({ url: 'https://dev.example.com/b', attempts: 5 });
    expect(a?.logLevel).toBe('ERROR');
    expect(b?.smoke).toMatchObject({ url: 'https://dev.example.com/a', attempts: 5 });
    expect(units(yaml, 'dev', { logLevel: 'DEBUG', alias: 'live' }).map((u) => [u.logLevel, u.alias])).toEqual([
      ['DEBUG', 'live'],
      ['DEBUG', 'live'],
    ]);
  });

  it('inherits functions through extends and defaults, and a stage changes one function\'s key', () => {
    const yaml = `
defaults:
  functions: { a: { memory-size: 256 } }
stages:
  dev:
    functions: { b: { memory-size: 512 } }
  prod:
    extends: dev
    memory-size: 2048
    functions: { a: { timeout: 30s } }
`;
    expect(units(yaml, 'dev').map((u) => [u.functionName, u.memorySize])).toEqual([
      ['a', 256],
      ['b', 512],
    ]);
    // A function's own key wins over the stage's, however near the stage's is.
    expect(units(yaml, 'prod').map((u) => [u.functionName, u.memorySize, u.timeoutSeconds])).toEqual([
      ['a', 256, 30],
      ['b', 512, undefined],
    ]);
  });

  it("never inherits a function's alias from another stage (as a stage's alias is not)", () => {
    const yaml = 'stages:\n  dev: { functions: { a: { alias: live } } }\n  prod: { extends: dev }\n';
    expect(units(yaml, 'dev')[0]?.alias).toBe('live');
    expect(units(yaml, 'prod')[0]?.alias).toBe('prod');
  });

  it('resolveStage gives the first unit of a stage with several', () => {
    const options = { file: parseStagesFile(MULTI, 'stage-deploy.yml'), stage: 'dev', overrides: {}, env: ENV };
    expect(resolveStage(options)).toEqual(resolveStageUnits(options)[0]);
  });

  it('lets the nearer of function and functions (region and regions) win, as any setting', () => {
    // The contract's example: a region under defaults, regions in the stage.
    expect(where(units('defaults: { region: us-east-1 }\nstages:\n  dev: { function: fn, regions: [eu-west-1, us-west-2] }\n'))).toEqual([
      'fn@eu-west-1',
      'fn@us-west-2',
    ]);
    expect(where(units('defaults: { function: fn }\nstages:\n  dev: { functions: { a: {}, b: {} } }\n'))).toEqual(['a@-', 'b@-']);
    expect(where(units('stages:\n  dev: { functions: { a: {}, b: {} } }\n  prod: { extends: dev, function: c }\n', 'prod'))).toEqual(['c@-']);
  });

  it('takes a function named like an object method for a function', () => {
    expect(where(units('stages:\n  dev: { functions: { toString: {}, constructor2: {} } }\n'))).toEqual(['toString@-', 'constructor2@-']);
  });

  it('lets a function have its own region when the stage lists none', () => {
    expect(where(units('defaults: { region: us-east-1 }\nstages:\n  dev: { functions: { a: {}, b: { region: eu-west-1 } } }\n'))).toEqual([
      'a@us-east-1',
      'b@eu-west-1',
    ]);
  });

  it('needs every function\'s code for a deploy, and none for promote, rollback or status', () => {
    const yaml = 'stages:\n  dev:\n    functions: { a: { artifact: build/a.zip }, b: {}, c: {} }\n';
    expectInputError(
      () => units(yaml, 'dev', {}, { command: 'deploy' }),
      "stages.dev.functions: b, c have no artifact or image (a deploy needs each function's code: set artifact or image in its block)",
    );
    expectInputError(
      () => units(yaml.replace('c: {}', `c: { image: "${IMAGE}" }`), 'dev', {}, { command: 'deploy' }),
      "stages.dev.functions: b has no artifact or image (a deploy needs each function's code: set artifact or image in its block)",
    );
    for (const command of ['promote', 'rollback', 'status'] as const) expect(units(yaml, 'dev', {}, { command })).toHaveLength(3);
  });

  it('needs the code of a stage with regions only from the artifact or image input, or the stage', () => {
    const yaml = 'stages:\n  dev: { function: fn, regions: [us-east-1, eu-west-1] }\n';
    expect(units(yaml, 'dev', {}, { command: 'deploy', artifact: 'build/f.zip' })).toHaveLength(2);
    expectInputError(() => units(yaml, 'dev', {}, { command: 'deploy' }), 'artifact: required for command deploy (a .zip file or a directory; or image: an ECR image URI)');
  });
});

describe('resolveStageUnits: refusals', () => {
  it('refuses function and functions, region and regions, in one block, naming both', () => {
    expectInputError(
      () => units('stages:\n  dev: { function: fn, functions: { a: {} } }\n'),
      'stages.dev.functions: cannot be set together with stages.dev.function (one function, or a map of several: keep one)',
    );
    expectInputError(
      () => units('defaults: { function: fn, region: us-east-1, regions: [eu-west-1] }\nstages: { dev: {} }\n'),
      'defaults.regions: cannot be set together with defaults.region (one region, or a list of several: keep one)',
    );
  });

  it('refuses the inputs that name one function or region for a stage of several', () => {
    expectInputError(
      () => units(MULTI, 'dev', { functionName: 'other' }),
      'function-name: "other" cannot be used with a stage that lists functions (stages.dev.functions); change the stages file instead',
    );
    expectInputError(
      () => units(MULTI, 'dev', { region: 'us-west-2' }),
      'region: "us-west-2" cannot be used with a stage that lists regions (stages.dev.regions); change the stages file instead',
    );
    expectInputError(
      () => units(MULTI, 'prod', {}, { artifact: 'build/function.zip' }),
      'artifact: "build/function.zip" cannot be used with a stage that lists functions (stages.dev.functions): each function names its own artifact or image',
    );
    expectInputError(
      () => units(MULTI, 'dev', {}, { image: IMAGE }),
      `image: "${IMAGE}" cannot be used with a stage that lists functions (stages.dev.functions): each function names its own artifact or image`,
    );
    expectInputError(
      () => units(MULTI, 'dev', { smokeUrl: 'https://x.example/health' }),
      'smoke-url: "https://x.example/health" cannot be used with a stage that lists several functions (stages.dev.functions): set smoke.url for each function in the stages file',
    );
    expect(units('stages:\n  dev: { functions: { a: {} } }\n', 'dev', { smokeUrl: 'https://x.example/health' })[0]?.smoke?.url).toBe(
      'https://x.example/health',
    );
  });

  it('refuses a function listed twice, by name and by ARN, or twice in the file', () => {
    expectInputError(
      () => units('stages:\n  dev:\n    functions: { notes-api: {}, "arn:aws:lambda:us-east-1:123456789012:function:notes-api": {} }\n'),
      'stages.dev.functions: "arn:aws:lambda:us-east-1:123456789012:function:notes-api" is listed twice (as "notes-api" and "arn:aws:lambda:us-east-1:123456789012:function:notes-api"): name each function once',
    );
    expectInputError(
      () => units('stages:\n  dev:\n    functions: { "123456789012:function:a": {}, "arn:aws:lambda:us-east-1:123456789012:function:a": {} }\n'),
      'stages.dev.functions: "arn:aws:lambda:us-east-1:123456789012:function:a" is listed twice (as "123456789012:function:a" and "arn:aws:lambda:us-east-1:123456789012:function:a"): name each function once',
    );
    // The same name in two accounts is two functions.
    expect(units('stages:\n  dev:\n    functions: { "111111111111:function:a": {}, "222222222222:function:a": {} }\n')).toHaveLength(2);
    expectInputError(
      () => units('stages:\n  dev:\n    functions:\n      a: {}\n      a: { memory-size: 256 }\n'),
      'stage-deploy.yml: YAML syntax error at line 5, column 7: Map keys must be unique',
    );
    expectInputError(
      () => units('{"stages": {"dev": {"functions": {"a": {}, "a": {"memory-size": 256}}}}}'),
      'stage-deploy.yml: YAML syntax error at line 1, column 44: Map keys must be unique',
    );
  });

  it('refuses a function key that is not a function, and an empty map', () => {
    expectInputError(
      () => units('stages:\n  dev: { functions: { "notes-api:prod": {} } }\n'),
      'stages.dev.functions: "notes-api:prod" is not a Lambda function name or ARN (without a version or alias)',
    );
    expectInputError(() => units('stages:\n  dev: { functions: {} }\n'), 'stages.dev.functions: {} lists no function (name at least one, or use function)');
  });

  it('refuses a function by ARN in another region than its unit', () => {
    expectInputError(
      () => units('stages:\n  dev: { regions: [us-east-1, eu-west-1], functions: { "arn:aws:lambda:us-east-1:123456789012:function:a": {} } }\n'),
      'stages.dev.functions: "arn:aws:lambda:us-east-1:123456789012:function:a" is a function in us-east-1, not eu-west-1 (with regions, name the function rather than its ARN)',
    );
  });

  it('refuses a bad list of regions', () => {
    expectInputError(() => units('stages:\n  dev: { function: fn, regions: [] }\n'), 'stages.dev.regions: [] lists no region (name at least one, or use region)');
    expectInputError(
      () => units('stages:\n  dev: { function: fn, regions: [us-east-1, us-east1] }\n'),
      'stages.dev.regions[1]: "us-east1" is not an AWS region (like us-east-1)',
    );
    expectInputError(
      () => units('stages:\n  dev: { function: fn, regions: [us-east-1, us-east-1] }\n'),
      'stages.dev.regions[1]: "us-east-1" is listed twice (name each region once)',
    );
    expectInputError(() => units('stages:\n  dev: { function: fn, regions: us-east-1 }\n'), 'stages.dev.regions: "us-east-1" is not a list of AWS regions');
  });

  it("refuses a function's own region when the stage lists regions", () => {
    expectInputError(
      () => units('stages:\n  dev: { regions: [us-east-1, eu-west-1], functions: { a: {}, b: { region: us-west-2 } } }\n'),
      'stages.dev.functions.b.region: "us-west-2" cannot be set when the stage lists regions (stages.dev.regions): every function is released in every region',
    );
  });

  it('refuses one bucket for several regions, and a region the bucket mapping lacks', () => {
    expectInputError(
      () => units('stages:\n  dev: { function: fn, regions: [us-east-1, eu-west-1], s3-bucket: code }\n'),
      'stages.dev.s3-bucket: "code" is one bucket for 2 regions (S3 code must be in the function\'s region: use a mapping, {us-east-1: <bucket>, eu-west-1: <bucket>})',
    );
    expectInputError(
      () => units('stages:\n  dev: { function: fn, regions: [us-east-1, eu-west-1], s3-bucket: { us-east-1: code } }\n'),
      'stages.dev.s3-bucket: {"us-east-1":"code"} has no bucket for region "eu-west-1" (S3 code must be in the function\'s region: add eu-west-1: <bucket>)',
    );
    expectInputError(
      () => units('stages:\n  dev: { function: fn, s3-bucket: { us-east-1: code } }\n'),
      "stages.dev.s3-bucket: a mapping of regions to buckets needs the function's region (set region or regions)",
    );
    expectInputError(
      () => units('stages:\n  dev: { function: fn, region: us-east-1, s3-bucket: { us-east1: code } }\n'),
      'stages.dev.s3-bucket: "us-east1" is not an AWS region (like us-east-1)',
    );
    expectInputError(
      () => units('stages:\n  dev: { function: fn, region: us-east-1, s3-bucket: { us-east-1: Code_Bucket } }\n'),
      'stages.dev.s3-bucket.us-east-1: "Code_Bucket" is not an S3 bucket name',
    );
    // One bucket and one region is as before; the s3-bucket input replaces a mapping.
    expect(units('stages:\n  dev: { function: fn, regions: [us-east-1], s3-bucket: code }\n')[0]?.s3Bucket).toBe('code');
    expectInputError(
      () => units(MULTI, 'dev', { s3Bucket: 'x-bucket' }),
      's3-bucket: "x-bucket" is one bucket for 2 regions (S3 code must be in the function\'s region: use a mapping, {us-east-1: <bucket>, eu-west-1: <bucket>})',
    );
  });

  it('refuses an artifact and an image for one function', () => {
    expectInputError(
      () => units(`stages:\n  dev: { region: us-east-1, functions: { a: { artifact: a.zip, image: "${IMAGE}" } } }\n`),
      `stages.dev.functions.a.image: "${IMAGE}" cannot be used with stages.dev.functions.a.artifact (a function's code is a .zip or an image, not both)`,
    );
    expectInputError(
      () => units(`stages:\n  dev: { region: us-east-1, image: "${IMAGE}", functions: { a: { artifact: a.zip } } }\n`),
      `stages.dev.image: "${IMAGE}" cannot be used with stages.dev.functions.a.artifact (a function's code is a .zip or an image, not both)`,
    );
  });
});

describe('image', () => {
  const withImage = (image: string) => `defaults: { function: fn, region: us-east-1 }\nstages:\n  dev: { image: "${image}" }\n`;
  const HINT = 'is not an ECR image URI (use <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<64 hex digits>)';

  it('takes an ECR URI by tag or by digest', () => {
    expect(units(withImage(IMAGE))[0]?.image).toBe(IMAGE);
    expect(units(withImage(DIGEST))[0]?.image).toBe(DIGEST);
  });

  it.each([
    ['without a tag or digest', '123456789012.dkr.ecr.us-east-1.amazonaws.com/notes'],
    ['another registry', 'docker.io/library/notes:latest'],
    ['a short digest', '123456789012.dkr.ecr.us-east-1.amazonaws.com/notes@sha256:abc'],
    ['a tag and a digest', `123456789012.dkr.ecr.us-east-1.amazonaws.com/notes:v1@sha256:${'ab'.repeat(32)}`],
    ['an upper-case repository', '123456789012.dkr.ecr.us-east-1.amazonaws.com/Notes:v1'],
    ['a short account', '12345.dkr.ecr.us-east-1.amazonaws.com/notes:v1'],
  ])('refuses %s, naming the field and value', (_, image) => {
    const shown = JSON.stringify(image).length > 80 ? `${JSON.stringify(image).slice(0, 77)}...` : JSON.stringify(image);
    expectInputError(() => units(withImage(image)), `stages.dev.image: ${shown} ${HINT}`);
  });

  it("refuses ECR's FIPS endpoints, which Lambda does not take images from", () => {
    const fips = '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/notes:v1';
    expectInputError(() => units(withImage(fips)), `stages.dev.image: ${JSON.stringify(fips)} ${HINT}; Lambda does not take images from ECR's FIPS endpoints`);
  });

  it("refuses an image in another region's registry than the function's", () => {
    expectInputError(
      () => units(withImage(IMAGE_EU)),
      `stages.dev.image: "${IMAGE_EU}" is in eu-west-1's registry, and the function is in us-east-1 (Lambda takes images only from the function's region)`,
    );
    expectInputError(
      () => units('defaults: { function: fn, region: us-east-1 }\nstages: { dev: {} }\n', 'dev', {}, { image: IMAGE_EU }),
      `image: "${IMAGE_EU}" is in eu-west-1's registry, and the function is in us-east-1 (Lambda takes images only from the function's region)`,
    );
    expectInputError(
      () => units(MULTI.replace('image: ' + IMAGE, `image: { us-east-1: "${IMAGE}", eu-west-1: "${IMAGE}" }`)),
      `stages.dev.functions.notes-image.image.eu-west-1: "${IMAGE}" is in us-east-1's registry, and the function is in eu-west-1 (Lambda takes images only from the function's region)`,
    );
  });

  it("takes one image for a stage's regions from each region's registry (the same repository, as ECR replication keeps it)", () => {
    expect(units(MULTI).filter((unit) => unit.functionName === 'notes-image').map((unit) => unit.image)).toEqual([IMAGE, IMAGE_EU]);
    const yaml = 'stages:\n  dev: { function: fn, regions: [us-east-1, eu-west-1] }\n';
    expect(units(yaml, 'dev', {}, { image: DIGEST }).map((unit) => unit.image)).toEqual([DIGEST, DIGEST.replace('us-east-1', 'eu-west-1')]);
  });

  it('checks the image input as the key', () => {
    expectInputError(
      () => units('defaults: { function: fn }\nstages: { dev: {} }\n', 'dev', {}, { image: 'notes:latest' }),
      `image: "notes:latest" ${HINT}`,
    );
  });
});

describe('the stages file: keys of a function block', () => {
  it.each([
    ['stages:\n  dev: { functions: { a: { extends: prod } } }\n', 'stages.dev.functions.a.extends: not allowed in a function\'s block (extends is a key of the stage)'],
    ['stages:\n  dev: { functions: { a: { function: b } } }\n', "stages.dev.functions.a.function: not allowed in a function's block (the key under functions is the function name or ARN)"],
    ['stages:\n  dev: { functions: { a: { regions: [us-east-1] } } }\n', "stages.dev.functions.a.regions: not allowed in a function's block (regions is a key of the stage: every function is released in every region)"],
    ['defaults: { functions: { a: { memory: 256 } } }\nstages: { dev: {} }\n', 'defaults.functions.a.memory: unknown key (did you mean "memory-size"?)'],
    ['stages:\n  dev: { functions: { a: { smoke: { urll: x } } } }\n', 'stages.dev.functions.a.smoke.urll: unknown key (did you mean "url"?)'],
    ['stages:\n  dev: { function: fn, artifact: build/f.zip }\n', "stages.dev.artifact: unknown key (artifact belongs in a function's block under functions; for one function, use the artifact input)"],
    ['stages:\n  dev: { functions: [a, b] }\n', 'stages.dev.functions: ["a","b"] is not a mapping of function names to their settings'],
    ['stages:\n  dev: { function: fn, image: 42 }\n', 'stages.dev.image: 42 is not an ECR image URI, or a mapping of regions to image URIs'],
  ])('%j', (yaml, message) => {
    expectInputError(() => parseStagesFile(yaml, 'stage-deploy.yml'), message);
  });

  it('takes a function with nothing under it', () => {
    expect(where(units('stages:\n  dev:\n    functions:\n      a:\n      b:\n'))).toEqual(['a@-', 'b@-']);
  });
});

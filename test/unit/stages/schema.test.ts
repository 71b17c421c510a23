/** The ranges of the settings (src/stages/schema.ts), as resolveStage applies them. */
import { describe, expect, it } from 'vitest';
import { expectInputError, resolve, devWith, smokeWith } from './fixtures.js';

describe('settings: ranges', () => {
  it('checks the function name or ARN', () => {
    expect(resolve(devWith('{ function: "arn:aws:lambda:us-east-1:123456789012:function:notes-api" }'), 'dev').functionName).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:notes-api',
    );
    expectInputError(
      () => resolve(devWith('{ function: "notes-api:prod" }'), 'dev'),
      'stages.dev.function: "notes-api:prod" is not a Lambda function name or ARN (without a version or alias)',
    );
  });

  it('checks the alias', () => {
    expect(resolve(devWith('{ alias: live_2-b }'), 'dev').alias).toBe('live_2-b');
    expectInputError(
      () => resolve(devWith('{ alias: "123" }'), 'dev'),
      'stages.dev.alias: "123" is not a Lambda alias name (letters, digits, - and _, not only digits, at most 128 characters)',
    );
    expectInputError(
      () => resolve(devWith(`{ alias: ${'a'.repeat(129)} }`), 'dev'),
      `stages.dev.alias: "${'a'.repeat(76)}... is not a Lambda alias name (letters, digits, - and _, not only digits, at most 128 characters)`,
    );
    expectInputError(
      () => resolve('defaults: { function: fn }\nstages: { "my stage": {} }\n', 'my stage'),
      'stages.my stage.alias: "my stage" (the stage name) is not a Lambda alias name (letters, digits, - and _, not only digits, at most 128 characters); set alias',
    );
  });

  it('normalises the log level and log format', () => {
    expect(resolve(devWith('{ log-level: warn, log-format: TEXT }'), 'dev')).toMatchObject({ logLevel: 'WARN', logFormat: 'text' });
    expectInputError(
      () => resolve(devWith('{ log-level: LOUD }'), 'dev'),
      'stages.dev.log-level: "LOUD" is not a log level (use DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, WARN or FATAL)',
    );
    expectInputError(() => resolve(devWith('{ log-format: xml }'), 'dev'), 'stages.dev.log-format: "xml" is not a log format (use json or text)');
  });

  it('checks log retention against CloudWatch values', () => {
    expect(resolve(devWith('{ log-retention-days: 3653 }'), 'dev').logRetentionDays).toBe(3653);
    expectInputError(
      () => resolve(devWith('{ log-retention-days: 8 }'), 'dev'),
      'stages.dev.log-retention-days: 8 is not a CloudWatch Logs retention (use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)',
    );
  });

  it('checks memory size, timeout and keep-versions', () => {
    expect(resolve(devWith('{ memory-size: 128, timeout: 900, keep-versions: 1 }'), 'dev')).toMatchObject({
      memorySize: 128,
      timeoutSeconds: 900,
      keepVersions: 1,
    });
    expect(resolve(devWith('{ timeout: 2m }'), 'dev').timeoutSeconds).toBe(120);
    expectInputError(
      () => resolve(devWith('{ memory-size: 64 }'), 'dev'),
      'stages.dev.memory-size: 64 is not a memory size (use a whole number of MB from 128 to 10240)',
    );
    expectInputError(
      () => resolve(devWith('{ memory-size: 10241 }'), 'dev'),
      'stages.dev.memory-size: 10241 is not a memory size (use a whole number of MB from 128 to 10240)',
    );
    expectInputError(
      () => resolve(devWith('{ memory-size: 256.5 }'), 'dev'),
      'stages.dev.memory-size: 256.5 is not a memory size (use a whole number of MB from 128 to 10240)',
    );
    expectInputError(
      () => resolve(devWith('{ timeout: 1500ms }'), 'dev'),
      'stages.dev.timeout: "1500ms" is not a function timeout (use whole seconds from 1s to 900s)',
    );
    expectInputError(
      () => resolve(devWith('{ timeout: 16m }'), 'dev'),
      'stages.dev.timeout: "16m" is not a function timeout (use whole seconds from 1s to 900s)',
    );
    expectInputError(
      () => resolve(devWith('{ timeout: 0 }'), 'dev'),
      'stages.dev.timeout: 0 is not a function timeout (use whole seconds from 1s to 900s)',
    );
    expectInputError(
      () => resolve(devWith('{ timeout: "15 seconds" }'), 'dev'),
      'stages.dev.timeout: "15 seconds" is not a duration (use 500ms, 2s or 5m)',
    );
    expectInputError(
      () => resolve(devWith('{ keep-versions: 0 }'), 'dev'),
      'stages.dev.keep-versions: 0 is not a number of versions to keep (use a whole number, 1 or more)',
    );
  });

  it('checks region and bucket', () => {
    expect(resolve(devWith('{ region: us-gov-west-1, s3-bucket: my.bucket-1 }'), 'dev')).toMatchObject({
      region: 'us-gov-west-1',
      s3Bucket: 'my.bucket-1',
    });
    expectInputError(() => resolve(devWith('{ region: US_EAST_1 }'), 'dev'), 'stages.dev.region: "US_EAST_1" is not an AWS region (like us-east-1)');
    expectInputError(() => resolve(devWith('{ s3-bucket: My_Bucket }'), 'dev'), 'stages.dev.s3-bucket: "My_Bucket" is not an S3 bucket name');
  });
});

describe('smoke: ranges', () => {
  it('upper-cases and checks the method', () => {
    expect(resolve(smokeWith('method: post, body: "{}"'), 'dev').smoke).toMatchObject({ method: 'POST', body: '{}' });
    expectInputError(
      () => resolve(smokeWith('method: fetch'), 'dev'),
      'stages.dev.smoke.method: "fetch" is not an HTTP method (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)',
    );
  });

  it('checks attempts, interval, timeout and invoke', () => {
    expect(resolve(smokeWith('attempts: 1, interval: 500ms, timeout: 1m, invoke: false'), 'dev').smoke).toMatchObject({
      attempts: 1,
      intervalMs: 500,
      timeoutMs: 60_000,
      invoke: false,
    });
    expectInputError(
      () => resolve(smokeWith('attempts: 0'), 'dev'),
      'stages.dev.smoke.attempts: 0 is not a number of attempts (use a whole number from 1 to 20)',
    );
    expectInputError(
      () => resolve(smokeWith('attempts: 1.5'), 'dev'),
      'stages.dev.smoke.attempts: 1.5 is not a number of attempts (use a whole number from 1 to 20)',
    );
    expectInputError(
      () => resolve(smokeWith('interval: 5 minutes'), 'dev'),
      'stages.dev.smoke.interval: "5 minutes" is not a duration (use 500ms, 2s or 5m)',
    );
    expectInputError(() => resolve(smokeWith('timeout: 0s'), 'dev'), 'stages.dev.smoke.timeout: "0s" is not a request timeout (use more than 0s up to 5m)');
  });

  it('bounds attempts, interval and timeout from above (a timer past 2^31-1 ms would fire at once)', () => {
    expect(resolve(smokeWith('attempts: 20, interval: 5m, timeout: 5m'), 'dev').smoke).toMatchObject({ attempts: 20, intervalMs: 300_000, timeoutMs: 300_000 });
    expectInputError(
      () => resolve(smokeWith('attempts: 21'), 'dev'),
      'stages.dev.smoke.attempts: 21 is not a number of attempts (use a whole number from 1 to 20)',
    );
    expectInputError(
      () => resolve(smokeWith('interval: 1200h'), 'dev'),
      'stages.dev.smoke.interval: "1200h" is not a wait between attempts (use from 0s up to 5m)',
    );
    expectInputError(
      () => resolve(smokeWith('interval: 301s'), 'dev'),
      'stages.dev.smoke.interval: "301s" is not a wait between attempts (use from 0s up to 5m)',
    );
    expectInputError(
      () => resolve(smokeWith('timeout: 1200h'), 'dev'),
      'stages.dev.smoke.timeout: "1200h" is not a request timeout (use more than 0s up to 5m)',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/model/errors.js';
import type { RequestSigner, StageSettings } from '../../../src/model/settings.js';
import { bypassingUrls, describeBypassingUrl, withFunctionUrlSmoke } from '../../../src/release/function-url.js';
import { FakeLambda, RecordingLog, stageSettings } from '../fakes.js';

const URL_ON_ALIAS = 'https://abcdefg.lambda-url.us-east-1.on.aws/';

/** A stage without a smoke block. */
function withoutSmoke(): StageSettings {
  const unit: StageSettings = stageSettings('dev');
  delete unit.smoke;
  return unit;
}

function world(authType = 'NONE') {
  const lambda = new FakeLambda();
  lambda.urls.set('dev', { url: URL_ON_ALIAS, authType, qualifier: 'dev' });
  return { lambda, log: new RecordingLog() };
}

describe('withFunctionUrlSmoke', () => {
  it('keeps smoke.url when it is given, without reading the function URL', async () => {
    const { lambda, log } = world();
    const unit = stageSettings('dev');
    expect(await withFunctionUrlSmoke(unit, lambda, log)).toBe(unit);
    expect(lambda.calls).toEqual([]);
  });

  it('smoke-tests the alias\'s function URL with the defaults when there is no smoke block', async () => {
    const { lambda, log } = world();
    const unit = withoutSmoke();
    const out = await withFunctionUrlSmoke(unit, lambda, log);
    expect(out.smoke).toMatchObject({ url: URL_ON_ALIAS, method: 'GET', attempts: 3, expectStatus: { text: '2xx' } });
    expect(lambda.calls).toEqual(['functionUrl dev']);
  });

  it('keeps the smoke block\'s settings and fills in the URL', async () => {
    const { lambda, log } = world();
    const unit = stageSettings('dev', {}, { url: '', method: 'POST', attempts: 5, headers: { 'x-check': '1' } });
    const out = await withFunctionUrlSmoke(unit, lambda, log);
    expect(out.smoke).toMatchObject({ url: URL_ON_ALIAS, method: 'POST', attempts: 5, headers: { 'x-check': '1' } });
  });

  it('runs without a smoke test, warned, when a smoke block has no url and the alias no function URL', async () => {
    const { lambda, log } = world();
    lambda.urls.clear();
    const out = await withFunctionUrlSmoke(stageSettings('dev', {}, { url: '' }), lambda, log);
    expect(out.smoke).toBeUndefined();
    expect(log.lines.join('\n')).toContain('smoke has no url and alias dev of notes-api has no function URL');
  });

  it('smoke-tests an AWS_IAM function URL with signed requests: the smoke settings carry the signer', async () => {
    const { lambda, log } = world('AWS_IAM');
    const sign: RequestSigner = () => Promise.resolve({ authorization: 'AWS4-HMAC-SHA256 …' });
    const bare = await withFunctionUrlSmoke(withoutSmoke(), lambda, log, sign);
    expect(bare.smoke).toMatchObject({ url: URL_ON_ALIAS, method: 'GET', attempts: 3 });
    expect(bare.smoke?.sign).toBe(sign);
    const block = await withFunctionUrlSmoke(stageSettings('dev', {}, { url: '', attempts: 5 }), lambda, log, sign);
    expect(block.smoke).toMatchObject({ url: URL_ON_ALIAS, attempts: 5 });
    expect(block.smoke?.sign).toBe(sign);
    expect(log.lines.join('\n')).toContain('(AuthType AWS_IAM: requests signed with SigV4)');
  });

  it('never signs for a user\'s smoke.url, nor for a URL with AuthType NONE', async () => {
    const sign: RequestSigner = () => Promise.reject(new Error('not to be called'));
    const iam = world('AWS_IAM');
    const given = stageSettings('dev');
    expect((await withFunctionUrlSmoke(given, iam.lambda, iam.log, sign)).smoke?.sign).toBeUndefined();
    const open = world('NONE');
    expect((await withFunctionUrlSmoke(withoutSmoke(), open.lambda, open.log, sign)).smoke?.sign).toBeUndefined();
  });

  it('refuses a smoke block without url on an AWS_IAM function URL when there is no signer', async () => {
    const { lambda, log } = world('AWS_IAM');
    await expect(withFunctionUrlSmoke(stageSettings('dev', {}, { url: '' }), lambda, log)).rejects.toThrow(InputError);
    await expect(withFunctionUrlSmoke(stageSettings('dev', {}, { url: '' }), lambda, log)).rejects.toThrow(
      'smoke.url: not set for stage dev, and the function URL of alias dev of notes-api uses AuthType AWS_IAM',
    );
  });

  it('warns and runs without a smoke test on an AWS_IAM function URL when there is no smoke block and no signer', async () => {
    const { lambda, log } = world('AWS_IAM');
    const unit = withoutSmoke();
    const out = await withFunctionUrlSmoke(unit, lambda, log);
    expect(out.smoke).toBeUndefined();
    expect(log.lines.some((l) => l.startsWith('warn: ') && l.includes('AuthType AWS_IAM'))).toBe(true);
  });

  it('refuses a function URL from Lambda that is not a plain http(s) URL', async () => {
    const { lambda, log } = world();
    lambda.urls.set('dev', { url: 'https://x.example/\n::error::boom', authType: 'NONE', qualifier: 'dev' });
    const unit = withoutSmoke();
    await expect(withFunctionUrlSmoke(unit, lambda, log)).rejects.toThrow('not an http(s) URL');
  });
});

describe('bypassingUrls', () => {
  it('flags URLs on $LATEST or a version number, not on an alias', () => {
    const urls = [
      { url: 'https://a/', authType: 'NONE', qualifier: '$LATEST' },
      { url: 'https://b/', authType: 'NONE', qualifier: 'prod' },
      { url: 'https://c/', authType: 'NONE', qualifier: '3' },
    ];
    expect(bypassingUrls(urls).map((u) => u.url)).toEqual(['https://a/', 'https://c/']);
    expect(describeBypassingUrl('notes-api', urls[0]!)).toBe(
      "function URL on $LATEST (unqualified) of notes-api bypasses the stage's alias: https://a/ (delete it, or put it on the alias)",
    );
  });
});

/** release/preview.ts on plain fakes: the preview's URL is made once, remade for another AuthType, opened for NONE, and smoke-tested. */
import { describe, expect, it } from 'vitest';
import { FakeLambda } from '../fakes.js';
import { PreviewUrl, previewSettings, previewSmoke } from '../../../src/release/preview.js';
import { defaultSmoke, type SmokeSettings, type StageSettings } from '../../../src/model/settings.js';
import type { Log, SmokeChecker } from '../../../src/model/ports.js';

const log: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const stage = (auth: 'AWS_IAM' | 'NONE', smoke?: SmokeSettings) =>
  ({ stage: 'pr', functionName: 'fn', alias: 'pr-3', preview: { aliasTemplate: 'pr-{number}', keepDays: 14, pullRequest: 3, url: { auth } }, ...(smoke && { smoke }) }) as unknown as StageSettings;

describe('PreviewUrl', () => {
  it('makes the URL once; NONE adds the public permission', async () => {
    const lambda = new FakeLambda();
    const url = new PreviewUrl(stage('NONE'), lambda, log);
    const [a, b] = await Promise.all([url.ensure(), url.ensure()]);
    expect(a).toBe(b);
    expect(lambda.calls.filter((c) => !c.startsWith('functionUrl '))).toEqual(['createFunctionUrl pr-3 NONE', 'allowPublicUrl pr-3']);
  });

  it('keeps a URL of the right AuthType, and makes one of another again', async () => {
    const lambda = new FakeLambda();
    lambda.urls.set('pr-3', { url: 'https://old/', authType: 'AWS_IAM', qualifier: 'pr-3' });
    expect((await new PreviewUrl(stage('AWS_IAM'), lambda, log).ensure()).url).toBe('https://old/');
    expect(lambda.calls).toEqual(['functionUrl pr-3']);
    lambda.calls.length = 0;
    await new PreviewUrl(stage('NONE'), lambda, log).ensure();
    expect(lambda.calls).toEqual(['functionUrl pr-3', 'deleteFunctionUrl pr-3', 'createFunctionUrl pr-3 NONE', 'allowPublicUrl pr-3']);
  });

  it('refuses a URL from Lambda that is not a plain http(s) URL, before opening it to the public', async () => {
    const lambda = new FakeLambda();
    lambda.urls.set('pr-3', { url: 'javascript:alert(1)//\n::add-mask::x', authType: 'NONE', qualifier: 'pr-3' });
    await expect(new PreviewUrl(stage('NONE'), lambda, log).ensure()).rejects.toThrow(/not an http\(s\) URL/);
    expect(lambda.calls).not.toContain('allowPublicUrl pr-3');
  });
});

describe('previewSmoke', () => {
  it('sends a check without a URL to the preview URL, signed for AWS_IAM; a smoke.url is left as written', async () => {
    const lambda = new FakeLambda();
    const seen: SmokeSettings[] = [];
    const inner: SmokeChecker = { check: async (smoke) => (seen.push(smoke), { ok: true }) as never };
    const sign = async () => ({ authorization: 'x' });
    const settings = previewSettings(stage('AWS_IAM'));
    expect(settings.smoke?.url).toBe('');
    const checker = previewSmoke(inner, new PreviewUrl(settings, lambda, log), sign);
    await checker.check(settings.smoke as SmokeSettings, log);
    expect(seen[0]).toMatchObject({ url: 'https://pr-3.lambda-url.test/' });
    expect(seen[0]?.sign).toBe(sign);
    const own = previewSettings(stage('AWS_IAM', defaultSmoke('https://example.com/health')));
    await checker.check(own.smoke as SmokeSettings, log);
    expect(seen[1]?.url).toBe('https://example.com/health');
    expect(seen[1]?.sign).toBeUndefined();
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { functionUrlSigner } from '../../../src/aws/url-signer.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'the-session-token' };

describe('functionUrlSigner', () => {
  it('answers SigV4 headers for service lambda in the client\'s region, with the payload hash and the session token', async () => {
    const sign = functionUrlSigner({ region: () => Promise.resolve('eu-west-1'), credentials: () => Promise.resolve(credentials) });
    const headers = await sign({ method: 'POST', url: 'https://abc.lambda-url.eu-west-1.on.aws/health?deep=1', headers: { 'X-Check': '1' }, body: 'ping' });
    expect(Object.keys(headers).sort()).toEqual(['authorization', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']);
    const date = headers['x-amz-date']!;
    expect(date).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${date.slice(0, 8)}/eu-west-1/lambda/aws4_request, ` +
          'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-check, Signature=[0-9a-f]{64}$',
      ),
    );
    expect(headers['x-amz-content-sha256']).toBe(createHash('sha256').update('ping').digest('hex'));
    expect(headers['x-amz-security-token']).toBe('the-session-token');
  });

  it('reads the credentials on every request (an assumed role\'s are refreshed), and never returns the host', async () => {
    let calls = 0;
    const sign = functionUrlSigner({
      region: () => Promise.resolve('us-east-1'),
      credentials: () => {
        calls += 1;
        return Promise.resolve({ accessKeyId: `KEY${calls}`, secretAccessKey: 's' });
      },
    });
    const first = await sign({ method: 'GET', url: 'http://127.0.0.1:4566/__url/fn/live/', headers: {} });
    const second = await sign({ method: 'GET', url: 'http://127.0.0.1:4566/__url/fn/live/', headers: {} });
    expect(first.authorization).toContain('Credential=KEY1/');
    expect(second.authorization).toContain('Credential=KEY2/');
    expect(first.host).toBeUndefined();
    expect(first['x-amz-security-token']).toBeUndefined();
  });
});

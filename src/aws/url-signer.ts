/**
 * SigV4 signatures for requests to a function URL with AuthType AWS_IAM ("Control access to
 * Lambda function URLs", https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html: every
 * request is signed with SigV4 for service `lambda` in the function's region, by a principal
 * allowed `lambda:InvokeFunctionUrl`; a request with a body carries its SHA-256 in
 * `x-amz-content-sha256`, which the signer always adds).
 *
 * The credentials and region are those of the stage's Lambda client (services.ts): the job's own,
 * or the stage's assumed `role`. Each call signs afresh (a new X-Amz-Date), so a smoke test that
 * retries for minutes never sends a stale signature.
 */
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HttpRequest } from '@smithy/types';
import type { RequestSigner } from '../model/settings.js';

export interface UrlSignerOptions {
  region: () => Promise<string>;
  credentials: () => Promise<AwsCredentialIdentity>;
}

/** A signer for function URL requests: the headers to add, in lower case. */
export function functionUrlSigner(options: UrlSignerOptions): RequestSigner {
  const signer = new SignatureV4({
    service: 'lambda',
    region: options.region,
    credentials: options.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  return async (request) => {
    const url = new URL(request.url);
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? values[0]! : values;
    }
    // The host as fetch sends it (with a port that is not the scheme's default), so that the
    // signed `host` is the one the server reads.
    const own = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
    const unsigned: HttpRequest = {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' && { port: Number(url.port) }),
      path: url.pathname,
      query,
      headers: { ...own, host: url.host },
      ...(request.body !== undefined && { body: request.body }),
    };
    const signed = await signer.sign(unsigned);
    const added: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) {
      const lower = name.toLowerCase();
      if (lower === 'host' || own[lower] === value) continue;
      added[lower] = value;
    }
    return added;
  };
}

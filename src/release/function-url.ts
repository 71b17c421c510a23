/**
 * Function URLs (issue 15): a stage without `smoke.url` whose alias has a function URL is
 * smoke-tested through that URL. Looked up before anything changes, once per unit (each unit's
 * own function, alias and region).
 *
 * - No `smoke.url` and the alias has a URL with AuthType NONE: the smoke test requests the URL's
 *   root with the stage's smoke settings (or the defaults when there is no `smoke` block).
 * - AuthType AWS_IAM: the same, with every request signed with SigV4 for service `lambda` in the
 *   stage's region, with the credentials of the stage's Lambda client (the job's own, or its
 *   assumed `role`): "Control access to Lambda function URLs"
 *   (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html) has Lambda answer 403 to an
 *   unsigned request, and the caller needs `lambda:InvokeFunctionUrl` on the alias. The signer is
 *   src/aws/url-signer.ts; the smoke test signs each attempt and each same-origin redirect afresh
 *   and masks the signed headers' values (src/checks/smoke.ts). A user's `smoke.url` is never
 *   signed: the credentials go only to the URL Lambda gave us for the alias.
 * - Any other AuthType (none exists today) cannot be smoke-tested: a `smoke` block without `url`
 *   is refused with the reason before any change; without a `smoke` block the stage runs without
 *   a smoke test, with a warning.
 * - No URL on the alias: a `smoke` block without `url` has nothing to check; the stage runs
 *   without a smoke test (warned), as a stage without `smoke` does.
 */
import { InputError } from '../model/errors.js';
import type { FunctionUrlState } from '../model/lambda.js';
import type { LambdaGateway, Log } from '../model/ports.js';
import { defaultSmoke, type RequestSigner, type StageSettings } from '../model/settings.js';

/**
 * The unit with its smoke URL filled in from the alias's function URL, when it needs one; `sign`
 * signs the requests to an AWS_IAM URL (without it, such a URL is treated as any AuthType the
 * smoke test cannot use).
 */
export async function withFunctionUrlSmoke<T extends StageSettings>(
  unit: T,
  lambda: Pick<LambdaGateway, 'functionUrl'>,
  log: Log,
  sign?: RequestSigner,
): Promise<T> {
  if (unit.smoke !== undefined && unit.smoke.url !== '') return unit;
  const where = `alias ${unit.alias} of ${unit.functionName}`;
  const found = await lambda.functionUrl(unit.functionName, unit.alias);
  if (found === undefined) {
    if (unit.smoke === undefined) return unit;
    log.warn(`Stage ${unit.stage}: smoke has no url and ${where} has no function URL: nothing to smoke-test.`);
    const { smoke: _none, ...rest } = unit;
    return rest as T;
  }
  if (!isPlainHttpUrl(found.url)) throw new Error(`Lambda gave ${where} a function URL that is not an http(s) URL: ${JSON.stringify(found.url.slice(0, 200))}`);
  const signed = found.authType === 'AWS_IAM' && sign !== undefined;
  if (found.authType !== 'NONE' && !signed) {
    const why = `the function URL of ${where} uses AuthType ${found.authType.replace(/[^\w-]/g, '?').slice(0, 40)}, which the smoke test cannot sign for`;
    if (unit.smoke !== undefined) {
      throw new InputError(`smoke.url: not set for stage ${unit.stage}, and ${why}: set smoke.url to a URL the smoke test can reach`);
    }
    log.warn(`Stage ${unit.stage}: ${why}: no smoke test through it (set smoke.url to smoke-test the stage).`);
    return unit;
  }
  if (signed) {
    log.info(`Stage ${unit.stage}: smoke test through the function URL of ${where} (AuthType AWS_IAM: requests signed with SigV4): ${found.url}`);
    return { ...unit, smoke: { ...(unit.smoke ?? defaultSmoke('')), url: found.url, sign } };
  }
  log.info(`Stage ${unit.stage}: smoke test through the function URL of ${where}: ${found.url}`);
  return { ...unit, smoke: { ...(unit.smoke ?? defaultSmoke('')), url: found.url } };
}

/** An http(s) URL without control characters (the URL comes from AWS: untrusted text). */
export function isPlainHttpUrl(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Function URLs that bypass the stage: a URL on `$LATEST` (unqualified) or on a version number
 * runs code no alias has released. Lambda allows a URL only on `$LATEST` or an alias
 * (API_CreateFunctionUrlConfig, Qualifier pattern), so in practice this is `$LATEST`.
 */
export function bypassingUrls(urls: readonly FunctionUrlState[]): FunctionUrlState[] {
  return urls.filter((url) => url.qualifier === '$LATEST' || /^[0-9]+$/.test(url.qualifier));
}

/** The warning for a URL that bypasses the stage, for the status table and log. */
export function describeBypassingUrl(functionName: string, url: FunctionUrlState): string {
  const on = url.qualifier === '$LATEST' ? '$LATEST (unqualified)' : `version ${url.qualifier}`;
  return `function URL on ${on} of ${functionName} bypasses the stage's alias: ${url.url} (delete it, or put it on the alias)`;
}

/**
 * Lambda's fixed limits, checked before anything changes so that a release is refused with one
 * clear message instead of failing half-way when Lambda finds out. Pure.
 *
 * Where each number comes from:
 * - "Lambda quotas" (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html),
 *   "Function configuration, deployment, and execution" (these quotas cannot be changed):
 *   function environment variables 4 KB, for all of them in aggregate; deployment package (.zip
 *   file archive) 50 MB zipped for direct upload, 250 MB unzipped including layers. The page
 *   says MB for 1024 KB.
 * - UpdateFunctionCode sends the zip base64-encoded in a JSON body (ZipFile, "The base64-encoded
 *   contents of the deployment package", API reference), and Lambda refuses a body at or above
 *   69,905,067 bytes: `RequestEntityTooLargeException: Request must be smaller than 69905067 bytes
 *   for the UpdateFunctionCode operation` (HTTP 413), i.e. 4/3 of 50 MiB rounded up.
 * - UpdateAlias / CreateAlias (API reference): Description, length 0 to 256.
 * - AliasRoutingConfiguration (API reference): AdditionalVersionWeights is "the second version,
 *   and the percentage of traffic that's routed to it"; the aliases guide: an alias points at
 *   most at two versions, and neither can be $LATEST.
 */
import { InputError } from '../model/errors.js';
import type { ReleasePlan } from '../model/plan.js';
import type { StageSettings } from '../model/settings.js';
import { formatSize } from '../report/format.js';

/** Lambda quotas: function environment variables, 4 KB in aggregate. */
export const ENVIRONMENT_LIMIT_BYTES = 4096;

/** UpdateFunctionCode refuses a request body of this many bytes or more (RequestEntityTooLargeException). */
export const UPDATE_CODE_REQUEST_LIMIT_BYTES = 69_905_067;

/**
 * Room left in the request body for the JSON around the base64 (`{"ZipFile":"…","RevisionId":"<uuid>"}`
 * is 66 bytes; 1 KB keeps a margin for anything the SDK adds).
 */
const REQUEST_ENVELOPE_BYTES = 1024;

/** Lambda quotas: 50 MB zipped for a direct upload (52,428,800 bytes; "Zipped size must be smaller than 52428800 bytes"). */
export const DIRECT_UPLOAD_ZIP_QUOTA_BYTES = 50 * 1024 * 1024;

/**
 * The largest zip sent directly (no s3-bucket): its base64 (4 bytes per 3, rounded up) and the
 * JSON around it stay below the request limit, and it stays below the 50 MB quota. 52,428,030 bytes.
 */
export const DIRECT_UPLOAD_LIMIT_BYTES = Math.min(
  DIRECT_UPLOAD_ZIP_QUOTA_BYTES - 1,
  Math.floor((UPDATE_CODE_REQUEST_LIMIT_BYTES - 1 - REQUEST_ENVELOPE_BYTES) / 4) * 3,
);

/** Lambda quotas: 250 MB unzipped, including layers ("Unzipped size must be smaller than 262144000 bytes"). */
export const UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

/** The bytes of base64 a zip of `sizeBytes` becomes in the request. */
export function base64Bytes(sizeBytes: number): number {
  return 4 * Math.ceil(sizeBytes / 3);
}

/** True when a zip of `sizeBytes` can go in the UpdateFunctionCode request itself. */
export function fitsDirectUpload(sizeBytes: number): boolean {
  return sizeBytes <= DIRECT_UPLOAD_LIMIT_BYTES;
}

/**
 * The size of a function's environment as Lambda measures it against the 4 KB: Lambda's own
 * refusal quotes the "String measured", which is the JSON of the variables map
 * (`{"TABLE":"notes-dev",…}`), so names, values, quotes, colons, commas and braces all count.
 * Counted in UTF-8 bytes, not characters: the conservative reading of "4 KB" for non-ASCII text.
 */
export function environmentBytes(variables: Record<string, string>): number {
  return new TextEncoder().encode(JSON.stringify(variables)).length;
}

/**
 * Refuses a plan whose writes Lambda would refuse, before any of them is sent: the environment
 * $LATEST would get (the function's variables with the stage's merged in) above 4 KB.
 */
export function checkPlanLimits(plan: ReleasePlan, settings: StageSettings): void {
  const target = plan.target;
  if (target.kind !== 'publish') return;
  const environment = target.change?.environment;
  if (environment !== undefined) checkEnvironment(settings, environment);
}

/**
 * The environment $LATEST would be given (the stage's variables merged into the function's) must
 * fit Lambda's 4 KB. The message counts the function's own variables that are kept (stage-deploy
 * never removes one), since they take part of the 4 KB too.
 */
export function checkEnvironment(settings: StageSettings, environment: Record<string, string>): void {
  const bytes = environmentBytes(environment);
  if (bytes <= ENVIRONMENT_LIMIT_BYTES) return;
  const largest = Object.entries(environment)
    .map(([name, value]) => ({ name, bytes: environmentBytes({ [name]: value }) - 2 }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((v) => `${v.name} ${v.bytes.toLocaleString('en-US')} bytes`);
  const named = new Set([...Object.keys(settings.environment), ...(settings.logLevel !== undefined ? ['LOG_LEVEL'] : [])]);
  const keptNames = Object.keys(environment).filter((name) => !named.has(name));
  const keptText = keptNames.length === 0 ? '' : `, including ${keptNames.length === 1 ? '1 variable' : `${keptNames.length} variables`} already on ${settings.functionName} that stage-deploy keeps`;
  throw new InputError(
    `environment: stage ${JSON.stringify(settings.stage)} would give ${settings.functionName} ${bytes.toLocaleString('en-US')} bytes of ` +
      `environment variables (measured as Lambda does: the JSON of the map${keptText}), above Lambda's 4 KB ` +
      `(${ENVIRONMENT_LIMIT_BYTES.toLocaleString('en-US')} bytes) limit; largest: ${largest.join(', ')}. ` +
      'Shorten the values or move them out of the environment (e.g. to SSM Parameter Store)',
  );
}

/** A direct upload (no s3-bucket) of `sizeBytes` must fit the request limit; `subject` says what it is. */
export function checkDirectUpload(field: string, subject: string, sizeBytes: number, advice: string): void {
  if (fitsDirectUpload(sizeBytes)) return;
  throw new InputError(`${field}: ${subject} is ${formatSize(sizeBytes)}, above Lambda's 50 MB direct-upload limit; ${advice}`);
}

/** The code, unzipped, must fit Lambda's 250 MB (layers count too; those are not known here). */
export function checkUnzipped(field: string, subject: string, unzippedBytes: number): void {
  if (unzippedBytes < UNZIPPED_LIMIT_BYTES) return;
  throw new InputError(
    `${field}: ${subject} unzips to ${unzippedBytes.toLocaleString('en-US')} bytes (${formatSize(unzippedBytes)}), at or above Lambda's ` +
      `250 MB (${UNZIPPED_LIMIT_BYTES.toLocaleString('en-US')} bytes) unzipped limit; make the package smaller or use a container image`,
  );
}

/**
 * An alias routes to at most two versions: the one it points at and one additional version,
 * both published (never $LATEST). The traffic plan never asks for more; this is the assertion
 * that keeps it so, checked before the alias write.
 */
export function checkRouting(version: string, weights: Record<string, number>): void {
  const extra = Object.keys(weights);
  const published = /^[0-9]+$/;
  if (extra.length > 1 || !published.test(version) || extra.some((v) => !published.test(v) || v === version)) {
    throw new Error(
      `internal error: a weighted alias routes to at most two published versions, not ${JSON.stringify(version)} with ${JSON.stringify(weights)}`,
    );
  }
}

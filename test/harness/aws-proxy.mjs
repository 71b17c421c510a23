// A small HTTP proxy in front of moto_server that records every AWS call and, when asked, adds
// the Lambda behaviours moto lacks (updates that stay InProgress or fail, RevisionId and
// CodeSha256 preconditions, LoggingConfig, injected errors). For integration tests, the demo and
// the bench; plain JavaScript (node:http only); types in aws-proxy.d.mts.
// With enforceRevisionId, a stale RevisionId on UpdateAlias, PublishVersion or a $LATEST update is
// answered 412 PreconditionFailedException, as Lambda does; a CreateAlias of an existing alias is
// always 409 ResourceConflictException (moto says ConflictException).
//
// Requests are forwarded as they came (method, path, query, headers, body) to moto and the answer
// is relayed. Bodies are streamed, except Lambda calls and the small JSON-RPC (X-Amz-Target) and
// Query (Action=...) calls, which are buffered so that they can be recorded and looked at. Only
// Lambda answers that a behaviour may rewrite are buffered; a rewritten answer gets a new
// content-length.
//
// The service of a call comes from the SigV4 credential scope (Authorization header or presigned
// X-Amz-Credential), as moto does it; the operation from the protocol:
// - Lambda (REST-JSON): the method and path, with the routes of @aws-sdk/client-lambda 3.1162.
// - CloudWatch Logs: awsJson1.1, `X-Amz-Target: Logs_20140328.<Operation>`.
// - CloudWatch: @aws-sdk/client-cloudwatch 3.1162 uses awsJson1.0, `X-Amz-Target:
//   GraniteServiceVersion20100801.<Operation>`; older SDKs send the Query protocol (`Action=`)
//   and some others RPCv2-CBOR (`/service/GraniteServiceVersion20100801/operation/<Operation>`):
//   all three are recognised.
// - IAM: Query protocol, `Action=<Operation>` in the form body.
// - S3 (path-style, /bucket/key): the `x-id` query parameter the SDK adds where it has one,
//   otherwise the method, the sub-resource in the query and whether there is a key.
//
// Invoke (RequestResponse) is answered by the proxy itself, as moto runs functions only in
// Docker: the version's configuration comes from moto, its code from the upload the proxy saw
// (so create or update the function through the proxy), and the handler runs in a fresh Node
// process (lambda-runner.mjs) with the version's environment.
import { execFile } from 'node:child_process';
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URL, URLSearchParams } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { resultText, runHandler } from './run-handler.mjs';

/** Request bodies larger than this are not parsed for the record (requestBody is left out). */
const RECORD_BODY_LIMIT = 1024 * 1024;

/** Runs one handler in a fresh Node process (the same runner endpoint.mjs uses). */
/** The least time a local invocation gets, whatever the function's Timeout (a cold Node start on a busy machine). */
const MIN_INVOKE_TIMEOUT_MS = 10_000;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** [method, path template (with an optional required query), operation] from @aws-sdk/client-lambda's schemas. */
const LAMBDA_ROUTE_TABLE = [
  ['POST', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy', 'AddLayerVersionPermission'],
  ['POST', '/2015-03-31/functions/{FunctionName}/policy', 'AddPermission'],
  ['POST', '/2025-12-01/durable-executions/{DurableExecutionArn}/checkpoint', 'CheckpointDurableExecution'],
  ['POST', '/2015-03-31/functions/{FunctionName}/aliases', 'CreateAlias'],
  ['POST', '/2025-11-30/capacity-providers', 'CreateCapacityProvider'],
  ['POST', '/2020-04-22/code-signing-configs', 'CreateCodeSigningConfig'],
  ['POST', '/2015-03-31/event-source-mappings', 'CreateEventSourceMapping'],
  ['POST', '/2015-03-31/functions', 'CreateFunction'],
  ['POST', '/2021-10-31/functions/{FunctionName}/url', 'CreateFunctionUrlConfig'],
  ['DELETE', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'DeleteAlias'],
  ['DELETE', '/2025-11-30/capacity-providers/{CapacityProviderName}', 'DeleteCapacityProvider'],
  ['DELETE', '/2020-04-22/code-signing-configs/{CodeSigningConfigArn}', 'DeleteCodeSigningConfig'],
  ['DELETE', '/2015-03-31/event-source-mappings/{UUID}', 'DeleteEventSourceMapping'],
  ['DELETE', '/2015-03-31/functions/{FunctionName}', 'DeleteFunction'],
  ['DELETE', '/2020-06-30/functions/{FunctionName}/code-signing-config', 'DeleteFunctionCodeSigningConfig'],
  ['DELETE', '/2017-10-31/functions/{FunctionName}/concurrency', 'DeleteFunctionConcurrency'],
  ['DELETE', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'DeleteFunctionEventInvokeConfig'],
  ['DELETE', '/2021-10-31/functions/{FunctionName}/url', 'DeleteFunctionUrlConfig'],
  ['DELETE', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}', 'DeleteLayerVersion'],
  ['DELETE', '/2019-09-30/functions/{FunctionName}/provisioned-concurrency', 'DeleteProvisionedConcurrencyConfig'],
  ['DELETE', '/2026-07-09/resource-policy/{ResourceArn}', 'DeleteResourcePolicy'],
  ['GET', '/2016-08-19/account-settings', 'GetAccountSettings'],
  ['GET', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'GetAlias'],
  ['GET', '/2025-11-30/capacity-providers/{CapacityProviderName}', 'GetCapacityProvider'],
  ['GET', '/2020-04-22/code-signing-configs/{CodeSigningConfigArn}', 'GetCodeSigningConfig'],
  ['GET', '/2025-12-01/durable-executions/{DurableExecutionArn}', 'GetDurableExecution'],
  ['GET', '/2025-12-01/durable-executions/{DurableExecutionArn}/history', 'GetDurableExecutionHistory'],
  ['GET', '/2025-12-01/durable-executions/{DurableExecutionArn}/state', 'GetDurableExecutionState'],
  ['GET', '/2015-03-31/event-source-mappings/{UUID}', 'GetEventSourceMapping'],
  ['GET', '/2015-03-31/functions/{FunctionName}', 'GetFunction'],
  ['GET', '/2020-06-30/functions/{FunctionName}/code-signing-config', 'GetFunctionCodeSigningConfig'],
  ['GET', '/2019-09-30/functions/{FunctionName}/concurrency', 'GetFunctionConcurrency'],
  ['GET', '/2015-03-31/functions/{FunctionName}/configuration', 'GetFunctionConfiguration'],
  ['GET', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'GetFunctionEventInvokeConfig'],
  ['GET', '/2024-08-31/functions/{FunctionName}/recursion-config', 'GetFunctionRecursionConfig'],
  ['GET', '/2025-11-30/functions/{FunctionName}/function-scaling-config', 'GetFunctionScalingConfig'],
  ['GET', '/2021-10-31/functions/{FunctionName}/url', 'GetFunctionUrlConfig'],
  ['GET', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}', 'GetLayerVersion'],
  ['GET', '/2018-10-31/layers?find=LayerVersion', 'GetLayerVersionByArn'],
  ['GET', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy', 'GetLayerVersionPolicy'],
  ['GET', '/2015-03-31/functions/{FunctionName}/policy', 'GetPolicy'],
  ['GET', '/2019-09-30/functions/{FunctionName}/provisioned-concurrency', 'GetProvisionedConcurrencyConfig'],
  ['GET', '/2026-07-09/resource-policy/{ResourceArn}', 'GetResourcePolicy'],
  ['GET', '/2021-07-20/functions/{FunctionName}/runtime-management-config', 'GetRuntimeManagementConfig'],
  ['POST', '/2015-03-31/functions/{FunctionName}/invocations', 'Invoke'],
  ['POST', '/2014-11-13/functions/{FunctionName}/invoke-async', 'InvokeAsync'],
  ['POST', '/2021-11-15/functions/{FunctionName}/response-streaming-invocations', 'InvokeWithResponseStream'],
  ['GET', '/2015-03-31/functions/{FunctionName}/aliases', 'ListAliases'],
  ['GET', '/2025-11-30/capacity-providers', 'ListCapacityProviders'],
  ['GET', '/2020-04-22/code-signing-configs', 'ListCodeSigningConfigs'],
  ['GET', '/2025-12-01/functions/{FunctionName}/durable-executions', 'ListDurableExecutionsByFunction'],
  ['GET', '/2015-03-31/event-source-mappings', 'ListEventSourceMappings'],
  ['GET', '/2019-09-25/functions/{FunctionName}/event-invoke-config/list', 'ListFunctionEventInvokeConfigs'],
  ['GET', '/2015-03-31/functions', 'ListFunctions'],
  ['GET', '/2020-04-22/code-signing-configs/{CodeSigningConfigArn}/functions', 'ListFunctionsByCodeSigningConfig'],
  ['GET', '/2021-10-31/functions/{FunctionName}/urls', 'ListFunctionUrlConfigs'],
  ['GET', '/2025-11-30/capacity-providers/{CapacityProviderName}/function-versions', 'ListFunctionVersionsByCapacityProvider'],
  ['GET', '/2018-10-31/layers', 'ListLayers'],
  ['GET', '/2018-10-31/layers/{LayerName}/versions', 'ListLayerVersions'],
  ['GET', '/2019-09-30/functions/{FunctionName}/provisioned-concurrency?List=ALL', 'ListProvisionedConcurrencyConfigs'],
  ['GET', '/2017-03-31/tags/{Resource}', 'ListTags'],
  ['GET', '/2015-03-31/functions/{FunctionName}/versions', 'ListVersionsByFunction'],
  ['POST', '/2018-10-31/layers/{LayerName}/versions', 'PublishLayerVersion'],
  ['POST', '/2015-03-31/functions/{FunctionName}/versions', 'PublishVersion'],
  ['PUT', '/2020-06-30/functions/{FunctionName}/code-signing-config', 'PutFunctionCodeSigningConfig'],
  ['PUT', '/2017-10-31/functions/{FunctionName}/concurrency', 'PutFunctionConcurrency'],
  ['PUT', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'PutFunctionEventInvokeConfig'],
  ['PUT', '/2024-08-31/functions/{FunctionName}/recursion-config', 'PutFunctionRecursionConfig'],
  ['PUT', '/2025-11-30/functions/{FunctionName}/function-scaling-config', 'PutFunctionScalingConfig'],
  ['PUT', '/2019-09-30/functions/{FunctionName}/provisioned-concurrency', 'PutProvisionedConcurrencyConfig'],
  ['PUT', '/2026-07-09/resource-policy/{ResourceArn}', 'PutResourcePolicy'],
  ['PUT', '/2021-07-20/functions/{FunctionName}/runtime-management-config', 'PutRuntimeManagementConfig'],
  ['DELETE', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy/{StatementId}', 'RemoveLayerVersionPermission'],
  ['DELETE', '/2015-03-31/functions/{FunctionName}/policy/{StatementId}', 'RemovePermission'],
  ['POST', '/2025-12-01/durable-execution-callbacks/{CallbackId}/fail', 'SendDurableExecutionCallbackFailure'],
  ['POST', '/2025-12-01/durable-execution-callbacks/{CallbackId}/heartbeat', 'SendDurableExecutionCallbackHeartbeat'],
  ['POST', '/2025-12-01/durable-execution-callbacks/{CallbackId}/succeed', 'SendDurableExecutionCallbackSuccess'],
  ['POST', '/2025-12-01/durable-executions/{DurableExecutionArn}/stop', 'StopDurableExecution'],
  ['POST', '/2017-03-31/tags/{Resource}', 'TagResource'],
  ['DELETE', '/2017-03-31/tags/{Resource}', 'UntagResource'],
  ['PUT', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'UpdateAlias'],
  ['PUT', '/2025-11-30/capacity-providers/{CapacityProviderName}', 'UpdateCapacityProvider'],
  ['PUT', '/2020-04-22/code-signing-configs/{CodeSigningConfigArn}', 'UpdateCodeSigningConfig'],
  ['PUT', '/2015-03-31/event-source-mappings/{UUID}', 'UpdateEventSourceMapping'],
  ['PUT', '/2015-03-31/functions/{FunctionName}/code', 'UpdateFunctionCode'],
  ['PUT', '/2015-03-31/functions/{FunctionName}/configuration', 'UpdateFunctionConfiguration'],
  ['POST', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'UpdateFunctionEventInvokeConfig'],
  ['PUT', '/2021-10-31/functions/{FunctionName}/url', 'UpdateFunctionUrlConfig'],
];

const LAMBDA_ROUTES = LAMBDA_ROUTE_TABLE.map(([method, template, operation]) => {
  const [path, query] = template.split('?');
  const segments = path.split('/').slice(1);
  const required = query ? [...new URLSearchParams(query).entries()] : [];
  return { method, segments, required, operation };
}).sort((a, b) => b.required.length - a.required.length);

/** The Lambda operation and path parameters for a method and path, or undefined. */
export function lambdaRoute(method, pathname, searchParams) {
  const parts = pathname.split('/').slice(1);
  for (const route of LAMBDA_ROUTES) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    if (!route.required.every(([k, v]) => searchParams.get(k) === v)) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i += 1) {
      const seg = route.segments[i];
      if (seg.startsWith('{')) {
        if (!parts[i]) ok = false;
        else params[seg.slice(1, -1).replace('+', '')] = safeDecode(parts[i]);
      } else if (seg !== parts[i]) ok = false;
    }
    if (ok) return { operation: route.operation, params };
  }
  return undefined;
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The harness's fixed credentials (moto.mjs, the fixtures): their secret is known, so their signatures are verified. */
const KNOWN_TEST_SECRETS = { testing: 'testing' };

/** SigV4's URI encoding: RFC 3986 unreserved characters kept, everything else %XX (upper case). */
function sigV4Escape(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical URI of a request's raw path, for a service other than S3: normalised, then each segment encoded again. */
function canonicalPath(rawPath) {
  const segments = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const path = `/${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return sigV4Escape(path).replace(/%2F/g, '/');
}

/** The canonical query string: each name and value decoded then SigV4-encoded, sorted by name then value. */
function canonicalQuery(rawQuery) {
  if (rawQuery === '') return '';
  return [...new URLSearchParams(rawQuery).entries()]
    .map(([k, v]) => [sigV4Escape(k), sigV4Escape(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const SCOPE_SERVICES = { lambda: 'lambda', s3: 's3', logs: 'logs', monitoring: 'cloudwatch', iam: 'iam', ecr: 'ecr', sts: 'sts' };

/** The signing name from a SigV4 Authorization header or a presigned URL, or undefined. */
function signingName(headers, searchParams) {
  const auth = String(headers.authorization ?? '');
  const fromHeader = /Credential=[^/,\s]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth);
  if (fromHeader) return fromHeader[1];
  const credential = searchParams.get('X-Amz-Credential');
  if (credential) return credential.split('/')[3];
  return undefined;
}

function serviceOf(headers, pathname, searchParams) {
  const scope = signingName(headers, searchParams);
  if (scope) return SCOPE_SERVICES[scope.toLowerCase()] ?? 'other';
  const target = String(headers['x-amz-target'] ?? '');
  if (target.startsWith('Logs_')) return 'logs';
  if (target.startsWith('GraniteServiceVersion')) return 'cloudwatch';
  if (pathname.startsWith('/service/GraniteServiceVersion')) return 'cloudwatch';
  if (/^\/20\d\d-\d\d-\d\d\/(functions|layers|event-source-mappings|tags|account-settings)/.test(pathname)) return 'lambda';
  return 'other';
}

const S3_BUCKET_SUBRESOURCES = {
  accelerate: 'BucketAccelerateConfiguration',
  acl: 'BucketAcl',
  cors: 'BucketCors',
  encryption: 'BucketEncryption',
  lifecycle: 'BucketLifecycleConfiguration',
  location: 'BucketLocation',
  logging: 'BucketLogging',
  notification: 'BucketNotificationConfiguration',
  'object-lock': 'ObjectLockConfiguration',
  ownershipControls: 'BucketOwnershipControls',
  policy: 'BucketPolicy',
  publicAccessBlock: 'PublicAccessBlock',
  replication: 'BucketReplication',
  requestPayment: 'BucketRequestPayment',
  tagging: 'BucketTagging',
  versioning: 'BucketVersioning',
  website: 'BucketWebsite',
};
const S3_OBJECT_SUBRESOURCES = {
  acl: 'ObjectAcl',
  attributes: 'ObjectAttributes',
  'legal-hold': 'ObjectLegalHold',
  retention: 'ObjectRetention',
  tagging: 'ObjectTagging',
};
const VERB = { GET: 'Get', PUT: 'Put', DELETE: 'Delete' };

/** The S3 operation of a path-style request (/bucket or /bucket/key). */
export function s3Operation(method, pathname, searchParams, headers = {}) {
  const xId = searchParams.get('x-id');
  if (xId) return xId;
  const [, bucket = '', ...keyParts] = pathname.split('/');
  const hasKey = keyParts.join('/') !== '';
  if (!bucket) return method === 'GET' ? 'ListBuckets' : 'Unknown';
  if (!hasKey) {
    if (method === 'GET' && searchParams.has('uploads')) return 'ListMultipartUploads';
    if (method === 'GET' && searchParams.has('versions')) return 'ListObjectVersions';
    if (method === 'POST' && searchParams.has('delete')) return 'DeleteObjects';
    for (const [sub, name] of Object.entries(S3_BUCKET_SUBRESOURCES)) {
      if (searchParams.has(sub) && VERB[method]) return `${VERB[method]}${name}`;
    }
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'DELETE') return 'DeleteBucket';
    if (method === 'GET') return searchParams.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    return 'Unknown';
  }
  const copy = headers['x-amz-copy-source'] !== undefined;
  if (method === 'POST' && searchParams.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && searchParams.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'POST' && searchParams.has('restore')) return 'RestoreObject';
  if (method === 'PUT' && searchParams.has('partNumber')) return copy ? 'UploadPartCopy' : 'UploadPart';
  if (method === 'GET' && searchParams.has('uploadId')) return 'ListParts';
  if (method === 'DELETE' && searchParams.has('uploadId')) return 'AbortMultipartUpload';
  for (const [sub, name] of Object.entries(S3_OBJECT_SUBRESOURCES)) {
    if (searchParams.has(sub) && VERB[method]) return `${VERB[method]}${name}`;
  }
  if (method === 'PUT') return copy ? 'CopyObject' : 'PutObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'DELETE') return 'DeleteObject';
  return 'Unknown';
}

function isFormBody(headers) {
  return String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('the request was aborted')));
  });
}

/** The body without its gzip content-encoding (the SDK compresses large CloudWatch requests). */
function gunzipped(buffer, headers) {
  if (!/\bgzip\b/.test(String(headers['content-encoding'] ?? ''))) return buffer;
  try {
    return gunzipSync(buffer);
  } catch {
    return Buffer.alloc(0);
  }
}

function parseJson(buffer) {
  if (!buffer || buffer.length === 0) return undefined;
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
}

function forwardHeaders(headers, bodyLength) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name) || value === undefined) continue;
    out[name] = value;
  }
  if (bodyLength !== undefined) {
    delete out['transfer-encoding'];
    out['content-length'] = String(bodyLength);
  }
  return out;
}

function relayHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name) || value === undefined) continue;
    out[name] = value;
  }
  return out;
}

/** Splits a Lambda FunctionName (name, partial or full ARN, maybe with a qualifier). */
export function parseFunctionName(raw) {
  const text = String(raw ?? '');
  const arn = /^(?:arn:[^:]+:lambda:[^:]+:)?(?:\d{12}:)?function:([^:]+)(?::([^:]+))?$/.exec(text);
  if (arn) return { name: arn[1], qualifier: arn[2] };
  const [name, qualifier] = text.split(':');
  return { name, qualifier };
}

const PRECONDITION_REVISION =
  'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';

const REWRITABLE = new Set([
  'ListVersionsByFunction',
  'CreateFunction',
  'GetFunction',
  'GetFunctionConfiguration',
  'UpdateFunctionConfiguration',
  'UpdateFunctionCode',
  'PublishVersion',
  'GetAlias',
  'CreateAlias',
  'UpdateAlias',
]);
/** Lambda quotas: 4 KB of environment variables (the JSON of the map, as Lambda measures it). */
const LAMBDA_ENVIRONMENT_LIMIT = 4096;
/** Description length on aliases, versions and functions (API reference). */
const LAMBDA_DESCRIPTION_LIMIT = 256;
/** UpdateFunctionCode refuses a request body of this many bytes or more. */
const LAMBDA_UPDATE_CODE_REQUEST_LIMIT = 69_905_067;

/** S3's XML error document, as a presigned GET that failed gets it. */
function codeDownloadError({ code, message }) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
}

const REVISION_CHECKED = new Set(['UpdateFunctionConfiguration', 'UpdateFunctionCode', 'PublishVersion', 'UpdateAlias']);

/**
 * Start the proxy on 127.0.0.1 (a free port) in front of `target`, a moto endpoint.
 * @param {{ target: string }} options
 */
export async function startProxy({ target }) {
  const targetUrl = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  /** @type {any[]} */
  const calls = [];
  /** Every Invoke the proxy ran: { functionName, version, functionError?, stderr }. */
  const invocations = [];

  const behaviour = {
    holdMs: 0,
    failNext: undefined,
    revisions: false,
    codeSha: false,
    logging: false,
    weightedRules: false,
    /** operation → { status, type, message, remaining } */
    failures: new Map(),
    /** failOperationFor: `operation function` → { status, type, message, remaining } */
    functionFailures: new Map(),
    /** failCodeDownload: { status, code, message } answered at /__code/ instead of the code. */
    codeDownloadFailure: undefined,
    /** codeLocationAt: the origin GetFunction's Code.Location points at instead of this proxy. */
    codeLocationOrigin: undefined,
    /** enforceLambdaLimits: the 4 KB environment, 256-character descriptions, UpdateFunctionCode's request size. */
    limits: false,
  };
  /** denyListBucket(): S3 answers as to a caller without s3:ListBucket on the bucket. */
  let withoutListBucket = false;
  /** denyAssumeRole(arn): role ARNs STS refuses to the caller (moto's STS lets anyone assume any role). */
  const deniedRoles = new Set();
  let revisionCounter = 0;
  const nextRevision = () => {
    revisionCounter += 1;
    return `00000000-0000-4000-8000-${revisionCounter.toString(16).padStart(12, '0')}`;
  };
  /**
   * Per function name: { holdUntil, completedAt, failed, latestRev, versionRevs: Map,
   *   aliasRevs: Map, logging, versionLogging: Map }
   */
  const functions = new Map();
  /**
   * Code by CodeSha256, as real Lambda keeps it: the bytes of a ZipFile upload, or the S3 object
   * it was taken from. GetFunction's Code.Location then points at this proxy (moto's points at an
   * S3 host that does not exist), so a version's code can be downloaded as from Lambda.
   */
  const codeBySha = new Map();
  /** `name:version` of the versions deleted through the proxy (hidden, not deleted, in moto). */
  const deletedVersions = new Set();

  // ---- Provisioned concurrency (issue 15) ---------------------------------------------------
  // moto does not implement provisioned concurrency. emulateProvisionedConcurrency answers the
  // four calls as the Lambda API reference describes them:
  // - PutProvisionedConcurrencyConfig (API_PutProvisionedConcurrencyConfig.html): "Adds a
  //   provisioned concurrency configuration to a function's alias or version"; HTTP 202, the
  //   configuration's Status IN_PROGRESS while Lambda allocates it;
  // - GetProvisionedConcurrencyConfig (API_GetProvisionedConcurrencyConfig.html): Status
  //   IN_PROGRESS | READY | FAILED, and for FAILED a StatusReason, "the reason that provisioned
  //   concurrency could not be allocated" (ProvisionedConcurrencyConfigListItem); for a qualifier
  //   without one, 404 ProvisionedConcurrencyConfigNotFoundException, "The specified configuration
  //   does not exist.";
  // - DeleteProvisionedConcurrencyConfig (API_DeleteProvisionedConcurrencyConfig.html): 204; for
  //   one that does not exist, ResourceNotFoundException (the message is the proxy's);
  // - ListProvisionedConcurrencyConfigs (API_ListProvisionedConcurrencyConfigs.html): every
  //   configuration of the function as ProvisionedConcurrencyConfigListItem.
  // A configuration is IN_PROGRESS for readyAfterMs after its Put, then READY, or FAILED with
  // `fail` as its StatusReason. Qualifier $LATEST is refused: provisioned concurrency goes on a
  // version or an alias (Qualifier: "The version number or alias name"; the wording is the proxy's).
  const capacity = {
    /** emulateProvisionedConcurrency: { readyAfterMs, fail? } while on. */
    on: undefined,
    /** `name:qualifier` → { functionArn, requested, readyAt, fail?, lastModified } */
    configs: new Map(),
  };

  function capacityItem(entry) {
    const now = Date.now();
    const done = now >= entry.readyAt;
    const status = !done ? 'IN_PROGRESS' : entry.fail ? 'FAILED' : 'READY';
    const allocated = status === 'READY' ? entry.requested : status === 'FAILED' ? 0 : Math.floor((entry.requested * (now - entry.startedAt)) / Math.max(1, entry.readyAt - entry.startedAt));
    return {
      FunctionArn: entry.functionArn,
      RequestedProvisionedConcurrentExecutions: entry.requested,
      AllocatedProvisionedConcurrentExecutions: allocated,
      AvailableProvisionedConcurrentExecutions: allocated,
      Status: status,
      ...(status === 'FAILED' && { StatusReason: entry.fail }),
      LastModified: entry.lastModified,
    };
  }

  /** The answer to one of the four calls while emulateProvisionedConcurrency is on; undefined for any other call. */
  function capacityAnswer(operation, method, name, qualifier, body, headers) {
    if (!capacity.on) return undefined;
    const json = (status, value) => {
      const text = Buffer.from(status === 204 ? '' : JSON.stringify(value));
      return { status, headers: { 'content-type': 'application/json', 'content-length': String(text.length), 'x-amzn-requestid': randomUUID() }, body: text };
    };
    const key = `${name}:${qualifier}`;
    switch (operation) {
      case 'PutProvisionedConcurrencyConfig': {
        const requested = Number(body?.ProvisionedConcurrentExecutions);
        if (!qualifier || qualifier === '$LATEST' || !Number.isInteger(requested) || requested < 1) {
          return errorAnswer('lambda', method, { status: 400, type: 'InvalidParameterValueException', message: 'Provisioned concurrency needs a published version or an alias and a whole number, 1 or more.' });
        }
        const startedAt = Date.now();
        const entry = {
          functionArn: `arn:aws:lambda:${regionOf(headers)}:123456789012:function:${name}:${qualifier}`,
          requested,
          startedAt,
          readyAt: startedAt + capacity.on.readyAfterMs,
          ...(capacity.on.fail !== undefined && { fail: capacity.on.fail }),
          lastModified: new Date(startedAt).toISOString(),
        };
        capacity.configs.set(key, entry);
        // The Put answers while the allocation is under way.
        return json(202, { ...capacityItem({ ...entry, readyAt: Math.max(entry.readyAt, startedAt + 1) }), FunctionArn: undefined });
      }
      case 'GetProvisionedConcurrencyConfig': {
        const entry = capacity.configs.get(key);
        if (!entry) return errorAnswer('lambda', method, { status: 404, type: 'ProvisionedConcurrencyConfigNotFoundException', message: 'The specified configuration does not exist.' });
        const item = capacityItem(entry);
        delete item.FunctionArn; // GetProvisionedConcurrencyConfig's answer has no FunctionArn
        return json(200, item);
      }
      case 'DeleteProvisionedConcurrencyConfig': {
        if (!capacity.configs.delete(key)) {
          return errorAnswer('lambda', method, { status: 404, type: 'ResourceNotFoundException', message: `No provisioned concurrency configuration for ${name}:${qualifier}` });
        }
        return json(204);
      }
      case 'ListProvisionedConcurrencyConfigs': {
        const items = [...capacity.configs.entries()].filter(([k]) => k.startsWith(`${name}:`)).map(([, entry]) => capacityItem(entry));
        return json(200, { ProvisionedConcurrencyConfigs: items });
      }
      default:
        return undefined;
    }
  }
  // ---- end of provisioned concurrency ------------------------------------------------------

  // ---- Function states, updates in progress, account settings (issue 13) -------------------
  // Lambda function states (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html):
  // a version is invoked only while Active. PublishVersion can answer a version that is Pending
  // (StateReasonCode Creating: "you can't invoke or modify the function") before it is Active, or
  // that ends Failed; a version idle long enough is Inactive, and invoking it fails and sets it
  // Pending until its resources are re-created. moto reports every version Active at once.
  const states = {
    /** publishPending: { ms, fail?: { reason, code } } for every PublishVersion while set. */
    pending: undefined,
    /** conflictWhileInProgress: 409 to $LATEST's writes while an update is InProgress. */
    conflicts: false,
    /** accountSettings: { usedBytes, limitBytes, functionCount } answered for GetAccountSettings. */
    account: undefined,
    /** `name:version` → { pendingUntil, fail?, inactive?, reactivateMs } */
    versions: new Map(),
  };

  /** The region of a SigV4-signed request (its credential scope), for ARNs in messages. */
  function regionOf(headers) {
    const scope = /Credential=[^/,\s]+\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''));
    return scope?.[1] ?? 'us-east-1';
  }

  /** The State a version reports now, by the switches above; undefined: as moto says (Active). */
  function versionState(name, version) {
    const entry = states.versions.get(`${name}:${version}`);
    if (!entry) return undefined;
    if (entry.inactive) {
      // Lambda's StateReason wording for an idle function is not documented; this is the proxy's.
      return { State: 'Inactive', StateReasonCode: 'Idle', StateReason: 'The function is inactive because it has been idle.' };
    }
    if (Date.now() < entry.pendingUntil) {
      // "The function is being created." / Creating: as Lambda answers CreateFunction (API_CreateFunction.html example).
      return { State: 'Pending', StateReasonCode: entry.reactivating ? 'Restoring' : 'Creating', StateReason: 'The function is being created.' };
    }
    if (entry.fail) return { State: 'Failed', StateReasonCode: entry.fail.code, StateReason: entry.fail.reason };
    return { State: 'Active' };
  }

  function overlayVersionState(config, name) {
    if (!config || typeof config !== 'object' || !config.Version || config.Version === '$LATEST') return;
    const state = versionState(name, config.Version);
    if (!state) return;
    delete config.StateReason;
    delete config.StateReasonCode;
    Object.assign(config, state);
  }

  /** After moto answered: a version published while publishPending is set starts Pending; answers carry the states. */
  function statesAfter(operation, name, answerJson) {
    if (operation === 'PublishVersion' && states.pending && answerJson?.Version && answerJson.Version !== '$LATEST') {
      const key = `${name}:${answerJson.Version}`;
      if (!states.versions.has(key)) {
        states.versions.set(key, { pendingUntil: Date.now() + states.pending.ms, ...(states.pending.fail && { fail: { ...states.pending.fail } }) });
      }
    }
    if (operation === 'PublishVersion' || operation === 'GetFunctionConfiguration') overlayVersionState(answerJson, name);
    if (operation === 'GetFunction') overlayVersionState(answerJson?.Configuration, name);
    if (operation === 'ListVersionsByFunction' && Array.isArray(answerJson?.Versions)) {
      for (const config of answerJson.Versions) overlayVersionState(config, name);
    }
  }

  /**
   * Before forwarding: 409 ResourceConflictException to UpdateFunctionConfiguration,
   * UpdateFunctionCode and PublishVersion while $LATEST's last update is InProgress ("The
   * resource already exists, or another operation is in progress", API_UpdateFunctionConfiguration.html
   * errors; functions-states.html "Function states during update"), with Lambda's message; and
   * 502 ResourceNotReadyException to an Invoke of an Inactive version ("The function is inactive
   * and its VPC connection is no longer available. Wait for the VPC connection to reestablish and
   * try again.", API_Invoke.html errors), which sets it Pending, then Active after reactivateMs.
   */
  function statesBefore(operation, name, qualifier, headers) {
    if (states.conflicts && (operation === 'UpdateFunctionConfiguration' || operation === 'UpdateFunctionCode' || operation === 'PublishVersion')) {
      const state = functions.get(name);
      if (state && Date.now() < state.holdUntil) {
        return errorAnswer('lambda', 'PUT', {
          status: 409,
          type: 'ResourceConflictException',
          message: `The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:${regionOf(headers)}:123456789012:function:${name}`,
        });
      }
    }
    if (operation === 'Invoke' && qualifier) {
      const entry = states.versions.get(`${name}:${qualifier}`);
      // "Lambda does not invoke a function during pending state" (functions-states.html); Lambda
      // answers 409 ResourceConflictException "The operation cannot be performed at this time. The
      // function is currently in the following state: Pending" (as reported in remotion-dev/remotion#1186).
      if (entry && !entry.inactive && Date.now() < entry.pendingUntil) {
        return errorAnswer('lambda', 'POST', {
          status: 409,
          type: 'ResourceConflictException',
          message: 'The operation cannot be performed at this time. The function is currently in the following state: Pending',
        });
      }
      if (entry?.inactive) {
        entry.inactive = false;
        entry.reactivating = true;
        entry.pendingUntil = Date.now() + entry.reactivateMs;
        return errorAnswer('lambda', 'POST', {
          status: 502,
          type: 'ResourceNotReadyException',
          message: 'The function is inactive and its VPC connection is no longer available. Wait for the VPC connection to reestablish and try again.',
        });
      }
    }
    return undefined;
  }

  // ---- SnapStart (issue 15) -------------------------------------------------------------------
  // Lambda SnapStart (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html): with
  // `SnapStart: { ApplyOn: PublishedVersions }` on a function, Lambda initializes the code and takes
  // a snapshot of the execution environment when a version is published
  // (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html): the version is Pending
  // (StateReasonCode Creating, functions-states.html) while the snapshot is taken, then Active, or
  // Failed when it cannot be taken. SnapStartResponse
  // (https://docs.aws.amazon.com/lambda/latest/api/API_SnapStartResponse.html): ApplyOn
  // `PublishedVersions | None`; OptimizationStatus `On | Off`, "whether SnapStart is activated for
  // the specified function version" (a qualified ARN). An Invoke while the snapshot is not ready
  // fails (SnapStartNotReadyException: "Lambda is initializing your function. It will be ready to
  // invoke once your function state becomes ACTIVE.", snapstart-troubleshooting.html).
  // moto 5 keeps no SnapStart: it answers `{ ApplyOn: None, OptimizationStatus: Off }` for every version.
  const snapStart = {
    /** emulateSnapStart: { pendingMs, fail?: { reason, code } } while set. */
    on: undefined,
    /** function name → ApplyOn of $LATEST, as CreateFunction/UpdateFunctionConfiguration set it. */
    latest: new Map(),
    /** `name:version` → { readyAt, fail? } for a version published with SnapStart on. */
    versions: new Map(),
  };

  /** Overlay a configuration (of $LATEST or of a version) with the SnapStart state the proxy keeps. */
  function overlaySnapStart(config, name) {
    if (!config || typeof config !== 'object') return;
    const version = config.Version ?? '$LATEST';
    if (version === '$LATEST') {
      const applyOn = snapStart.latest.get(name);
      if (applyOn) config.SnapStart = { ApplyOn: applyOn, OptimizationStatus: 'Off' };
      return;
    }
    const entry = snapStart.versions.get(`${name}:${version}`);
    if (!entry) return;
    delete config.StateReason;
    delete config.StateReasonCode;
    if (Date.now() < entry.readyAt) {
      Object.assign(config, { State: 'Pending', StateReasonCode: 'Creating', StateReason: 'The function is being created.' });
      config.SnapStart = { ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' };
    } else if (entry.fail) {
      Object.assign(config, { State: 'Failed', StateReasonCode: entry.fail.code, StateReason: entry.fail.reason });
      config.SnapStart = { ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' };
    } else {
      config.State = 'Active';
      config.SnapStart = { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' };
    }
  }

  /** After moto answered: keep $LATEST's SnapStart setting, start a published version's snapshot, overlay answers. */
  function snapStartAfter(operation, name, body, answerJson) {
    if (!snapStart.on) return;
    if (operation === 'CreateFunction') snapStart.latest.delete(name);
    if ((operation === 'CreateFunction' || operation === 'UpdateFunctionConfiguration') && body?.SnapStart) {
      snapStart.latest.set(name, body.SnapStart.ApplyOn === 'PublishedVersions' ? 'PublishedVersions' : 'None');
    }
    const version = answerJson?.Version;
    const published = operation === 'PublishVersion' || (operation === 'CreateFunction' && body?.Publish);
    if (published && version && version !== '$LATEST' && snapStart.latest.get(name) === 'PublishedVersions') {
      const key = `${name}:${version}`;
      if (!snapStart.versions.has(key)) {
        snapStart.versions.set(key, { readyAt: Date.now() + snapStart.on.pendingMs, ...(snapStart.on.fail && { fail: { ...snapStart.on.fail } }) });
      }
    }
    if (['CreateFunction', 'UpdateFunctionConfiguration', 'UpdateFunctionCode', 'PublishVersion', 'GetFunctionConfiguration'].includes(operation)) {
      overlaySnapStart(answerJson, name);
    }
    if (operation === 'GetFunction') overlaySnapStart(answerJson?.Configuration, name);
    if (operation === 'ListVersionsByFunction' && Array.isArray(answerJson?.Versions)) {
      for (const config of answerJson.Versions) overlaySnapStart(config, name);
    }
  }

  /** Before forwarding: an Invoke of a SnapStart version whose snapshot is not ready (Pending or Failed). */
  function snapStartBefore(operation, name, qualifier) {
    if (!snapStart.on || operation !== 'Invoke' || !qualifier) return undefined;
    const entry = snapStart.versions.get(`${name}:${qualifier}`);
    if (!entry || (Date.now() >= entry.readyAt && !entry.fail)) return undefined;
    return errorAnswer('lambda', 'POST', {
      status: 409,
      type: 'SnapStartNotReadyException',
      message: 'Lambda is initializing your function. It will be ready to invoke once your function state becomes ACTIVE.',
    });
  }

  /**
   * GetAccountSettings (https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html),
   * which moto 5 does not answer: AccountLimit (TotalCodeSize 75 GB by default, "Function and layer
   * storage" in https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html) and
   * AccountUsage with the figures set by accountSettings().
   */
  function accountSettingsAnswer() {
    const { usedBytes, limitBytes, functionCount } = states.account;
    const text = Buffer.from(
      JSON.stringify({
        AccountLimit: {
          TotalCodeSize: limitBytes,
          CodeSizeUnzipped: 262144000,
          CodeSizeZipped: 52428800,
          ConcurrentExecutions: 1000,
          UnreservedConcurrentExecutions: 1000,
        },
        AccountUsage: { TotalCodeSize: usedBytes, FunctionCount: functionCount },
      }),
    );
    return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), 'content-length': String(text.length) }, body: text };
  }
  // ---- end of function states ---------------------------------------------------------------

  // ---- Container-image functions (issue 14) ---------------------------------------------------
  // moto 5 with MOTO_LAMBDA_STUB_ECR=false resolves an image URI in its own ECR and reports the
  // digest's hex as CodeSha256. But GetFunction's Code of a published version names the ImageUri
  // that $LATEST has now (moto's versions share one code record), and its ResolvedImageUri is
  // `<ImageUri up to its first ':'>@sha256:<CodeSha256>`, which for a URI by digest reads
  // `…/repo@sha256@sha256:…`. Lambda locks a version's code when it is published ("The function's
  // code is locked when you publish a version", https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html)
  // and FunctionCodeLocation gives `ImageUri`, "URI of a container image in the Amazon ECR
  // registry", and `ResolvedImageUri`, "The resolved URI for the image"
  // (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html): the image by
  // digest, `<repository>@sha256:<hex>`. With resolveImageUris(), the proxy remembers the ImageUri
  // each version was published with (CreateFunction, UpdateFunctionCode, PublishVersion through
  // the proxy) and answers GetFunction's Code as Lambda does.
  const images = { on: false, /** name → ImageUri of $LATEST */ latest: new Map(), /** `name:version` → ImageUri */ versions: new Map() };

  /** `<registry>/<repository>` of an image URI by tag or digest. */
  function imageRepositoryOf(uri) {
    const at = uri.indexOf('@');
    const bare = at >= 0 ? uri.slice(0, at) : uri;
    const colon = bare.lastIndexOf(':');
    return colon > bare.lastIndexOf('/') ? bare.slice(0, colon) : bare;
  }

  function imagesAfter(operation, name, qualifier, body, answerJson) {
    if (!images.on) return;
    if (operation === 'CreateFunction' && typeof body?.Code?.ImageUri === 'string') {
      images.latest.set(name, body.Code.ImageUri);
      for (const key of [...images.versions.keys()]) if (key.startsWith(`${name}:`)) images.versions.delete(key);
      if (body.Publish && answerJson?.Version && answerJson.Version !== '$LATEST') images.versions.set(`${name}:${answerJson.Version}`, body.Code.ImageUri);
    }
    if (operation === 'UpdateFunctionCode' && typeof body?.ImageUri === 'string') images.latest.set(name, body.ImageUri);
    if (operation === 'PublishVersion' && answerJson?.Version && answerJson.Version !== '$LATEST' && images.latest.has(name)) {
      // PublishVersion answers an existing version when nothing changed: that one keeps its image.
      const key = `${name}:${answerJson.Version}`;
      if (!images.versions.has(key)) images.versions.set(key, images.latest.get(name));
    }
    if (operation === 'GetFunction' && answerJson?.Code?.RepositoryType === 'ECR') {
      const version = qualifier && /^[0-9]+$/.test(qualifier) ? qualifier : undefined;
      const aliasQualifier = qualifier && qualifier !== '$LATEST' && version === undefined;
      const recorded = aliasQualifier ? undefined : version !== undefined ? images.versions.get(`${name}:${version}`) : images.latest.get(name);
      const uri = recorded ?? answerJson.Code.ImageUri;
      if (typeof uri === 'string') answerJson.Code.ImageUri = uri;
      const sha = answerJson.Configuration?.CodeSha256;
      if (typeof uri === 'string' && /^[0-9a-f]{64}$/.test(sha ?? '')) answerJson.Code.ResolvedImageUri = `${imageRepositoryOf(uri)}@sha256:${sha}`;
    }
  }
  // ---- end of container-image functions -------------------------------------------------------

  // ---- Images from another account's ECR (issue 15) -------------------------------------------
  // moto 5 (MOTO_LAMBDA_STUB_ECR=false) resolves a function's ImageUri in the ECR of the
  // FUNCTION's account, by repository name only: a URI naming another account's registry answers
  // RepositoryNotFoundException ("… does not exist in the registry with id '<function's account>'"),
  // and repository policies are never read. Lambda pulls across accounts only when the repository
  // policy allows it ("Lambda container images: cross-account permissions",
  // https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#configuration-images-xaccount-permissions:
  // the policy must allow the function's account ecr:BatchGetImage and ecr:GetDownloadUrlForLayer;
  // ECR "Repository policy examples", https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html).
  // With enforceImagePullPolicy(), a CreateFunction / UpdateFunctionCode whose ImageUri names a
  // registry account other than the caller's (the function's account) is:
  // - refused, as Lambda refuses an image it may not pull (403 AccessDeniedException, "Lambda does
  //   not have permission to access the ECR image. Check the ECR permissions."), unless the
  //   repository's policy in moto's ECR (SetRepositoryPolicy) has an Allow statement naming the
  //   function's account (`*`, the account id, `arn:aws:iam::<account>:root`, a role or user of it)
  //   for both actions (wildcards accepted); conditions are not evaluated;
  // - else pulled: the image's manifest is copied to a repository of the same name in the
  //   function's account (created if missing), where moto then resolves it to the same digest.
  const crossAccountImages = { on: false };
  const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
  const PULL_DENIED = 'Lambda does not have permission to access the ECR image. Check the ECR permissions.';

  /** A JSON 1.1 ECR call to moto as `account` (moto's x-moto-account-id header): { status, json }. */
  async function ecrAs(account, region, operation, input) {
    const body = Buffer.from(JSON.stringify(input));
    const answer = await toMoto({
      method: 'POST',
      path: '/',
      headers: {
        host: targetUrl.host,
        'content-type': 'application/x-amz-json-1.1',
        'content-length': String(body.length),
        'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}`,
        authorization: `AWS4-HMAC-SHA256 Credential=proxy/20240101/${region}/ecr/aws4_request, SignedHeaders=host, Signature=0`,
        'x-moto-account-id': account,
      },
      body,
      buffer: true,
    });
    return { status: answer.status, json: parseJson(answer.body) };
  }

  /** The account the client's request acts as (moto's STS GetCallerIdentity with its credentials). */
  async function callerAccount(clientHeaders) {
    const body = Buffer.from('Action=GetCallerIdentity&Version=2011-06-15');
    const authorization = String(clientHeaders.authorization ?? '').replace(/(Credential=[^/,\s]+\/[^/]+\/[^/]+\/)[^/]+(\/aws4_request)/, '$1sts$2');
    const answer = await toMoto({
      method: 'POST',
      path: '/',
      headers: {
        host: targetUrl.host,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(body.length),
        authorization,
        ...(clientHeaders['x-amz-security-token'] && { 'x-amz-security-token': clientHeaders['x-amz-security-token'] }),
      },
      body,
      buffer: true,
    });
    return /<Account>([0-9]{12})<\/Account>/.exec(answer.body.toString('utf8'))?.[1];
  }

  /** Whether a repository policy's Allow statements let `account` do both pull actions. */
  function policyAllowsPull(policyText, account) {
    let statements;
    try {
      const raw = JSON.parse(policyText).Statement;
      statements = Array.isArray(raw) ? raw : raw ? [raw] : [];
    } catch {
      return false;
    }
    const names = (principal) => {
      if (principal === '*') return true;
      const aws = principal?.AWS;
      return (Array.isArray(aws) ? aws : [aws]).some(
        (p) => typeof p === 'string' && (p === '*' || p === account || p.startsWith(`arn:aws:iam::${account}:`)),
      );
    };
    const covers = (actions, action) =>
      (Array.isArray(actions) ? actions : [actions]).some(
        (a) => typeof a === 'string' && new RegExp(`^${a.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action),
      );
    return PULL_ACTIONS.every((action) => statements.some((s) => s?.Effect === 'Allow' && names(s.Principal) && covers(s.Action, action)));
  }

  /** enforceImagePullPolicy: undefined to go on to moto, or the refusal to answer. */
  async function crossAccountImageBefore(operation, body, clientHeaders) {
    if (!crossAccountImages.on || (operation !== 'CreateFunction' && operation !== 'UpdateFunctionCode')) return undefined;
    const uri = operation === 'CreateFunction' ? body?.Code?.ImageUri : body?.ImageUri;
    if (typeof uri !== 'string') return undefined;
    const match = /^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/(.+)$/.exec(imageRepositoryOf(uri));
    if (!match) return undefined;
    const [, registry, region, repository] = match;
    const account = await callerAccount(clientHeaders);
    if (account === undefined || account === registry) return undefined;
    const policy = await ecrAs(registry, region, 'GetRepositoryPolicy', { registryId: registry, repositoryName: repository });
    if (policy.status !== 200 || !policyAllowsPull(policy.json?.policyText ?? '', account)) {
      return errorAnswer('lambda', 'POST', { status: 403, type: 'AccessDeniedException', message: PULL_DENIED });
    }
    // Pulled: the manifest goes to the function's account, where moto resolves the URI.
    const at = uri.indexOf('@');
    const tag = at < 0 && uri.lastIndexOf(':') > uri.lastIndexOf('/') ? uri.slice(uri.lastIndexOf(':') + 1) : undefined;
    const imageId = at >= 0 ? { imageDigest: uri.slice(at + 1) } : { imageTag: tag ?? 'latest' };
    const found = await ecrAs(registry, region, 'BatchGetImage', { registryId: registry, repositoryName: repository, imageIds: [imageId] });
    const image = found.json?.images?.[0];
    if (!image?.imageManifest) {
      return errorAnswer('lambda', 'POST', { status: 400, type: 'InvalidParameterValueException', message: `Source image ${uri} does not exist. Provide a valid source image.` });
    }
    await ecrAs(account, region, 'CreateRepository', { repositoryName: repository });
    await ecrAs(account, region, 'PutImage', { repositoryName: repository, imageManifest: image.imageManifest, ...(tag !== undefined && { imageTag: tag }) });
    return undefined;
  }
  // ---- end of images from another account -----------------------------------------------------
  let ownEndpoint = '';
  const fnState = (name) => {
    let state = functions.get(name);
    if (!state) {
      state = {
        holdUntil: 0,
        completedAt: undefined,
        failed: undefined,
        latestRev: undefined,
        versionRevs: new Map(),
        aliasRevs: new Map(),
        logging: undefined,
        versionLogging: new Map(),
      };
      functions.set(name, state);
    }
    return state;
  };

  /** Send a request to moto; resolves with { status, headers, body: Buffer } or { status, headers, stream }. */
  function toMoto({ method, path, headers, body, stream, buffer }) {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          protocol: targetUrl.protocol,
          hostname: targetUrl.hostname,
          port: targetUrl.port,
          method,
          path,
          headers,
          agent,
        },
        (response) => {
          if (!buffer) {
            resolve({ status: response.statusCode ?? 502, headers: response.headers, stream: response });
            return;
          }
          readBody(response).then(
            (data) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }),
            reject,
          );
        },
      );
      upstream.on('error', reject);
      if (stream) {
        stream.pipe(upstream);
        stream.on('error', (error) => upstream.destroy(error));
      } else upstream.end(body);
    });
  }

  /** GET a Lambda JSON document from moto with the headers (credentials) of the client's request. */
  async function lambdaGet(path, clientHeaders) {
    const headers = forwardHeaders(clientHeaders);
    delete headers['content-type'];
    delete headers['content-length'];
    delete headers['content-md5'];
    const answer = await toMoto({ method: 'GET', path, headers, buffer: true });
    return { status: answer.status, json: parseJson(answer.body) };
  }

  function errorAnswer(service, method, { status, type, message }) {
    const requestId = randomUUID();
    let contentType = 'application/json';
    let text;
    if (service === 's3') {
      contentType = 'application/xml';
      text = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${type}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`;
    } else if (service === 'iam') {
      contentType = 'text/xml';
      const kind = status >= 500 ? 'Receiver' : 'Sender';
      text = `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>${kind}</Type><Code>${type}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    } else if (service === 'lambda') {
      text = JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message });
    } else {
      contentType = 'application/x-amz-json-1.1';
      text = JSON.stringify({ __type: type, message });
    }
    const body = method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(text);
    return {
      status,
      headers: {
        'content-type': contentType,
        'x-amzn-errortype': type,
        'x-amzn-requestid': requestId,
        'x-amz-request-id': requestId,
        'content-length': String(body.length),
      },
      body,
    };
  }

  function preconditionFailed(message) {
    return errorAnswer('lambda', 'POST', { status: 412, type: 'PreconditionFailedException', message });
  }

  /** Overlay the proxy's view of a function configuration onto moto's. */
  function overlayConfiguration(config, name, qualifier, { updating = false } = {}) {
    if (!config || typeof config !== 'object') return;
    const state = functions.get(name);
    // An alias as qualifier: moto answers with the version it points to.
    const version = config.Version ?? qualifier ?? '$LATEST';
    if (version === '$LATEST') {
      if (state) {
        const now = Date.now();
        if (updating || now < state.holdUntil) {
          config.State = 'Active';
          config.LastUpdateStatus = 'InProgress';
          delete config.LastUpdateStatusReason;
          delete config.LastUpdateStatusReasonCode;
        } else if (state.failed) {
          config.LastUpdateStatus = 'Failed';
          config.LastUpdateStatusReason = state.failed.reason;
          config.LastUpdateStatusReasonCode = state.failed.code;
        }
      }
      if (behaviour.revisions) {
        const s = fnState(name);
        s.latestRev ??= nextRevision();
        config.RevisionId = s.latestRev;
      }
      if (behaviour.logging && state?.logging) config.LoggingConfig = { ...state.logging };
    } else {
      if (behaviour.revisions && state?.versionRevs.has(version)) config.RevisionId = state.versionRevs.get(version);
      if (behaviour.logging && state?.versionLogging.has(version)) {
        config.LoggingConfig = { ...state.versionLogging.get(version) };
      }
    }
    if (behaviour.weightedRules) overlayDeadLetter(config, name, version);
  }

  function rememberLogging(name, sent) {
    if (!sent || typeof sent !== 'object') return;
    const state = fnState(name);
    const merged = { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}`, ...(state.logging ?? {}), ...sent };
    if (merged.LogFormat === 'Text') {
      delete merged.ApplicationLogLevel;
      delete merged.SystemLogLevel;
    }
    state.logging = merged;
  }

  async function currentAliasRevision(name, alias, clientHeaders) {
    const state = fnState(name);
    if (!state.aliasRevs.has(alias)) {
      const found = await lambdaGet(
        `/2015-03-31/functions/${encodeURIComponent(name)}/aliases/${encodeURIComponent(alias)}`,
        clientHeaders,
      );
      // moto answers GetAlias with 201 (Lambda: 200).
      if (found.status < 200 || found.status >= 300) return undefined;
      state.aliasRevs.set(alias, found.json?.RevisionId ?? nextRevision());
    }
    return state.aliasRevs.get(alias);
  }

  // --- Weighted-alias rules (enforceWeightedAliasRules) ---------------------------------------
  // Lambda developer guide, "Implement Lambda canary deployments using a weighted alias"
  // (https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html): the two versions
  // of an alias's routing configuration must have the same execution role, the same dead-letter
  // queue configuration (or none), and both be published (the alias cannot point to $LATEST).
  // moto checks none of it. Lambda refuses with 400 InvalidParameterValueException (API reference,
  // CreateAlias / UpdateAlias, "Errors"); for the role its message reads "Specified versions must
  // be associated with the same execution role" (as reported in
  // https://github.com/serverless-heaven/serverless-aws-alias/issues/64). Lambda's wording for the
  // dead-letter queue and $LATEST cases was not found: those messages are the proxy's own and say so.
  // moto also drops DeadLetterConfig, so with the switch on the proxy keeps it (as it does
  // LoggingConfig): $LATEST's as sent, each published version's as snapshotted.
  /** name → { latest: TargetArn | undefined, versions: Map<version, TargetArn | undefined> } */
  const deadLetters = new Map();
  const deadLetterState = (name) => {
    let state = deadLetters.get(name);
    if (!state) {
      state = { latest: undefined, versions: new Map() };
      deadLetters.set(name, state);
    }
    return state;
  };

  /** Remember DeadLetterConfig sent to $LATEST, and snapshot it onto a published version. */
  function rememberDeadLetter(operation, name, body, answerJson) {
    if (operation === 'CreateFunction') deadLetters.delete(name);
    if ((operation === 'CreateFunction' || operation === 'UpdateFunctionConfiguration') && body?.DeadLetterConfig) {
      deadLetterState(name).latest = body.DeadLetterConfig.TargetArn || undefined;
    }
    const version = answerJson?.Version;
    const published = operation === 'PublishVersion' || (operation === 'CreateFunction' && body?.Publish);
    if (published && version && version !== '$LATEST') {
      const state = deadLetterState(name);
      if (!state.versions.has(version)) state.versions.set(version, state.latest);
    }
  }

  function overlayDeadLetter(config, name, version) {
    const state = deadLetters.get(name);
    const target = version === '$LATEST' ? state?.latest : state?.versions.get(version);
    if (target) config.DeadLetterConfig = { TargetArn: target };
    else delete config.DeadLetterConfig;
  }

  /** The refusal of a CreateAlias / UpdateAlias whose routing configuration breaks the rules, or undefined. */
  async function weightedAliasRefusal(operation, name, alias, body, clientHeaders) {
    const weights = Object.keys(body?.RoutingConfig?.AdditionalVersionWeights ?? {});
    if (weights.length === 0) return undefined;
    let primary = body?.FunctionVersion;
    if (primary === undefined && operation === 'UpdateAlias') {
      const found = await lambdaGet(`/2015-03-31/functions/${encodeURIComponent(name)}/aliases/${encodeURIComponent(alias)}`, clientHeaders);
      primary = found.json?.FunctionVersion;
    }
    const refuse = (message) => errorAnswer('lambda', 'PUT', { status: 400, type: 'InvalidParameterValueException', message });
    const versions = [primary, ...weights].filter((v) => v !== undefined);
    const unpublished = versions.find((v) => !/^[0-9]+$/.test(String(v)));
    if (unpublished !== undefined) {
      return refuse(`aws-proxy: a weighted alias must point to published versions, not ${unpublished} (the developer guide's rule; Lambda's wording not known)`);
    }
    const configs = [];
    for (const version of versions) {
      const found = await lambdaGet(
        `/2015-03-31/functions/${encodeURIComponent(name)}/configuration?Qualifier=${encodeURIComponent(version)}`,
        clientHeaders,
      );
      if (found.status !== 200 || !found.json) return undefined; // moto answers the missing version itself
      const dlq = deadLetters.get(name)?.versions.get(String(version));
      configs.push({ role: found.json.Role, dlq });
    }
    if (new Set(configs.map((c) => c.role)).size > 1) return refuse('Specified versions must be associated with the same execution role');
    if (new Set(configs.map((c) => c.dlq ?? '')).size > 1) {
      return refuse("aws-proxy: the versions of a weighted alias must have the same dead-letter queue configuration (the developer guide's rule; Lambda's wording not known)");
    }
    return undefined;
  }
  // --- end of the weighted-alias rules ------------------------------------------------------

  /**
   * Lambda's fixed limits, which moto does not check (enforceLambdaLimits). Returns the answer
   * Lambda gives, or undefined.
   * - Environment variables: 4 KB in aggregate ("Lambda quotas",
   *   https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). Lambda measures the
   *   JSON of the Variables map and answers 400 InvalidParameterValueException "Lambda was unable to
   *   configure your environment variables because the environment variables you have provided
   *   exceeded the 4KB limit. String measured: {…}" (CreateFunction, UpdateFunctionConfiguration).
   * - Description: at most 256 characters on CreateAlias/UpdateAlias (API reference, "Length
   *   Constraints: Minimum length of 0. Maximum length of 256"), PublishVersion, CreateFunction and
   *   UpdateFunctionConfiguration; 400 ValidationException "1 validation error detected: Value '…'
   *   at 'description' failed to satisfy constraint: Member must have length less than or equal to 256".
   * - UpdateFunctionCode's request body (the zip in base64): 413 RequestEntityTooLargeException
   *   "Request must be smaller than 69905067 bytes for the UpdateFunctionCode operation".
   */
  function lambdaLimits(operation, body, requestBytes) {
    if (operation === 'UpdateFunctionCode' && requestBytes >= LAMBDA_UPDATE_CODE_REQUEST_LIMIT) {
      return errorAnswer('lambda', 'PUT', {
        status: 413,
        type: 'RequestEntityTooLargeException',
        message: `Request must be smaller than ${LAMBDA_UPDATE_CODE_REQUEST_LIMIT} bytes for the UpdateFunctionCode operation`,
      });
    }
    if (!body || typeof body !== 'object') return undefined;
    const variables = body.Environment?.Variables;
    if ((operation === 'UpdateFunctionConfiguration' || operation === 'CreateFunction') && variables && typeof variables === 'object') {
      const measured = JSON.stringify(variables);
      if (Buffer.byteLength(measured, 'utf8') > LAMBDA_ENVIRONMENT_LIMIT) {
        return errorAnswer('lambda', 'PUT', {
          status: 400,
          type: 'InvalidParameterValueException',
          message:
            'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
            `exceeded the 4KB limit. String measured: ${measured}`,
        });
      }
    }
    const described = ['CreateAlias', 'UpdateAlias', 'PublishVersion', 'CreateFunction', 'UpdateFunctionConfiguration'];
    if (described.includes(operation) && typeof body.Description === 'string' && body.Description.length > LAMBDA_DESCRIPTION_LIMIT) {
      return errorAnswer('lambda', 'PUT', {
        status: 400,
        type: 'ValidationException',
        message:
          `1 validation error detected: Value '${body.Description}' at 'description' failed to satisfy constraint: ` +
          `Member must have length less than or equal to ${LAMBDA_DESCRIPTION_LIMIT}`,
      });
    }
    return undefined;
  }

  /**
   * Checks a Lambda call before it is forwarded. Returns an answer to send instead, or undefined.
   */
  async function lambdaPreconditions(operation, name, alias, body, clientHeaders) {
    if (behaviour.weightedRules && (operation === 'CreateAlias' || operation === 'UpdateAlias')) {
      const refused = await weightedAliasRefusal(operation, name, alias, body, clientHeaders);
      if (refused) return refused;
    }
    if (behaviour.revisions && REVISION_CHECKED.has(operation) && body?.RevisionId !== undefined) {
      if (operation === 'UpdateAlias') {
        const current = await currentAliasRevision(name, alias, clientHeaders);
        if (current !== undefined && body.RevisionId !== current) return preconditionFailed(PRECONDITION_REVISION);
      } else {
        const state = fnState(name);
        state.latestRev ??= nextRevision();
        if (body.RevisionId !== state.latestRev) return preconditionFailed(PRECONDITION_REVISION);
      }
    }
    if (behaviour.codeSha && operation === 'PublishVersion' && body?.CodeSha256 !== undefined) {
      const latest = await lambdaGet(`/2015-03-31/functions/${encodeURIComponent(name)}/configuration`, clientHeaders);
      if (latest.status === 200 && latest.json?.CodeSha256 !== body.CodeSha256) {
        return preconditionFailed(
          `CodeSha256 ${body.CodeSha256} does not match the CodeSha256 of $LATEST (${latest.json?.CodeSha256}). ` +
            'Publish the version after the update, or pass the current CodeSha256.',
        );
      }
    }
    return undefined;
  }

  /** Updates the proxy's state after moto accepted a Lambda call, and rewrites moto's answer. */
  function rememberCode(body, answerJson) {
    const sha = answerJson?.CodeSha256;
    if (!sha || !body) return;
    // CreateFunction sends the code under `Code`; UpdateFunctionCode at the top level.
    const code = body.Code && typeof body.Code === 'object' ? body.Code : body;
    if (typeof code.ZipFile === 'string') codeBySha.set(sha, { bytes: Buffer.from(code.ZipFile, 'base64') });
    else if (code.S3Bucket && code.S3Key) codeBySha.set(sha, { bucket: code.S3Bucket, key: code.S3Key });
  }

  /** The zip bytes of a CodeSha256 the proxy saw uploaded, from memory or from moto's S3; undefined when unknown. */
  async function codeBytes(codeSha256) {
    const entry = codeBySha.get(codeSha256);
    if (entry?.bytes) return entry.bytes;
    if (entry?.bucket) {
      const fetched = await toMoto({ method: 'GET', path: `/${entry.bucket}/${entry.key}`, headers: { host: targetUrl.host }, buffer: true });
      if (fetched.status === 200) return fetched.body;
    }
    return undefined;
  }

  /** Answer GET /__code/<sha256 hex> with the code, from memory or from moto's S3. */
  async function serveCode(hex, res) {
    if (behaviour.codeDownloadFailure) {
      res.writeHead(behaviour.codeDownloadFailure.status, { 'content-type': 'application/xml' });
      res.end(codeDownloadError(behaviour.codeDownloadFailure));
      return;
    }
    const bytes = await codeBytes(Buffer.from(hex, 'hex').toString('base64'));
    if (!bytes) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such code');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(bytes.length) });
    res.end(bytes);
  }

  /** Where the code of each CodeSha256 is unpacked; made on the first Invoke, removed by stop(). */
  let codeCacheDir;
  /** CodeSha256 → Promise of the unpacked directory (undefined when the code is unknown). */
  const unpackedBySha = new Map();

  /** The directory holding the unpacked code of a CodeSha256, or undefined when the proxy never saw it uploaded. */
  function unpackedCode(codeSha256) {
    let pending = unpackedBySha.get(codeSha256);
    if (!pending) {
      pending = (async () => {
        const bytes = await codeBytes(codeSha256);
        if (!bytes) return undefined;
        codeCacheDir ??= mkdtempSync(join(tmpdir(), 'aws-proxy-code-'));
        const hex = Buffer.from(codeSha256, 'base64').toString('hex');
        const zip = join(codeCacheDir, `${hex}.zip`);
        const dir = join(codeCacheDir, hex);
        writeFileSync(zip, bytes);
        mkdirSync(dir, { recursive: true });
        await new Promise((resolve, reject) => {
          // unzip exits 1 for warnings only; 2 and above are errors.
          execFile('unzip', ['-qo', zip, '-d', dir], (error) =>
            error && (typeof error.code !== 'number' || error.code > 1)
              ? reject(new Error(`unzip of the code ${codeSha256} failed: ${error.message}`))
              : resolve(undefined),
          );
        });
        return dir;
      })();
      unpackedBySha.set(codeSha256, pending);
      // Unknown code or a failed unzip is not remembered: the code may be uploaded later.
      pending.then(
        (dir) => {
          if (!dir) unpackedBySha.delete(codeSha256);
        },
        () => unpackedBySha.delete(codeSha256),
      );
    }
    return pending;
  }

  /**
   * Answer Invoke as Lambda does, by running the version's handler locally: 200 with the
   * handler's JSON result and X-Amz-Executed-Version; a handler that fails to load or throws
   * gives 200 with X-Amz-Function-Error: Unhandled and {errorType, errorMessage, trace}.
   */
  async function invokeLocally(name, qualifier, body, clientHeaders) {
    const requested = qualifier ?? '$LATEST';
    const found = await lambdaGet(
      `/2015-03-31/functions/${encodeURIComponent(name)}/configuration?Qualifier=${encodeURIComponent(requested)}`,
      clientHeaders,
    );
    if (found.status === 404) {
      return errorAnswer('lambda', 'POST', {
        status: 404,
        type: 'ResourceNotFoundException',
        message: `Function not found: ${name}:${requested}`,
      });
    }
    if (found.status !== 200 || !found.json) {
      return errorAnswer('lambda', 'POST', {
        status: 500,
        type: 'ServiceException',
        message: `aws-proxy: GetFunctionConfiguration of ${name}:${requested} answered ${found.status}`,
      });
    }
    const config = found.json;
    const version = config.Version ?? requested;
    const eventText = body.length > 0 ? body.toString('utf8') : '{}';
    try {
      JSON.parse(eventText);
    } catch {
      return errorAnswer('lambda', 'POST', {
        status: 400,
        type: 'InvalidRequestContentException',
        message: 'Could not parse request body into json: the payload is not valid JSON',
      });
    }
    const dir = config.CodeSha256 ? await unpackedCode(config.CodeSha256) : undefined;
    if (!dir) {
      return errorAnswer('lambda', 'POST', {
        status: 500,
        type: 'ServiceException',
        message:
          `aws-proxy: no code known for CodeSha256 ${config.CodeSha256} of ${name}:${version} ` +
          '(create or update the function through the proxy, so that it sees the upload)',
      });
    }
    const invocationType = String(clientHeaders['x-amz-invocation-type'] ?? 'RequestResponse');
    const requestId = randomUUID();
    const baseHeaders = { 'x-amzn-requestid': requestId, 'x-amz-executed-version': version };
    if (invocationType === 'DryRun') {
      return { status: 204, headers: { ...baseHeaders, 'content-length': '0' }, body: Buffer.alloc(0) };
    }
    const run = () =>
      runHandler(
        dir,
        config.Handler ?? 'index.handler',
        eventText,
        {
          ...(config.Environment?.Variables ?? {}),
          AWS_LAMBDA_FUNCTION_NAME: name,
          AWS_LAMBDA_FUNCTION_VERSION: version,
        },
        Math.max(MIN_INVOKE_TIMEOUT_MS, (config.Timeout ?? 3) * 1000),
      ).then((result) => {
        const outcome = invocationOutcome(result, requestId, config.Timeout ?? 3);
        invocations.push({
          functionName: name,
          version,
          ...(outcome.functionError !== undefined && { functionError: outcome.functionError }),
          stderr: result.stderr,
        });
        // What the function logged: its console.log lines (stdout before the result) and stderr.
        const stdout = String(result.stdout);
        const logs = outcome.functionError === undefined ? stdout.slice(0, stdout.lastIndexOf('\n') + 1) : stdout;
        return { ...outcome, logs: logs + result.stderr };
      });
    if (invocationType === 'Event') {
      run().catch(() => undefined);
      return { status: 202, headers: { ...baseHeaders, 'content-length': '0' }, body: Buffer.alloc(0) };
    }
    const outcome = await run();
    const payload = Buffer.from(outcome.payload);
    const headers = {
      ...baseHeaders,
      'content-type': 'application/json',
      'content-length': String(payload.length),
    };
    if (outcome.functionError !== undefined) headers['x-amz-function-error'] = outcome.functionError;
    if (String(clientHeaders['x-amz-log-type'] ?? '') === 'Tail') {
      const log = Buffer.from(outcome.logs);
      headers['x-amz-log-result'] = log.subarray(Math.max(0, log.length - 4096)).toString('base64');
    }
    return { status: 200, headers, body: payload };
  }

  function lambdaAfter(operation, name, qualifier, alias, body, answerJson) {
    if (behaviour.weightedRules) rememberDeadLetter(operation, name, body, answerJson);
    imagesAfter(operation, name, qualifier, body, answerJson);
    const state = fnState(name);
    statesAfter(operation, name, answerJson);
    snapStartAfter(operation, name, body, answerJson);
    if (operation === 'CreateFunction' || operation === 'UpdateFunctionCode') rememberCode(body, answerJson);
    if (operation === 'GetFunction' && answerJson?.Code && codeBySha.has(answerJson.Configuration?.CodeSha256)) {
      const hex = Buffer.from(answerJson.Configuration.CodeSha256, 'base64').toString('hex');
      answerJson.Code.Location = `${behaviour.codeLocationOrigin ?? ownEndpoint}/__code/${hex}?X-Amz-Signature=presigned-secret`;
    }
    if (operation === 'ListVersionsByFunction' && Array.isArray(answerJson?.Versions)) {
      answerJson.Versions = answerJson.Versions.filter((v) => !deletedVersions.has(`${name}:${v.Version}`));
    }
    switch (operation) {
      case 'CreateFunction': {
        functions.delete(name);
        if (behaviour.logging) rememberLogging(name, body?.LoggingConfig);
        if (body?.Publish && answerJson?.Version && answerJson.Version !== '$LATEST') {
          const s = fnState(name);
          if (s.logging) s.versionLogging.set(answerJson.Version, { ...s.logging });
        }
        overlayConfiguration(answerJson, name, undefined);
        break;
      }
      case 'UpdateFunctionConfiguration':
      case 'UpdateFunctionCode': {
        const now = Date.now();
        state.holdUntil = behaviour.holdMs > 0 ? now + behaviour.holdMs : 0;
        state.completedAt = behaviour.holdMs > 0 ? now + behaviour.holdMs : now;
        state.failed = undefined;
        if (behaviour.failNext) {
          state.failed = behaviour.failNext;
          behaviour.failNext = undefined;
        }
        if (behaviour.revisions) state.latestRev = nextRevision();
        if (behaviour.logging && operation === 'UpdateFunctionConfiguration') rememberLogging(name, body?.LoggingConfig);
        overlayConfiguration(answerJson, name, undefined, {
          updating: state.holdUntil > now || state.failed !== undefined,
        });
        break;
      }
      case 'PublishVersion': {
        const version = answerJson?.Version;
        if (version && version !== '$LATEST') {
          if (behaviour.logging && state.logging && !state.versionLogging.has(version)) {
            state.versionLogging.set(version, { ...state.logging });
          }
          if (behaviour.revisions && !state.versionRevs.has(version)) state.versionRevs.set(version, nextRevision());
        }
        overlayConfiguration(answerJson, name, version);
        break;
      }
      case 'GetFunction':
        overlayConfiguration(answerJson?.Configuration, name, qualifier);
        break;
      case 'GetFunctionConfiguration':
        overlayConfiguration(answerJson, name, qualifier);
        break;
      case 'CreateAlias':
        if (behaviour.revisions && answerJson) {
          state.aliasRevs.set(alias ?? answerJson.Name, nextRevision());
          answerJson.RevisionId = state.aliasRevs.get(alias ?? answerJson.Name);
        }
        break;
      case 'UpdateAlias':
        if (behaviour.revisions && answerJson) {
          state.aliasRevs.set(alias, nextRevision());
          answerJson.RevisionId = state.aliasRevs.get(alias);
        }
        break;
      case 'GetAlias':
        if (behaviour.revisions && answerJson) {
          if (!state.aliasRevs.has(alias)) state.aliasRevs.set(alias, answerJson.RevisionId ?? nextRevision());
          answerJson.RevisionId = state.aliasRevs.get(alias);
        }
        break;
      case 'DeleteAlias':
        state.aliasRevs.delete(alias);
        break;
      case 'DeleteFunction':
        if (qualifier && qualifier !== '$LATEST') {
          state.versionRevs.delete(qualifier);
          state.versionLogging.delete(qualifier);
        } else functions.delete(name);
        break;
      default:
        break;
    }
  }

  // ---- Function URLs (issue 15) --------------------------------------------------------------
  // moto keeps function URL configs but ignores their qualifier and serves nothing at the URL.
  // emulateFunctionUrls() answers CreateFunctionUrlConfig, GetFunctionUrlConfig,
  // ListFunctionUrlConfigs, UpdateFunctionUrlConfig and DeleteFunctionUrlConfig here, one config
  // per qualifier (an alias, or $LATEST when unqualified; a version number is refused, as the
  // Qualifier pattern `(^\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))` refuses it:
  // https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionUrlConfig.html), and serves each
  // FunctionUrl at `${endpoint}/__url/<function>/<qualifier>/` by invoking what the qualifier
  // names with the function URL event (API Gateway payload format version 2.0) and mapping the
  // result to the HTTP answer as "Invoking Lambda function URLs" describes
  // (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html, "Request and response
  // payloads"): a result with `statusCode` gives its status, headers and body (base64 when
  // isBase64Encoded); any other result is a 200 with content-type application/json and the result
  // as its body; a function error answers 502. AuthType AWS_IAM URLs answer 403 {"Message":"Forbidden"}
  // to a request without a valid SigV4 signature for service `lambda` ("Control access to Lambda
  // function URLs", https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html: "you must sign
  // each HTTP request using AWS Signature Version 4 (SigV4)"; "Signing AWS API requests",
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html, for the algorithm and
  // the 15-minute window of X-Amz-Date): see sigV4Problem. A signed request that passes is
  // recorded in `calls` as lambda InvokeFunctionUrl, the IAM action it needs.
  // requireUrlPermissions() (opt-in, with emulateFunctionUrls): an AuthType NONE URL answers 403
  // until the function's resource-based policy on that qualifier grants public access, as "Control
  // access to Lambda function URLs" (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html)
  // says: "your function's resource-based policy is always in effect and must grant public access
  // before your function URL can receive requests", and "new function URLs will require both
  // lambda:InvokeFunctionUrl and lambda:InvokeFunction permissions" (since October 2025). The
  // proxy then answers AddPermission itself (API_AddPermission.html: 201 with the Statement; a
  // StatementId already in the qualifier's policy is a 409 ResourceConflictException), and serves
  // a NONE URL only when the qualifier's statements allow Principal `*` lambda:InvokeFunctionUrl
  // with FunctionUrlAuthType NONE and lambda:InvokeFunction with InvokedViaFunctionUrl true.
  const urlPolicies = {
    on: false,
    /** `name\u0000qualifier` → Map(StatementId → { Action, Principal, FunctionUrlAuthType, InvokedViaFunctionUrl }) */
    statements: new Map(),
  };
  function addPermissionAnswer(name, qualifier, body) {
    const key = `${name}\u0000${qualifier ?? '$LATEST'}`;
    const sid = typeof body?.StatementId === 'string' ? body.StatementId : '';
    const policy = urlPolicies.statements.get(key) ?? new Map();
    if (policy.has(sid)) {
      return errorAnswer('lambda', 'POST', { status: 409, type: 'ResourceConflictException', message: `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.` });
    }
    policy.set(sid, { Action: body?.Action, Principal: body?.Principal, FunctionUrlAuthType: body?.FunctionUrlAuthType, InvokedViaFunctionUrl: body?.InvokedViaFunctionUrl });
    urlPolicies.statements.set(key, policy);
    return jsonAnswer(201, { Statement: JSON.stringify({ Sid: sid, Effect: 'Allow', Principal: body?.Principal === '*' ? '*' : { Service: body?.Principal }, Action: body?.Action }) });
  }
  function publicAccessGranted(name, qualifier) {
    const statements = [...(urlPolicies.statements.get(`${name}\u0000${qualifier}`)?.values() ?? [])];
    const url = statements.some((st) => st.Principal === '*' && st.Action === 'lambda:InvokeFunctionUrl' && st.FunctionUrlAuthType === 'NONE');
    const invoke = statements.some((st) => st.Principal === '*' && st.Action === 'lambda:InvokeFunction' && st.InvokedViaFunctionUrl === true);
    return url && invoke;
  }
  const functionUrls = {
    on: false,
    /** `name\u0000qualifier` → { FunctionUrl, FunctionArn, AuthType, InvokeMode, Cors, CreationTime, LastModifiedTime, headers } */
    configs: new Map(),
    /** Every request served at a function URL: { functionName, qualifier, method, path, status }. */
    requests: [],
  };
  const URL_OPERATIONS = new Set(['CreateFunctionUrlConfig', 'GetFunctionUrlConfig', 'ListFunctionUrlConfigs', 'UpdateFunctionUrlConfig', 'DeleteFunctionUrlConfig']);
  const URL_QUALIFIER = /^(\$LATEST|(?![0-9]+$)[a-zA-Z0-9_-]{1,128})$/;

  function jsonAnswer(status, value) {
    const body = Buffer.from(JSON.stringify(value));
    return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), 'content-length': String(body.length) }, body };
  }

  function urlConfigView(config) {
    const view = { ...config };
    delete view.headers;
    return view;
  }

  async function functionUrlOperation(operation, name, qualifier, body, clientHeaders) {
    if (operation === 'ListFunctionUrlConfigs') {
      const FunctionUrlConfigs = [...functionUrls.configs.entries()]
        .filter(([key]) => key.split('\u0000')[0] === name)
        .map(([, config]) => urlConfigView(config));
      return jsonAnswer(200, { FunctionUrlConfigs });
    }
    const q = qualifier ?? '$LATEST';
    if (!URL_QUALIFIER.test(q)) {
      return errorAnswer('lambda', 'GET', {
        status: 400,
        type: 'ValidationException',
        message: `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (^\\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))`,
      });
    }
    const key = `${name}\u0000${q}`;
    const existing = functionUrls.configs.get(key);
    // "The resource specified in the request does not exist." (ResourceNotFoundException, Errors, API_GetFunctionUrlConfig.html)
    const notFound = () => errorAnswer('lambda', 'GET', { status: 404, type: 'ResourceNotFoundException', message: 'The resource you requested does not exist.' });
    if (operation === 'GetFunctionUrlConfig') return existing ? jsonAnswer(200, urlConfigView(existing)) : notFound();
    if (operation === 'DeleteFunctionUrlConfig') {
      if (!existing) return notFound();
      functionUrls.configs.delete(key);
      return { status: 204, headers: { 'content-length': '0' }, body: Buffer.alloc(0) };
    }
    if (operation === 'UpdateFunctionUrlConfig') {
      if (!existing) return notFound();
      if (body?.AuthType) existing.AuthType = body.AuthType;
      existing.LastModifiedTime = new Date().toISOString();
      return jsonAnswer(200, urlConfigView(existing));
    }
    // CreateFunctionUrlConfig: the function (and the alias it names) must exist.
    const found = await lambdaGet(`/2015-03-31/functions/${encodeURIComponent(name)}/configuration?Qualifier=${encodeURIComponent(q)}`, clientHeaders);
    if (found.status !== 200 || !found.json) {
      return errorAnswer('lambda', 'POST', { status: 404, type: 'ResourceNotFoundException', message: `Function not found: ${name}:${q}` });
    }
    if (existing) {
      // ResourceConflictException (Errors, API_CreateFunctionUrlConfig.html); the wording is the proxy's.
      return errorAnswer('lambda', 'POST', { status: 409, type: 'ResourceConflictException', message: `Failed to create function url config for [functionArn = ${existing.FunctionArn}]. Error message:  FunctionUrlConfig exists for this Lambda function` });
    }
    const unqualifiedArn = String(found.json.FunctionArn ?? '').replace(/:(\$LATEST|[0-9]+)$/, '');
    const now = new Date().toISOString();
    const config = {
      FunctionUrl: `${ownEndpoint}/__url/${encodeURIComponent(name)}/${encodeURIComponent(q)}/`,
      FunctionArn: q === '$LATEST' ? unqualifiedArn : `${unqualifiedArn}:${q}`,
      AuthType: body?.AuthType ?? 'NONE',
      InvokeMode: body?.InvokeMode ?? 'BUFFERED',
      ...(body?.Cors && { Cors: body.Cors }),
      CreationTime: now,
      LastModifiedTime: now,
      // The creator's signed headers: the URL's invocations read the function as its account and region.
      headers: { authorization: clientHeaders.authorization, ...(clientHeaders['x-amz-security-token'] && { 'x-amz-security-token': clientHeaders['x-amz-security-token'] }) },
    };
    functionUrls.configs.set(key, config);
    return jsonAnswer(201, urlConfigView(config));
  }

  /**
   * Why a request to an AWS_IAM URL is not validly signed, or undefined when it is. The header must
   * be `AWS4-HMAC-SHA256 Credential=<key>/<day>/<region>/lambda/aws4_request, SignedHeaders=…,
   * Signature=<64 hex>`, with `host` and `x-amz-date` signed and X-Amz-Date within 15 minutes of
   * now (and on the Credential's day). The signature is recomputed (canonical request, string to
   * sign, signing key, as the SigV4 reference gives them; the path normalised and URI-encoded
   * again, as for every service but S3) when the access key is one of the harness's fixed test
   * credentials (moto.mjs: testing/testing); assumed-role keys from moto's STS are random, and
   * their secret unknown here: for those the well-formed header and the date are what is checked.
   */
  function sigV4Problem(req, body) {
    const authorization = String(req.headers.authorization ?? '');
    const parts = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/lambda\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!parts) return 'no SigV4 Authorization header for service lambda';
    const [, accessKey, day, region, signedHeaders, signature] = parts;
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!date || amzDate.slice(0, 8) !== day) return 'X-Amz-Date missing or not the Credential\'s day';
    const at = Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]);
    if (Math.abs(Date.now() - at) > 15 * 60_000) return 'X-Amz-Date more than 15 minutes from now';
    const names = signedHeaders.split(';');
    if (!names.includes('host') || !names.includes('x-amz-date')) return 'host and x-amz-date not signed';
    const secret = KNOWN_TEST_SECRETS[accessKey];
    if (secret === undefined) return undefined;
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const claimed = req.headers['x-amz-content-sha256'];
    if (claimed !== undefined && claimed !== bodyHash && claimed !== 'UNSIGNED-PAYLOAD') return 'x-amz-content-sha256 is not the body\'s hash';
    const [rawPath, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const canonical = [
      req.method ?? 'GET',
      canonicalPath(rawPath),
      canonicalQuery(rawQuery),
      ...names.map((name) => `${name}:${[req.headers[name] ?? ''].flat().join(',').trim().replace(/\s+/g, ' ')}`),
      '',
      signedHeaders,
      claimed ?? bodyHash,
    ].join('\n');
    const scope = `${day}/${region}/lambda/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
    let key = Buffer.from(`AWS4${secret}`);
    for (const piece of [day, region, 'lambda', 'aws4_request']) key = createHmac('sha256', key).update(piece).digest();
    const expected = createHmac('sha256', key).update(toSign).digest();
    return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? undefined : 'the signature does not match';
  }

  /** Answer a request at a function URL: /__url/<function>/<qualifier>/<path>. */
  async function serveFunctionUrl(req, url, body) {
    const match = /^\/__url\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const name = safeDecode(match?.[1] ?? '');
    const qualifier = safeDecode(match?.[2] ?? '');
    const rawPath = match?.[3] ?? '/';
    const method = req.method ?? 'GET';
    const config = functionUrls.configs.get(`${name}\u0000${qualifier}`);
    const authorization = req.headers.authorization === undefined ? undefined : String(req.headers.authorization);
    const securityToken = req.headers['x-amz-security-token'] === undefined ? undefined : String(req.headers['x-amz-security-token']);
    const done = (answer) => {
      functionUrls.requests.push({
        functionName: name,
        qualifier,
        method,
        path: rawPath,
        status: answer.status,
        ...(authorization !== undefined && { authorization }),
        ...(securityToken !== undefined && { securityToken }),
      });
      return answer;
    };
    if (!config) return done(jsonAnswer(404, { Message: 'Not Found' }));
    if (config.AuthType === 'NONE' && urlPolicies.on && !publicAccessGranted(name, qualifier)) return done(jsonAnswer(403, { Message: 'Forbidden' }));
    if (config.AuthType === 'AWS_IAM') {
      if (sigV4Problem(req, body) !== undefined) return done(jsonAnswer(403, { Message: 'Forbidden' }));
      calls.push({ service: 'lambda', operation: 'InvokeFunctionUrl', method, path: url.pathname, query: url.search.slice(1), status: 200, startedAt: Date.now(), durationMs: 0 });
    }
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : String(v);
    const text = body.length > 0 ? body.toString('utf8') : undefined;
    const binary = text !== undefined && Buffer.from(text, 'utf8').compare(body) !== 0;
    const now = new Date();
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath,
      rawQueryString: url.search.slice(1),
      headers,
      ...(url.search && { queryStringParameters: Object.fromEntries(url.searchParams.entries()) }),
      requestContext: {
        accountId: 'anonymous',
        apiId: 'proxyurlid',
        domainName: String(req.headers.host ?? ''),
        domainPrefix: 'proxyurlid',
        http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey: '$default',
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
      },
      ...(text !== undefined && { body: binary ? body.toString('base64') : text }),
      isBase64Encoded: binary,
    };
    const invoked = await invokeLocally(name, qualifier, Buffer.from(JSON.stringify(event)), config.headers);
    if (invoked.status !== 200 || invoked.headers['x-amz-function-error'] !== undefined) {
      return done(jsonAnswer(502, { Message: 'Internal Server Error' }));
    }
    let result;
    try {
      result = JSON.parse(invoked.body.toString('utf8'));
    } catch {
      return done(jsonAnswer(502, { Message: 'Internal Server Error' }));
    }
    if (result && typeof result === 'object' && !Array.isArray(result) && 'statusCode' in result) {
      const out = result.body === undefined ? Buffer.alloc(0) : result.isBase64Encoded ? Buffer.from(String(result.body), 'base64') : Buffer.from(String(result.body));
      const answerHeaders = {};
      for (const [k, v] of Object.entries(result.headers ?? {})) answerHeaders[k.toLowerCase()] = String(v);
      answerHeaders['content-length'] = String(out.length);
      answerHeaders['x-amzn-requestid'] = event.requestContext.requestId;
      return done({ status: Number(result.statusCode) || 200, headers: answerHeaders, body: out });
    }
    const out = Buffer.from(typeof result === 'string' ? result : JSON.stringify(result));
    return done({ status: 200, headers: { 'content-type': 'application/json', 'content-length': String(out.length), 'x-amzn-requestid': event.requestContext.requestId }, body: out });
  }
  // ---- end of function URLs ------------------------------------------------------------------

  async function handle(req, res) {
    const startedAt = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const { pathname, searchParams } = url;
    const service = serviceOf(req.headers, pathname, searchParams);
    const target = req.headers['x-amz-target'] ? String(req.headers['x-amz-target']) : undefined;
    const cbor = /^\/service\/[^/]+\/operation\/([^/]+)$/.exec(pathname);
    const code = method === 'GET' && /^\/__code\/([0-9a-f]{64})$/.exec(pathname);
    if (functionUrls.on && /^\/__url\//.test(pathname)) {
      const answer = await serveFunctionUrl(req, url, await readBody(req));
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      return;
    }
    if (code) {
      calls.push({ service: 'lambda', operation: 'DownloadCode', method, path: pathname, query: '', status: behaviour.codeDownloadFailure?.status ?? 200, startedAt, durationMs: 0 });
      await serveCode(code[1], res);
      return;
    }

    const buffered =
      service === 'lambda' || target !== undefined || (isFormBody(req.headers) && method === 'POST');
    const body = buffered ? await readBody(req) : undefined;

    let operation = 'Unknown';
    let requestBody;
    let route;
    if (service === 'lambda') {
      route = lambdaRoute(method, pathname, searchParams);
      operation = route?.operation ?? 'Unknown';
    } else if (target) operation = target.split('.').pop() ?? 'Unknown';
    else if (cbor) operation = cbor[1];
    else if (service === 's3') operation = s3Operation(method, pathname, searchParams, req.headers);
    if (body && isFormBody(req.headers)) {
      const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      if (operation === 'Unknown' && form.Action) operation = form.Action;
      requestBody = form;
    } else if (operation === 'Unknown' && searchParams.get('Action')) operation = searchParams.get('Action');

    // Parse a JSON body for the record when small; a large one only when a behaviour needs it.
    let parsed;
    if (body && !isFormBody(req.headers) && !cbor) {
      const plain = gunzipped(body, req.headers);
      const needed =
        service === 'lambda' &&
        ((behaviour.revisions && REVISION_CHECKED.has(operation)) ||
          (behaviour.logging && (operation === 'CreateFunction' || operation === 'UpdateFunctionConfiguration')) ||
          operation === 'CreateFunction' ||
          operation === 'UpdateFunctionCode');
      if (plain.length <= RECORD_BODY_LIMIT || needed) parsed = parseJson(plain);
      if (plain.length <= RECORD_BODY_LIMIT) requestBody = parsed;
    }

    const record = { service, operation, method, path: pathname, query: url.search.slice(1), status: 0, startedAt, durationMs: 0 };
    if (requestBody !== undefined) record.requestBody = requestBody;
    const signedFor = signingRegion(req.headers, searchParams);
    if (signedFor !== undefined) record.region = signedFor;
    const signedBy = signingKeyId(req.headers, searchParams);
    if (signedBy !== undefined) record.accessKeyId = signedBy;
    calls.push(record);

    const send = (answer) => {
      record.status = answer.status;
      record.durationMs = Date.now() - startedAt;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    };

    // Injected failures: answered here, never forwarded.
    const failure = behaviour.failures.get(operation);
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      if (failure.remaining === 0) behaviour.failures.delete(operation);
      if (!buffered) req.resume();
      record.injected = true;
      send(errorAnswer(service, method, failure));
      return;
    }

    // denyAssumeRole: STS AssumeRole refused as to a caller the role's trust policy (or the caller's
    // own policy) does not allow. STS API Reference, AssumeRole
    // (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html), and Common Errors
    // (CommonErrors.html): "AccessDenied: You do not have sufficient access to perform this action",
    // HTTP 403; STS speaks the query protocol, so the error is an <ErrorResponse> XML document, as
    // IAM's (errorAnswer's `iam` branch), in STS's namespace.
    if (service === 'sts' && operation === 'AssumeRole' && deniedRoles.has(requestBody?.RoleArn)) {
      record.injected = true;
      const requestId = randomUUID();
      const text =
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
        `<Message>${escapeXml(`User: arn:aws:sts::123456789012:assumed-role/ci/job is not authorized to perform: sts:AssumeRole on resource: ${requestBody.RoleArn}`)}</Message>` +
        `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      const denied = Buffer.from(text);
      send({ status: 403, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, 'content-length': String(denied.length) }, body: denied });
      return;
    }

    // CreateFunction names its function in the body, not the path.
    const fnRaw = route?.params.FunctionName ?? (operation === 'CreateFunction' ? parsed?.FunctionName : undefined);
    const fn = fnRaw !== undefined ? parseFunctionName(fnRaw) : undefined;
    const qualifier = searchParams.get('Qualifier') ?? fn?.qualifier ?? undefined;
    const alias = route?.params.Name;
    // failOperationFor: an injected failure for one function's calls only (a stage of several
    // functions where one fails). Answered here, never forwarded.
    const functionFailure = fn ? behaviour.functionFailures.get(`${operation} ${fn.name}`) : undefined;
    if (fn && functionFailure && functionFailure.remaining > 0) {
      functionFailure.remaining -= 1;
      if (functionFailure.remaining === 0) behaviour.functionFailures.delete(`${operation} ${fn.name}`);
      if (!buffered) req.resume();
      record.injected = true;
      send(errorAnswer(service, method, functionFailure));
      return;
    }
    // moto numbers a new version len(versions)+1, so after a deletion it would hand out a number
    // again; Lambda never does. The proxy keeps deleted versions in moto and hides them instead.
    if (fn && qualifier && /^[0-9]+$/.test(qualifier)) {
      const key = `${fn.name}:${qualifier}`;
      if (operation === 'DeleteFunction') {
        if (deletedVersions.has(key)) {
          send(errorAnswer('lambda', method, { status: 404, type: 'ResourceNotFoundException', message: `Function not found: ${fn.name}:${qualifier}` }));
        } else {
          deletedVersions.add(key);
          send({ status: 204, headers: { 'content-length': '0' }, body: Buffer.alloc(0) });
        }
        return;
      }
      if (deletedVersions.has(key)) {
        send(errorAnswer('lambda', method, { status: 404, type: 'ResourceNotFoundException', message: `Function not found: ${fn.name}:${qualifier}` }));
        return;
      }
    }
    if (fn && behaviour.limits) {
      const refused = lambdaLimits(operation, parsed, body?.length ?? 0);
      if (refused) {
        send(refused);
        return;
      }
    }
    if (fn) {
      const refused = await lambdaPreconditions(operation, fn.name, alias, parsed, req.headers);
      if (refused) {
        send(refused);
        return;
      }
    }
    if (service === 'lambda' && fn) {
      const refusedImage = await crossAccountImageBefore(operation, parsed, req.headers);
      if (refusedImage) {
        send(refusedImage);
        return;
      }
    }
    if (fn) {
      const refusedByState = statesBefore(operation, fn.name, qualifier, req.headers);
      if (refusedByState) {
        send(refusedByState);
        return;
      }
    }
    if (fn) {
      const refusedBySnapStart = snapStartBefore(operation, fn.name, qualifier);
      if (refusedBySnapStart) {
        send(refusedBySnapStart);
        return;
      }
    }
    if (service === 'lambda' && fn) {
      const provisioned = capacityAnswer(operation, method, fn.name, qualifier, parsed, req.headers);
      if (provisioned) {
        send(provisioned);
        return;
      }
    }
    if (service === 'lambda' && operation === 'GetAccountSettings' && states.account) {
      send(accountSettingsAnswer());
      return;
    }
    // A function's resource-based policy (requireUrlPermissions): answered here, never forwarded.
    if (urlPolicies.on && service === 'lambda' && fn && operation === 'AddPermission') {
      send(addPermissionAnswer(fn.name, qualifier, parsed));
      return;
    }
    // Function URL configs per qualifier (emulateFunctionUrls): answered here, never forwarded.
    if (functionUrls.on && service === 'lambda' && fn && URL_OPERATIONS.has(operation)) {
      send(await functionUrlOperation(operation, fn.name, qualifier, parsed, req.headers));
      return;
    }
    // moto 5 has no ListFunctionUrlConfigs (it answers an HTML 404 page): without the switch the
    // proxy answers it as Lambda does for a function without function URLs, an empty list
    // (API_ListFunctionUrlConfigs.html), so every `status` behind the proxy can read it.
    if (!functionUrls.on && service === 'lambda' && fn && operation === 'ListFunctionUrlConfigs') {
      send(jsonAnswer(200, { FunctionUrlConfigs: [] }));
      return;
    }
    // moto runs functions only in Docker: Invoke is answered here, never forwarded.
    if (service === 'lambda' && operation === 'Invoke' && fn) {
      send(await invokeLocally(fn.name, qualifier, body ?? Buffer.alloc(0), req.headers));
      return;
    }

    const rewrite = service === 'lambda' && fn !== undefined;
    const bufferAnswer = rewrite && REWRITABLE.has(operation);
    // moto computes no percentiles (a p95 query over data answers 500): the proxy stands in with
    // the Maximum, which for the handful of datapoints a test makes is the same statistic.
    let forwarded = body;
    if (service === 'cloudwatch' && operation === 'GetMetricData' && !req.headers['content-encoding'] && Array.isArray(parsed?.MetricDataQueries)) {
      const copy = structuredClone(parsed); // the recorded request keeps what the client sent
      let changed = false;
      for (const query of copy.MetricDataQueries) {
        if (query?.MetricStat && /^p\d+(\.\d+)?$/.test(query.MetricStat.Stat ?? '')) {
          query.MetricStat.Stat = 'Maximum';
          changed = true;
        }
      }
      if (changed) forwarded = Buffer.from(JSON.stringify(copy));
    }
    const answer = await toMoto({
      method,
      path: req.url ?? '/',
      headers: forwardHeaders(req.headers, forwarded ? forwarded.length : undefined),
      body: forwarded,
      stream: body ? undefined : req,
      buffer: bufferAnswer,
    });

    // Without s3:ListBucket, S3 does not tell a missing key from a forbidden one. The HeadObject
    // API reference (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html): "If the
    // object you request doesn't exist, the error that Amazon S3 returns depends on whether you also
    // have the s3:ListBucket permission. [...] If you don't have the s3:ListBucket permission, Amazon
    // S3 returns an HTTP status code 403 Forbidden error." A HEAD answer has no body ("if the HEAD
    // request generates an error, it returns a generic code"); GetObject (API_GetObject.html says the
    // same) answers 403 with <Code>AccessDenied</Code>. moto answers 404 for a missing key.
    if (withoutListBucket && service === 's3' && answer.status === 404 && (operation === 'HeadObject' || operation === 'GetObject')) {
      if (answer.stream) answer.stream.resume();
      send(errorAnswer('s3', method, { status: 403, type: 'AccessDenied', message: 'Access Denied' }));
      return;
    }
    const ok = answer.status >= 200 && answer.status < 300;
    // moto refuses a CreateAlias of an existing alias with 409 ConflictException; Lambda names it
    // ResourceConflictException (what a first deploy that lost the race sees).
    if (rewrite && operation === 'CreateAlias' && answer.status === 409) {
      const message = (answer.body !== undefined && parseJson(answer.body)?.message) || `Alias already exists: ${alias ?? parsed?.Name ?? ''}`;
      if (answer.stream) answer.stream.resume();
      send(errorAnswer('lambda', method, { status: 409, type: 'ResourceConflictException', message }));
      return;
    }
    if (rewrite && ok && (bufferAnswer || operation === 'DeleteAlias' || operation === 'DeleteFunction')) {
      const json = bufferAnswer ? parseJson(answer.body) : undefined;
      lambdaAfter(operation, fn.name, qualifier, alias, parsed, json);
      if (json !== undefined) {
        const text = Buffer.from(JSON.stringify(json));
        const headers = relayHeaders(answer.headers);
        headers['content-length'] = String(text.length);
        if (answer.stream) answer.stream.resume();
        send({ status: answer.status, headers, body: text });
        return;
      }
    }
    if (answer.body !== undefined) {
      const headers = relayHeaders(answer.headers);
      headers['content-length'] = String(answer.body.length);
      send({ status: answer.status, headers, body: answer.body });
      return;
    }
    record.status = answer.status;
    res.writeHead(answer.status, relayHeaders(answer.headers));
    answer.stream.on('end', () => {
      record.durationMs = Date.now() - startedAt;
    });
    answer.stream.on('error', (error) => res.destroy(error));
    res.on('close', () => {
      if (!answer.stream.readableEnded) answer.stream.destroy();
    });
    answer.stream.pipe(res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) {
        const text = Buffer.from(JSON.stringify({ message: `aws-proxy: ${error?.message ?? error}` }));
        res.writeHead(502, { 'content-type': 'application/json', 'content-length': String(text.length) });
        res.end(text);
      } else res.destroy(error);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  ownEndpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    target,
    calls,
    invocations,
    counts() {
      const out = {};
      for (const call of calls) out[call.operation] = (out[call.operation] ?? 0) + 1;
      return out;
    },
    reset() {
      calls.length = 0;
      invocations.length = 0;
    },
    holdInProgress(ms) {
      behaviour.holdMs = Math.max(0, Number(ms) || 0);
    },
    failNextUpdate(reason, code = 'EniLimitExceeded') {
      behaviour.failNext = { reason, code };
    },
    enforceRevisionId(on = true) {
      behaviour.revisions = Boolean(on);
    },
    enforceCodeSha256(on = true) {
      behaviour.codeSha = Boolean(on);
    },
    keepLoggingConfig(on = true) {
      behaviour.logging = Boolean(on);
    },
    enforceWeightedAliasRules(on = true) {
      behaviour.weightedRules = Boolean(on);
    },
    failOperation(operation, { status = 500, type = 'ServiceException', message = 'Injected failure', times = 1 } = {}) {
      behaviour.failures.set(operation, { status, type, message, remaining: times });
    },
    // As failOperation, for one function's calls only. Its default is an error Lambda answers
    // PublishVersion (and the code updates) with and the SDK does not retry: 400
    // CodeStorageExceededException, "Your Amazon Web Services account has exceeded its maximum total
    // code size" (PublishVersion, Errors, Lambda API reference,
    // https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html; Lambda quotas).
    failOperationFor(operation, functionName, {
      status = 400,
      type = 'CodeStorageExceededException',
      message = 'Your Amazon Web Services account has exceeded its maximum total code size. For more information, see Lambda quotas.',
      times = 1,
    } = {}) {
      behaviour.functionFailures.set(`${operation} ${parseFunctionName(functionName).name}`, { status, type, message, remaining: times });
    },
    denyListBucket(on = true) {
      withoutListBucket = Boolean(on);
    },
    // The presigned code URL GetFunction gives is valid for up to 10 minutes (FunctionCodeLocation,
    // Lambda API reference) and is an S3 URL: expired or refused, S3 answers 403 with an XML error
    // (AccessDenied, "Request has expired"; "Download and upload objects with presigned URLs",
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html).
    failCodeDownload(status = 403, { code = status === 403 ? 'AccessDenied' : 'InternalError', message = status === 403 ? 'Request has expired' : 'We encountered an internal error. Please try again.' } = {}) {
      behaviour.codeDownloadFailure = { status, code, message };
    },
    // Code.Location names another origin (e.g. one nothing listens on, as a host the runner cannot reach).
    codeLocationAt(origin) {
      behaviour.codeLocationOrigin = origin === undefined ? undefined : String(origin).replace(/\/+$/, '');
    },
    enforceLambdaLimits(on = true) {
      behaviour.limits = Boolean(on);
    },
    publishPending(ms, { fail } = {}) {
      const wait = Math.max(0, Number(ms) || 0);
      states.pending = wait > 0 || fail ? { ms: wait, ...(fail && { fail: { reason: fail.reason, code: fail.code ?? 'InternalError' } }) } : undefined;
    },
    versionActiveAt(functionName, version) {
      const entry = states.versions.get(`${parseFunctionName(functionName).name}:${version}`);
      return entry && !entry.inactive && !entry.fail ? entry.pendingUntil : undefined;
    },
    markInactive(functionName, version, { reactivateMs = 1000 } = {}) {
      states.versions.set(`${parseFunctionName(functionName).name}:${version}`, { pendingUntil: 0, inactive: true, reactivateMs });
    },
    emulateSnapStart({ pendingMs = 0, fail } = {}) {
      snapStart.on = { pendingMs: Math.max(0, Number(pendingMs) || 0), ...(fail && { fail: { reason: fail.reason, code: fail.code ?? 'InternalError' } }) };
    },
    snapStartReadyAt(functionName, version) {
      const entry = snapStart.versions.get(`${parseFunctionName(functionName).name}:${version}`);
      return entry && !entry.fail ? entry.readyAt : undefined;
    },
    conflictWhileInProgress(on = true) {
      states.conflicts = Boolean(on);
    },
    resolveImageUris(on = true) {
      images.on = Boolean(on);
    },
    enforceImagePullPolicy(on = true) {
      crossAccountImages.on = Boolean(on);
    },
    accountSettings(figures) {
      states.account = figures
        ? { usedBytes: figures.usedBytes, limitBytes: figures.limitBytes ?? 75 * 1024 ** 3, functionCount: figures.functionCount ?? 1 }
        : undefined;
    },
    /** STS AssumeRole of `roleArn` is refused with AccessDenied (403), as by a trust policy that does not name the caller. */
    denyAssumeRole(roleArn) {
      deniedRoles.add(String(roleArn));
    },
    // Provisioned concurrency as Lambda answers it (see "Provisioned concurrency" above): each
    // configuration IN_PROGRESS for readyAfterMs, then READY, or FAILED with `fail` as StatusReason.
    emulateProvisionedConcurrency({ readyAfterMs = 0, fail } = {}) {
      capacity.on = { readyAfterMs: Math.max(0, Number(readyAfterMs) || 0), ...(fail !== undefined && { fail: String(fail) }) };
    },
    /** The emulated configurations: function, qualifier, requested and status now. */
    provisionedConcurrencyConfigs() {
      return [...capacity.configs.entries()].map(([key, entry]) => {
        const at = key.indexOf(':');
        return { functionName: key.slice(0, at), qualifier: key.slice(at + 1), requested: entry.requested, status: capacityItem(entry).Status };
      });
    },
    emulateFunctionUrls(on = true) {
      functionUrls.on = Boolean(on);
    },
    requireUrlPermissions(on = true) {
      urlPolicies.on = Boolean(on);
    },
    /** Every request served at a function URL (emulateFunctionUrls). */
    functionUrlRequests: functionUrls.requests,
    clearBehaviours() {
      functionUrls.on = false;
      urlPolicies.on = false;
      urlPolicies.statements.clear();
      functionUrls.configs.clear();
      functionUrls.requests.length = 0;
      withoutListBucket = false;
      deniedRoles.clear();
      withoutListBucket = false;
      capacity.on = undefined;
      capacity.configs.clear();
      behaviour.codeDownloadFailure = undefined;
      behaviour.codeLocationOrigin = undefined;
      behaviour.limits = false;
      behaviour.holdMs = 0;
      behaviour.failNext = undefined;
      behaviour.revisions = false;
      behaviour.codeSha = false;
      behaviour.logging = false;
      behaviour.weightedRules = false;
      deadLetters.clear();
      behaviour.failures.clear();
      behaviour.functionFailures.clear();
      states.pending = undefined;
      states.conflicts = false;
      states.account = undefined;
      states.versions.clear();
      snapStart.on = undefined;
      snapStart.latest.clear();
      snapStart.versions.clear();
      functions.clear();
      images.on = false;
      crossAccountImages.on = false;
      images.latest.clear();
      images.versions.clear();
    },
    lastUpdateCompletedAt(functionName) {
      return functions.get(parseFunctionName(functionName).name)?.completedAt;
    },
    revisionIdOf(functionName, alias) {
      const state = functions.get(parseFunctionName(functionName).name);
      return alias === undefined ? state?.latestRev : state?.aliasRevs.get(alias);
    },
    stop() {
      return new Promise((resolve) => {
        server.close(() => {
          if (codeCacheDir) rmSync(codeCacheDir, { recursive: true, force: true });
          resolve(undefined);
        });
        server.closeAllConnections();
        agent.destroy();
      });
    },
  };
}

/**
 * Run a handler in a fresh Node process, like a cold start: lambda-runner.mjs with the event on
 * stdin and only PATH plus the given environment. Killed after `timeoutMs`.
 */
/**
 * What Lambda answers for one run: the result as payload, or the error in Lambda's shape with
 * functionError `Unhandled`. lambda-runner.mjs reports an error as a tab-separated log line
 * ending in JSON {errorType, errorMessage}, as the Node.js runtime does.
 */
export function invocationOutcome(run, requestId = '', timeoutSeconds = 3) {
  if (run.code === 0 && !run.timedOut) {
    // The handler's console.log shares stdout with the result, which the runner writes last, as
    // one line of JSON without a newline: the result is what follows the last newline.
    const stdout = String(run.stdout);
    const result = resultText(stdout);
    return { payload: result === '' ? 'null' : result };
  }
  let error;
  if (run.timedOut) {
    error = {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after ${Number(timeoutSeconds).toFixed(2)} seconds`,
    };
  } else {
    for (const line of String(run.stderr).split('\n')) {
      const last = line.split('\t').pop() ?? '';
      if (!last.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(last);
        if (parsed && typeof parsed.errorType === 'string') error = { errorType: parsed.errorType, errorMessage: String(parsed.errorMessage ?? '') };
      } catch {
        // not the runtime's error line
      }
    }
    error ??= {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${run.code}`,
    };
  }
  const trace = [`${error.errorType}: ${error.errorMessage}`];
  return { payload: JSON.stringify({ ...error, trace }), functionError: 'Unhandled' };
}

function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

/**
 * The region a request is signed for: the third part of SigV4's credential scope,
 * `<access key>/<YYYYMMDD>/<region>/<service>/aws4_request`, in the Authorization header (or
 * X-Amz-Credential of a presigned URL), as AWS describes it ("Common Parameters", X-Amz-Credential:
 * https://docs.aws.amazon.com/STS/latest/APIReference/CommonParameters.html). moto serves every
 * region on one port and picks the region's backend from this scope, as AWS picks the endpoint.
 */
export function signingRegion(headers, searchParams) {
  const region = credentialScope(headers, searchParams)?.split('/')[2];
  return region ? region : undefined;
}

/**
 * The access key id a request is signed with: the first part of the same credential scope. It says
 * whose credentials sent the request (the job's own, or a role's assumed through STS); it is an id,
 * not a secret (AWS prints it in CloudTrail).
 */
export function signingKeyId(headers, searchParams) {
  const keyId = credentialScope(headers, searchParams)?.split('/')[0];
  return keyId ? keyId : undefined;
}

function credentialScope(headers, searchParams) {
  const authorization = String(headers?.authorization ?? '');
  return /Credential=([^,\s]+)/.exec(authorization)?.[1] ?? searchParams?.get?.('X-Amz-Credential') ?? undefined;
}

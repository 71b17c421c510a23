// A local HTTP endpoint that stands in for API Gateway in front of a Lambda alias: every request
// asks moto which version the alias points at (honouring routing weights), finds that version's
// code by its CodeSha256 among the zips under `codeRoots`, and runs its handler in a fresh Node
// process with the version's environment, like a cold start. A handler that fails to load or
// throws gives API Gateway's 502 {"message": "Internal server error"}.
//
// With `writeLogs`, every run is also written to moto the way Lambda and API Gateway would, after
// the answer (`flush()` waits for those writes): the run's log lines in CloudWatch Logs (group
// `/aws/lambda/<function>`, a new stream `YYYY/MM/DD/[<version>]<32 hex>` per run, i.e. per cold
// start: START, what the handler printed, END, REPORT), the version's Invocations / Errors /
// Duration in AWS/Lambda (dimensions FunctionName, Resource `<function>:<alias>`, ExecutedVersion)
// and, with `api`, the stage's 4XXError / 5XXError / Latency in AWS/ApiGateway (ApiId, Stage).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { resultText, runHandler } from './run-handler.mjs';

/**
 * @param {{ awsEndpoint: string, functionName: string, alias: string, codeRoots: string[], region?: string,
 *   writeLogs?: boolean, api?: { id: string, stage: string } }} options
 */
export async function startEndpoint(options) {
  const clientConfig = {
    endpoint: options.awsEndpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const lambda = new LambdaClient(clientConfig);
  const logs = options.writeLogs ? new CloudWatchLogsClient(clientConfig) : undefined;
  const cloudwatch = options.writeLogs ? new CloudWatchClient(clientConfig) : undefined;
  /** Log and metric writes under way, and the errors of those that failed (flush reports them). */
  const pending = new Set();
  const writeErrors = [];
  const cacheDir = mkdtempSync(join(tmpdir(), 'endpoint-code-'));
  const zipsBySha = new Map();
  /** Every request served: which version answered, with what status; and what each run printed on stderr. */
  const requests = [];

  function findZip(codeSha256) {
    if (zipsBySha.has(codeSha256)) return zipsBySha.get(codeSha256);
    for (const root of options.codeRoots) {
      for (const file of walk(root)) {
        if (!file.endsWith('.zip')) continue;
        const sha = createHash('sha256').update(readFileSync(file)).digest('base64');
        if (!zipsBySha.has(sha)) zipsBySha.set(sha, file);
      }
    }
    return zipsBySha.get(codeSha256);
  }

  function unpacked(codeSha256) {
    const dir = join(cacheDir, Buffer.from(codeSha256, 'base64').toString('hex'));
    if (!existsSync(dir)) {
      const zip = findZip(codeSha256);
      if (!zip) return undefined;
      mkdirSync(dir, { recursive: true });
      execFileSync('unzip', ['-qo', zip, '-d', dir]);
    }
    return dir;
  }

  async function handle(req, body) {
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: options.functionName, Name: options.alias }));
    let version = alias.FunctionVersion;
    let roll = Math.random();
    for (const [weighted, weight] of Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})) {
      if (roll < weight) {
        version = weighted;
        break;
      }
      roll -= weight;
    }
    const config = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: options.functionName, Qualifier: version }),
    );
    const dir = unpacked(config.CodeSha256);
    if (!dir) return { version, status: 502, body: JSON.stringify({ message: `no code found for ${config.CodeSha256}` }), stderr: '' };
    const url = new URL(req.url, 'http://localhost');
    const event = {
      resource: '/{proxy+}',
      path: url.pathname,
      httpMethod: req.method,
      headers: req.headers,
      queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : null,
      requestContext: { stage: options.alias, httpMethod: req.method, path: url.pathname },
      body: body || null,
      isBase64Encoded: false,
    };
    const started = Date.now();
    const startedAt = performance.now();
    const run = await runHandler(
      dir,
      config.Handler ?? 'index.handler',
      JSON.stringify(event),
      // Lambda's runtime sets AWS_REGION to the function's region ("Defined runtime environment variables").
      {
        ...(config.Environment?.Variables ?? {}),
        AWS_LAMBDA_FUNCTION_NAME: options.functionName,
        AWS_LAMBDA_FUNCTION_VERSION: version,
        AWS_REGION: clientConfig.region,
      },
      10_000,
    );
    const invocation = {
      started,
      ended: Date.now(),
      durationMs: performance.now() - startedAt,
      memorySize: config.MemorySize ?? 128,
      run,
    };
    if (run.code !== 0) {
      return { version, status: 502, body: JSON.stringify({ message: 'Internal server error' }), stderr: run.stderr, invocation };
    }
    let result;
    try {
      result = JSON.parse(resultText(run.stdout));
    } catch {
      return { version, status: 502, body: JSON.stringify({ message: 'Internal server error' }), stderr: run.stderr, invocation };
    }
    return {
      version,
      invocation,
      status: result?.statusCode ?? 200,
      headers: result?.headers ?? {},
      body: typeof result?.body === 'string' ? result.body : JSON.stringify(result),
      stderr: run.stderr,
    };
  }

  /** Runs a write in the background, for flush() to wait for. */
  function track(promise) {
    const tracked = promise
      .catch((error) => {
        writeErrors.push(error);
      })
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  }

  /** What Lambda logs of one run, in its stream, and the metrics Lambda publishes for it. */
  async function writeInvocation(version, invocation, requestId, logStream) {
    const { run, started, ended, durationMs, memorySize } = invocation;
    const failed = run.code !== 0 || run.timedOut;
    const group = `/aws/lambda/${options.functionName}`;
    const lines = [`START RequestId: ${requestId} Version: ${version}`, ...printedLines(run)];
    if (run.timedOut) lines.push(`${new Date(ended).toISOString()} ${requestId} Task timed out after ${(durationMs / 1000).toFixed(2)} seconds`);
    lines.push(`END RequestId: ${requestId}`);
    const status = run.timedOut ? '\tStatus: timeout' : failed ? '\tStatus: error\tError Type: Runtime.Unknown' : '';
    lines.push(
      `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms` +
        `\tMemory Size: ${memorySize} MB\tMax Memory Used: ${Math.min(memorySize, 60)} MB${status}`,
    );
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    } catch (error) {
      if (error?.name !== 'ResourceAlreadyExistsException') throw error;
    }
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: logStream }));
    // START at the start of the run, what it printed in between, END and REPORT at its end.
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: logStream,
        logEvents: lines.map((message, i) => ({
          timestamp: i === 0 ? started : i >= lines.length - 2 ? ended : Math.min(started + 1, ended),
          message,
        })),
      }),
    );
    const dimensions = [
      { Name: 'FunctionName', Value: options.functionName },
      { Name: 'Resource', Value: `${options.functionName}:${options.alias}` },
      { Name: 'ExecutedVersion', Value: version },
    ];
    const timestamp = new Date(started);
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Lambda',
        MetricData: [
          { MetricName: 'Invocations', Value: 1, Unit: 'Count', Dimensions: dimensions, Timestamp: timestamp },
          { MetricName: 'Errors', Value: failed ? 1 : 0, Unit: 'Count', Dimensions: dimensions, Timestamp: timestamp },
          { MetricName: 'Duration', Value: durationMs, Unit: 'Milliseconds', Dimensions: dimensions, Timestamp: timestamp },
        ],
      }),
    );
  }

  /** The metrics API Gateway publishes for one request. */
  async function writeApiMetrics(status, received, latencyMs) {
    const dimensions = [
      { Name: 'ApiId', Value: options.api.id },
      { Name: 'Stage', Value: options.api.stage },
    ];
    const timestamp = new Date(received);
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/ApiGateway',
        MetricData: [
          { MetricName: '4XXError', Value: status >= 400 && status < 500 ? 1 : 0, Unit: 'Count', Dimensions: dimensions, Timestamp: timestamp },
          { MetricName: '5XXError', Value: status >= 500 ? 1 : 0, Unit: 'Count', Dimensions: dimensions, Timestamp: timestamp },
          { MetricName: 'Latency', Value: latencyMs, Unit: 'Milliseconds', Dimensions: dimensions, Timestamp: timestamp },
        ],
      }),
    );
  }

  /** After the answer: what the request left in CloudWatch Logs and CloudWatch. */
  function afterAnswer(record, answer, received, latencyMs) {
    if (!options.writeLogs) return;
    if (answer.invocation) {
      record.requestId = randomUUID();
      record.logStream = `${logStreamDate(answer.invocation.started)}/[${answer.version}]${randomBytes(16).toString('hex')}`;
      track(writeInvocation(answer.version, answer.invocation, record.requestId, record.logStream));
    }
    if (options.api) track(writeApiMetrics(record.status, received, latencyMs));
  }

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const received = Date.now();
      const receivedAt = performance.now();
      handle(req, body)
        .then((answer) => {
          const record = { method: req.method, path: req.url, version: answer.version, status: answer.status, stderr: answer.stderr, receivedAt: received, answeredAt: Date.now() };
          requests.push(record);
          res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
          res.end(answer.body);
          afterAnswer(record, answer, received, performance.now() - receivedAt);
        })
        .catch((error) => {
          const record = { method: req.method, path: req.url, status: 500, stderr: String(error), receivedAt: received, answeredAt: Date.now() };
          requests.push(record);
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`endpoint error: ${error.message}`);
          afterAnswer(record, {}, received, performance.now() - receivedAt);
        });
    });
  });

  /** Waits for every log and metric write so far; rejects with the first that failed. */
  async function flush() {
    while (pending.size > 0) await Promise.all([...pending]);
    if (writeErrors.length > 0) {
      const [first] = writeErrors.splice(0);
      throw first;
    }
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    flush,
    stop: async () => {
      await flush().catch(() => undefined);
      await new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
      rmSync(cacheDir, { recursive: true, force: true });
      lambda.destroy();
      logs?.destroy();
      cloudwatch?.destroy();
    },
  };
}

/** `YYYY/MM/DD` (UTC) of a time, as Lambda starts its stream names. */
function logStreamDate(time) {
  return new Date(time).toISOString().slice(0, 10).replaceAll('-', '/');
}

/**
 * What the handler printed, line by line, as Lambda logs it: its console output on stdout (the
 * result, which the runner writes last without a newline, left out) and stderr, where the runner's
 * error report is the runtime's log line followed by `<type>: <message>`, an echo Lambda does not
 * write (left out).
 */
function printedLines(run) {
  const stdout = String(run.stdout);
  const printed = run.code === 0 ? stdout.slice(0, stdout.lastIndexOf('\n') + 1) : stdout;
  const lines = printed.split('\n').filter((line) => line !== '');
  let echo;
  for (const line of String(run.stderr).split('\n')) {
    if (line === '') continue;
    if (line === echo) {
      echo = undefined;
      continue;
    }
    echo = undefined;
    const details = line.split('\t').at(-1) ?? '';
    if (details.startsWith('{')) {
      try {
        const parsed = JSON.parse(details);
        if (typeof parsed?.errorType === 'string') echo = `${parsed.errorType}: ${parsed.errorMessage}`;
      } catch {
        // not the runtime's error line
      }
    }
    lines.push(line);
  }
  return lines;
}

function* walk(root) {
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() && statSync(path).size > 0) yield path;
  }
}

// A local HTTP endpoint that stands in for API Gateway in front of a Lambda alias: every request
// asks moto which version the alias points at (honouring routing weights), finds that version's
// code by its CodeSha256 among the zips under `codeRoots`, and runs its handler in a fresh Node
// process with the version's environment, like a cold start. A handler that fails to load or
// throws gives API Gateway's 502 {"message": "Internal server error"}.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { resultText, runHandler } from './run-handler.mjs';


/**
 * @param {{ awsEndpoint: string, functionName: string, alias: string, codeRoots: string[], region?: string }} options
 */
export async function startEndpoint(options) {
  const lambda = new LambdaClient({
    endpoint: options.awsEndpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
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
    const run = await runHandler(
      dir,
      config.Handler ?? 'index.handler',
      JSON.stringify(event),
      { ...(config.Environment?.Variables ?? {}), AWS_LAMBDA_FUNCTION_NAME: options.functionName, AWS_LAMBDA_FUNCTION_VERSION: version },
      10_000,
    );
    if (run.code !== 0) {
      return { version, status: 502, body: JSON.stringify({ message: 'Internal server error' }), stderr: run.stderr };
    }
    let result;
    try {
      result = JSON.parse(resultText(run.stdout));
    } catch {
      return { version, status: 502, body: JSON.stringify({ message: 'Internal server error' }), stderr: run.stderr };
    }
    return {
      version,
      status: result?.statusCode ?? 200,
      headers: result?.headers ?? {},
      body: typeof result?.body === 'string' ? result.body : JSON.stringify(result),
      stderr: run.stderr,
    };
  }

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      handle(req, body)
        .then((answer) => {
          requests.push({ method: req.method, path: req.url, version: answer.version, status: answer.status, stderr: answer.stderr });
          res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
          res.end(answer.body);
        })
        .catch((error) => {
          requests.push({ method: req.method, path: req.url, status: 500, stderr: String(error) });
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`endpoint error: ${error.message}`);
        });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => {
          rmSync(cacheDir, { recursive: true, force: true });
          lambda.destroy();
          resolve();
        });
      }),
  };
}

function* walk(root) {
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() && statSync(path).size > 0) yield path;
  }
}

// Runs one Lambda invocation the way the Node.js runtime would: load the handler module from
// the unpacked code, call the handler with the event read from stdin, print the result as JSON.
// A module that throws on load or a handler that throws exits non-zero, with the error on
// stderr in the runtime's own words.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [codeDir, handlerSetting] = process.argv.slice(2);
const dot = handlerSetting.lastIndexOf('.');
const moduleName = handlerSetting.slice(0, dot);
const exportName = handlerSetting.slice(dot + 1);

function fail(kind, error) {
  const type = error?.name ?? 'Error';
  const message = error?.message ?? String(error);
  process.stderr.write(`${new Date().toISOString()}\tundefined\tERROR\t${kind}\t${JSON.stringify({ errorType: type, errorMessage: message })}\n`);
  process.stderr.write(`${type}: ${message}\n`);
  process.exit(1);
}

let chunks = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) chunks += chunk;
const event = JSON.parse(chunks || '{}');

const file = ['.mjs', '.js', '.cjs'].map((ext) => join(codeDir, moduleName + ext)).find((f) => existsSync(f));
if (!file) fail('Runtime.ImportModuleError', new Error(`Cannot find module '${moduleName}'`));
let mod;
try {
  mod = await import(pathToFileURL(file).href);
} catch (error) {
  fail('Uncaught Exception', error);
}
const handler = mod[exportName] ?? mod.default?.[exportName];
if (typeof handler !== 'function') fail('Runtime.HandlerNotFound', new Error(`${handlerSetting} is undefined or not exported`));
try {
  const result = await handler(event, { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, awsRequestId: 'local' });
  process.stdout.write(JSON.stringify(result ?? null));
} catch (error) {
  fail('Invoke Error', error);
}

// Runs one Lambda invocation the way the Node.js runtime would: load the handler module from
// the unpacked code, call the handler with the event read from stdin, print the result as JSON.
// A module that throws on load or a handler that throws exits non-zero, with the error on
// stderr in the runtime's own words (the log line Lambda writes), then `<type>: <message>`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [codeDir, handlerSetting] = process.argv.slice(2);
const dot = handlerSetting.lastIndexOf('.');
const moduleName = handlerSetting.slice(0, dot);
const exportName = handlerSetting.slice(dot + 1);

/** An error's stack as the runtime logs it: one line an entry, paths as under /var/task, without this runner's frames. */
function stackLines(error) {
  if (typeof error?.stack !== 'string') return undefined;
  const codeUrl = pathToFileURL(codeDir).href;
  return error.stack
    .split('\n')
    .filter((line) => !line.includes(import.meta.url))
    .map((line) => line.split(codeUrl).join('file:///var/task').split(codeDir).join('/var/task'));
}

/**
 * The runtime's log line (`<time>\tundefined\tERROR\t<kind> \t{"errorType",...,"stack":[...]}`,
 * the space before the tab as the Node.js runtime writes it), then `<type>: <message>` alone.
 */
function fail(kind, error) {
  const type = error?.name ?? 'Error';
  const message = error?.message ?? String(error);
  const stack = stackLines(error);
  const details = JSON.stringify({ errorType: type, errorMessage: message, ...(stack && { stack }) });
  process.stderr.write(`${new Date().toISOString()}\tundefined\tERROR\t${kind} \t${details}\n`);
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

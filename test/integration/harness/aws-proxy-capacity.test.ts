// The proxy's provisioned concurrency emulation (emulateProvisionedConcurrency): moto has none, so
// the proxy answers Put/Get/Delete/ListProvisionedConcurrencyConfig(s) as the Lambda API reference
// describes them, through the real SDK client.
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  ListProvisionedConcurrencyConfigsCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { useProxiedMoto } from '../../harness/proxied-moto.js';
import { createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';

const aws = useProxiedMoto('aws-proxy-capacity-');

let counter = 0;
async function publishedFunction(): Promise<{ name: string; version: string }> {
  counter += 1;
  const name = `capacity-fn-${counter}`;
  const zipPath = makeZip(aws.tmp, { 'index.js': `exports.handler = async () => '${name}';\n` });
  await createFunction(aws.proxy.endpoint, { name, zipPath });
  const published = await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  return { name, version: published.Version ?? '' };
}

const errorName = (promise: Promise<unknown>) => promise.then(() => 'no error', (error: Error) => error.name);

describe('emulateProvisionedConcurrency', () => {
  it('is off by default: the calls go to moto, which does not implement them', async () => {
    const { name, version } = await publishedFunction();
    const answer = await errorName(
      aws.clients.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version, ProvisionedConcurrentExecutions: 2 })),
    );
    expect(answer).not.toBe('no error');
    expect(aws.proxy.provisionedConcurrencyConfigs()).toEqual([]);
  });

  it('answers Put with IN_PROGRESS, then Get with IN_PROGRESS until readyAfterMs, then READY', async () => {
    aws.proxy.emulateProvisionedConcurrency({ readyAfterMs: 400 });
    const { name, version } = await publishedFunction();
    const lambda = aws.clients.lambda;
    const put = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version, ProvisionedConcurrentExecutions: 3 }));
    expect(put.$metadata.httpStatusCode).toBe(202);
    expect(put.Status).toBe('IN_PROGRESS');
    expect(put.RequestedProvisionedConcurrentExecutions).toBe(3);

    const early = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version }));
    expect(early.Status).toBe('IN_PROGRESS');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ready = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version }));
    expect(ready).toMatchObject({ Status: 'READY', RequestedProvisionedConcurrentExecutions: 3, AllocatedProvisionedConcurrentExecutions: 3 });

    const list = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name }));
    expect(list.ProvisionedConcurrencyConfigs?.map((c) => [c.FunctionArn?.endsWith(`:function:${name}:${version}`), c.Status])).toEqual([[true, 'READY']]);
    expect(aws.proxy.provisionedConcurrencyConfigs()).toEqual([{ functionName: name, qualifier: version, requested: 3, status: 'READY' }]);
  });

  it('ends FAILED with the StatusReason given, and allocates nothing', async () => {
    aws.proxy.emulateProvisionedConcurrency({ fail: 'Not enough unreserved concurrency in the account' });
    const { name, version } = await publishedFunction();
    const lambda = aws.clients.lambda;
    await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version, ProvisionedConcurrentExecutions: 5 }));
    const failed = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version }));
    expect(failed).toMatchObject({ Status: 'FAILED', StatusReason: 'Not enough unreserved concurrency in the account', AllocatedProvisionedConcurrentExecutions: 0 });
  });

  it('answers Get for a qualifier without a configuration with ProvisionedConcurrencyConfigNotFoundException, and Delete removes one', async () => {
    aws.proxy.emulateProvisionedConcurrency();
    const { name, version } = await publishedFunction();
    const lambda = aws.clients.lambda;
    expect(await errorName(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version })))).toBe(
      'ProvisionedConcurrencyConfigNotFoundException',
    );
    await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version, ProvisionedConcurrentExecutions: 1 }));
    const deleted = await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await errorName(lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version })))).toBe(
      'ProvisionedConcurrencyConfigNotFoundException',
    );
    expect(await errorName(lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version })))).toBe('ResourceNotFoundException');
  });

  it('refuses $LATEST, and clearBehaviours turns it off and forgets every configuration', async () => {
    aws.proxy.emulateProvisionedConcurrency();
    const { name, version } = await publishedFunction();
    const lambda = aws.clients.lambda;
    expect(
      await errorName(lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: '$LATEST', ProvisionedConcurrentExecutions: 1 }))),
    ).toBe('InvalidParameterValueException');
    await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version, ProvisionedConcurrentExecutions: 1 }));
    aws.proxy.clearBehaviours();
    expect(aws.proxy.provisionedConcurrencyConfigs()).toEqual([]);
  });
});

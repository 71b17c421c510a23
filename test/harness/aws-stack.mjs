// One end-to-end file's AWS: a fresh moto, the proxy in front of it, a workspace with a build/
// folder, and a Lambda client on moto; `stops` collects what the file starts besides (endpoints,
// servers), and `stop()` ends all of it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startProxy } from './aws-proxy.mjs';
import { lambdaClient } from './lambda-fixtures.mjs';
import { startMoto } from './moto.mjs';

// `images`: moto resolves a function's image URI in its own ECR (MOTO_LAMBDA_STUB_ECR=false), as
// Lambda does, so that an image function's CodeSha256 is its image's digest (ecr-fixtures.mjs),
// and the proxy answers GetFunction's image URIs as Lambda does (resolveImageUris).
export async function startAwsStack(prefix, { keepLoggingConfig = false, images = false } = {}) {
  const moto = await startMoto(images ? { env: { MOTO_LAMBDA_STUB_ECR: 'false' } } : {});
  const proxy = await startProxy({ target: moto.endpoint });
  if (keepLoggingConfig) proxy.keepLoggingConfig();
  if (images) proxy.resolveImageUris();
  const workspace = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(workspace, 'build'));
  const lambda = lambdaClient(moto.endpoint);
  const stops = [];
  return {
    moto,
    proxy,
    workspace,
    lambda,
    stops,
    async stop() {
      for (const stop of stops) await stop();
      lambda.destroy();
      await proxy.stop();
      await moto.stop();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

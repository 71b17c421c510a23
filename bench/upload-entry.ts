/**
 * Bench entry: upload one file through the action's own S3 store (`S3ArtifactStore`, the
 * clients from `createClients()`), as a deploy does. Bundled with ncc by bench/s3-upload.mjs;
 * not part of the action. The SDK finds the endpoint in AWS_ENDPOINT_URL (moto).
 * Usage: node <bundle> <bucket> <key> <file>
 * Prints JSON: the upload's own time, the resident set size before the upload (node and the
 * SDK loaded) and the largest one seen by sampling `process.memoryUsage()` every 50 ms (a
 * fallback for when /usr/bin/time is missing), with the heap and array-buffer figures of that
 * sample, to tell what the peak is made of.
 */
import { createClients } from '../test/harness/aws-clients.js';
import { S3ArtifactStore } from '../src/aws/s3-store.js';

const SAMPLE_MS = 50;

async function main(): Promise<void> {
  const [bucket, key, file] = process.argv.slice(2);
  if (!bucket || !key || !file) {
    process.stderr.write('usage: upload-entry <bucket> <key> <file>\n');
    process.exitCode = 2;
    return;
  }
  const clients = createClients();
  const baselineRssBytes = process.memoryUsage.rss();
  let peak = process.memoryUsage();
  const sample = (): void => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  const started = performance.now();
  try {
    await new S3ArtifactStore(clients.s3).upload(bucket, key, file);
  } finally {
    clearInterval(sampler);
    clients.s3.destroy();
  }
  const uploadMs = performance.now() - started;
  sample();
  process.stdout.write(
    `${JSON.stringify({
      uploadMs,
      baselineRssBytes,
      sampledMaxRssBytes: peak.rss,
      atPeak: { heapUsedBytes: peak.heapUsed, heapTotalBytes: peak.heapTotal, arrayBuffersBytes: peak.arrayBuffers, externalBytes: peak.external },
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

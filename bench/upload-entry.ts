/**
 * Bench entry: upload one file through the action's own S3 store, built as a deploy builds it:
 * the region's services (`RegionServices`: the Lambda client, and the S3 client and
 * `S3ArtifactStore` loaded on first use, with the store's default part size and queue). Bundled
 * with ncc by bench/s3-upload.mjs; not part of the action. The SDK finds the endpoint in AWS_ENDPOINT_URL (moto).
 * Usage: node <bundle> <bucket> <key> <file>
 * Prints JSON: the upload's own time, the resident set size before the upload (node and the
 * SDK loaded) and the largest one seen by sampling `process.memoryUsage()` every 50 ms (a
 * fallback for when /usr/bin/time is missing), with the heap and array-buffer figures of that
 * sample, to tell what the peak is made of.
 */
import { RegionServices } from '../src/aws/services.js';

const SAMPLE_MS = 50;

async function main(): Promise<void> {
  const [bucket, key, file] = process.argv.slice(2);
  if (!bucket || !key || !file) {
    process.stderr.write('usage: upload-entry <bucket> <key> <file>\n');
    process.exitCode = 2;
    return;
  }
  const store = await new RegionServices({}).store();
  const baselineRssBytes = process.memoryUsage.rss();
  let peak = process.memoryUsage();
  const sample = (): void => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  const started = performance.now();
  try {
    await store.upload(bucket, key, file);
  } finally {
    clearInterval(sampler);
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

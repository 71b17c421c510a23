import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { addDeflatedBuffer, createDeflater, DEFLATE_LEVEL, WORKER_THRESHOLD_BYTES } from '../../../src/artifact/deflate-pool.js';

let scratch: string;
const paths: string[] = [];
const contents: Buffer[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'deflate-pool-'));
  for (let i = 0; i < 70; i++) {
    const bytes = Buffer.from(`file ${i} `.repeat(10 + i * 53));
    const path = join(scratch, `f${i}.txt`);
    await writeFile(path, bytes);
    paths.push(path);
    contents.push(bytes);
  }
  paths.push(join(scratch, 'empty'));
  contents.push(Buffer.alloc(0));
  await writeFile(paths.at(-1)!, '');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('createDeflater', () => {
  for (const [how, smallBytes] of [
    ['on the main thread', 0],
    ['in worker threads', WORKER_THRESHOLD_BYTES],
  ] as const) {
    it(`reads and deflates ${how}: the bytes of deflateRawSync at yazl's level, in order`, async () => {
      const deflater = createDeflater(smallBytes);
      try {
        const out = await deflater.deflate(
          paths,
          contents.map((c) => c.length),
        );
        expect(out).toHaveLength(paths.length);
        out.forEach((d, k) => {
          expect(d.raw.equals(contents[k]!)).toBe(true);
          expect(d.deflated.equals(deflateRawSync(contents[k]!, { level: DEFLATE_LEVEL }))).toBe(true);
        });
      } finally {
        await deflater.close();
      }
    });

    it(`passes a read error on ${how}`, async () => {
      const deflater = createDeflater(smallBytes);
      try {
        await expect(deflater.deflate([join(scratch, 'missing')], [1])).rejects.toMatchObject({ code: 'ENOENT' });
      } finally {
        await deflater.close();
      }
    });
  }
});

async function zipBytes(add: (zip: yazl.ZipFile) => void): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', resolve);
    zip.outputStream.on('error', reject);
  });
  add(zip);
  zip.end();
  await done;
  return Buffer.concat(chunks);
}

describe('addDeflatedBuffer', () => {
  it('writes the entry yazl writes when it deflates the buffer itself', async () => {
    const options = { mode: 0o100644, mtime: new Date(1980, 0, 1), forceDosTimestamp: true, compress: true } as const;
    const theirs = await zipBytes((zip) => contents.forEach((c, k) => zip.addBuffer(c, `f${k}`, options)));
    const ours = await zipBytes((zip) =>
      contents.forEach((c, k) => addDeflatedBuffer(zip, c, deflateRawSync(c, { level: DEFLATE_LEVEL }), `f${k}`, options)),
    );
    expect(ours.equals(theirs)).toBe(true);
  });
});

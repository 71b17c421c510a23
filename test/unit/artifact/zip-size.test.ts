/**
 * The unzipped size read from a zip's central directory (Lambda's 250 MB unzipped limit): zips
 * made by zip(1) and by yazl (with ZIP64 forced), empty zips, and files that are no zip.
 */
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { afterAll, describe, expect, it } from 'vitest';

import { prepareArtifact } from '../../../src/artifact/package.js';
import { zipContents } from '../../../src/artifact/zip-size.js';
import { makeZip } from '../../harness/lambda-fixtures.mjs';

const dir = mkdtempSync(join(tmpdir(), 'zip-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function yazlZip(name: string, entries: Record<string, Buffer>, options: { forceZip64Format?: boolean; compress?: boolean } = {}) {
  const zip = new yazl.ZipFile();
  for (const [entry, data] of Object.entries(entries)) {
    zip.addBuffer(data, entry, { compress: options.compress ?? true, forceZip64Format: options.forceZip64Format ?? false });
  }
  zip.end({ forceZip64Format: options.forceZip64Format ?? false, comment: '' });
  const path = join(dir, name);
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

describe('zipContents', () => {
  it('sums the uncompressed sizes of a zip made by zip(1)', async () => {
    const path = makeZip(dir, { 'index.mjs': 'x'.repeat(1000), 'lib/a.js': 'y'.repeat(2345) });
    expect(await zipContents(path)).toEqual({ entries: 3, unzippedBytes: 3345 }); // lib/ is an entry of 0 bytes
  });

  it('reads a compressed entry\'s full size, not its compressed one', async () => {
    const path = await yazlZip('zeros.zip', { 'zeros.bin': Buffer.alloc(5_000_000) });
    expect(await zipContents(path)).toEqual({ entries: 1, unzippedBytes: 5_000_000 });
  });

  it('understands ZIP64 records and extra fields', async () => {
    const path = await yazlZip('zip64.zip', { 'a.bin': Buffer.alloc(1234), 'b.bin': Buffer.alloc(4321) }, { forceZip64Format: true });
    expect(await zipContents(path)).toEqual({ entries: 2, unzippedBytes: 5555 });
  });

  it('an empty zip holds nothing; a file that is no zip says what is wrong', async () => {
    expect(await zipContents(await yazlZip('empty.zip', {}))).toEqual({ entries: 0, unzippedBytes: 0 });
    const bogus = join(dir, 'bogus.zip');
    writeFileSync(bogus, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]));
    await expect(zipContents(bogus)).rejects.toThrow('no end of central directory record');
  });
});

describe('prepareArtifact measures the unzipped size', () => {
  it('of a zip file from its central directory, of a directory from its files', async () => {
    const zip = makeZip(dir, { 'index.mjs': 'z'.repeat(777) });
    expect((await prepareArtifact(zip, { workDir: dir })).unzippedBytes).toBe(777);
    const tree = mkdtempSync(join(dir, 'tree-'));
    writeFileSync(join(tree, 'a.js'), 'a'.repeat(100));
    writeFileSync(join(tree, 'b.js'), 'b'.repeat(23));
    expect((await prepareArtifact(tree, { workDir: dir })).unzippedBytes).toBe(123);
  });

  it('refuses a zip whose central directory cannot be read, naming the field', async () => {
    const bogus = join(dir, 'broken.zip');
    writeFileSync(bogus, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]));
    await expect(prepareArtifact(bogus, { workDir: dir })).rejects.toThrow(
      `artifact: "${bogus}" is not a readable zip file (no end of central directory record)`,
    );
  });
});

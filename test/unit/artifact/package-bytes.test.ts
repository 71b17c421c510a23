import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareArtifact } from '../../../src/artifact/package.js';

/**
 * The exact bytes the packer writes for a fixed tree. The sha256 below was recorded with the
 * packer as it was before issue 17 (every small file deflated by yazl's addBuffer through Node's
 * async zlib); any change to how entries are compressed or fed to yazl must keep it, or the same
 * tree would get a new CodeSha256 and an unchanged redeploy would publish a new version.
 *
 * The tree crosses every path of the packer: small files in several segments (more than 48 in a
 * row, and a run over 8 MB), the file that closes each segment (streamed, data descriptor), files
 * over 1 MB, an empty file, an execute bit, a non-ASCII name, text and incompressible bytes.
 */
const PINNED_SHA256 = '3c1db8f06b172e11ec3361488f9e35af66a627bac8d5cfd9a6186d0f3bf988b1';
/** The same for the tree's first 40 files only (about 400 KB: a tree too small for worker threads). */
const PINNED_SMALL_SHA256 = 'bdc7bae14df2f068bf1f7318edb645f5f5008f18bdffda4a1659727a1e3e51c9';

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const WORDS = ['const', 'return', 'function', 'export', 'import', 'value', 'handler', 'await', '=>', '{', '}', ';', '\n'];

function fileBytes(index: number, size: number): Buffer {
  const rand = prng(0x9e3779b1 ^ (index * 2654435761));
  const out = Buffer.alloc(size);
  let at = 0;
  while (at < size) {
    if (index % 3 === 0 && rand() < 0.3) {
      // a run of incompressible bytes
      const n = Math.min(size - at, 256 + Math.floor(rand() * 2048));
      for (let k = 0; k < n; k++) out[at + k] = Math.floor(rand() * 256);
      at += n;
    } else {
      const word = `${WORDS[Math.floor(rand() * WORDS.length)]!} `;
      at += out.write(word, at);
    }
  }
  return out;
}

/** path → [size, mode] */
function fixtureSpec(): Array<{ rel: string; size: number; mode: number }> {
  const spec: Array<{ rel: string; size: number; mode: number }> = [];
  for (let i = 0; i < 130; i++) {
    const size = i === 7 ? 0 : i % 45 === 44 ? 1_200_000 + i * 1000 : i >= 100 && i < 112 ? 900_000 : 200 + ((i * 7919) % 20_000);
    const dir = i < 40 ? 'lib' : i < 90 ? 'lib/deep/er' : 'node_modules/pkg';
    spec.push({ rel: `${dir}/file-${String(i).padStart(3, '0')}.js`, size, mode: i % 17 === 3 ? 0o755 : 0o644 });
  }
  spec.push({ rel: 'ünïcode/naïve.txt', size: 321, mode: 0o644 });
  spec.push({ rel: 'index.js', size: 4096, mode: 0o644 });
  return spec;
}

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'artifact-bytes-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function packedSha256(name: string, spec: ReturnType<typeof fixtureSpec>): Promise<string> {
  const root = join(scratch, name);
  for (const [index, file] of spec.entries()) {
    const path = join(root, file.rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, fileBytes(index, file.size));
    await chmod(path, file.mode);
  }
  const workDir = join(scratch, `work-${name}`);
  await mkdir(workDir);
  const artifact = await prepareArtifact(root, { workDir });
  const bytes = await readFile(artifact.zipPath);
  const hex = createHash('sha256').update(bytes).digest('hex');
  expect(artifact.sha256Hex).toBe(hex);
  return hex;
}

describe('prepareArtifact: the bytes of a directory zip', () => {
  it('are the ones recorded for a fixed tree', async () => {
    expect(await packedSha256('tree', fixtureSpec())).toBe(PINNED_SHA256);
  });

  it('are the ones recorded for a small tree', async () => {
    expect(await packedSha256('small', fixtureSpec().slice(0, 40))).toBe(PINNED_SMALL_SHA256);
  });
});

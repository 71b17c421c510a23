import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareArtifact } from '../../../src/artifact/package.js';
import { InputError } from '../../../src/model/errors.js';

let scratch: string;
let workDir: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'artifact-test-'));
  workDir = join(scratch, 'work');
  await mkdir(workDir);
});

afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A small tree: path → contents. */
const TREE: Record<string, string> = {
  'index.js': 'exports.handler = async () => ({ statusCode: 200, body: "ok" });\n',
  'lib/util.js': 'module.exports = { add: (a, b) => a + b };\n'.repeat(50),
  'lib/a-b.js': 'dash\n',
  'lib/sub/deep.json': JSON.stringify({ deep: true, list: Array.from({ length: 100 }, (_, i) => i) }),
  'Zeta.txt': 'capital Z sorts before lowercase\n',
  'bin/run': '#!/bin/sh\necho run\n',
  'ünïcode.txt': 'utf-8 name\n',
};

async function writeTree(root: string, order: string[], mtime: Date): Promise<void> {
  for (const rel of order) {
    const p = join(root, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, TREE[rel]!);
    await chmod(p, rel === 'bin/run' ? 0o755 : 0o644);
    await utimes(p, mtime, mtime);
  }
}

function sha256(buf: Buffer): { b64: string; hex: string } {
  const d = createHash('sha256').update(buf).digest();
  return { b64: d.toString('base64'), hex: d.toString('hex') };
}

function refused(promise: Promise<unknown>): Promise<InputError> {
  return promise.then(
    () => {
      throw new Error('expected an InputError');
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(InputError);
      return err as InputError;
    },
  );
}

describe('prepareArtifact: a zip file', () => {
  it('is used as it is, with its SHA-256 in base64 and hex', async () => {
    const src = join(scratch, 'src');
    await writeTree(src, Object.keys(TREE), new Date());
    const zipFile = join(scratch, 'fn.zip');
    execFileSync('zip', ['-qrX', zipFile, '.'], { cwd: src });

    const artifact = await prepareArtifact(zipFile, { workDir });
    const bytes = await readFile(zipFile);
    expect(artifact.zipPath).toBe(zipFile);
    expect(artifact.codeSha256).toBe(sha256(bytes).b64);
    expect(artifact.sha256Hex).toBe(sha256(bytes).hex);
    expect(artifact.sizeBytes).toBe(bytes.length);
    expect(artifact.source).toEqual({ kind: 'zip', path: zipFile });
  });

  it('accepts an empty zip (end record only)', async () => {
    const empty = join(scratch, 'empty.zip');
    await writeFile(empty, Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]));
    const artifact = await prepareArtifact(empty, { workDir });
    expect(artifact.sizeBytes).toBe(22);
  });

  it('refuses a file that is not a zip, naming the field and the path', async () => {
    const tar = join(scratch, 'fn.tar');
    await writeFile(tar, 'not a zip at all');
    const err = await refused(prepareArtifact(tar, { workDir }));
    expect(err.message).toBe(`artifact: "${tar}" is not a zip file`);
    const tiny = join(scratch, 'tiny.zip');
    await writeFile(tiny, 'PK');
    await refused(prepareArtifact(tiny, { workDir, field: 'code' }));
  });

  it('refuses a path that does not exist', async () => {
    const err = await refused(prepareArtifact('build/nope-does-not-exist.zip', { workDir }));
    expect(err.message).toBe('artifact: "build/nope-does-not-exist.zip" does not exist');
    const named = await refused(prepareArtifact(join(scratch, 'x.zip'), { workDir, field: 'code' }));
    expect(named.message).toMatch(/^code: ".*x\.zip" does not exist$/);
  });
});

describe('prepareArtifact: a directory', () => {
  it('gives byte-identical zips for the same tree, whatever the mtimes and creation order', async () => {
    const a = join(scratch, 'a');
    const b = join(scratch, 'b');
    const keys = Object.keys(TREE);
    await writeTree(a, keys, new Date('2001-02-03T04:05:06Z'));
    await writeTree(b, [...keys].reverse(), new Date('2024-11-12T13:14:15Z'));

    const za = await prepareArtifact(a, { workDir });
    const zb = await prepareArtifact(b, { workDir });
    expect(za.zipPath).not.toBe(zb.zipPath);
    const bytesA = await readFile(za.zipPath);
    const bytesB = await readFile(zb.zipPath);
    expect(bytesA.equals(bytesB)).toBe(true);
    expect(za.codeSha256).toBe(zb.codeSha256);
    expect(za.codeSha256).toBe(sha256(bytesA).b64);
    expect(za.sha256Hex).toBe(sha256(bytesA).hex);
    expect(za.sizeBytes).toBe(bytesA.length);
    expect(za.source).toEqual({ kind: 'directory', path: a });
  });

  it('makes a valid zip with entries sorted by path bytes and the right contents', async () => {
    const src = join(scratch, 'src');
    await writeTree(src, Object.keys(TREE), new Date());
    const { zipPath } = await prepareArtifact(src, { workDir });

    execFileSync('unzip', ['-tq', zipPath]);
    const names = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).trim().split('\n');
    const expected = Object.keys(TREE).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(names).toEqual(expected);
    expect(names.slice(0, 3)).toEqual(['Zeta.txt', 'bin/run', 'index.js']);
    expect(names.indexOf('lib/a-b.js')).toBeLessThan(names.indexOf('lib/sub/deep.json'));
    for (const [rel, content] of Object.entries(TREE)) {
      expect(execFileSync('unzip', ['-p', zipPath, rel], { encoding: 'utf8' })).toBe(content);
    }
    // deflate, no directory entries
    const verbose = execFileSync('unzip', ['-v', zipPath], { encoding: 'utf8' });
    expect(verbose).toMatch(/Defl:N/);
    expect(names.some((n) => n.endsWith('/'))).toBe(false);
  });

  it('keeps the execute bit as 755 and everything else as 644', async () => {
    const src = join(scratch, 'src');
    await writeTree(src, Object.keys(TREE), new Date());
    await chmod(join(src, 'index.js'), 0o600); // odd modes normalise
    await chmod(join(src, 'Zeta.txt'), 0o700);
    const { zipPath } = await prepareArtifact(src, { workDir });
    const listing = execFileSync('zipinfo', [zipPath], { encoding: 'utf8' });
    const modeOf = (name: string): string | undefined =>
      listing.split('\n').find((line) => line.trimEnd().endsWith(` ${name}`))?.split(/\s+/)[0];
    expect(modeOf('bin/run')).toBe('-rwxr-xr-x');
    expect(modeOf('Zeta.txt')).toBe('-rwxr-xr-x');
    expect(modeOf('index.js')).toBe('-rw-r--r--');
    expect(modeOf('lib/util.js')).toBe('-rw-r--r--');
  });

  it('writes the fixed DOS epoch in every header, so the time zone cannot change the bytes', async () => {
    const src = join(scratch, 'src');
    await writeTree(src, Object.keys(TREE), new Date());
    const { zipPath } = await prepareArtifact(src, { workDir });
    const bytes = await readFile(zipPath);

    // Walk the central directory (from the end record) and each entry's local header.
    const eocd = bytes.length - 22;
    expect(bytes.readUInt32LE(eocd)).toBe(0x06054b50);
    const count = bytes.readUInt16LE(eocd + 10);
    let at = bytes.readUInt32LE(eocd + 16);
    expect(count).toBe(Object.keys(TREE).length);
    for (let n = 0; n < count; n++) {
      expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
      // central directory: time at 12, date at 14, extra field length at 30 (no UTC timestamp)
      expect(bytes.readUInt16LE(at + 12)).toBe(0x0000);
      expect(bytes.readUInt16LE(at + 14)).toBe(0x0021); // 1980-01-01 00:00:00
      expect(bytes.readUInt16LE(at + 30)).toBe(0);
      const local = bytes.readUInt32LE(at + 42);
      expect(bytes.readUInt32LE(local)).toBe(0x04034b50);
      // local file header: time at 10, date at 12, extra field length at 28
      expect(bytes.readUInt16LE(local + 10)).toBe(0x0000);
      expect(bytes.readUInt16LE(local + 12)).toBe(0x0021);
      expect(bytes.readUInt16LE(local + 28)).toBe(0);
      at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    }
    expect(execFileSync('zipinfo', ['-T', zipPath], { encoding: 'utf8' })).toMatch(/19800101\.000000/);
  });

  it('stores a symlink to a file inside the directory as the file', async () => {
    const src = join(scratch, 'src');
    await writeTree(src, Object.keys(TREE), new Date());
    await symlink('../index.js', join(src, 'lib/alias.js'));
    await symlink('lib', join(src, 'libdir')); // a link to a directory inside is walked
    const { zipPath } = await prepareArtifact(src, { workDir });
    expect(execFileSync('unzip', ['-p', zipPath, 'lib/alias.js'], { encoding: 'utf8' })).toBe(TREE['index.js']);
    expect(execFileSync('unzip', ['-p', zipPath, 'libdir/sub/deep.json'], { encoding: 'utf8' })).toBe(
      TREE['lib/sub/deep.json'],
    );
  });

  it('refuses a symlink that points outside the directory', async () => {
    const src = join(scratch, 'dist');
    await writeTree(src, Object.keys(TREE), new Date());
    await writeFile(join(scratch, 'secret.txt'), 'outside');
    await symlink('../secret.txt', join(src, 'link'));
    const err = await refused(prepareArtifact(src, { workDir }));
    expect(err.message).toContain(`artifact: "${src}/link" is a symlink pointing outside the directory (`);
    expect(err.message).toContain('secret.txt');
  });

  describe('inside the workspace (baseDir)', () => {
    let workspace: string;
    let outside: string;
    beforeEach(async () => {
      workspace = join(scratch, 'workspace');
      outside = join(scratch, 'elsewhere');
      await writeTree(outside, Object.keys(TREE), new Date());
      await mkdir(workspace);
    });

    it('refuses a directory root that is a symlink to outside the workspace, naming the input and value', async () => {
      await symlink(outside, join(workspace, 'app'));
      const err = await refused(prepareArtifact('app', { workDir, baseDir: workspace }));
      expect(err.message).toBe(
        `artifact: "app" is a symlink pointing outside the workspace (${outside}); the artifact must be in the workspace`,
      );
    });

    it('refuses a path that leads out of the workspace (.., absolute, a zip behind a link)', async () => {
      const zip = join(outside, 'f.zip');
      execFileSync('zip', ['-q', '-j', zip, join(outside, 'index.js')]);
      const up = await refused(prepareArtifact('../elsewhere', { workDir, baseDir: workspace, field: 'code' }));
      expect(up.message).toBe(`code: "../elsewhere" is outside the workspace (${outside}); the artifact must be in the workspace`);
      const absolute = await refused(prepareArtifact(zip, { workDir, baseDir: workspace }));
      expect(absolute.message).toContain(`artifact: "${zip}" is outside the workspace`);
      await symlink(zip, join(workspace, 'f.zip'));
      const linked = await refused(prepareArtifact('f.zip', { workDir, baseDir: workspace }));
      expect(linked.message).toContain('artifact: "f.zip" is a symlink pointing outside the workspace');
      await symlink(outside, join(workspace, 'via'));
      const through = await refused(prepareArtifact('via/lib', { workDir, baseDir: workspace }));
      expect(through.message).toContain('artifact: "via/lib" is outside the workspace');
    });

    it('packs a directory reached through a symlink that stays in the workspace', async () => {
      await writeTree(join(workspace, 'real'), Object.keys(TREE), new Date());
      await symlink('real', join(workspace, 'app'));
      const viaLink = await prepareArtifact('app', { workDir, baseDir: workspace });
      const direct = await prepareArtifact('real', { workDir, baseDir: workspace });
      expect(viaLink.codeSha256).toBe(direct.codeSha256);
    });

    it('still refuses a symlink inside the directory that leaves it', async () => {
      await writeTree(join(workspace, 'app'), Object.keys(TREE), new Date());
      await symlink(join(outside, 'index.js'), join(workspace, 'app', 'leak.js'));
      const err = await refused(prepareArtifact('app', { workDir, baseDir: workspace }));
      expect(err.message).toBe(`artifact: "app/leak.js" is a symlink pointing outside the directory (${outside}/index.js)`);
    });
  });

  it('refuses a broken symlink', async () => {
    const src = join(scratch, 'dist');
    await writeTree(src, Object.keys(TREE), new Date());
    await symlink('missing.js', join(src, 'dangling'));
    const err = await refused(prepareArtifact(src, { workDir }));
    expect(err.message).toBe(`artifact: "${src}/dangling" is a broken symlink`);
  });

  it('refuses an empty directory (empty subdirectories count as empty)', async () => {
    const src = join(scratch, 'build');
    await mkdir(join(src, 'a/b'), { recursive: true });
    const err = await refused(prepareArtifact(`${src}/`, { workDir }));
    expect(err.message).toBe(`artifact: "${src}/" is an empty directory`);
  });

  it('zips a larger tree (small and streamed files) reproducibly', async () => {
    const a = join(scratch, 'a');
    const b = join(scratch, 'b');
    const files: Array<[string, Buffer]> = [];
    for (let i = 0; i < 150; i++) {
      const size = i % 40 === 0 ? 1_500_000 + i : 2_000 + i * 37;
      const content = Buffer.alloc(size);
      for (let k = 0; k < size; k++) content[k] = (k * 31 + i) % 251;
      files.push([`pkg${i % 7}/file${i}.bin`, content]);
    }
    for (const [root, list] of [
      [a, files],
      [b, [...files].reverse()],
    ] as const) {
      for (const [rel, content] of list) {
        await mkdir(dirname(join(root, rel)), { recursive: true });
        await writeFile(join(root, rel), content);
      }
    }
    const za = await prepareArtifact(a, { workDir });
    const zb = await prepareArtifact(b, { workDir });
    expect(za.codeSha256).toBe(zb.codeSha256);
    execFileSync('unzip', ['-tq', za.zipPath]);
    const names = execFileSync('unzip', ['-Z1', za.zipPath], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toHaveLength(150);
    const big = files[40]!;
    const extracted = execFileSync('unzip', ['-p', za.zipPath, big[0]], { maxBuffer: 16 << 20 });
    expect(extracted.equals(big[1])).toBe(true);
  });
});

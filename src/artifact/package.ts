/**
 * Packaging: turn what the user named (`artifact:`) into a zip file on disk plus its
 * Lambda-style hash. A zip file is used as it is; a directory is zipped reproducibly, so that
 * the same tree (contents, relative paths, execute bits) always gives the same bytes, and so
 * the same CodeSha256, whatever the timestamps, the order the files were written in, or the
 * machine's time zone.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { type Artifact } from '../model/lambda.js';
import { InputError } from '../model/errors.js';
import { addDeflatedBuffer, addDeflatedStream, createDeflater, WrittenEntries, type Deflated } from './deflate-pool.js';
import { zipContents } from './zip-size.js';

export interface PrepareArtifactOptions {
  /** A directory of the caller's (a temp dir) where a zip made from a directory is written. */
  workDir: string;
  /** The input's name, for messages; default `artifact`. */
  field?: string;
  /**
   * The directory a relative path is resolved against (the workspace); default the current one.
   * When given, the artifact must resolve (symlinks followed) inside it.
   */
  baseDir?: string;
}

/**
 * Every entry's timestamp. yazl encodes the DOS date/time from the *local* fields of the Date,
 * so a Date built from local fields (1980-01-01 00:00:00) encodes to the DOS epoch (date 0x0021,
 * time 0x0000) in every time zone. `forceDosTimestamp` leaves out the extended-timestamp extra
 * field (a UTC instant, which would differ between time zones).
 */
const DOS_EPOCH = (): Date => new Date(1980, 0, 1, 0, 0, 0, 0);
const FILE_MODE = 0o100644;
const EXEC_MODE = 0o100755;
/** Files up to this size are read whole and deflated ahead; larger ones are streamed. */
const SMALL_FILE_BYTES = 1 << 20;
/**
 * At most this many small files, and about this many bytes, between two streamed entries (see
 * `feed`). These numbers decide which files are streamed, and so the zip's bytes: keep them.
 */
const SEGMENT_FILES = 48;
const SEGMENT_BYTES = 8 << 20;
/** How many bytes of files are read and deflated ahead of the entries added to yazl. */
const LOOKAHEAD_BYTES = 8 << 20;
/**
 * A segment's streamed file up to this size is read and deflated ahead too (and handed to yazl
 * as a stream of those bytes); a larger one is streamed from disk and deflated by yazl.
 */
const PREDEFLATE_MAX_BYTES = 8 << 20;
/** At most about this many deflated bytes handed to yazl and not yet passed on to the file. */
const WRITE_BACKLOG_BYTES = 8 << 20;

/** How many bytes have gone by, and a promise for when that reaches a number. */
class Progress {
  private count = 0;
  private waiting: Array<{ target: number; resolve: () => void }> = [];
  advance(count: number): void {
    this.count = count;
    if (this.waiting.length === 0) return;
    const still: typeof this.waiting = [];
    for (const w of this.waiting) {
      if (w.target <= count) w.resolve();
      else still.push(w);
    }
    this.waiting = still;
  }
  reach(target: number): Promise<void> {
    if (target <= this.count) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ target, resolve }));
  }
}

/** Hash and measure a file by streaming it: memory stays flat for a 250 MB zip. */
async function hashFile(filePath: string): Promise<{ codeSha256: string; sha256Hex: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    hash.update(buf);
    size += buf.length;
  }
  const digest = hash.digest();
  return { codeSha256: digest.toString('base64'), sha256Hex: digest.toString('hex'), sizeBytes: size };
}

export async function prepareArtifact(path: string, options: PrepareArtifactOptions): Promise<Artifact> {
  const field = options.field ?? 'artifact';
  const absolute = options.baseDir === undefined ? resolve(path) : resolve(options.baseDir, path);
  let stats: Stats;
  try {
    stats = await stat(absolute);
  } catch (err) {
    if (isNotFound(err)) {
      // A dangling symlink stats as missing too; say which.
      const link = await lstat(absolute).catch(() => undefined);
      if (link?.isSymbolicLink()) throw new InputError(`${field}: "${path}" is a broken symlink`);
      throw new InputError(`${field}: "${path}" does not exist`);
    }
    throw err;
  }
  if (options.baseDir !== undefined) await refuseOutside(path, absolute, options.baseDir, field);

  if (stats.isDirectory()) return zipDirectory(path, absolute, options.workDir, field);
  if (!stats.isFile()) throw new InputError(`${field}: "${path}" is neither a zip file nor a directory`);

  if (!(await looksLikeZip(absolute))) throw new InputError(`${field}: "${path}" is not a zip file`);
  const hashed = await hashFile(absolute);
  // Lambda's 250 MB unzipped limit is checked against what the zip's central directory records.
  const contents = await zipContents(absolute).catch((err: unknown) => {
    throw new InputError(`${field}: "${path}" is not a readable zip file (${err instanceof Error ? err.message : String(err)})`);
  });
  return { zipPath: absolute, ...hashed, unzippedBytes: contents.unzippedBytes, source: { kind: 'zip', path } };
}

/**
 * The artifact, symlinks followed, must stay inside the workspace: a path out of it, or a link
 * (the directory itself, or one on the way) that leads out of it, is refused before anything is read.
 */
async function refuseOutside(path: string, absolute: string, baseDir: string, field: string): Promise<void> {
  const [real, workspace] = await Promise.all([realpath(absolute), realpath(resolve(baseDir))]);
  if (isInsideDir(real, workspace)) return;
  const link = await lstat(absolute);
  const what = link.isSymbolicLink() ? 'is a symlink pointing outside the workspace' : 'is outside the workspace';
  throw new InputError(`${field}: "${path}" ${what} (${real}); the artifact must be in the workspace`);
}

function isInsideDir(real: string, dir: string): boolean {
  return real === dir || real.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** A zip starts with a local file header (`PK\3\4`), or, when empty, the end record (`PK\5\6`). */
async function looksLikeZip(filePath: string): Promise<boolean> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead < 4) return false;
    return head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
  } finally {
    await handle.close();
  }
}

interface FileEntry {
  /** Path inside the zip: `/`-separated, relative to the directory. */
  name: string;
  /** Sort key: the UTF-8 bytes of `name`. */
  key: Buffer;
  /** Where to read the bytes from (a symlink's path is fine: reading follows it). */
  readPath: string;
  size: number;
  mode: number;
}

async function zipDirectory(userPath: string, root: string, workDir: string, field: string): Promise<Artifact> {
  const files = collectFiles(userPath, root, field);
  if (files.length === 0) throw new InputError(`${field}: "${userPath}" is an empty directory`);
  files.sort((a, b) => Buffer.compare(a.key, b.key));

  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  let failure: Error | undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    zip.once('error', (err: Error) => {
      failure = err;
      output.destroy(err);
      reject(err);
    });
  });
  failed.catch(() => undefined); // observed through `written` or `feeding`

  const base = (basename(root) || 'artifact').replace(/[^A-Za-z0-9._-]/g, '_');
  const zipPath = join(resolve(workDir), `${base}-${randomUUID().slice(0, 8)}.zip`);
  const hash = createHash('sha256');
  let size = 0;
  const written = new Progress();
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      written.advance(size);
      done(null, chunk);
    },
  });
  const writing = pipeline(output, tap, createWriteStream(zipPath));
  const feeding = feed(zip, files, failed, written).catch((err: unknown) => {
    if (!failure) zip.emit('error', err);
    throw err;
  });
  await Promise.all([writing, feeding]);

  const digest = hash.digest();
  return {
    zipPath,
    codeSha256: digest.toString('base64'),
    sha256Hex: digest.toString('hex'),
    sizeBytes: size,
    unzippedBytes: files.reduce((sum, file) => sum + file.size, 0),
    source: { kind: 'directory', path: userPath },
  };
}

/** A run of small files (added as deflated buffers) closed by one streamed file, or by the end. */
interface Segment {
  small: FileEntry[];
  streamed: FileEntry | undefined;
}

/**
 * Cut the sorted files into segments: small files up to SEGMENT_FILES / SEGMENT_BYTES, then one
 * streamed file (whatever its size). Which files go which way depends only on the sorted list
 * and the sizes, so the bytes stay reproducible; it is also what decides the bytes (a streamed
 * entry carries a data descriptor), so it must not change.
 */
function cutSegments(files: FileEntry[]): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < files.length) {
    const small: FileEntry[] = [];
    let bytes = 0;
    while (i < files.length && files[i]!.size <= SMALL_FILE_BYTES && bytes < SEGMENT_BYTES && small.length < SEGMENT_FILES) {
      bytes += files[i]!.size;
      small.push(files[i++]!);
    }
    segments.push({ small, streamed: i < files.length ? files[i++] : undefined });
  }
  return segments;
}

/**
 * Hand the files to yazl in order. Small files are read and deflated ahead (in worker threads,
 * see deflate-pool.ts) and added already deflated; the file closing each segment is added as a
 * stream: of its bytes deflated ahead when it is up to PREDEFLATE_MAX_BYTES, else from disk. Memory stays bounded: the start of a segment's streamed entry tells that
 * everything before it has been written, adding entries waits for that one segment behind and for
 * the file to be no more than WRITE_BACKLOG_BYTES behind, and deflating runs at most
 * LOOKAHEAD_BYTES (or one segment) beyond what is added.
 */
async function feed(zip: yazl.ZipFile, files: FileEntry[], failed: Promise<never>, written: Progress): Promise<void> {
  const entryOptions = (file: FileEntry) => ({ mode: file.mode, mtime: DOS_EPOCH(), forceDosTimestamp: true, compress: true }) as const;
  const segments = cutSegments(files);
  // Per segment, what is read and deflated ahead: its small files, and its streamed one if not too large.
  const ahead = segments.map((s) => (s.streamed && s.streamed.size <= PREDEFLATE_MAX_BYTES ? [...s.small, s.streamed] : s.small));
  const segmentBytes = ahead.map((list) => list.reduce((n, f) => n + f.size, 0));
  const deflater = createDeflater(segmentBytes.reduce((a, b) => a + b, 0));
  const jobs = new Map<number, Promise<Deflated[]>>();
  const start = (k: number): void => {
    if (k >= segments.length || jobs.has(k)) return;
    const job = deflater.deflate(
      ahead[k]!.map((f) => f.readPath),
      ahead[k]!.map((f) => f.size),
    );
    job.catch(() => undefined); // observed below, unless the zip failed first
    jobs.set(k, job);
  };
  let handed = 0;
  const writtenEntries = new WrittenEntries(zip);
  try {
    let previousSegmentStarted: Promise<void> = Promise.resolve();
    for (let k = 0; k < segments.length; k++) {
      const { small, streamed } = segments[k]!;
      // Keep the workers busy while earlier entries are written: deflate the next segments up
      // to LOOKAHEAD_BYTES ahead (at least the next one).
      start(k);
      for (let next = k + 1, bytes = 0; next < segments.length && (next === k + 1 || bytes < LOOKAHEAD_BYTES); next++) {
        bytes += segmentBytes[next]!;
        start(next);
      }
      const deflated = await Promise.race([jobs.get(k)!, failed]);
      jobs.delete(k);
      // yazl writes an entry given as bytes at once, whatever the disk's pace: hand it no more
      // than WRITE_BACKLOG_BYTES beyond what has reached the file.
      await Promise.race([written.reach(handed - WRITE_BACKLOG_BYTES), failed]);
      writtenEntries.release();
      for (const d of deflated) handed += d.deflated.length;
      for (let n = 0; n < small.length; n++) {
        addDeflatedBuffer(zip, deflated[n]!.raw, deflated[n]!.deflated, small[n]!.name, entryOptions(small[n]!));
      }
      const streamedDeflated = deflated[small.length];
      deflated.length = 0;

      await previousSegmentStarted;
      if (streamed) {
        let markStarted!: () => void;
        const thisStarted = new Promise<void>((res) => (markStarted = res));
        const options = { ...entryOptions(streamed), size: streamed.size };
        if (streamedDeflated) {
          addDeflatedStream(zip, streamedDeflated.raw, streamedDeflated.deflated, streamed.name, options, markStarted);
        } else {
          zip.addReadStreamLazy(streamed.name, options, (cb) => {
            markStarted();
            const stream = createReadStream(streamed.readPath, {
              highWaterMark: Math.max(1, Math.min(streamed.size, 1 << 20)),
            });
            // yazl does not watch a lazily given stream for errors.
            stream.once('error', (err) => zip.emit('error', err));
            cb(null, stream);
          });
        }
        // Deflate the next segments while this one is written; wait before going further.
        previousSegmentStarted = Promise.race([thisStarted, failed]);
      }
    }
    writtenEntries.restore();
    zip.end();
  } finally {
    await deflater.close();
  }
}

/**
 * Walk the tree, with synchronous calls: nothing else runs meanwhile, and for thousands of files
 * they cost a fraction of the promise-based ones (a stat is a few microseconds from the page
 * cache). Symlinks are followed when they stay inside the directory (a link to a file
 * is stored as that file's contents; a link to a directory is walked under the link's name)
 * and refused when they leave it.
 */
function collectFiles(userPath: string, root: string, field: string): FileEntry[] {
  const realRoot = realpathSync.native(root);
  const display = (rel: string): string => joinDisplay(userPath, rel);
  const isInside = (real: string): boolean => isInsideDir(real, realRoot);

  const pending: Array<{ rel: string; readPath: string; known?: Stats }> = [];

  // `ancestors`: real paths of the directories on the way down, to stop symlink cycles.
  function walk(dirPath: string, rel: string, ancestors: Set<string>): void {
    const entries: Dirent[] = readdirSync(dirPath, { withFileTypes: true });
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const childPath = join(dirPath, entry.name);
      if (entry.isDirectory()) {
        const real = realpathSync.native(childPath);
        walk(childPath, childRel, new Set(ancestors).add(real));
      } else if (entry.isFile()) {
        pending.push({ rel: childRel, readPath: childPath });
      } else if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync.native(childPath);
        } catch (err) {
          if (isNotFound(err)) throw new InputError(`${field}: "${display(childRel)}" is a broken symlink`);
          throw err;
        }
        if (!isInside(real)) {
          throw new InputError(
            `${field}: "${display(childRel)}" is a symlink pointing outside the directory (${real})`,
          );
        }
        const target = statSync(real);
        if (target.isDirectory()) {
          if (ancestors.has(real)) {
            throw new InputError(`${field}: "${display(childRel)}" is a symlink loop (it points at ${real})`);
          }
          walk(childPath, childRel, new Set(ancestors).add(real));
        } else if (target.isFile()) {
          pending.push({ rel: childRel, readPath: real, known: target });
        } else {
          throw new InputError(`${field}: "${display(childRel)}" is a symlink to something that is not a regular file`);
        }
      } else {
        throw new InputError(`${field}: "${display(childRel)}" is not a regular file or directory`);
      }
    }
  }
  walk(root, '', new Set([realRoot]));

  // Sizes and modes.
  return pending.map((item) => {
    const s = item.known ?? statSync(item.readPath);
    return {
      name: item.rel,
      key: Buffer.from(item.rel, 'utf8'),
      readPath: item.readPath,
      size: s.size,
      mode: (s.mode & 0o111) !== 0 ? EXEC_MODE : FILE_MODE,
    };
  });
}

function joinDisplay(userPath: string, rel: string): string {
  const trimmed = userPath.replace(/[\\/]+$/, '');
  return trimmed === '' ? `/${rel}` : `${trimmed}/${rel}`;
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Reading and deflating the small files of a directory zip, off the main thread.
 *
 * yazl's addBuffer deflates every file through Node's async `zlib.deflateRaw`: one zlib state and
 * two thread hops per file, which for thousands of small files costs about twice the CPU of
 * deflating the same bytes with `deflateRawSync` (bench/RESULTS.md, "Packaging a directory").
 * Here one or two worker threads read each file and deflate it with `deflateRawSync` at the
 * level yazl uses, so the bytes are the ones yazl would have written; the main thread only hands
 * them to yazl (see `addDeflatedBuffer`). A tree with few small-file bytes is read and deflated
 * on the main thread instead: starting a worker costs more than it saves there.
 */
import { readFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import zlib, { deflateRawSync } from 'node:zlib';
import type yazl from 'yazl';

/** yazl's default compression level, which the packer has always used. */
export const DEFLATE_LEVEL = 6;
/** Below this many bytes of small files in the whole tree, no worker is started. */
export const WORKER_THRESHOLD_BYTES = 2 << 20;
/** One message to a worker: at most this many files or about this many bytes. */
const CHUNK_FILES = 32;
const CHUNK_BYTES = 1 << 20;

export interface Deflated {
  raw: Buffer;
  deflated: Buffer;
}

export interface Deflater {
  /** Read and deflate these files; the results are in the order given. */
  deflate(paths: string[], sizes: number[]): Promise<Deflated[]>;
  close(): Promise<void>;
}

/**
 * Source of each worker (CommonJS, run with `eval`, so nothing has to be found on disk beside a
 * bundle). A message is a list of paths; the answer is the files' bytes and their deflates, each
 * joined into one buffer that is moved (not copied) back, or the first read error.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { deflateRawSync } = require('node:zlib');
// One buffer that owns its memory, so that it can be moved, not copied.
const joined = (list) => {
  const out = new Uint8Array(list.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of list) {
    out.set(b, at);
    at += b.length;
  }
  return out;
};
parentPort.on('message', ({ id, paths, level }) => {
  try {
    const raw = [];
    const deflated = [];
    for (const path of paths) {
      const bytes = readFileSync(path);
      raw.push(bytes);
      deflated.push(deflateRawSync(bytes, { level }));
    }
    const rawAll = joined(raw);
    const deflatedAll = joined(deflated);
    parentPort.postMessage(
      { id, raw: rawAll, rawSizes: raw.map((b) => b.length), deflated: deflatedAll, deflatedSizes: deflated.map((b) => b.length) },
      [rawAll.buffer, deflatedAll.buffer],
    );
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err && err.message, code: err && err.code, path: err && err.path } });
  }
});
`;

interface WorkerAnswer {
  id: number;
  raw?: Uint8Array;
  rawSizes?: number[];
  deflated?: Uint8Array;
  deflatedSizes?: number[];
  error?: { message: string; code?: string; path?: string };
}

/** Views (no copies) of consecutive pieces of `all`. */
function split(all: Uint8Array, sizes: number[]): Buffer[] {
  let at = all.byteOffset;
  return sizes.map((size) => {
    const piece = Buffer.from(all.buffer, at, size);
    at += size;
    return piece;
  });
}

interface Pending {
  resolve: (value: Deflated[]) => void;
  reject: (err: Error) => void;
}

/** A deflater for a tree whose small files add up to `smallBytes`. */
export function createDeflater(smallBytes: number): Deflater {
  const workers = smallBytes < WORKER_THRESHOLD_BYTES ? 0 : Math.max(1, Math.min(2, availableParallelism()));
  return workers === 0 ? inlineDeflater() : workerDeflater(workers);
}

function inlineDeflater(): Deflater {
  return {
    async deflate(paths) {
      const raw = await Promise.all(paths.map((path) => readFile(path)));
      return raw.map((bytes) => ({ raw: bytes, deflated: deflateRawSync(bytes, { level: DEFLATE_LEVEL }) }));
    },
    close: () => Promise.resolve(),
  };
}

function workerDeflater(count: number): Deflater {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let broken: Error | undefined;
  const fail = (err: Error): void => {
    broken ??= err;
    for (const job of pending.values()) job.reject(err);
    pending.clear();
  };
  const pool = Array.from({ length: count }, () => {
    // Each deflateRawSync leaves its zlib state (~20 KB of native memory) until the handle is
    // collected; a small young generation collects them often enough to keep a worker's resident
    // memory near 100 MB instead of 160 MB (measured on 10,000 files), at no cost in time.
    const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
    worker.unref();
    worker.on('message', (msg: WorkerAnswer) => {
      const job = pending.get(msg.id);
      if (!job) return;
      pending.delete(msg.id);
      if (msg.error) {
        const err = Object.assign(new Error(msg.error.message), msg.error.code ? { code: msg.error.code, path: msg.error.path } : {});
        job.reject(err);
        return;
      }
      const deflated = split(msg.deflated!, msg.deflatedSizes!);
      job.resolve(split(msg.raw!, msg.rawSizes!).map((raw, k) => ({ raw, deflated: deflated[k]! })));
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (pending.size > 0) fail(new Error(`a deflate worker stopped (exit code ${code})`));
    });
    return { worker, queuedBytes: 0 };
  });

  function send(paths: string[], bytes: number): Promise<Deflated[]> {
    if (broken) return Promise.reject(broken);
    // The worker with the least queued work takes the chunk.
    const slot = pool.reduce((best, s) => (s.queuedBytes < best.queuedBytes ? s : best));
    slot.queuedBytes += bytes;
    const id = nextId++;
    return new Promise<Deflated[]>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, paths, level: DEFLATE_LEVEL });
    }).finally(() => {
      slot.queuedBytes -= bytes;
    });
  }

  return {
    async deflate(paths, sizes) {
      const chunks: Array<Promise<Deflated[]>> = [];
      let start = 0;
      while (start < paths.length) {
        let end = start;
        let bytes = 0;
        while (end < paths.length && end - start < CHUNK_FILES && (end === start || bytes + sizes[end]! <= CHUNK_BYTES)) bytes += sizes[end++]!;
        chunks.push(send(paths.slice(start, end), bytes));
        start = end;
      }
      return (await Promise.all(chunks)).flat();
    },
    async close() {
      await Promise.all(pool.map((s) => s.worker.terminate()));
    },
  };
}

type EntryOptions = { mode: number; mtime: Date; forceDosTimestamp: boolean; compress: true };

/**
 * Add a file to yazl from bytes already deflated (at DEFLATE_LEVEL, raw deflate). yazl 3 has no
 * option for this (a pull request adding one, thejoshwolfe/yazl#55, was closed unmerged); its
 * addBuffer computes the CRC and size from `raw`, then calls `zlib.deflateRaw(raw, { level }, cb)`
 * before returning and writes whatever the callback gives as the entry's data, with the headers
 * it writes for any compressed buffer. So for the length of that one synchronous call, and
 * nothing else (no other code can run in between), `zlib.deflateRaw` hands back `deflated`: the
 * entry is byte for byte what yazl would have written after deflating `raw` itself.
 * If yazl did not ask (another version), this throws rather than guess.
 */
export function addDeflatedBuffer(
  zip: yazl.ZipFile,
  raw: Buffer,
  deflated: Buffer,
  name: string,
  options: EntryOptions,
): void {
  const original = zlib.deflateRaw;
  let asked = false;
  const handOver = ((input: Buffer, opts: zlib.ZlibOptions, callback: (err: Error | null, result: Buffer) => void) => {
    if (input !== raw || opts.level !== DEFLATE_LEVEL) return (original as (...args: unknown[]) => void)(input, opts, callback);
    asked = true;
    callback(null, deflated);
  }) as unknown as typeof zlib.deflateRaw;
  zlib.deflateRaw = handOver;
  try {
    zip.addBuffer(raw, name, options);
  } finally {
    zlib.deflateRaw = original;
  }
  if (!asked) throw new Error(`yazl did not deflate "${name}" through zlib.deflateRaw; this yazl version cannot take deflated bytes`);
}

/**
 * The same for an entry yazl streams (written with a data descriptor: the segment-closing files,
 * see package.ts), from bytes already read and deflated. When yazl reaches the entry it asks for
 * the stream and, before that callback returns, pipes it through `new zlib.DeflateRaw({ level })`;
 * for that call only, the deflater it gets passes `deflated` on at the end instead. yazl still
 * counts the bytes and computes the CRC from `raw`. Deflating a stream and deflating the whole
 * buffer at once give the same bytes (zlib's output does not depend on how its input is cut when
 * nothing is flushed; the pinned-bytes test checks it). `started` runs when yazl reaches the entry.
 */
export function addDeflatedStream(
  zip: yazl.ZipFile,
  raw: Buffer,
  deflated: Buffer,
  name: string,
  options: EntryOptions & { size: number },
  started: () => void,
): void {
  zip.addReadStreamLazy(name, options, (cb) => {
    started();
    const Original = zlib.DeflateRaw;
    let asked = false;
    const handOver = function (this: unknown, opts?: zlib.ZlibOptions): Transform {
      if (opts?.level !== DEFLATE_LEVEL) return new Original(opts);
      asked = true;
      return new Transform({
        transform(_chunk, _encoding, done) {
          done();
        },
        flush(done) {
          done(null, deflated);
        },
      });
    } as unknown as typeof zlib.DeflateRaw;
    zlib.DeflateRaw = handOver;
    try {
      cb(null, Readable.from([raw], { objectMode: false }));
    } finally {
      zlib.DeflateRaw = Original;
    }
    if (!asked) zip.emit('error', new Error(`yazl did not deflate "${name}" through zlib.DeflateRaw; this yazl version cannot take deflated bytes`));
  });
}

/** What yazl keeps of an entry (not its public API: see `WrittenEntries`). */
interface YazlEntry {
  state: number;
  doFileDataPump: () => void;
}
/** yazl's Entry.FILE_DATA_DONE: the entry's header and data are written. */
const FILE_DATA_DONE = 3;
const alreadyWritten = (): void => undefined;

/**
 * Two costs of yazl that grow with the tree, taken off while entries are written, through its
 * `entries` array (not its public API; without it, another version, this does nothing):
 * - it keeps every entry until the zip ends (for the central directory), with the function that
 *   writes the entry's data, which holds the deflated bytes (or, for a stream from memory, the
 *   file's bytes): all of a 250 MB tree's compressed bytes stayed in memory. yazl never calls that
 *   function again once the entry is written, so `release` drops it;
 * - before writing each entry it looks for the first one not written from the start of the list:
 *   for 20,000 files that scan took 2.7 s of the main thread. `release` moves the written entries
 *   (always a prefix: yazl writes in order) out of the list, and `restore` puts them back, in
 *   order, before `end()`, which is where yazl reads the whole list (central directory, counts).
 */
export class WrittenEntries {
  private readonly done: YazlEntry[] = [];

  constructor(private readonly zip: yazl.ZipFile) {}

  private entries(): YazlEntry[] | undefined {
    const entries = (this.zip as unknown as { entries?: YazlEntry[] }).entries;
    return Array.isArray(entries) ? entries : undefined;
  }

  release(): void {
    const entries = this.entries();
    if (!entries) return;
    let n = 0;
    while (n < entries.length && entries[n]!.state >= FILE_DATA_DONE) entries[n++]!.doFileDataPump = alreadyWritten;
    for (const entry of entries.splice(0, n)) this.done.push(entry);
  }

  restore(): void {
    const entries = this.entries();
    if (!entries || this.done.length === 0) return;
    const all = this.done.concat(entries);
    this.done.length = 0;
    entries.length = 0;
    for (const entry of all) entries.push(entry);
  }
}

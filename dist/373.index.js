export const id = 373;
export const ids = [373];
export const modules = {

/***/ 8373:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cleanUp: () => (/* binding */ cleanUp),
  runCommand: () => (/* binding */ runCommand),
  systemClock: () => (/* binding */ systemClock)
});

// UNUSED EXPORTS: groupFailedForm, loadConfig, resolveSettings, resolveUnits, unitName

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./src/stages/schema.ts
var schema = __webpack_require__(5896);
// EXTERNAL MODULE: ./src/model/errors.ts
var errors = __webpack_require__(7206);
;// CONCATENATED MODULE: ./src/artifact/image.ts
/**
 * Container-image code: an ECR image URI as the user wrote it, checked and resolved to its digest
 * once, before anything changes. The digest is what is published (UpdateFunctionCode ImageUri
 * `<repository>@sha256:…`), compared for `unchanged` (an image function's CodeSha256 is the
 * digest's hex), promoted and rolled back to; a tag is only ever read here.
 *
 * Lambda's rules (https://docs.aws.amazon.com/lambda/latest/dg/images-create.html): "The Amazon
 * ECR repository must be in the same AWS Region as the Lambda function" (another account is
 * fine), and "You cannot change the deployment package type (.zip or container image) for an
 * existing function". UpdateFunctionCode: "For a function defined as a container image, Lambda
 * resolves the image tag to an image digest" (API_UpdateFunctionCode.html); this action resolves
 * it first, so that what is compared and recorded is the digest, not a tag that moves.
 */


const EXPECTED = '<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or …/<repository>@sha256:<64 hex digits>';
/** `text` taken apart (the stages file's parser, stages/schema.ts), with the registry as ECR's API names it. */
function parseImageUri(text) {
    const parsed = (0,schema/* parseImageUri */.f9)(text.trim());
    if (parsed === undefined)
        return undefined;
    const host = parsed.uri.slice(0, parsed.uri.indexOf('/'));
    return {
        registryId: parsed.account,
        region: parsed.region,
        repository: parsed.repository,
        repositoryUri: `${host}/${parsed.repository}`,
        ...(parsed.tag !== undefined && { tag: parsed.tag }),
        ...(parsed.digest !== undefined && { digest: parsed.digest }),
    };
}
/** The image's reference, or an InputError naming `field` and the value, with the expected form. */
function checkImageUri(field, text, functionRegion) {
    const reference = parseImageUri(text);
    if (reference === undefined) {
        throw new errors/* InputError */.dz(`${field}: ${JSON.stringify(text)} is not an ECR image URI by tag or digest. Expected ${EXPECTED}`);
    }
    if (functionRegion !== undefined && reference.region !== functionRegion) {
        throw new errors/* InputError */.dz(`${field}: ${JSON.stringify(text)} is in ${reference.region}, and the function in ${functionRegion}; ` +
            'Lambda takes an image only from an ECR repository in its own region');
    }
    return reference;
}
/**
 * Resolve the image the user named to its digest (one DescribeImages): refused, naming the field
 * and the value, when ECR has no such image. A URI by digest is checked the same way.
 */
async function resolveImage(field, text, functionRegion, registry) {
    const reference = checkImageUri(field, text, functionRegion);
    const found = await registry.describeImage({
        registryId: reference.registryId,
        repository: reference.repository,
        ...(reference.digest !== undefined ? { digest: reference.digest } : { tag: reference.tag ?? 'latest' }),
    });
    if (found === undefined) {
        throw new errors/* InputError */.dz(`${field}: ${JSON.stringify(text)} is not in ECR (no such image in repository ${reference.repository} of ${reference.registryId})`);
    }
    if (!/^sha256:[0-9a-f]{64}$/.test(found.digest))
        throw new Error(`ECR answered digest ${JSON.stringify(found.digest)} for ${text}, not a sha256 digest`);
    return {
        kind: 'image',
        uri: text.trim(),
        repositoryUri: reference.repositoryUri,
        registryId: reference.registryId,
        repository: reference.repository,
        region: reference.region,
        ...(reference.tag !== undefined && { tag: reference.tag }),
        digest: found.digest,
        imageUri: `${reference.repositoryUri}@${found.digest}`,
        codeSha256: found.digest.slice('sha256:'.length),
    };
}
/**
 * The image a deploy names: input `image` over the stage's `image`; undefined for a zip deploy.
 * An image and an artifact both given are refused: a function has one package type.
 */
function deployImage(inputs, settings) {
    const image = inputs.image || settings.image || undefined;
    const artifact = inputs.artifact || settings.artifact || undefined;
    if (image !== undefined && artifact !== undefined) {
        throw new errors/* InputError */.dz(`image: ${JSON.stringify(image)} and artifact ${JSON.stringify(artifact)} are both given; a function is either a container image or a .zip: give one`);
    }
    return image;
}
/** One line for the log: `Image <uri>: tag v2 → sha256:…` (or `by digest sha256:…`). */
function describeImage(code) {
    return `Image ${code.uri}: ${code.tag !== undefined ? `tag ${code.tag} → ${code.digest}` : `by digest ${code.digest}`}, published as ${code.imageUri}.`;
}
/** What the result records of an image resolved for this release. */
function imageRecord(code) {
    return { uri: code.imageUri, ...(code.tag !== undefined && { tag: code.tag }), digest: code.digest };
}
/**
 * The image a published version of an image function runs, pinned by digest: its digest is its
 * CodeSha256 (hex), its repository that of the version's resolved image URI. Undefined for a zip
 * function, or when Lambda gave no image URI.
 */
function versionImage(version) {
    if (version.packageType !== 'Image' || version.imageUri === undefined)
        return undefined;
    const hex = version.codeSha256.replace(/^sha256:/, '');
    if (!/^[0-9a-f]{64}$/.test(hex))
        return undefined;
    const digest = `sha256:${hex}`;
    // The repository part: everything before the digest (`@`) or the tag (the last `:` after the last `/`).
    const at = version.imageUri.indexOf('@');
    let repositoryUri = at >= 0 ? version.imageUri.slice(0, at) : version.imageUri;
    const colon = repositoryUri.lastIndexOf(':');
    if (colon > repositoryUri.lastIndexOf('/'))
        repositoryUri = repositoryUri.slice(0, colon);
    const reference = parseImageUri(`${repositoryUri}@${digest}`);
    if (reference === undefined)
        return undefined;
    return { uri: `${repositoryUri}@${digest}`, digest, reference };
}
/** `Image` or `Zip`: how a function's package type is named in messages. */
function packageTypeOf(version) {
    return version.packageType === 'Image' ? 'Image' : 'Zip';
}
/**
 * A function's package type cannot change (images-create.html): an `image` for a zip function or
 * an `artifact` for an image function is refused before anything changes, naming field and value.
 */
function checkPackageType(functionName, latest, code) {
    const type = packageTypeOf(latest);
    if (code.field === 'image' && type === 'Zip') {
        throw new errors/* InputError */.dz(`image: ${JSON.stringify(code.value)} is a container image, and function ${functionName} is a .zip function ` +
            "(a function's package type cannot change); give artifact for it, or create an Image function");
    }
    if (code.field === 'artifact' && type === 'Image') {
        throw new errors/* InputError */.dz(`artifact: ${JSON.stringify(code.value)} is a .zip, and function ${functionName} is a container-image function ` +
            "(a function's package type cannot change); give image (an ECR image URI) for it");
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./node_modules/yazl/index.js
var yazl = __webpack_require__(3044);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
var external_node_zlib_default = /*#__PURE__*/__webpack_require__.n(external_node_zlib_);
;// CONCATENATED MODULE: ./src/artifact/deflate-pool.ts
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





/** yazl's default compression level, which the packer has always used. */
const DEFLATE_LEVEL = 6;
/** Below this many bytes of small files in the whole tree, no worker is started. */
const WORKER_THRESHOLD_BYTES = 2 << 20;
/** One message to a worker: at most this many files or about this many bytes. */
const CHUNK_FILES = 32;
const CHUNK_BYTES = 1 << 20;
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
/** Views (no copies) of consecutive pieces of `all`. */
function split(all, sizes) {
    let at = all.byteOffset;
    return sizes.map((size) => {
        const piece = Buffer.from(all.buffer, at, size);
        at += size;
        return piece;
    });
}
/** A deflater for a tree whose small files add up to `smallBytes`. */
function createDeflater(smallBytes) {
    const workers = smallBytes < WORKER_THRESHOLD_BYTES ? 0 : Math.max(1, Math.min(2, (0,external_node_os_.availableParallelism)()));
    return workers === 0 ? inlineDeflater() : workerDeflater(workers);
}
function inlineDeflater() {
    return {
        async deflate(paths) {
            const raw = await Promise.all(paths.map((path) => (0,promises_.readFile)(path)));
            return raw.map((bytes) => ({ raw: bytes, deflated: (0,external_node_zlib_.deflateRawSync)(bytes, { level: DEFLATE_LEVEL }) }));
        },
        close: () => Promise.resolve(),
    };
}
function workerDeflater(count) {
    const pending = new Map();
    let nextId = 0;
    let broken;
    const fail = (err) => {
        broken ??= err;
        for (const job of pending.values())
            job.reject(err);
        pending.clear();
    };
    const pool = Array.from({ length: count }, () => {
        // Each deflateRawSync leaves its zlib state (~20 KB of native memory) until the handle is
        // collected; a small young generation collects them often enough to keep a worker's resident
        // memory near 100 MB instead of 160 MB (measured on 10,000 files), at no cost in time.
        const worker = new external_node_worker_threads_.Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
        worker.unref();
        worker.on('message', (msg) => {
            const job = pending.get(msg.id);
            if (!job)
                return;
            pending.delete(msg.id);
            if (msg.error) {
                const err = Object.assign(new Error(msg.error.message), msg.error.code ? { code: msg.error.code, path: msg.error.path } : {});
                job.reject(err);
                return;
            }
            const deflated = split(msg.deflated, msg.deflatedSizes);
            job.resolve(split(msg.raw, msg.rawSizes).map((raw, k) => ({ raw, deflated: deflated[k] })));
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
            if (pending.size > 0)
                fail(new Error(`a deflate worker stopped (exit code ${code})`));
        });
        return { worker, queuedBytes: 0 };
    });
    function send(paths, bytes) {
        if (broken)
            return Promise.reject(broken);
        // The worker with the least queued work takes the chunk.
        const slot = pool.reduce((best, s) => (s.queuedBytes < best.queuedBytes ? s : best));
        slot.queuedBytes += bytes;
        const id = nextId++;
        return new Promise((resolve, reject) => {
            pending.set(id, { resolve, reject });
            slot.worker.postMessage({ id, paths, level: DEFLATE_LEVEL });
        }).finally(() => {
            slot.queuedBytes -= bytes;
        });
    }
    return {
        async deflate(paths, sizes) {
            const chunks = [];
            let start = 0;
            while (start < paths.length) {
                let end = start;
                let bytes = 0;
                while (end < paths.length && end - start < CHUNK_FILES && (end === start || bytes + sizes[end] <= CHUNK_BYTES))
                    bytes += sizes[end++];
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
function addDeflatedBuffer(zip, raw, deflated, name, options) {
    const original = (external_node_zlib_default()).deflateRaw;
    let asked = false;
    const handOver = ((input, opts, callback) => {
        if (input !== raw || opts.level !== DEFLATE_LEVEL)
            return original(input, opts, callback);
        asked = true;
        callback(null, deflated);
    });
    (external_node_zlib_default()).deflateRaw = handOver;
    try {
        zip.addBuffer(raw, name, options);
    }
    finally {
        (external_node_zlib_default()).deflateRaw = original;
    }
    if (!asked)
        throw new Error(`yazl did not deflate "${name}" through zlib.deflateRaw; this yazl version cannot take deflated bytes`);
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
function addDeflatedStream(zip, raw, deflated, name, options, started) {
    zip.addReadStreamLazy(name, options, (cb) => {
        started();
        const Original = (external_node_zlib_default()).DeflateRaw;
        let asked = false;
        const handOver = function (opts) {
            if (opts?.level !== DEFLATE_LEVEL)
                return new Original(opts);
            asked = true;
            return new external_node_stream_.Transform({
                transform(_chunk, _encoding, done) {
                    done();
                },
                flush(done) {
                    done(null, deflated);
                },
            });
        };
        (external_node_zlib_default()).DeflateRaw = handOver;
        try {
            cb(null, external_node_stream_.Readable.from([raw], { objectMode: false }));
        }
        finally {
            (external_node_zlib_default()).DeflateRaw = Original;
        }
        if (!asked)
            zip.emit('error', new Error(`yazl did not deflate "${name}" through zlib.DeflateRaw; this yazl version cannot take deflated bytes`));
    });
}
/** yazl's Entry.FILE_DATA_DONE: the entry's header and data are written. */
const FILE_DATA_DONE = 3;
const alreadyWritten = () => undefined;
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
class WrittenEntries {
    zip;
    done = [];
    constructor(zip) {
        this.zip = zip;
    }
    entries() {
        const entries = this.zip.entries;
        return Array.isArray(entries) ? entries : undefined;
    }
    release() {
        const entries = this.entries();
        if (!entries)
            return;
        let n = 0;
        while (n < entries.length && entries[n].state >= FILE_DATA_DONE)
            entries[n++].doFileDataPump = alreadyWritten;
        for (const entry of entries.splice(0, n))
            this.done.push(entry);
    }
    restore() {
        const entries = this.entries();
        if (!entries || this.done.length === 0)
            return;
        const all = this.done.concat(entries);
        this.done.length = 0;
        entries.length = 0;
        for (const entry of all)
            entries.push(entry);
    }
}

;// CONCATENATED MODULE: ./src/artifact/zip-size.ts
/**
 * How big a zip is once unzipped: the sum of the uncompressed sizes its central directory records
 * (what Lambda checks against its 250 MB unzipped limit). Only the end of the file and the central
 * directory are read, never the entries. ZIP64 is understood (a zip above 4 GB or with more than
 * 65,535 entries). No zip library in the dependencies reads (yazl only writes), hence this reader.
 * The format: APPNOTE.TXT (PKWARE), sections 4.3.12 (central directory header), 4.3.14–4.3.16
 * (ZIP64 end of central directory record and locator, end of central directory record), 4.5.3
 * (ZIP64 extended information extra field).
 */

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const EOCD_MAX_SEARCH = 22 + 0xffff;
/** Read the central directory of the zip at `zipPath`; throws an Error saying what is wrong when it is no readable zip. */
async function zipContents(zipPath) {
    const handle = await (0,promises_.open)(zipPath, 'r');
    try {
        const { size } = await handle.stat();
        const read = async (position, length) => {
            if (position < 0 || length < 0 || position + length > size)
                throw new Error('the central directory points outside the file');
            const buffer = Buffer.alloc(length);
            const { bytesRead } = await handle.read(buffer, 0, length, position);
            if (bytesRead !== length)
                throw new Error('the file ended early');
            return buffer;
        };
        const tailLength = Math.min(size, EOCD_MAX_SEARCH);
        const tail = await read(size - tailLength, tailLength);
        let at = -1;
        for (let i = tail.length - 22; i >= 0; i--) {
            if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
                at = i;
                break;
            }
        }
        if (at < 0)
            throw new Error('no end of central directory record');
        const eocdPosition = size - tailLength + at;
        let entries = tail.readUInt16LE(at + 10);
        let directorySize = tail.readUInt32LE(at + 12);
        let directoryOffset = tail.readUInt32LE(at + 16);
        if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
            const locator = await read(eocdPosition - 20, 20);
            if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE)
                throw new Error('no ZIP64 end of central directory locator');
            const record = await read(toNumber(locator.readBigUInt64LE(8)), 56);
            if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE)
                throw new Error('no ZIP64 end of central directory record');
            entries = toNumber(record.readBigUInt64LE(32));
            directorySize = toNumber(record.readBigUInt64LE(40));
            directoryOffset = toNumber(record.readBigUInt64LE(48));
        }
        const directory = await read(directoryOffset, directorySize);
        let unzippedBytes = 0;
        let offset = 0;
        for (let n = 0; n < entries; n++) {
            if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== CENTRAL_HEADER_SIGNATURE) {
                throw new Error(`central directory entry ${n + 1} of ${entries} is malformed`);
            }
            const nameLength = directory.readUInt16LE(offset + 28);
            const extraLength = directory.readUInt16LE(offset + 30);
            const commentLength = directory.readUInt16LE(offset + 32);
            let uncompressed = directory.readUInt32LE(offset + 24);
            if (uncompressed === 0xffffffff) {
                uncompressed = zip64Uncompressed(directory.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength));
            }
            unzippedBytes += uncompressed;
            offset += 46 + nameLength + extraLength + commentLength;
        }
        return { entries, unzippedBytes };
    }
    finally {
        await handle.close();
    }
}
/** The uncompressed size from a ZIP64 extended information extra field (id 1; it comes first there). */
function zip64Uncompressed(extra) {
    let at = 0;
    while (at + 4 <= extra.length) {
        const id = extra.readUInt16LE(at);
        const length = extra.readUInt16LE(at + 2);
        if (id === 0x0001 && length >= 8 && at + 12 <= extra.length)
            return toNumber(extra.readBigUInt64LE(at + 4));
        at += 4 + length;
    }
    throw new Error('an entry larger than 4 GB has no ZIP64 size');
}
function toNumber(value) {
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
        throw new Error('a size beyond 2^53 bytes');
    return Number(value);
}

;// CONCATENATED MODULE: ./src/artifact/package.ts
/**
 * Packaging: turn what the user named (`artifact:`) into a zip file on disk plus its
 * Lambda-style hash. A zip file is used as it is; a directory is zipped reproducibly, so that
 * the same tree (contents, relative paths, execute bits) always gives the same bytes, and so
 * the same CodeSha256, whatever the timestamps, the order the files were written in, or the
 * machine's time zone.
 */










/**
 * Every entry's timestamp. yazl encodes the DOS date/time from the *local* fields of the Date,
 * so a Date built from local fields (1980-01-01 00:00:00) encodes to the DOS epoch (date 0x0021,
 * time 0x0000) in every time zone. `forceDosTimestamp` leaves out the extended-timestamp extra
 * field (a UTC instant, which would differ between time zones).
 */
const DOS_EPOCH = () => new Date(1980, 0, 1, 0, 0, 0, 0);
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
    count = 0;
    waiting = [];
    advance(count) {
        this.count = count;
        if (this.waiting.length === 0)
            return;
        const still = [];
        for (const w of this.waiting) {
            if (w.target <= count)
                w.resolve();
            else
                still.push(w);
        }
        this.waiting = still;
    }
    reach(target) {
        if (target <= this.count)
            return Promise.resolve();
        return new Promise((resolve) => this.waiting.push({ target, resolve }));
    }
}
/** Hash and measure a file by streaming it: memory stays flat for a 250 MB zip. */
async function hashFile(filePath) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    for await (const chunk of (0,external_node_fs_.createReadStream)(filePath, { highWaterMark: 1 << 20 })) {
        const buf = chunk;
        hash.update(buf);
        size += buf.length;
    }
    const digest = hash.digest();
    return { codeSha256: digest.toString('base64'), sha256Hex: digest.toString('hex'), sizeBytes: size };
}
async function prepareArtifact(path, options) {
    const field = options.field ?? 'artifact';
    const absolute = options.baseDir === undefined ? (0,external_node_path_.resolve)(path) : (0,external_node_path_.resolve)(options.baseDir, path);
    let stats;
    try {
        stats = await (0,promises_.stat)(absolute);
    }
    catch (err) {
        if (isNotFound(err)) {
            // A dangling symlink stats as missing too; say which.
            const link = await (0,promises_.lstat)(absolute).catch(() => undefined);
            if (link?.isSymbolicLink())
                throw new errors/* InputError */.dz(`${field}: "${path}" is a broken symlink`);
            throw new errors/* InputError */.dz(`${field}: "${path}" does not exist`);
        }
        throw err;
    }
    if (options.baseDir !== undefined)
        await refuseOutside(path, absolute, options.baseDir, field);
    if (stats.isDirectory())
        return zipDirectory(path, absolute, options.workDir, field);
    if (!stats.isFile())
        throw new errors/* InputError */.dz(`${field}: "${path}" is neither a zip file nor a directory`);
    if (!(await looksLikeZip(absolute)))
        throw new errors/* InputError */.dz(`${field}: "${path}" is not a zip file`);
    const hashed = await hashFile(absolute);
    // Lambda's 250 MB unzipped limit is checked against what the zip's central directory records.
    const contents = await zipContents(absolute).catch((err) => {
        throw new errors/* InputError */.dz(`${field}: "${path}" is not a readable zip file (${err instanceof Error ? err.message : String(err)})`);
    });
    return { zipPath: absolute, ...hashed, unzippedBytes: contents.unzippedBytes, source: { kind: 'zip', path } };
}
/**
 * The artifact, symlinks followed, must stay inside the workspace: a path out of it, or a link
 * (the directory itself, or one on the way) that leads out of it, is refused before anything is read.
 */
async function refuseOutside(path, absolute, baseDir, field) {
    const [real, workspace] = await Promise.all([(0,promises_.realpath)(absolute), (0,promises_.realpath)((0,external_node_path_.resolve)(baseDir))]);
    if (isInsideDir(real, workspace))
        return;
    const link = await (0,promises_.lstat)(absolute);
    const what = link.isSymbolicLink() ? 'is a symlink pointing outside the workspace' : 'is outside the workspace';
    throw new errors/* InputError */.dz(`${field}: "${path}" ${what} (${real}); the artifact must be in the workspace`);
}
function isInsideDir(real, dir) {
    return real === dir || real.startsWith(dir.endsWith(external_node_path_.sep) ? dir : dir + external_node_path_.sep);
}
/** A zip starts with a local file header (`PK\3\4`), or, when empty, the end record (`PK\5\6`). */
async function looksLikeZip(filePath) {
    const handle = await (0,promises_.open)(filePath, 'r');
    try {
        const head = Buffer.alloc(4);
        const { bytesRead } = await handle.read(head, 0, 4, 0);
        if (bytesRead < 4)
            return false;
        return head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
    }
    finally {
        await handle.close();
    }
}
async function zipDirectory(userPath, root, workDir, field) {
    const files = collectFiles(userPath, root, field);
    if (files.length === 0)
        throw new errors/* InputError */.dz(`${field}: "${userPath}" is an empty directory`);
    files.sort((a, b) => Buffer.compare(a.key, b.key));
    const zip = new yazl/* ZipFile */.u();
    const output = zip.outputStream;
    let failure;
    const failed = new Promise((_resolve, reject) => {
        zip.once('error', (err) => {
            failure = err;
            output.destroy(err);
            reject(err);
        });
    });
    failed.catch(() => undefined); // observed through `written` or `feeding`
    const base = ((0,external_node_path_.basename)(root) || 'artifact').replace(/[^A-Za-z0-9._-]/g, '_');
    const zipPath = (0,external_node_path_.join)((0,external_node_path_.resolve)(workDir), `${base}-${(0,external_node_crypto_.randomUUID)().slice(0, 8)}.zip`);
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    const written = new Progress();
    const tap = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            written.advance(size);
            done(null, chunk);
        },
    });
    const writing = (0,external_node_stream_promises_.pipeline)(output, tap, (0,external_node_fs_.createWriteStream)(zipPath));
    const feeding = feed(zip, files, failed, written).catch((err) => {
        if (!failure)
            zip.emit('error', err);
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
/**
 * Cut the sorted files into segments: small files up to SEGMENT_FILES / SEGMENT_BYTES, then one
 * streamed file (whatever its size). Which files go which way depends only on the sorted list
 * and the sizes, so the bytes stay reproducible; it is also what decides the bytes (a streamed
 * entry carries a data descriptor), so it must not change.
 */
function cutSegments(files) {
    const segments = [];
    let i = 0;
    while (i < files.length) {
        const small = [];
        let bytes = 0;
        while (i < files.length && files[i].size <= SMALL_FILE_BYTES && bytes < SEGMENT_BYTES && small.length < SEGMENT_FILES) {
            bytes += files[i].size;
            small.push(files[i++]);
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
async function feed(zip, files, failed, written) {
    const entryOptions = (file) => ({ mode: file.mode, mtime: DOS_EPOCH(), forceDosTimestamp: true, compress: true });
    const segments = cutSegments(files);
    // Per segment, what is read and deflated ahead: its small files, and its streamed one if not too large.
    const ahead = segments.map((s) => (s.streamed && s.streamed.size <= PREDEFLATE_MAX_BYTES ? [...s.small, s.streamed] : s.small));
    const segmentBytes = ahead.map((list) => list.reduce((n, f) => n + f.size, 0));
    const deflater = createDeflater(segmentBytes.reduce((a, b) => a + b, 0));
    const jobs = new Map();
    const start = (k) => {
        if (k >= segments.length || jobs.has(k))
            return;
        const job = deflater.deflate(ahead[k].map((f) => f.readPath), ahead[k].map((f) => f.size));
        job.catch(() => undefined); // observed below, unless the zip failed first
        jobs.set(k, job);
    };
    let handed = 0;
    const writtenEntries = new WrittenEntries(zip);
    try {
        let previousSegmentStarted = Promise.resolve();
        for (let k = 0; k < segments.length; k++) {
            const { small, streamed } = segments[k];
            // Keep the workers busy while earlier entries are written: deflate the next segments up
            // to LOOKAHEAD_BYTES ahead (at least the next one).
            start(k);
            for (let next = k + 1, bytes = 0; next < segments.length && (next === k + 1 || bytes < LOOKAHEAD_BYTES); next++) {
                bytes += segmentBytes[next];
                start(next);
            }
            const deflated = await Promise.race([jobs.get(k), failed]);
            jobs.delete(k);
            // yazl writes an entry given as bytes at once, whatever the disk's pace: hand it no more
            // than WRITE_BACKLOG_BYTES beyond what has reached the file.
            await Promise.race([written.reach(handed - WRITE_BACKLOG_BYTES), failed]);
            writtenEntries.release();
            for (const d of deflated)
                handed += d.deflated.length;
            for (let n = 0; n < small.length; n++) {
                addDeflatedBuffer(zip, deflated[n].raw, deflated[n].deflated, small[n].name, entryOptions(small[n]));
            }
            const streamedDeflated = deflated[small.length];
            deflated.length = 0;
            await previousSegmentStarted;
            if (streamed) {
                let markStarted;
                const thisStarted = new Promise((res) => (markStarted = res));
                const options = { ...entryOptions(streamed), size: streamed.size };
                if (streamedDeflated) {
                    addDeflatedStream(zip, streamedDeflated.raw, streamedDeflated.deflated, streamed.name, options, markStarted);
                }
                else {
                    zip.addReadStreamLazy(streamed.name, options, (cb) => {
                        markStarted();
                        const stream = (0,external_node_fs_.createReadStream)(streamed.readPath, {
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
    }
    finally {
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
function collectFiles(userPath, root, field) {
    const realRoot = external_node_fs_.realpathSync.native(root);
    const display = (rel) => joinDisplay(userPath, rel);
    const isInside = (real) => isInsideDir(real, realRoot);
    const pending = [];
    // `ancestors`: real paths of the directories on the way down, to stop symlink cycles.
    function walk(dirPath, rel, ancestors) {
        const entries = (0,external_node_fs_.readdirSync)(dirPath, { withFileTypes: true });
        for (const entry of entries) {
            const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
            const childPath = (0,external_node_path_.join)(dirPath, entry.name);
            if (entry.isDirectory()) {
                const real = external_node_fs_.realpathSync.native(childPath);
                walk(childPath, childRel, new Set(ancestors).add(real));
            }
            else if (entry.isFile()) {
                pending.push({ rel: childRel, readPath: childPath });
            }
            else if (entry.isSymbolicLink()) {
                let real;
                try {
                    real = external_node_fs_.realpathSync.native(childPath);
                }
                catch (err) {
                    if (isNotFound(err))
                        throw new errors/* InputError */.dz(`${field}: "${display(childRel)}" is a broken symlink`);
                    throw err;
                }
                if (!isInside(real)) {
                    throw new errors/* InputError */.dz(`${field}: "${display(childRel)}" is a symlink pointing outside the directory (${real})`);
                }
                const target = (0,external_node_fs_.statSync)(real);
                if (target.isDirectory()) {
                    if (ancestors.has(real)) {
                        throw new errors/* InputError */.dz(`${field}: "${display(childRel)}" is a symlink loop (it points at ${real})`);
                    }
                    walk(childPath, childRel, new Set(ancestors).add(real));
                }
                else if (target.isFile()) {
                    pending.push({ rel: childRel, readPath: real, known: target });
                }
                else {
                    throw new errors/* InputError */.dz(`${field}: "${display(childRel)}" is a symlink to something that is not a regular file`);
                }
            }
            else {
                throw new errors/* InputError */.dz(`${field}: "${display(childRel)}" is not a regular file or directory`);
            }
        }
    }
    walk(root, '', new Set([realRoot]));
    // Sizes and modes.
    return pending.map((item) => {
        const s = item.known ?? (0,external_node_fs_.statSync)(item.readPath);
        return {
            name: item.rel,
            key: Buffer.from(item.rel, 'utf8'),
            readPath: item.readPath,
            size: s.size,
            mode: (s.mode & 0o111) !== 0 ? EXEC_MODE : FILE_MODE,
        };
    });
}
function joinDisplay(userPath, rel) {
    const trimmed = userPath.replace(/[\\/]+$/, '');
    return trimmed === '' ? `/${rel}` : `${trimmed}/${rel}`;
}
function isNotFound(err) {
    const code = err?.code;
    return code === 'ENOENT' || code === 'ENOTDIR';
}

;// CONCATENATED MODULE: ./src/aws/rate-limit.ts
/**
 * Lambda's control plane allows an account 15 requests per second in a region, across every API
 * but invocations, GetFunction and GetPolicy ("Control plane API requests (excludes invocation,
 * GetFunction, and GetPolicy requests)": 15 requests per second across all APIs, Lambda quotas,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). A release of several
 * functions runs every function at once (release/group.ts), so its Lambda client in each region
 * sends through one limiter: at most `perSecond` such requests in any second, each attempt of the
 * SDK's retries counted, as they arrive at Lambda. The default, 10, leaves room for whatever else the account runs.
 */

/** The requests the quota leaves out (the SDK's command names). */
const UNCOUNTED = new Set(['GetFunctionCommand', 'GetPolicyCommand', 'InvokeCommand', 'InvokeWithResponseStreamCommand']);
const CONTROL_PLANE_REQUESTS_PER_SECOND = 10;
/**
 * At most `perSecond` requests in any second, as Lambda counts them (on arrival): a request may go
 * when fewer than `perSecond` are in flight or were answered within the last second. A request
 * arrives before it is answered, so any `perSecond` + 1 requests in a row arrive at least a second
 * apart, however long each took to get there. Requests go in the order they asked.
 */
class RequestRateLimiter {
    perSecond;
    now;
    sleep;
    /** When each request answered within the last second was answered. */
    answered = [];
    inFlight = 0;
    queue = Promise.resolve();
    /** Resolved when a request in flight is answered. */
    wake = () => undefined;
    constructor(perSecond = CONTROL_PLANE_REQUESTS_PER_SECOND, now = () => Date.now(), sleep = (ms) => (0,external_node_timers_promises_.setTimeout)(ms)) {
        this.perSecond = perSecond;
        this.now = now;
        this.sleep = sleep;
        if (!Number.isInteger(perSecond) || perSecond < 1)
            throw new Error(`a request rate must be a whole number of at least 1, not ${perSecond}`);
    }
    /** Set by open(): requests go at once. */
    opened = false;
    /**
     * From now on every request goes at once, without waiting for a place: a release that failed
     * puts every alias back in one round (release/group.ts), and safety beats the rate. Lambda may
     * throttle a few of those writes; the SDK's retries send them again.
     */
    open() {
        this.opened = true;
        this.wake();
    }
    /** Resolves when a request may be sent now, with the function to call once it is answered (or failed). */
    acquire() {
        if (this.opened)
            return Promise.resolve(() => undefined);
        const turn = this.queue.then(async () => {
            for (;;) {
                const t = this.now();
                while (this.answered.length > 0 && (this.answered[0] ?? 0) <= t - 1000)
                    this.answered.shift();
                if (this.opened)
                    return () => undefined;
                if (this.inFlight + this.answered.length < this.perSecond) {
                    this.inFlight++;
                    let released = false;
                    return () => {
                        if (released)
                            return;
                        released = true;
                        this.inFlight--;
                        this.answered.push(this.now());
                        this.wake();
                    };
                }
                const oldest = this.answered[0];
                const answeredOne = new Promise((resolve) => (this.wake = resolve));
                await (oldest === undefined ? answeredOne : Promise.race([answeredOne, this.sleep(oldest + 1000 - t + 1)]));
            }
        });
        this.queue = turn.then(() => undefined, () => undefined);
        return turn;
    }
}
/** Every request the client sends (each retry too) that counts against the quota waits for the limiter first. */
function limitControlPlane(client, limiter) {
    client.middlewareStack.add((next, context) => async (args) => {
        if (UNCOUNTED.has(context.commandName ?? ''))
            return next(args);
        const answered = await limiter.acquire();
        try {
            return await next(args);
        }
        finally {
            answered();
        }
    }, 
    // In the finalize step below the SDK's retry middleware: every attempt is counted.
    { step: 'finalizeRequest', priority: 'low', name: 'stageDeployControlPlaneRate' });
}

;// CONCATENATED MODULE: ./src/aws/client-config.ts
/**
 * The options every AWS SDK client of stage-deploy is built with, without importing any client:
 * the heavy SDK modules are loaded only by the services a run needs (services.ts).
 */
const DEFAULT_USER_AGENT = 'stage-deploy';
/**
 * Time limits of the requests to AWS. The SDK has none of its own: a connection that never opens,
 * or an S3 request whose answer stops coming, would hold the step until the job's own timeout
 * (six hours by default). A request cut off by either is a TimeoutError, which the SDK's standard
 * retry sends again. The socket limit is S3's only: S3 keeps a slow CompleteMultipartUpload alive
 * by sending spaces, while a Lambda Invoke (the direct check) may rightly be silent for as long as
 * the function runs.
 */
const CONNECTION_TIMEOUT_MS = 10_000;
const S3_SOCKET_TIMEOUT_MS = 60_000;
function commonConfig(options = {}) {
    return {
        ...(options.region && { region: options.region }),
        retryMode: 'standard',
        maxAttempts: 5,
        customUserAgent: options.userAgent ?? DEFAULT_USER_AGENT,
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS },
        ...(options.credentials !== undefined && { credentials: options.credentials }),
    };
}
/**
 * The SDK reads AWS_ENDPOINT_URL by itself; for an emulator on a host name S3 also needs
 * path-style addressing (the SDK does it alone only for an IP address).
 */
function s3Config(options = {}) {
    const common = commonConfig(options);
    return {
        ...common,
        requestHandler: { ...common.requestHandler, socketTimeout: options.s3SocketTimeoutMs ?? S3_SOCKET_TIMEOUT_MS },
        ...(options.pathStyleS3 === true && { forcePathStyle: true }),
    };
}

;// CONCATENATED MODULE: ./src/aws/assume-role.ts
/**
 * A stage's `role`: credentials from STS AssumeRole, taken with the job's own credentials (the
 * SDK's default chain) and used by every client of that stage (services.ts).
 *
 * AssumeRole (STS API reference, API_AssumeRole.html) takes `RoleArn` and `RoleSessionName`
 * (2 to 64 characters of `[\w+=,.@-]`) and answers temporary `Credentials` with an `Expiration`;
 * a caller that may not assume the role gets `AccessDenied`. The credentials are kept until five
 * minutes before they expire, then taken again (a long canary outlives the default hour).
 * IAM: `sts:AssumeRole` on the role, for the job's own role (README "Prod in its own account").
 */

/** Credentials are taken again this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;
const SESSION_NAME_MAX = 64;
/** STS refused the role (AccessDenied, or any other failure of AssumeRole): `code` is STS's error name. */
class AssumeRoleError extends Error {
    roleArn;
    code;
    name = 'AssumeRoleError';
    /** Why, without the ARN: `cannot be assumed with the job's own credentials (AccessDenied: …)`. */
    reason;
    constructor(roleArn, code, stsMessage) {
        const reason = `cannot be assumed with the job's own credentials (${code}: ${stsMessage})`;
        super(`role ${roleArn} ${reason}`);
        this.roleArn = roleArn;
        this.code = code;
        this.reason = reason;
    }
}
/**
 * The session name: `stage-deploy-<owner>-<repo>-<run id>`, with every character STS does not
 * allow made `-`, cut to 64 characters (CloudTrail shows it: who assumed the role, from which run).
 */
function roleSessionName(repository, runId) {
    const parts = ['stage-deploy', repository?.replace(/\//g, '-'), runId].filter((p) => Boolean(p));
    return parts.join('-').replace(/[^\w+=,.@-]/g, '-').slice(0, SESSION_NAME_MAX);
}
/**
 * A credentials provider for `roleArn`: the first call assumes it; later calls give the same
 * credentials until they near their expiry. A failure is an AssumeRoleError with STS's own error
 * name and message (the caller words the refusal).
 */
function assumeRoleCredentials(roleArn, sessionName, options = {}) {
    let current;
    const assume = async () => {
        const { STSClient, AssumeRoleCommand } = await __webpack_require__.e(/* import() */ 695).then(__webpack_require__.t.bind(__webpack_require__, 1695, 19));
        const client = new STSClient({ ...commonConfig(options) });
        try {
            const answer = await client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
            const c = answer.Credentials;
            if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined)
                throw new AssumeRoleError(roleArn, 'NoCredentials', 'STS answered without credentials');
            return {
                accessKeyId: c.AccessKeyId,
                secretAccessKey: c.SecretAccessKey,
                ...(c.SessionToken !== undefined && { sessionToken: c.SessionToken }),
                ...(c.Expiration !== undefined && { expiration: c.Expiration }),
            };
        }
        catch (error) {
            if (error instanceof AssumeRoleError)
                throw error;
            const e = error;
            throw new AssumeRoleError(roleArn, e.name ?? 'Error', e.message ?? String(error));
        }
        finally {
            client.destroy();
        }
    };
    return async () => {
        const held = current === undefined ? undefined : await current.catch(() => undefined);
        if (held !== undefined && (held.expiration === undefined || held.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS))
            return held;
        current = assume();
        return current;
    };
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var dist_cjs = __webpack_require__(1696);
;// CONCATENATED MODULE: ./src/aws/lambda-gateway.ts
/**
 * The LambdaGateway the release logic talks to, done with the AWS SDK: one `client.send` per
 * operation, the SDK's retries (configured in clients.ts) and the SDK's waiter.
 *
 * About `waitUntilFunctionUpdatedV2` (@aws-sdk/client-lambda 3.x, checked in node_modules):
 * - It polls `GetFunction` (so the caller needs `lambda:GetFunction`) and looks at
 *   `Configuration.LastUpdateStatus`: `Successful` → done, `Failed` → failure,
 *   `InProgress` → poll again. Any other answer, *including an error* such as throttling or
 *   AccessDenied, also means "poll again" until the time limit (the waiter warns on the console
 *   after 60 s of 403s). So a missing permission shows up as a timeout, not at once.
 * - The first poll is immediate. Before poll n (n ≥ 1) it sleeps a random time in
 *   [minDelay, min(minDelay·2^(n-1), maxDelay)] seconds (exponential backoff with jitter);
 *   once n > log2(maxDelay/minDelay) + 1 it sleeps exactly maxDelay. It never sleeps past
 *   maxWaitTime: the last delay is shortened, then it gives up with a `TimeoutError`.
 * - Lambda's own defaults are minDelay 1 s and maxDelay 300 s; ours are 0.25 s and 0.5 s so a
 *   deploy notices the end of an update within half a second, and give up after 300 s.
 * - Options must satisfy minDelay > 0, maxDelay ≥ minDelay and maxWaitTime > minDelay, or the
 *   waiter throws before polling.
 * - `waitUntil…` throws on failure with the JSON of the waiter result as message; we read the
 *   function again instead and throw an Error that carries `LastUpdateStatusReason`.
 * We do not wait *before* an update: each update here waits for its own end, so the next one
 * starts on a settled function. An update someone else started (another run, the console) is
 * found out by Lambda: while `LastUpdateStatus` is InProgress it refuses UpdateFunctionConfiguration,
 * UpdateFunctionCode and PublishVersion with 409 ResourceConflictException ("The resource already
 * exists, or another operation is in progress", API_UpdateFunctionConfiguration.html; "An update
 * is in progress for resource: <arn>" in the message). Such a write was not applied, so the
 * gateway waits for that update to end (the same waiter) and sends it once more.
 *
 * About `waitUntilPublishedVersionActive` (same waiter machinery): it polls
 * `GetFunctionConfiguration` with the version as Qualifier; `State` Active → done, Failed →
 * failure, Pending → poll again, and anything else (Inactive, an error) → poll again until the
 * time limit. PublishVersion may answer a version that is still Pending (StateReasonCode
 * `Creating`: "you can't invoke or modify the function"; functions-states.html): such a version
 * must not take traffic, so publishVersion waits for it to be Active before it returns.
 */







/**
 * Poll every 0.25–0.5 s: a deploy moves on within half a second of Lambda finishing an update
 * (the benchmark measures it), at two GetFunction calls a second at most, well inside Lambda's
 * control-plane rate.
 */
const DEFAULT_WAITER = {
    minDelaySeconds: 0.25,
    maxDelaySeconds: 0.5,
    maxWaitSeconds: 300,
    snapStartMaxWaitSeconds: 900,
};
function lambda_gateway_isNotFound(error) {
    return error instanceof Error && error.name === 'ResourceNotFoundException';
}
/**
 * An alias write Lambda refused because the alias changed under the caller, as AliasConflictError:
 * PreconditionFailedException (the RevisionId sent is not the alias's), or
 * ResourceConflictException on CreateAlias (the alias exists: another run created it first).
 * Anything else is returned as it is.
 */
function aliasConflict(error, functionName, alias, operation) {
    if (!(error instanceof Error))
        return error;
    if (error.name === 'PreconditionFailedException') {
        return new errors/* AliasConflictError */.Xl('moved', `alias ${alias} of ${functionName} changed since it was read (${operation}: ${error.message})`, { cause: error });
    }
    if (error.name === 'ResourceConflictException' && operation === 'CreateAlias') {
        return new errors/* AliasConflictError */.Xl('exists', `alias ${alias} of ${functionName} already exists (${operation}: ${error.message})`, { cause: error });
    }
    return error;
}
function toVersionState(config) {
    return {
        functionArn: config.FunctionArn ?? '',
        functionName: config.FunctionName ?? '',
        version: config.Version ?? '$LATEST',
        codeSha256: config.CodeSha256 ?? '',
        codeSize: config.CodeSize ?? 0,
        environment: { ...(config.Environment?.Variables ?? {}) },
        ...(config.MemorySize !== undefined && { memorySize: config.MemorySize }),
        ...(config.Timeout !== undefined && { timeoutSeconds: config.Timeout }),
        description: config.Description ?? '',
        ...(config.LastModified !== undefined && { lastModified: config.LastModified }),
        ...(config.RevisionId !== undefined && { revisionId: config.RevisionId }),
        ...(config.State !== undefined && { state: config.State }),
        ...(config.StateReason !== undefined && { stateReason: config.StateReason }),
        ...(config.StateReasonCode !== undefined && { stateReasonCode: config.StateReasonCode }),
        ...(config.LastUpdateStatus !== undefined && { lastUpdateStatus: config.LastUpdateStatus }),
        ...(config.Handler !== undefined && { handler: config.Handler }),
        ...(config.Runtime !== undefined && { runtime: config.Runtime }),
        ...(config.LoggingConfig !== undefined && { logging: toLoggingSettings(config.LoggingConfig) }),
        // What a weighted alias requires both its versions to share (weighted-alias.ts).
        ...(config.Role !== undefined && { role: config.Role }),
        ...(config.DeadLetterConfig?.TargetArn && { deadLetterTarget: config.DeadLetterConfig.TargetArn }),
        ...((config.PackageType === 'Zip' || config.PackageType === 'Image') && { packageType: config.PackageType }),
        ...(snapStartOn(config) && { snapStart: { applyOn: 'PublishedVersions', optimizationStatus: config.SnapStart?.OptimizationStatus === 'On' ? 'On' : 'Off' } }),
    };
}
/** Whether SnapStart is on for this configuration (`SnapStart.ApplyOn: PublishedVersions`). */
function snapStartOn(config) {
    return config.SnapStart?.ApplyOn === 'PublishedVersions';
}
/**
 * A published version ready for traffic: Active, and with SnapStart on, optimized too
 * (`SnapStart.OptimizationStatus: On`, API_SnapStartResponse.html).
 */
function readyForTraffic(config) {
    return config.State === 'Active' && (!snapStartOn(config) || config.SnapStart?.OptimizationStatus === 'On');
}
/** Lambda's LoggingConfig as LoggingSettings; a config without LogFormat is Lambda's default, Text. */
function toLoggingSettings(config) {
    return {
        logFormat: config.LogFormat === 'JSON' ? 'JSON' : 'Text',
        ...(config.ApplicationLogLevel !== undefined && { applicationLogLevel: config.ApplicationLogLevel }),
        ...(config.SystemLogLevel !== undefined && { systemLogLevel: config.SystemLogLevel }),
        ...(config.LogGroup !== undefined && { logGroup: config.LogGroup }),
    };
}
/** The LoggingConfig sent for a change: format and levels only, never LogGroup (left as it is). */
function toLoggingConfig(logging) {
    return {
        LogFormat: logging.logFormat,
        ...(logging.applicationLogLevel !== undefined && {
            ApplicationLogLevel: logging.applicationLogLevel,
        }),
        ...(logging.systemLogLevel !== undefined && { SystemLogLevel: logging.systemLogLevel }),
    };
}
function toAliasState(alias) {
    const { Name = '', AliasArn = '', FunctionVersion = '', Description = '', RoutingConfig, RevisionId } = alias;
    const weights = { ...(RoutingConfig?.AdditionalVersionWeights ?? {}) };
    return { name: Name, arn: AliasArn, version: FunctionVersion, description: Description, weights, ...(RevisionId !== undefined && { revisionId: RevisionId }) };
}
class SdkLambdaGateway {
    client;
    options;
    waiter;
    constructor(client, options = {}) {
        this.client = client;
        this.options = options;
        this.waiter = { ...DEFAULT_WAITER, ...stripUndefined(options.waiter ?? {}) };
    }
    /**
     * One version's configuration, read with GetFunction rather than GetFunctionConfiguration:
     * GetFunction has a quota of its own (100 requests per second), apart from the 15 per second
     * every other control-plane call shares (Lambda quotas), so the reads of a release of many
     * functions do not eat into the budget its writes need; and for an image function it also gives
     * Code.ResolvedImageUri, the image pinned by digest ("The resolved URI for the image",
     * API_FunctionCodeLocation.html), in the same call. A version's code is locked when it is
     * published, so that is the image it runs, whatever its tag points at now.
     */
    async getVersion(functionName, version) {
        try {
            const answer = await this.client.send(new dist_cjs/* GetFunctionCommand */.YF5({ FunctionName: functionName, ...(version !== undefined && { Qualifier: version }) }));
            if (answer.Configuration === undefined)
                throw new Error(`Lambda gave no configuration for ${functionName}${version !== undefined ? `:${version}` : ''}`);
            const state = toVersionState(answer.Configuration);
            const resolved = answer.Configuration.PackageType === 'Image' ? answer.Code?.ResolvedImageUri : undefined;
            return resolved ? { ...state, imageUri: resolved } : state;
        }
        catch (error) {
            if (lambda_gateway_isNotFound(error))
                return undefined;
            throw error;
        }
    }
    async getAlias(functionName, alias) {
        try {
            return toAliasState(await this.client.send(new dist_cjs/* GetAliasCommand */.MES({ FunctionName: functionName, Name: alias })));
        }
        catch (error) {
            if (lambda_gateway_isNotFound(error))
                return undefined;
            throw error;
        }
    }
    async updateConfiguration(functionName, change, revisionId) {
        const input = {
            FunctionName: functionName,
            ...(revisionId !== undefined && { RevisionId: revisionId }),
            // Always with Variables: an Environment without them means "no change" to Lambda but is
            // an error to moto. The map replaces the function's variables; merging is the caller's.
            ...(change.environment !== undefined && { Environment: { Variables: { ...change.environment } } }),
            ...(change.memorySize !== undefined && { MemorySize: change.memorySize }),
            ...(change.timeoutSeconds !== undefined && { Timeout: change.timeoutSeconds }),
            ...(change.logging !== undefined && { LoggingConfig: toLoggingConfig(change.logging) }),
        };
        await this.writeWhenSettled(functionName, 'UpdateFunctionConfiguration', () => this.client.send(new dist_cjs/* UpdateFunctionConfigurationCommand */.Zlw(input)));
        return this.waitForUpdate(functionName, 'configuration');
    }
    async updateCode(functionName, code, revisionId) {
        const input = {
            FunctionName: functionName,
            ...(code.kind === 'zip-file'
                ? { ZipFile: await (0,promises_.readFile)(code.zipPath) }
                : code.kind === 'image'
                    ? { ImageUri: code.imageUri }
                    : { S3Bucket: code.bucket, S3Key: code.key }),
            ...(revisionId !== undefined && { RevisionId: revisionId }),
        };
        await this.writeWhenSettled(functionName, 'UpdateFunctionCode', () => this.client.send(new dist_cjs/* UpdateFunctionCodeCommand */.KfB(input)));
        return this.waitForUpdate(functionName, 'code');
    }
    async publishVersion(functionName, options) {
        const config = await this.writeWhenSettled(functionName, 'PublishVersion', () => this.client.send(new dist_cjs/* PublishVersionCommand */.D3m({
            FunctionName: functionName,
            CodeSha256: options.codeSha256,
            Description: options.description,
            ...(options.revisionId !== undefined && { RevisionId: options.revisionId }),
        })));
        // A version still Pending (or Failed at once) must not take traffic: wait for Active. With
        // SnapStart on, Lambda takes the version's snapshot while it is Pending (snapstart-activate.html,
        // "SnapStart and function states"): wait for Active and OptimizationStatus On.
        const snapStart = snapStartOn(config);
        const wait = snapStart ? !readyForTraffic(config) : config.State !== undefined && config.State !== 'Active';
        if (wait && config.Version !== undefined) {
            const reason = config.StateReasonCode ? ` (${config.StateReasonCode})` : '';
            this.say(snapStart
                ? `Version ${config.Version} of ${functionName} is ${config.State ?? 'not Active'}${reason}: SnapStart is taking its snapshot; waiting for it to be Active and optimized before it takes traffic (this can take minutes).`
                : `Version ${config.Version} of ${functionName} is ${config.State}${reason}: waiting for it to be Active before it takes traffic.`);
            return this.waitForVersionActive(functionName, config.Version, { snapStart });
        }
        return toVersionState(config);
    }
    async waitForVersionActive(functionName, version, options = {}) {
        const what = `version ${version} of ${functionName}`;
        const snapStart = options.snapStart === true;
        const goal = snapStart ? 'Active with its SnapStart snapshot ready' : 'Active';
        const maxWaitSeconds = snapStart ? this.waiter.snapStartMaxWaitSeconds : this.waiter.maxWaitSeconds;
        const started = Date.now();
        const deadline = started + maxWaitSeconds * 1000;
        let waitError;
        try {
            const last = await this.whileWaiting(`Still waiting for ${what} to be ${goal}`, async () => {
                const done = await (0,dist_cjs/* waitUntilPublishedVersionActive */.S6K)({ client: this.client, minDelay: this.waiter.minDelaySeconds, maxDelay: this.waiter.maxDelaySeconds, maxWaitTime: maxWaitSeconds }, { FunctionName: functionName, Qualifier: version });
                let config = done.state === 'SUCCESS' ? done.reason : undefined;
                // SnapStart: Active is not all; OptimizationStatus On says the snapshot is ready (API_SnapStartResponse.html).
                while (config !== undefined && config.State === 'Active' && !readyForTraffic(config) && Date.now() < deadline) {
                    await new Promise((resolve) => setTimeout(resolve, this.waiter.minDelaySeconds * 1000));
                    config = await this.client.send(new dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: functionName, Qualifier: version }));
                }
                return config;
            });
            if (last !== undefined && readyForTraffic(last)) {
                const ready = snapStartOn(last) ? 'Active and optimized (SnapStart snapshot ready)' : 'Active';
                this.say(`Version ${version} of ${functionName} is ${ready} (waited ${seconds(Date.now() - started)}).`);
                return toVersionState(last);
            }
        }
        catch (error) {
            waitError = error;
        }
        const config = await this.client.send(new dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: functionName, Qualifier: version }));
        if (config.State === 'Failed') {
            const code = config.StateReasonCode ? ` (${config.StateReasonCode})` : '';
            const how = snapStartOn(config) ? ' (SnapStart: the snapshot of the version could not be taken)' : '';
            throw new Error(`Lambda could not make ${what} Active${how}: it is Failed: ${config.StateReason ?? 'no reason given'}${code}`);
        }
        if (readyForTraffic(config))
            return toVersionState(config);
        if (waitError instanceof Error && waitError.name !== 'TimeoutError')
            throw waitError;
        const optimization = snapStartOn(config) ? `, SnapStart OptimizationStatus: ${config.SnapStart?.OptimizationStatus ?? 'unknown'}` : '';
        throw new Error(`${what} did not become ${snapStartOn(config) ? 'Active with its SnapStart snapshot ready' : goal} within ${maxWaitSeconds}s (state: ${config.State ?? 'unknown'}${optimization}).`, {
            cause: waitError,
        });
    }
    /** The account's code storage in this region, read once per gateway (one run), however many functions the release has. */
    storage;
    codeStorage() {
        this.storage ??= this.client.send(new dist_cjs/* GetAccountSettingsCommand */._8I({})).then((answer) => {
            const usedBytes = answer.AccountUsage?.TotalCodeSize;
            const limitBytes = answer.AccountLimit?.TotalCodeSize;
            if (usedBytes === undefined || limitBytes === undefined)
                throw new Error('GetAccountSettings gave no TotalCodeSize');
            return { usedBytes, limitBytes };
        });
        return this.storage;
    }
    async createAlias(functionName, alias, version, description) {
        try {
            const created = await this.client.send(new dist_cjs/* CreateAliasCommand */.W_e({
                FunctionName: functionName,
                Name: alias,
                FunctionVersion: version,
                Description: description,
            }));
            return toAliasState(created);
        }
        catch (error) {
            throw aliasConflict(error, functionName, alias, 'CreateAlias');
        }
    }
    async updateAlias(functionName, alias, target) {
        try {
            const updated = await this.client.send(new dist_cjs/* UpdateAliasCommand */.lqC({
                FunctionName: functionName,
                Name: alias,
                FunctionVersion: target.version,
                // Always sent: an empty map clears a split in flight, so "no weights" means "all on version".
                RoutingConfig: { AdditionalVersionWeights: { ...(target.weights ?? {}) } },
                ...(target.description !== undefined && { Description: target.description }),
                ...(target.revisionId !== undefined && { RevisionId: target.revisionId }),
            }));
            return toAliasState(updated);
        }
        catch (error) {
            throw aliasConflict(error, functionName, alias, 'UpdateAlias');
        }
    }
    async deleteAlias(functionName, alias) {
        await this.client.send(new dist_cjs/* DeleteAliasCommand */.Hou({ FunctionName: functionName, Name: alias }));
    }
    async downloadCode(functionName, version, toPath) {
        const answer = await this.client.send(new dist_cjs/* GetFunctionCommand */.YF5({ FunctionName: functionName, Qualifier: version }));
        // A presigned URL: a secret for its lifetime. It never goes into a message: only its host does.
        const location = answer.Code?.Location;
        if (!location)
            throw new Error(`Lambda gave no code location for version ${version} of ${functionName}`);
        const what = `the code of ${functionName}'s version ${version}`;
        const host = hostOf(location);
        // The cause is kept as text, scrubbed: the original error may carry the URL.
        const failed = (reason) => new Error(`could not download ${what} from ${host}: ${scrubLocation(reason, location)}`);
        let response;
        try {
            response = await fetch(location, { signal: AbortSignal.timeout(10 * 60_000) });
        }
        catch (error) {
            throw failed((0,errors/* errorChain */.eB)(error));
        }
        if (!response.ok || !response.body) {
            // S3 answers an expired or refused presigned URL with 403 and an XML <Code>: name it, nothing more.
            const body = await response.text().catch(() => '');
            const code = /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(body)?.[1];
            throw failed(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${code ? ` (${code})` : ''}`);
        }
        const hash = (0,external_node_crypto_.createHash)('sha256');
        const hashing = new external_node_stream_.Transform({
            transform(chunk, _encoding, done) {
                hash.update(chunk);
                done(null, chunk);
            },
        });
        try {
            await (0,external_node_stream_promises_.pipeline)(external_node_stream_.Readable.fromWeb(response.body), hashing, (0,external_node_fs_.createWriteStream)(toPath));
        }
        catch (error) {
            throw failed(`the transfer broke off: ${(0,errors/* errorChain */.eB)(error)}`);
        }
        return hash.digest('base64');
    }
    async listVersions(functionName) {
        const versions = [];
        for await (const page of (0,dist_cjs/* paginateListVersionsByFunction */.CE5)({ client: this.client }, { FunctionName: functionName })) {
            for (const config of page.Versions ?? []) {
                if (config.Version === undefined || config.Version === '$LATEST')
                    continue;
                versions.push(toVersionState(config));
            }
        }
        return versions;
    }
    async listAliases(functionName) {
        const aliases = [];
        for await (const page of (0,dist_cjs/* paginateListAliases */._O$)({ client: this.client }, { FunctionName: functionName })) {
            for (const alias of page.Aliases ?? [])
                aliases.push(toAliasState(alias));
        }
        return aliases;
    }
    async deleteVersion(functionName, version) {
        // DeleteFunction without a Qualifier (or with $LATEST) deletes the whole function: only a
        // published version number ever goes out from here.
        if (!/^[1-9][0-9]*$/.test(version)) {
            throw new Error(`Refusing to delete version ${JSON.stringify(version)} of ${functionName}: only a published version number can be deleted.`);
        }
        await this.client.send(new dist_cjs/* DeleteFunctionCommand */.Z3K({ FunctionName: functionName, Qualifier: version }));
    }
    // ---- Function URLs (issue 15) --------------------------------------------------------------
    async functionUrl(functionName, alias) {
        try {
            const answer = await this.client.send(new dist_cjs/* GetFunctionUrlConfigCommand */.Hcc({ FunctionName: functionName, Qualifier: alias }));
            if (answer.FunctionUrl === undefined)
                return undefined;
            return { url: answer.FunctionUrl, authType: answer.AuthType ?? 'NONE', qualifier: urlQualifier(answer.FunctionArn) };
        }
        catch (error) {
            if (lambda_gateway_isNotFound(error))
                return undefined;
            throw error;
        }
    }
    async listFunctionUrls(functionName) {
        const urls = [];
        for await (const page of (0,dist_cjs/* paginateListFunctionUrlConfigs */.AJU)({ client: this.client }, { FunctionName: functionName })) {
            for (const config of page.FunctionUrlConfigs ?? []) {
                urls.push({ url: config.FunctionUrl ?? '', authType: config.AuthType ?? 'NONE', qualifier: urlQualifier(config.FunctionArn) });
            }
        }
        return urls;
    }
    // Previews (issue 18): each pull request's alias gets its own URL, deleted with the preview.
    async createFunctionUrl(functionName, alias, authType) {
        const answer = await this.client.send(new dist_cjs/* CreateFunctionUrlConfigCommand */.DJE({ FunctionName: functionName, Qualifier: alias, AuthType: authType }));
        return { url: answer.FunctionUrl ?? '', authType: answer.AuthType ?? authType, qualifier: urlQualifier(answer.FunctionArn) };
    }
    async deleteFunctionUrl(functionName, alias) {
        try {
            await this.client.send(new dist_cjs/* DeleteFunctionUrlConfigCommand */.Ik0({ FunctionName: functionName, Qualifier: alias }));
            return true;
        }
        catch (error) {
            if (lambda_gateway_isNotFound(error))
                return false;
            throw error;
        }
    }
    async allowPublicUrl(functionName, alias) {
        // "Control access to Lambda function URLs" (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html):
        // with AuthType NONE the resource-based policy must still grant public access, and function
        // URLs created since October 2025 need both lambda:InvokeFunctionUrl and lambda:InvokeFunction
        // (the latter limited to calls through the URL: InvokedViaFunctionUrl). Both on the alias only.
        const statements = [
            { StatementId: `stage-deploy-url-${alias}`, Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE' },
            { StatementId: `stage-deploy-url-invoke-${alias}`, Action: 'lambda:InvokeFunction', InvokedViaFunctionUrl: true },
        ];
        for (const statement of statements) {
            try {
                await this.client.send(new dist_cjs/* AddPermissionCommand */.AL$({ FunctionName: functionName, Qualifier: alias, Principal: '*', ...statement }));
            }
            catch (error) {
                // The statement is there from an earlier preview of the same alias.
                if (!(error instanceof Error && error.name === 'ResourceConflictException'))
                    throw error;
            }
        }
    }
    // ---- end of function URLs ------------------------------------------------------------------
    async invokeVersion(functionName, version, event) {
        const answer = await this.client.send(new dist_cjs/* InvokeCommand */.mdN({
            FunctionName: functionName,
            Qualifier: version,
            InvocationType: 'RequestResponse',
            Payload: new TextEncoder().encode(JSON.stringify(event ?? null)),
        }));
        return {
            payload: answer.Payload ? new TextDecoder('utf-8').decode(answer.Payload) : '',
            ...(answer.FunctionError !== undefined && answer.FunctionError !== '' && { functionError: answer.FunctionError }),
        };
    }
    /**
     * Send a write to $LATEST; when Lambda refuses it because another update is in progress
     * (ResourceConflictException: nothing was written), wait for that update to end and send it
     * once more. A second refusal, or an update still going on at the time limit, fails the write.
     */
    async writeWhenSettled(functionName, operation, send) {
        try {
            return await send();
        }
        catch (error) {
            if (!isUpdateInProgress(error))
                throw error;
        }
        const started = Date.now();
        this.say(`${functionName} has an update in progress that this run did not start (Lambda refused ${operation}): waiting for it to finish before writing.`);
        try {
            await this.whileWaiting(`Still waiting for the update in progress on ${functionName}`, () => (0,dist_cjs/* waitUntilFunctionUpdatedV2 */.rWV)({ client: this.client, minDelay: this.waiter.minDelaySeconds, maxDelay: this.waiter.maxDelaySeconds, maxWaitTime: this.waiter.maxWaitSeconds }, { FunctionName: functionName }));
        }
        catch (error) {
            if (error instanceof Error && error.name === 'TimeoutError') {
                throw new Error(`another update of ${functionName} was still in progress after ${this.waiter.maxWaitSeconds}s; ${operation} was not sent again.`, { cause: error });
            }
            // The other update ended Failed: $LATEST is as it was before it, and this write may go.
        }
        this.say(`The update in progress on ${functionName} ended (waited ${seconds(Date.now() - started)}): sending ${operation} again.`);
        try {
            return await send();
        }
        catch (error) {
            if (!isUpdateInProgress(error))
                throw error;
            throw new Error(`Lambda refused ${operation} of ${functionName} again: another update started in the meantime (ResourceConflictException).`, { cause: error });
        }
    }
    /** Run a wait, saying every `progressEveryMs` that it is still going on, with the time waited. */
    async whileWaiting(still, wait) {
        const started = Date.now();
        const timer = setInterval(() => this.say(`${still} (${seconds(Date.now() - started)}).`), this.options.progressEveryMs ?? 15_000);
        timer.unref();
        try {
            return await wait();
        }
        finally {
            clearInterval(timer);
        }
    }
    say(message) {
        this.options.progress?.(message);
    }
    /** Wait until $LATEST's last update is over; return its state, or throw with Lambda's reason. */
    async waitForUpdate(functionName, what) {
        let waitError;
        try {
            const done = await (0,dist_cjs/* waitUntilFunctionUpdatedV2 */.rWV)({
                client: this.client,
                minDelay: this.waiter.minDelaySeconds,
                maxDelay: this.waiter.maxDelaySeconds,
                maxWaitTime: this.waiter.maxWaitSeconds,
            }, { FunctionName: functionName });
            // Success: the waiter's last GetFunction already holds the fresh $LATEST; no second read.
            const last = done.reason?.Configuration;
            if (done.state === 'SUCCESS' && last?.LastUpdateStatus === 'Successful')
                return toVersionState(last);
        }
        catch (error) {
            waitError = error;
        }
        let config;
        try {
            config = await this.client.send(new dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: functionName }));
        }
        catch (error) {
            if (lambda_gateway_isNotFound(error)) {
                throw new Error(`Function ${functionName} disappeared while its ${what} was being updated.`, { cause: error });
            }
            throw error;
        }
        if (config.LastUpdateStatus === 'Failed') {
            const code = config.LastUpdateStatusReasonCode ? ` (${config.LastUpdateStatusReasonCode})` : '';
            throw new Error(`Lambda could not update the ${what} of ${functionName}: ${config.LastUpdateStatusReason ?? 'no reason given'}${code}`);
        }
        if (waitError !== undefined) {
            if (waitError instanceof Error && waitError.name === 'TimeoutError') {
                throw new Error(`Lambda did not finish updating the ${what} of ${functionName} within ${this.waiter.maxWaitSeconds}s ` +
                    `(last update status: ${config.LastUpdateStatus ?? 'unknown'}).`, { cause: waitError });
            }
            throw waitError;
        }
        return toVersionState(config);
    }
}
/** The host (and port) of a URL, the only part of a presigned URL that may be shown. */
function hostOf(url) {
    try {
        return new URL(url).host || 'an unknown host';
    }
    catch {
        return 'an unparsable code location';
    }
}
/** `text` without the presigned URL: the whole URL, its path and its query are replaced by its host. */
function scrubLocation(text, location) {
    let out = text;
    try {
        const url = new URL(location);
        for (const secret of [location, url.href, `${url.pathname}${url.search}`, url.search.slice(1)]) {
            if (secret.length > 1)
                out = out.split(secret).join(url.host);
        }
    }
    catch {
        out = out.split(location).join('(code location)');
    }
    // Belt and braces: no signature parameter, whatever form it took.
    return out.replace(/X-Amz-[A-Za-z-]+=[^\s&"']*/gi, 'X-Amz-…');
}
/** Lambda's 409 for a write while an update is in progress (also its answer to an alias that exists). */
function isUpdateInProgress(error) {
    return error instanceof Error && error.name === 'ResourceConflictException';
}
/** `2.3 s`, for the waits the log reports. */
function seconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}
function stripUndefined(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
/** What a function URL's FunctionArn is qualified with: `arn:…:function:name:alias`; unqualified is `$LATEST`. */
function urlQualifier(functionArn) {
    const parts = (functionArn ?? '').split(':');
    return parts.length >= 8 && parts[7] !== '' ? parts[7] : '$LATEST';
}

;// CONCATENATED MODULE: ./src/aws/capacity-gateway.ts
/**
 * Lambda's provisioned concurrency configurations, through the SDK
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html,
 * API_GetProvisionedConcurrencyConfig.html, API_DeleteProvisionedConcurrencyConfig.html).
 */

function toState(answer) {
    const status = answer.Status === 'READY' || answer.Status === 'FAILED' ? answer.Status : 'IN_PROGRESS';
    return {
        status,
        requested: answer.RequestedProvisionedConcurrentExecutions ?? 0,
        allocated: answer.AllocatedProvisionedConcurrentExecutions ?? 0,
        ...(answer.StatusReason !== undefined && { statusReason: answer.StatusReason }),
    };
}
/** "ProvisionedConcurrencyConfigNotFoundException: The specified configuration does not exist." (GetProvisionedConcurrencyConfig, Errors). */
const notFound = (error) => error instanceof Error && error.name === 'ProvisionedConcurrencyConfigNotFoundException';
class SdkCapacityGateway {
    client;
    constructor(client) {
        this.client = client;
    }
    async provision(functionName, qualifier, count) {
        return toState(await this.client.send(new dist_cjs/* PutProvisionedConcurrencyConfigCommand */.iLl({ FunctionName: functionName, Qualifier: qualifier, ProvisionedConcurrentExecutions: count })));
    }
    async read(functionName, qualifier) {
        try {
            return toState(await this.client.send(new dist_cjs/* GetProvisionedConcurrencyConfigCommand */.D96({ FunctionName: functionName, Qualifier: qualifier })));
        }
        catch (error) {
            if (notFound(error))
                return undefined;
            throw error;
        }
    }
    async release(functionName, qualifier) {
        try {
            await this.client.send(new dist_cjs/* DeleteProvisionedConcurrencyConfigCommand */.Cbo({ FunctionName: functionName, Qualifier: qualifier }));
        }
        catch (error) {
            if (!notFound(error) && !(error instanceof Error && error.name === 'ResourceNotFoundException'))
                throw error;
        }
    }
}

// EXTERNAL MODULE: ./node_modules/@smithy/core/dist-cjs/submodules/serde/index.js
var serde = __webpack_require__(2430);
// EXTERNAL MODULE: ./node_modules/@smithy/signature-v4/dist-cjs/index.js
var signature_v4_dist_cjs = __webpack_require__(5118);
;// CONCATENATED MODULE: ./src/aws/url-signer.ts
/**
 * SigV4 signatures for requests to a function URL with AuthType AWS_IAM ("Control access to
 * Lambda function URLs", https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html: every
 * request is signed with SigV4 for service `lambda` in the function's region, by a principal
 * allowed `lambda:InvokeFunctionUrl`; a request with a body carries its SHA-256 in
 * `x-amz-content-sha256`, which the signer always adds).
 *
 * The credentials and region are those of the stage's Lambda client (services.ts): the job's own,
 * or the stage's assumed `role`. Each call signs afresh (a new X-Amz-Date), so a smoke test that
 * retries for minutes never sends a stale signature.
 */


/** A signer for function URL requests: the headers to add, in lower case. */
function functionUrlSigner(options) {
    const signer = new signature_v4_dist_cjs.SignatureV4({
        service: 'lambda',
        region: options.region,
        credentials: options.credentials,
        sha256: serde.Hash.bind(null, 'sha256'),
    });
    return async (request) => {
        const url = new URL(request.url);
        const query = {};
        for (const key of new Set(url.searchParams.keys())) {
            const values = url.searchParams.getAll(key);
            query[key] = values.length === 1 ? values[0] : values;
        }
        // The host as fetch sends it (with a port that is not the scheme's default), so that the
        // signed `host` is the one the server reads.
        const own = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
        const unsigned = {
            method: request.method,
            protocol: url.protocol,
            hostname: url.hostname,
            ...(url.port !== '' && { port: Number(url.port) }),
            path: url.pathname,
            query,
            headers: { ...own, host: url.host },
            ...(request.body !== undefined && { body: request.body }),
        };
        const signed = await signer.sign(unsigned);
        const added = {};
        for (const [name, value] of Object.entries(signed.headers)) {
            const lower = name.toLowerCase();
            if (lower === 'host' || own[lower] === value)
                continue;
            added[lower] = value;
        }
        return added;
    };
}

;// CONCATENATED MODULE: ./src/aws/services.ts
/**
 * The AWS services of one region, built on first use. Lambda is always needed; S3, CloudWatch,
 * CloudWatch Logs and ECR are loaded (module and client) only when a run needs them, so a plain
 * deploy starts without paying for SDK modules it never calls.
 */






class RegionServices {
    options;
    lambda;
    /** Provisioned concurrency (`provisioned-concurrency`), on the same Lambda client. */
    capacity;
    lambdaClient;
    s3Store;
    cloudwatch;
    logs;
    ecr;
    /** ECR for container-image functions: its SDK module and client are loaded on the first question. */
    images = {
        describeImage: async (ref) => (await this.ecrRegistry()).describeImage(ref),
        repositoryPolicy: async (ref) => (await this.ecrRegistry()).repositoryPolicy(ref),
    };
    /** `lambdaOptions.progress`: where the Lambda gateway says that it waits (an update in progress, a version Pending). */
    /** `limiter`: a release of several functions (release/group.ts) keeps the region's Lambda control-plane requests under the quota (rate-limit.ts). */
    constructor(options, lambdaOptions = {}, limiter) {
        this.options = options;
        const client = new dist_cjs/* LambdaClient */.Nox({ ...commonConfig(options) });
        this.lambdaClient = client;
        if (limiter !== undefined)
            limitControlPlane(client, limiter);
        this.lambda = new SdkLambdaGateway(client, lambdaOptions);
        this.capacity = new SdkCapacityGateway(client);
    }
    /**
     * Signs requests to an AWS_IAM function URL (url-signer.ts) with what the Lambda client signs
     * with: its region, and its credentials (the job's own, or the stage's assumed role).
     */
    urlSigner() {
        const config = this.lambdaClient.config;
        return functionUrlSigner({ region: () => config.region(), credentials: () => config.credentials() });
    }
    store() {
        this.s3Store ??= (async () => {
            const [{ S3Client }, { S3ArtifactStore }] = await Promise.all([__webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19)), Promise.all(/* import() */[__webpack_require__.e(711), __webpack_require__.e(71)]).then(__webpack_require__.bind(__webpack_require__, 8071))]);
            return new S3ArtifactStore(new S3Client(s3Config(this.options)));
        })();
        return this.s3Store;
    }
    metrics() {
        this.cloudwatch ??= (async () => {
            const [{ CloudWatchClient }, { SdkMetricsGateway }] = await Promise.all([__webpack_require__.e(/* import() */ 85).then(__webpack_require__.t.bind(__webpack_require__, 4085, 19)), Promise.all(/* import() */[__webpack_require__.e(85), __webpack_require__.e(267)]).then(__webpack_require__.bind(__webpack_require__, 3267))]);
            return new SdkMetricsGateway(new CloudWatchClient({ ...commonConfig(this.options) }));
        })();
        return this.cloudwatch;
    }
    ecrRegistry() {
        this.ecr ??= (async () => {
            const [{ ECRClient }, { SdkImageRegistry }] = await Promise.all([__webpack_require__.e(/* import() */ 249).then(__webpack_require__.t.bind(__webpack_require__, 8249, 19)), Promise.all(/* import() */[__webpack_require__.e(249), __webpack_require__.e(102)]).then(__webpack_require__.bind(__webpack_require__, 1102))]);
            return new SdkImageRegistry(new ECRClient({ ...commonConfig(this.options) }));
        })();
        return this.ecr;
    }
    logsClient() {
        this.logs ??= (async () => {
            const [{ CloudWatchLogsClient }, { SdkLogGroupGateway, SdkLogReader }] = await Promise.all([
                __webpack_require__.e(/* import() */ 303).then(__webpack_require__.t.bind(__webpack_require__, 2684, 19)),
                Promise.all(/* import() */[__webpack_require__.e(303), __webpack_require__.e(585)]).then(__webpack_require__.bind(__webpack_require__, 3585)),
            ]);
            const client = new CloudWatchLogsClient({ ...commonConfig(this.options) });
            return { groups: new SdkLogGroupGateway(client), reader: new SdkLogReader(client) };
        })();
        return this.logs;
    }
    async logGroups() {
        return (await this.logsClient()).groups;
    }
    async logReader() {
        return (await this.logsClient()).reader;
    }
}

// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
// EXTERNAL MODULE: ./src/checks/body-regex.ts
var body_regex = __webpack_require__(927);
;// CONCATENATED MODULE: ./src/checks/smoke.ts


/** How much of a body is kept to judge `expect-body`. */
const MAX_BODY_BYTES = 64 * 1024;
/** How much of a body goes into `SmokeAttempt.bodyExcerpt`. */
const EXCERPT_BYTES = 300;
/**
 * Replace every secret value in `text` with `***`. Empty secrets are ignored; longer secrets
 * are replaced first (so a secret that contains another is masked whole). The URL-encoded form
 * of a secret is masked too, as secrets travel in query strings.
 */
function maskSecrets(text, secrets) {
    const variants = new Set();
    for (const secret of secrets) {
        if (!secret)
            continue;
        variants.add(secret);
        const encoded = encodeURIComponent(secret);
        if (encoded !== secret)
            variants.add(encoded);
    }
    if (variants.size === 0)
        return text;
    const ordered = [...variants].sort((a, b) => b.length - a.length);
    let out = text;
    for (const value of ordered)
        out = out.split(value).join('***');
    return out;
}
/** A configured duration, as a user would write it: `200ms`, `10s`, `1.5s`, `5m`. */
function statusMatches(status, expect) {
    return expect.codes.includes(status) || expect.classes.includes(Math.floor(status / 100));
}
/** `"ok"` or `/^ok$/i`, for messages. */
function describeBodyExpectation(expect) {
    return expect.kind === 'substring' ? JSON.stringify(expect.text) : `/${expect.source}/${expect.flags}`;
}
function bodyMatches(body, expect) {
    if (expect.kind === 'substring')
        return body.includes(expect.text);
    return (0,body_regex/* bodyRegexMatches */.Rg)(expect.source, expect.flags, body);
}
/** Same-origin redirects followed per attempt; the answer after the last is judged as it is. */
const MAX_REDIRECTS = 3;
/** setTimeout's limit (2^31-1 ms); longer timers fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
class HttpSmokeChecker {
    fetch;
    clock;
    constructor(deps) {
        this.fetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
        this.clock = deps.clock;
    }
    /**
     * Up to `attempts` tries, `interval` apart, each cut off at `timeout`. The whole phase has a
     * deadline of attempts × (timeout + interval); `signal` (the run's cancel) stops the request in
     * flight and the wait between tries at once.
     */
    async check(smoke, log, signal) {
        // The signed headers' secret values (smoke.sign), masked as the stage's own secrets are: a
        // handler that echoes its request puts them in the body.
        const signatures = [];
        const mask = (text) => maskSecrets(text, [...smoke.secrets, ...signatures]);
        const method = smoke.method.toUpperCase();
        const url = mask(smoke.url);
        const total = Math.max(1, Math.floor(smoke.attempts));
        const attempts = [];
        const labels = [];
        const deadlineMs = total * (smoke.timeoutMs + smoke.intervalMs);
        const signals = { cancel: signal, deadline: AbortSignal.timeout(Math.min(Math.max(1, deadlineMs), MAX_TIMER_MS)), deadlineMs };
        const phase = signal === undefined ? signals.deadline : AbortSignal.any([signal, signals.deadline]);
        for (let n = 1; n <= total; n++) {
            const outcome = phase.aborted ? stopped(signals, 0) : await this.tryOnce(smoke, method, signals, phase, signatures);
            const attempt = {
                attempt: n,
                method,
                url,
                latencyMs: Math.round(outcome.latencyMs),
                bodyExcerpt: excerpt(mask(outcome.body)),
                ok: outcome.ok,
            };
            if (outcome.status !== undefined)
                attempt.status = outcome.status;
            if (outcome.problem !== undefined)
                attempt.problem = mask(outcome.problem);
            attempts.push(attempt);
            labels.push(mask(outcome.label));
            log.info(mask(`smoke ${n}/${total}: ${method} ${url} → ${outcome.detail}`));
            if (outcome.ok) {
                return {
                    ok: true,
                    attempts,
                    summary: mask(`${method} ${url} → ${outcome.status ?? ''} on attempt ${n} of ${total} (${(0,format/* formatMs */._V)(outcome.latencyMs)})`),
                };
            }
            if (outcome.stop !== undefined) {
                return {
                    ok: false,
                    attempts,
                    summary: mask(`${method} ${url} → ${outcome.label} on attempt ${n} of ${total}`),
                    ...(outcome.stop === 'cancelled' && { cancelled: true }),
                };
            }
            if (n < total) {
                try {
                    await this.clock.sleep(smoke.intervalMs, phase);
                }
                catch {
                    const why = stopped(signals, 0);
                    attempts.push({ attempt: n + 1, method, url, latencyMs: 0, bodyExcerpt: '', ok: false, problem: mask(why.problem ?? why.label) });
                    log.info(mask(`smoke ${n + 1}/${total}: ${method} ${url} → ${why.detail}`));
                    return {
                        ok: false,
                        attempts,
                        summary: mask(`${method} ${url} → ${why.label} before attempt ${n + 1} of ${total}`),
                        ...(why.stop === 'cancelled' && { cancelled: true }),
                    };
                }
            }
        }
        const distinct = new Set(labels);
        const what = distinct.size === 1 ? labels[0] : labels.join(', ');
        return { ok: false, attempts, summary: mask(`${method} ${url} → ${what} on ${total} of ${total} attempts`) };
    }
    /**
     * One attempt: the request, same-origin redirects (at most MAX_REDIRECTS), the body, all
     * within `timeout`. A redirect to another origin is not followed (the stage's headers carry
     * secrets): that 3xx is the answer. With `smoke.sign`, every request (the first and each hop)
     * is signed afresh; the secret values of its signed headers are added to `signatures`.
     */
    async tryOnce(smoke, method, signals, phase, signatures) {
        const timeoutText = (0,format/* formatDuration */.a3)(smoke.timeoutMs);
        const timeout = AbortSignal.timeout(smoke.timeoutMs);
        const attemptSignal = AbortSignal.any([phase, timeout]);
        let currentMethod = method;
        let body = smoke.body !== undefined && method !== 'GET' && method !== 'HEAD' ? smoke.body : undefined;
        let url = new URL(smoke.url);
        let note;
        let refused = false;
        const started = this.clock.now();
        let response;
        try {
            for (let hops = 0;; hops++) {
                const headers = smoke.sign === undefined ? smoke.headers : await signedHeaders(smoke, smoke.sign, currentMethod, url, body, signatures);
                const init = { method: currentMethod, headers, redirect: 'manual', signal: attemptSignal };
                if (body !== undefined)
                    init.body = body;
                response = await this.fetch(url.href, init);
                if (!REDIRECT_STATUSES.has(response.status))
                    break;
                const location = response.headers.get('location');
                if (location === null)
                    break;
                let next;
                try {
                    next = new URL(location, url);
                }
                catch {
                    note = `redirect to an invalid Location ${JSON.stringify(location)} not followed`;
                    break;
                }
                if (next.origin !== url.origin) {
                    note = `redirect to another origin (${next.origin}) not followed: the smoke headers go to ${url.origin} only`;
                    break;
                }
                if (hops >= MAX_REDIRECTS) {
                    note = `more than ${MAX_REDIRECTS} redirects`;
                    refused = true;
                    break;
                }
                await response.body?.cancel().catch(() => undefined);
                // As fetch does: 303 (and 301/302 after a POST) become a GET without a body.
                if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === 'POST')) {
                    if (currentMethod !== 'HEAD')
                        currentMethod = 'GET';
                    body = undefined;
                }
                url = next;
            }
        }
        catch (err) {
            const latencyMs = this.clock.now() - started;
            if (phase.aborted)
                return stopped(signals, latencyMs);
            if (timeout.aborted || isTimeout(err)) {
                return {
                    latencyMs,
                    body: '',
                    ok: false,
                    problem: `timed out after ${timeoutText}`,
                    label: 'no answer',
                    detail: `no answer after ${timeoutText} (timed out)`,
                };
            }
            const reason = err instanceof SigningError ? err.message : describeFetchError(err);
            return {
                latencyMs,
                body: '',
                ok: false,
                problem: reason,
                label: 'no answer',
                detail: `no answer in ${(0,format/* formatMs */._V)(latencyMs)} (${reason})`,
            };
        }
        const status = response.status;
        let text;
        try {
            text = await readCapped(response, MAX_BODY_BYTES);
        }
        catch (err) {
            const latencyMs = this.clock.now() - started;
            if (phase.aborted)
                return { ...stopped(signals, latencyMs), status };
            const reason = timeout.aborted || isTimeout(err) ? `timed out after ${timeoutText} reading the body` : `reading the body failed: ${describeFetchError(err)}`;
            return { status, latencyMs, body: '', ok: false, problem: reason, label: `${status} (${reason})`, detail: `${status}, then ${reason}` };
        }
        const latencyMs = this.clock.now() - started;
        const timing = `${status} in ${(0,format/* formatMs */._V)(latencyMs)}`;
        if (refused) {
            const problem = note ?? 'too many redirects';
            return { status, latencyMs, body: text, ok: false, problem, label: `${status} (${problem})`, detail: `${timing} (${problem})` };
        }
        const verdict = judgeResponse(status, text, smoke);
        if (verdict.problem !== undefined) {
            const problem = note === undefined ? verdict.problem : `${verdict.problem}; ${note}`;
            return { status, latencyMs, body: text, ok: false, problem, label: verdict.label, detail: `${timing} (${problem})` };
        }
        return { status, latencyMs, body: text, ok: true, label: verdict.label, detail: note === undefined ? `${timing} ✓` : `${timing} ✓ (${note})` };
    }
}
/** The signer failed (no credentials, STS refused): the attempt fails with this message as its reason. */
class SigningError extends Error {
    name = 'SigningError';
}
/** Signed headers whose values are secrets (the signature, the session token): masked in every log and summary. */
const SECRET_SIGNED_HEADERS = ['authorization', 'x-amz-security-token'];
/**
 * The stage's headers with the signer's added; a header of the stage's that the signer sets
 * (`Authorization`, in any case) gives way to it. The secret values are pushed to `signatures`.
 */
async function signedHeaders(smoke, sign, method, url, body, signatures) {
    let added;
    try {
        added = await sign({ method, url: url.href, headers: smoke.headers, ...(body !== undefined && { body }) });
    }
    catch (err) {
        throw new SigningError(`signing the request failed: ${err?.message ?? String(err)}`, { cause: err });
    }
    for (const [name, value] of Object.entries(added)) {
        if (!SECRET_SIGNED_HEADERS.includes(name.toLowerCase()))
            continue;
        signatures.push(value);
        const signature = /Signature=([0-9a-fA-F]+)/.exec(value)?.[1];
        if (signature !== undefined)
            signatures.push(signature);
    }
    const replaced = new Set(Object.keys(added).map((name) => name.toLowerCase()));
    const kept = Object.entries(smoke.headers).filter(([name]) => !replaced.has(name.toLowerCase()));
    return { ...Object.fromEntries(kept), ...added };
}
/** The outcome of an attempt cut short by the cancel or the smoke phase's deadline. */
function stopped(signals, latencyMs) {
    if (signals.cancel?.aborted) {
        const reason = signals.cancel.reason;
        const why = `cancelled (${typeof reason === 'string' ? reason : 'signal'})`;
        return { latencyMs, body: '', ok: false, problem: why, label: why, detail: `no answer: ${why}`, stop: 'cancelled' };
    }
    const why = `the smoke test's time limit of ${(0,format/* formatDuration */.a3)(signals.deadlineMs)} ran out`;
    return { latencyMs, body: '', ok: false, problem: why, label: 'no answer', detail: `no answer: ${why}`, stop: 'deadline' };
}
/** Judge a status and body by the smoke block's `expect-status` and `expect-body`. */
function judgeResponse(status, body, smoke) {
    if (!statusMatches(status, smoke.expectStatus)) {
        return { ok: false, problem: `expected ${smoke.expectStatus.text}`, label: String(status) };
    }
    if (smoke.expectBody) {
        const expected = describeBodyExpectation(smoke.expectBody);
        let matched;
        try {
            matched = bodyMatches(body, smoke.expectBody);
        }
        catch (err) {
            const problem = `expect-body ${expected} is not a valid regular expression: ${err.message}`;
            return { ok: false, problem, label: `${status} (${problem})` };
        }
        if (!matched) {
            const substring = smoke.expectBody.kind === 'substring';
            const problem = substring ? `body did not contain ${expected}` : `body did not match ${expected}`;
            const label = substring ? `${status} without ${expected} in the body` : `${status} with a body not matching ${expected}`;
            return { ok: false, problem, label };
        }
    }
    return { ok: true, label: String(status) };
}
/** Read at most `cap` bytes of the body as UTF-8 text, then let go of the rest. */
async function readCapped(response, cap) {
    if (!response.body)
        return '';
    const reader = response.body.getReader();
    const chunks = [];
    let kept = 0;
    try {
        while (kept < cap) {
            const { done, value } = await reader.read();
            if (done)
                break;
            const room = cap - kept;
            const piece = value.byteLength > room ? value.subarray(0, room) : value;
            chunks.push(piece);
            kept += piece.byteLength;
        }
    }
    finally {
        if (kept >= cap)
            await reader.cancel().catch(() => undefined);
        reader.releaseLock();
    }
    return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}
/** The first EXCERPT_BYTES bytes of `text` (UTF-8), without a broken character at the end. */
function excerpt(text) {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length <= EXCERPT_BYTES)
        return text;
    return new TextDecoder('utf-8').decode(bytes.subarray(0, EXCERPT_BYTES)).replace(/\uFFFD+$/, '');
}
function isTimeout(err) {
    const name = err?.name;
    if (name === 'TimeoutError')
        return true;
    const cause = err?.cause;
    return cause !== undefined && cause !== err && isTimeout(cause);
}
/** `ECONNREFUSED`, `ENOTFOUND api.example.com`, or the message when there is no code. */
function describeFetchError(err) {
    let current = err;
    for (let depth = 0; depth < 5 && current; depth++) {
        const e = current;
        if (typeof e.code === 'string' && e.code !== '') {
            return e.code === 'ENOTFOUND' && typeof e.hostname === 'string' ? `ENOTFOUND ${e.hostname}` : e.code;
        }
        // An AggregateError (happy eyeballs) holds the per-address errors.
        if (Array.isArray(e.errors) && e.errors.length > 0) {
            current = e.errors[0];
            continue;
        }
        current = e.cause;
    }
    const message = err?.message;
    const cause = err?.cause?.message;
    return cause ? `${message ?? 'error'}: ${cause}` : (message ?? String(err));
}

// EXTERNAL MODULE: ./src/model/settings.ts
var model_settings = __webpack_require__(4692);
;// CONCATENATED MODULE: ./src/release/function-url.ts
/**
 * Function URLs (issue 15): a stage without `smoke.url` whose alias has a function URL is
 * smoke-tested through that URL. Looked up before anything changes, once per unit (each unit's
 * own function, alias and region).
 *
 * - No `smoke.url` and the alias has a URL with AuthType NONE: the smoke test requests the URL's
 *   root with the stage's smoke settings (or the defaults when there is no `smoke` block).
 * - AuthType AWS_IAM: the same, with every request signed with SigV4 for service `lambda` in the
 *   stage's region, with the credentials of the stage's Lambda client (the job's own, or its
 *   assumed `role`): "Control access to Lambda function URLs"
 *   (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html) has Lambda answer 403 to an
 *   unsigned request, and the caller needs `lambda:InvokeFunctionUrl` on the alias. The signer is
 *   src/aws/url-signer.ts; the smoke test signs each attempt and each same-origin redirect afresh
 *   and masks the signed headers' values (src/checks/smoke.ts). A user's `smoke.url` is never
 *   signed: the credentials go only to the URL Lambda gave us for the alias.
 * - Any other AuthType (none exists today) cannot be smoke-tested: a `smoke` block without `url`
 *   is refused with the reason before any change; without a `smoke` block the stage runs without
 *   a smoke test, with a warning.
 * - No URL on the alias: a `smoke` block without `url` has nothing to check; the stage runs
 *   without a smoke test (warned), as a stage without `smoke` does.
 */


/**
 * The unit with its smoke URL filled in from the alias's function URL, when it needs one; `sign`
 * signs the requests to an AWS_IAM URL (without it, such a URL is treated as any AuthType the
 * smoke test cannot use).
 */
async function withFunctionUrlSmoke(unit, lambda, log, sign) {
    if (unit.smoke !== undefined && unit.smoke.url !== '')
        return unit;
    const where = `alias ${unit.alias} of ${unit.functionName}`;
    const found = await lambda.functionUrl(unit.functionName, unit.alias);
    if (found === undefined) {
        if (unit.smoke === undefined)
            return unit;
        log.warn(`Stage ${unit.stage}: smoke has no url and ${where} has no function URL: nothing to smoke-test.`);
        const { smoke: _none, ...rest } = unit;
        return rest;
    }
    if (!isPlainHttpUrl(found.url))
        throw new Error(`Lambda gave ${where} a function URL that is not an http(s) URL: ${JSON.stringify(found.url.slice(0, 200))}`);
    const signed = found.authType === 'AWS_IAM' && sign !== undefined;
    if (found.authType !== 'NONE' && !signed) {
        const why = `the function URL of ${where} uses AuthType ${found.authType.replace(/[^\w-]/g, '?').slice(0, 40)}, which the smoke test cannot sign for`;
        if (unit.smoke !== undefined) {
            throw new errors/* InputError */.dz(`smoke.url: not set for stage ${unit.stage}, and ${why}: set smoke.url to a URL the smoke test can reach`);
        }
        log.warn(`Stage ${unit.stage}: ${why}: no smoke test through it (set smoke.url to smoke-test the stage).`);
        return unit;
    }
    if (signed) {
        log.info(`Stage ${unit.stage}: smoke test through the function URL of ${where} (AuthType AWS_IAM: requests signed with SigV4): ${found.url}`);
        return { ...unit, smoke: { ...(unit.smoke ?? (0,model_settings/* defaultSmoke */.Bp)('')), url: found.url, sign } };
    }
    log.info(`Stage ${unit.stage}: smoke test through the function URL of ${where}: ${found.url}`);
    return { ...unit, smoke: { ...(unit.smoke ?? (0,model_settings/* defaultSmoke */.Bp)('')), url: found.url } };
}
/** An http(s) URL without control characters (the URL comes from AWS: untrusted text). */
function isPlainHttpUrl(text) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f-\u009f]/.test(text))
        return false;
    try {
        const url = new URL(text);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
    }
    catch {
        return false;
    }
}
/**
 * Function URLs that bypass the stage: a URL on `$LATEST` (unqualified) or on a version number
 * runs code no alias has released. Lambda allows a URL only on `$LATEST` or an alias
 * (API_CreateFunctionUrlConfig, Qualifier pattern), so in practice this is `$LATEST`.
 */
function bypassingUrls(urls) {
    return urls.filter((url) => url.qualifier === '$LATEST' || /^[0-9]+$/.test(url.qualifier));
}
/** The warning for a URL that bypasses the stage, for the status table and log. */
function describeBypassingUrl(functionName, url) {
    const on = url.qualifier === '$LATEST' ? '$LATEST (unqualified)' : `version ${url.qualifier}`;
    return `function URL on ${on} of ${functionName} bypasses the stage's alias: ${url.url} (delete it, or put it on the alias)`;
}

;// CONCATENATED MODULE: ./src/release/preview.ts
/**
 * Previews for pull requests (issue 18, CONTRACT "A preview per pull request"): a stage with a
 * `preview` block is released to one alias per pull request (`pr-{number}`) by a deploy with the
 * stage's settings (commands/deploy.ts, the same engine); this module gives that alias its
 * function URL and smoke-tests through it.
 *
 * The alias does not exist before a first preview, and Lambda gives a URL only to an alias that
 * exists (API_CreateFunctionUrlConfig: Qualifier is an alias name), so the URL is made when the
 * smoke test first asks for it, after the alias was created and before anything is checked
 * (previewSmoke). A first preview whose check fails loses its alias (the rollout deletes an
 * alias it created), and with it the URL: dropUrlOfRemovedAlias deletes the URL's config too.
 */



/** The alias's function URL with the preview's AuthType: read, made (or remade when its AuthType differs), and opened to everyone for NONE. */
class PreviewUrl {
    settings;
    lambda;
    log;
    made;
    constructor(settings, lambda, log) {
        this.settings = settings;
        this.lambda = lambda;
        this.log = log;
    }
    /** The URL, made once per run. */
    ensure() {
        this.made ??= this.make();
        return this.made;
    }
    /** Whether ensure() was called (the URL may exist). */
    get asked() {
        return this.made !== undefined;
    }
    async make() {
        const { functionName, alias } = this.settings;
        const auth = this.settings.preview?.url?.auth ?? 'AWS_IAM';
        let found = await this.lambda.functionUrl(functionName, alias);
        if (found !== undefined && found.authType !== auth) {
            this.log.info(`Preview ${alias}: its function URL has AuthType ${found.authType.replace(/[^\w-]/g, '?').slice(0, 40)}, the stage asks for ${auth}: it is made again.`);
            await this.lambda.deleteFunctionUrl(functionName, alias);
            found = undefined;
        }
        const created = found === undefined;
        if (found === undefined)
            found = await this.lambda.createFunctionUrl(functionName, alias, auth);
        // The URL is Lambda's answer (untrusted): it goes into the log, the comment and the deployment
        // only as a plain http(s) URL.
        if (!isPlainHttpUrl(found.url))
            throw new Error(`Lambda gave alias ${alias} of ${functionName} a function URL that is not an http(s) URL: ${JSON.stringify(found.url.slice(0, 200))}`);
        if (created)
            this.log.info(`Preview ${alias}: function URL (AuthType ${auth}) ${found.url}`);
        if (auth === 'NONE')
            await this.lambda.allowPublicUrl(functionName, alias);
        return found;
    }
}
/**
 * The settings a preview is released with: without `smoke.url`, and with `preview.url`, the smoke
 * test goes to the alias's function URL, which previewSmoke fills in (`url` is empty until then).
 */
function previewSettings(settings) {
    if (settings.preview?.url === undefined)
        return settings;
    if (settings.smoke !== undefined && settings.smoke.url !== '')
        return settings;
    return { ...settings, smoke: { ...(settings.smoke ?? (0,model_settings/* defaultSmoke */.Bp)('')), url: '' } };
}
/**
 * A smoke checker that sends a check without a URL to the preview alias's function URL, made
 * just then (the alias exists by the time the smoke test runs); an AWS_IAM URL's requests are
 * signed with `sign`.
 */
function previewSmoke(inner, url, sign) {
    return {
        async check(smoke, log, signal) {
            if (smoke.url !== '')
                return inner.check(smoke, log, signal);
            const found = await url.ensure();
            const signed = found.authType === 'AWS_IAM' && sign !== undefined ? { sign } : {};
            return inner.check({ ...smoke, url: found.url, ...signed }, log, signal);
        },
    };
}
/** After a first preview was put back (its alias deleted): its URL's config goes too; one already gone is fine. */
async function dropUrlOfRemovedAlias(settings, lambda, log) {
    try {
        if (await lambda.deleteFunctionUrl(settings.functionName, settings.alias))
            log.info(`Preview ${settings.alias}: its function URL was deleted with it.`);
    }
    catch (error) {
        log.warn(`Preview ${settings.alias}: could not delete its function URL: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
}

// EXTERNAL MODULE: ./src/model/lambda.ts
var lambda = __webpack_require__(8738);
;// CONCATENATED MODULE: ./src/artifact/s3-key.ts

/** `<s3-prefix><function>/<sha256 hex>.zip`: the same code always lands on the same key. */
function artifactKey(settings, sha256Hex) {
    return `${settings.s3Prefix}${(0,lambda/* functionBaseName */.J$)(settings.functionName)}/${sha256Hex}.zip`;
}
/** Hex of a base64 CodeSha256. */
function sha256HexOf(codeSha256) {
    return Buffer.from(codeSha256, 'base64').toString('hex');
}

;// CONCATENATED MODULE: ./src/model/ports.ts
/** `work` in a group of the log titled `title`, where the log folds; else just `work`. */
function inGroup(log, title, work) {
    return log.group === undefined ? work() : log.group(title, work);
}

;// CONCATENATED MODULE: ./src/artifact/image-pull.ts
/**
 * Whether a function in one account can pull a container image from an ECR repository in another.
 *
 * Lambda's rule ("Lambda container images: cross-account permissions",
 * https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#configuration-images-xaccount-permissions):
 * the repository's policy must allow the function's account `ecr:BatchGetImage` and
 * `ecr:GetDownloadUrlForLayer`, and `lambda.amazonaws.com` the same two with an `aws:sourceARN`
 * condition naming the functions. ECR repository policies ("Repository policy examples",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html) name the
 * account as `"AWS": "arn:aws:iam::<account>:root"` (or the bare account id, a role or user of it, `*`).
 *
 * This reads the policy the way IAM would for those two actions and that account, without
 * conditions: a statement with a Condition is taken as it is written (it may allow), so that the
 * check refuses only what would certainly fail. A Deny without a condition takes precedence.
 */

/** The two actions Lambda's pull needs (images-create.html, cross-account permissions). */
const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
/** The account of a function ARN (`arn:aws:lambda:<region>:<account>:function:…`). */
function functionAccount(functionArn) {
    const account = functionArn.split(':')[4];
    return account !== undefined && /^[0-9]{12}$/.test(account) ? account : undefined;
}
/** The pull actions that `policyText` does not allow `account`: empty when both are allowed. Unreadable JSON allows nothing. */
function missingPullActions(policyText, account) {
    let statements;
    try {
        const policy = JSON.parse(policyText);
        const raw = policy.Statement;
        statements = (Array.isArray(raw) ? raw : raw !== undefined ? [raw] : []).filter((s) => typeof s === 'object' && s !== null);
    }
    catch {
        return [...PULL_ACTIONS];
    }
    return PULL_ACTIONS.filter((action) => {
        const applies = (s) => principalNames(s.Principal, account) && actionNamed(s.Action, action);
        const denied = statements.some((s) => s.Effect === 'Deny' && s.Condition === undefined && applies(s));
        const allowed = statements.some((s) => s.Effect === 'Allow' && applies(s));
        return denied || !allowed;
    });
}
/** `*`, `{"AWS": "*"}`, the account id, `arn:aws:iam::<account>:root`, or a role/user of the account. */
function principalNames(principal, account) {
    if (principal === '*')
        return true;
    if (typeof principal !== 'object' || principal === null)
        return false;
    const aws = principal.AWS;
    const names = Array.isArray(aws) ? aws : [aws];
    return names.some((name) => typeof name === 'string' && (name === '*' || name === account || new RegExp(`^arn:aws[a-z-]*:(iam|sts)::${account}:`).test(name)));
}
/** The statement's Action (one or a list, `*` and `?` wildcards, case-insensitive) covers `action`. */
function actionNamed(actions, action) {
    const list = Array.isArray(actions) ? actions : [actions];
    return list.some((pattern) => typeof pattern === 'string' && wildcard(pattern).test(action));
}
function wildcard(pattern) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${body}$`, 'i');
}
/** The statement to add, for messages: the function's account, and Lambda's service principal for its functions. */
function pullPolicyExample(targetAccount, region) {
    return JSON.stringify({
        Version: '2012-10-17',
        Statement: [
            { Sid: 'CrossAccountPull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${targetAccount}:root` }, Action: [...PULL_ACTIONS] },
            {
                Sid: 'LambdaPull',
                Effect: 'Allow',
                Principal: { Service: 'lambda.amazonaws.com' },
                Action: [...PULL_ACTIONS],
                Condition: { StringLike: { 'aws:sourceARN': `arn:aws:lambda:${region}:${targetAccount}:function:*` } },
            },
        ],
    });
}
/**
 * The check before a promote changes anything: refused (InputError naming the repository, the
 * target account, the missing actions and what to add) when the policy does not allow the target
 * account to pull; a policy that could not be read is a warning, and the promote goes on.
 */
function checkCrossAccountPull(what, policy, warn) {
    const { field, repository, registryId, region, targetAccount, functionName } = what;
    const where = `ECR repository ${repository} of account ${registryId}`;
    if (policy.kind === 'denied') {
        warn(`${field}: could not read the policy of ${where} (${policy.message}), so whether account ${targetAccount} may pull its image was not checked; ` +
            `the source stage's credentials need ecr:GetRepositoryPolicy on it`);
        return;
    }
    if (policy.kind === 'no-repository') {
        throw new errors/* InputError */.dz(`${field}: ${where} does not exist (any more): ${functionName} in account ${targetAccount} cannot pull its image`);
    }
    const missing = policy.kind === 'none' ? [...PULL_ACTIONS] : missingPullActions(policy.text, targetAccount);
    if (missing.length === 0)
        return;
    throw new errors/* InputError */.dz(`${field}: ${where} ${policy.kind === 'none' ? 'has no repository policy' : 'has a policy that does not allow it'}: ` +
        `function ${functionName} in account ${targetAccount} cannot pull its image without ${missing.join(' and ')} for account ${targetAccount}. ` +
        `Add to the repository's policy (ECR SetRepositoryPolicy, or the console's Permissions) statements like ${pullPolicyExample(targetAccount, region)}`);
}
/**
 * Lambda's refusal of an image it cannot pull, on UpdateFunctionCode or CreateFunction
 * (AccessDeniedException "Lambda does not have permission to access the ECR image", or
 * InvalidParameterValueException "Source image … does not exist" / "is not valid"): an Error naming
 * the permissions the repository's policy must grant; undefined for any other error.
 */
function imagePullRefusal(error, imageUri, functionName) {
    const name = error?.name;
    const message = (0,errors/* errorMessage */.gJ)(error);
    if (name !== 'AccessDeniedException' && name !== 'InvalidParameterValueException')
        return undefined;
    if (!/permission to access the ECR image|Source image .*(does not exist|is not valid)/i.test(message))
        return undefined;
    const registry = /^([0-9]{12})\.dkr\.ecr\./.exec(imageUri)?.[1];
    return new Error(`Lambda cannot pull image ${imageUri} for ${functionName} (${String(name)}: ${message}). ` +
        `The policy of its ECR repository${registry !== undefined ? ` (account ${registry})` : ''} must allow the function's account ` +
        `${PULL_ACTIONS.join(' and ')}, and lambda.amazonaws.com the same for the function (README "Prod in its own account")`);
}

;// CONCATENATED MODULE: ./src/release/change-check.ts
/** Lambda's application log levels for the levels a stage may write (Zappa's and Lambda's own). */
const APPLICATION_LEVEL = {
    TRACE: 'TRACE',
    DEBUG: 'DEBUG',
    INFO: 'INFO',
    WARN: 'WARN',
    WARNING: 'WARN',
    ERROR: 'ERROR',
    CRITICAL: 'FATAL',
    FATAL: 'FATAL',
};
/** Lambda's system log level allows DEBUG, INFO and WARN only: above WARN, WARN is the quietest. */
const SYSTEM_LEVEL = {
    TRACE: 'DEBUG',
    DEBUG: 'DEBUG',
    INFO: 'INFO',
    WARN: 'WARN',
    WARNING: 'WARN',
    ERROR: 'WARN',
    CRITICAL: 'WARN',
    FATAL: 'WARN',
};
/**
 * The LoggingConfig for a stage: JSON with the application and system levels, so the platform
 * drops what is below the level; or, with `log-format: text`, plain Text (LOG_LEVEL only).
 */
function loggingFor(level, format) {
    if (level === undefined)
        return undefined;
    if (format === 'text')
        return { logFormat: 'Text' };
    return { logFormat: 'JSON', applicationLogLevel: APPLICATION_LEVEL[level], systemLogLevel: SYSTEM_LEVEL[level] };
}
function desiredSettings(settings) {
    const logging = loggingFor(settings.logLevel, settings.logFormat);
    return {
        environment: {
            ...settings.environment,
            // LOG_LEVEL from log-level wins over an environment entry of the same name.
            ...(settings.logLevel !== undefined && { LOG_LEVEL: settings.logLevel }),
        },
        ...(settings.memorySize !== undefined && { memorySize: settings.memorySize }),
        ...(settings.timeoutSeconds !== undefined && { timeoutSeconds: settings.timeoutSeconds }),
        ...(logging !== undefined && { logging }),
    };
}
/** Names of the settings in which `version` differs from `desired`, e.g. `environment.TABLE`, `memory-size`. */
function settingsDifferences(desired, version) {
    const differences = [];
    for (const [name, value] of Object.entries(desired.environment)) {
        if (version.environment[name] !== value)
            differences.push(`environment.${name}`);
    }
    if (desired.memorySize !== undefined && desired.memorySize !== version.memorySize)
        differences.push('memory-size');
    if (desired.timeoutSeconds !== undefined && desired.timeoutSeconds !== version.timeoutSeconds)
        differences.push('timeout');
    if (desired.logging !== undefined && !sameLogging(desired.logging, version.logging))
        differences.push('logging-config');
    return differences;
}
/**
 * The change to make to $LATEST so that it carries the desired settings: `environment` merged
 * into its existing variables (never removing one), and only the fields that differ.
 * Undefined when $LATEST already carries them.
 */
function configurationChange(desired, latest) {
    const differences = settingsDifferences(desired, latest);
    if (differences.length === 0)
        return undefined;
    const change = {};
    if (differences.some((d) => d.startsWith('environment.'))) {
        change.environment = { ...latest.environment, ...desired.environment };
    }
    if (differences.includes('memory-size') && desired.memorySize !== undefined)
        change.memorySize = desired.memorySize;
    if (differences.includes('timeout') && desired.timeoutSeconds !== undefined)
        change.timeoutSeconds = desired.timeoutSeconds;
    if (differences.includes('logging-config') && desired.logging !== undefined)
        change.logging = desired.logging;
    return change;
}
/** A version without a LoggingConfig logs as Text, Lambda's default. */
function sameLogging(desired, live) {
    const format = live?.logFormat ?? 'Text';
    if (desired.logFormat !== format)
        return false;
    if (desired.logFormat === 'Text')
        return true;
    return desired.applicationLogLevel === live?.applicationLogLevel && desired.systemLogLevel === live?.systemLogLevel;
}
/** True when `version` already runs exactly this code with the stage's settings. */
function isUnchanged(codeSha256, desired, version) {
    return version !== undefined && version.codeSha256 === codeSha256 && settingsDifferences(desired, version).length === 0;
}
/**
 * Each difference of `version` from `desired`, with both values, e.g.
 * `environment.TABLE=notes-prod, not notes-dev`, `memory-size=256, not 128` (values cut at 40 characters).
 */
function describeDifferences(desired, version) {
    const show = (value) => {
        if (value === undefined)
            return '(unset)';
        const text = String(value);
        return text.length > 40 ? `${text.slice(0, 39)}…` : text;
    };
    const logging = (l) => [l?.logFormat ?? 'Text', l?.applicationLogLevel, l?.systemLogLevel].filter((p) => p !== undefined).join('/');
    return settingsDifferences(desired, version).map((name) => {
        if (name.startsWith('environment.')) {
            const variable = name.slice('environment.'.length);
            return `${name}=${show(version.environment[variable])}, not ${show(desired.environment[variable])}`;
        }
        if (name === 'memory-size')
            return `memory-size=${show(version.memorySize)}, not ${show(desired.memorySize)}`;
        if (name === 'timeout')
            return `timeout=${show(version.timeoutSeconds)}, not ${show(desired.timeoutSeconds)}`;
        return `logging-config=${logging(version.logging)}, not ${logging(desired.logging)}`;
    });
}

;// CONCATENATED MODULE: ./src/release/capacity.ts
/**
 * `provisioned-concurrency: N`: the sequence a release follows so that what the alias runs is
 * always warm, and Lambda never has to split the alias by itself.
 *
 * Lambda allocates provisioned concurrency to a version or to an alias
 * (PutProvisionedConcurrencyConfig, Qualifier "The version number or alias name"), refuses it on
 * an alias with routing weights, and, when an alias that carries its own configuration moves to
 * another version, allocates the new version in the background while traffic moves (the
 * "AllocatedProvisionedConcurrentExecutions … fluctuates" of ProvisionedConcurrencyConfigListItem).
 * So the action never puts capacity on the alias; it puts it on the version the alias is about
 * to run:
 *
 * 1. before anything changes: refuse when the alias itself has a configuration (set outside the
 *    action): the two would compete; the message says to delete the alias's configuration;
 * 2. after publishing (or, for a promote or rollback, on the version it moves to):
 *    PutProvisionedConcurrencyConfig on that version number, then GetProvisionedConcurrencyConfig
 *    until READY, the progress and time in the log. FAILED (Lambda's StatusReason is in the
 *    message) or the time limit: the configuration this release put is deleted and the alias is
 *    not moved;
 * 3. the shift (all at once: canary and linear are refused with provisioned concurrency, see
 *    stages/resolve.ts), smoke test and bake;
 * 4. released: the version the alias left keeps its capacity until now, then its configuration is
 *    deleted (unless another alias runs that version). Failed and put back: the new version's
 *    configuration, if this release put it, is deleted; the old version kept its own throughout,
 *    so the restored alias is warm.
 *
 * Both versions are billed between 2 and 4. A rollback follows the same sequence: the version it
 * returns to is warmed to READY before the alias moves back (its capacity was released when it
 * was left).
 */


/** How long a release waits for READY: Lambda's docs say allocation "can take several minutes". */
const CAPACITY_WAIT_MS = 20 * 60_000;
const DEFAULT_POLL_MS = 5_000;
function gateway(deps) {
    if (deps.capacity === undefined)
        throw new Error('provisioned-concurrency needs the Lambda provisioned concurrency gateway');
    return deps.capacity;
}
/** Step 1: refused before anything changes when the alias carries a configuration of its own. */
async function checkCapacity(start, deps) {
    const { settings, before } = start;
    if (settings.provisionedConcurrency === undefined || before === undefined)
        return;
    const own = await gateway(deps).read(settings.functionName, settings.alias);
    if (own === undefined)
        return;
    throw new errors/* InputError */.dz(`provisioned-concurrency: ${settings.provisionedConcurrency}: alias ${settings.alias} of ${settings.functionName} has a provisioned concurrency configuration of its own (${own.requested}, ${own.status}); ` +
        'the action puts provisioned concurrency on the version the alias runs, and Lambda would move the alias\'s own capacity with weights of its own. Nothing was changed. ' +
        `Delete it (aws lambda delete-provisioned-concurrency-config --function-name ${settings.functionName} --qualifier ${settings.alias}) and run this again`);
}
/**
 * Step 2: the version warm (READY) before the alias moves to it. Undefined when the stage has no
 * provisioned-concurrency; throws (after removing what it created) when Lambda cannot allocate it.
 */
async function warmBeforeShift(start, version, deps) {
    const count = start.settings.provisionedConcurrency;
    if (count === undefined)
        return undefined;
    const capacity = gateway(deps);
    const name = start.settings.functionName;
    const which = `version ${version} of ${name}`;
    const existing = await capacity.read(name, version);
    const created = existing === undefined;
    const begun = deps.clock.now();
    try {
        let state = existing !== undefined && existing.requested === count && existing.status !== 'FAILED' ? existing : await capacity.provision(name, version, count);
        deps.log.info(`Provisioned concurrency ${count} on ${which}: ${describe(state)}.`);
        for (let poll = 1; state.status === 'IN_PROGRESS'; poll++) {
            const elapsed = deps.clock.now() - begun;
            if (elapsed >= CAPACITY_WAIT_MS)
                throw new Error(`still IN_PROGRESS after ${(0,format/* formatDuration */.a3)(elapsed)} (${state.allocated} of ${count} allocated)`);
            await deps.clock.sleep(Math.min(poll * 1_000, deps.capacityPollMs ?? DEFAULT_POLL_MS), deps.signal);
            const read = await capacity.read(name, version);
            if (read === undefined)
                throw new Error('its provisioned concurrency configuration was deleted while it was being allocated');
            state = read;
            deps.log.info(`Provisioned concurrency on ${which}: ${describe(state)} after ${(0,format/* formatDuration */.a3)(deps.clock.now() - begun)}.`);
        }
        if (state.status === 'FAILED')
            throw new Error(`Lambda could not allocate it (FAILED${state.statusReason ? `: ${state.statusReason}` : ''})`);
        return { version, created };
    }
    catch (error) {
        if (created)
            await releaseQuietly(capacity, name, version, deps);
        throw new Error(`provisioned concurrency ${count} on ${which}: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
    }
}
/** Step 4: released, the version left gives its capacity back; put back, the new version's (if created here) goes. */
async function settleCapacity(warmed, released, start, deps) {
    if (warmed === undefined)
        return;
    const capacity = gateway(deps);
    const name = start.settings.functionName;
    if (!released) {
        if (warmed.created)
            await releaseQuietly(capacity, name, warmed.version, deps);
        return;
    }
    const left = start.before?.version;
    if (left === undefined || left === warmed.version || left === '$LATEST')
        return;
    if ((await capacity.read(name, left)) === undefined)
        return;
    const others = (await deps.lambda.listAliases(name)).filter((a) => a.name !== start.settings.alias && (a.version === left || a.weights[left] !== undefined));
    if (others.length > 0) {
        deps.log.info(`Version ${left} of ${name} keeps its provisioned concurrency: alias ${others.map((a) => a.name).join(', ')} runs it.`);
        return;
    }
    deps.log.info(`Removing the provisioned concurrency of version ${left} of ${name}, which alias ${start.settings.alias} no longer runs.`);
    await releaseQuietly(capacity, name, left, deps);
}
/** A cleanup that fails is said (with the command to finish it) but does not fail a release that is otherwise settled. */
async function releaseQuietly(capacity, name, version, deps) {
    try {
        await capacity.release(name, version);
    }
    catch (error) {
        deps.log.warn(`Could not remove the provisioned concurrency of version ${version} of ${name} (${(0,errors/* errorMessage */.gJ)(error)}); it is still billed: ` +
            `aws lambda delete-provisioned-concurrency-config --function-name ${name} --qualifier ${version}`);
    }
}
function describe(state) {
    return `${state.status}, ${state.allocated} of ${state.requested} allocated`;
}

;// CONCATENATED MODULE: ./src/release/code-storage.ts
/** Above this share of the limit, a release warns. */
const CODE_STORAGE_WARN_RATIO = 0.8;
/** The warning for a storage reading above CODE_STORAGE_WARN_RATIO, or undefined. */
function codeStorageWarning(storage, settings) {
    const { usedBytes, limitBytes } = storage;
    if (!(limitBytes > 0) || usedBytes / limitBytes <= CODE_STORAGE_WARN_RATIO)
        return undefined;
    const share = `${Math.floor((usedBytes / limitBytes) * 100)}%`;
    const advice = settings.keepVersions === undefined
        ? `set keep-versions on stage ${settings.stage} to delete the versions no alias uses`
        : `lower keep-versions (now ${settings.keepVersions}), or delete versions, functions and layers no longer used`;
    return (`Lambda code storage in this region is ${share} full (${gigabytes(usedBytes)} of ${gigabytes(limitBytes)}); every published version counts, ` +
        `and at the limit publishing fails with CodeStorageExceededException: ${advice}.`);
}
/** Read the account's code storage and warn when it is nearly full; the warning, for the summary. Never throws. */
async function checkCodeStorage(settings, deps) {
    let storage;
    try {
        storage = await deps.lambda.codeStorage();
    }
    catch (error) {
        const why = error instanceof Error ? error.name : 'an error';
        deps.log.info(`Code storage not checked: GetAccountSettings failed (${why}); lambda:GetAccountSettings lets the action warn before it fills up.`);
        return undefined;
    }
    const warning = codeStorageWarning(storage, settings);
    if (warning !== undefined)
        deps.log.warn(warning);
    return warning;
}
function gigabytes(bytes) {
    return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

// EXTERNAL MODULE: ./src/release/history.ts
var release_history = __webpack_require__(5205);
;// CONCATENATED MODULE: ./src/release/limits.ts
/**
 * Lambda's fixed limits, checked before anything changes so that a release is refused with one
 * clear message instead of failing half-way when Lambda finds out. Pure.
 *
 * Where each number comes from:
 * - "Lambda quotas" (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html),
 *   "Function configuration, deployment, and execution" (these quotas cannot be changed):
 *   function environment variables 4 KB, for all of them in aggregate; deployment package (.zip
 *   file archive) 50 MB zipped for direct upload, 250 MB unzipped including layers. The page
 *   says MB for 1024 KB.
 * - UpdateFunctionCode sends the zip base64-encoded in a JSON body (ZipFile, "The base64-encoded
 *   contents of the deployment package", API reference), and Lambda refuses a body at or above
 *   69,905,067 bytes: `RequestEntityTooLargeException: Request must be smaller than 69905067 bytes
 *   for the UpdateFunctionCode operation` (HTTP 413), i.e. 4/3 of 50 MiB rounded up.
 * - UpdateAlias / CreateAlias (API reference): Description, length 0 to 256.
 * - AliasRoutingConfiguration (API reference): AdditionalVersionWeights is "the second version,
 *   and the percentage of traffic that's routed to it"; the aliases guide: an alias points at
 *   most at two versions, and neither can be $LATEST.
 */


/** Lambda quotas: function environment variables, 4 KB in aggregate. */
const ENVIRONMENT_LIMIT_BYTES = 4096;
/** UpdateFunctionCode refuses a request body of this many bytes or more (RequestEntityTooLargeException). */
const UPDATE_CODE_REQUEST_LIMIT_BYTES = 69_905_067;
/**
 * Room left in the request body for the JSON around the base64 (`{"ZipFile":"…","RevisionId":"<uuid>"}`
 * is 66 bytes; 1 KB keeps a margin for anything the SDK adds).
 */
const REQUEST_ENVELOPE_BYTES = 1024;
/** Lambda quotas: 50 MB zipped for a direct upload (52,428,800 bytes; "Zipped size must be smaller than 52428800 bytes"). */
const DIRECT_UPLOAD_ZIP_QUOTA_BYTES = 50 * 1024 * 1024;
/**
 * The largest zip sent directly (no s3-bucket): its base64 (4 bytes per 3, rounded up) and the
 * JSON around it stay below the request limit, and it stays below the 50 MB quota. 52,428,030 bytes.
 */
const DIRECT_UPLOAD_LIMIT_BYTES = Math.min(DIRECT_UPLOAD_ZIP_QUOTA_BYTES - 1, Math.floor((UPDATE_CODE_REQUEST_LIMIT_BYTES - 1 - REQUEST_ENVELOPE_BYTES) / 4) * 3);
/** Lambda quotas: 250 MB unzipped, including layers ("Unzipped size must be smaller than 262144000 bytes"). */
const UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;
/** The bytes of base64 a zip of `sizeBytes` becomes in the request. */
function base64Bytes(sizeBytes) {
    return 4 * Math.ceil(sizeBytes / 3);
}
/** True when a zip of `sizeBytes` can go in the UpdateFunctionCode request itself. */
function fitsDirectUpload(sizeBytes) {
    return sizeBytes <= DIRECT_UPLOAD_LIMIT_BYTES;
}
/**
 * The size of a function's environment as Lambda measures it against the 4 KB: Lambda's own
 * refusal quotes the "String measured", which is the JSON of the variables map
 * (`{"TABLE":"notes-dev",…}`), so names, values, quotes, colons, commas and braces all count.
 * Counted in UTF-8 bytes, not characters: the conservative reading of "4 KB" for non-ASCII text.
 */
function environmentBytes(variables) {
    return new TextEncoder().encode(JSON.stringify(variables)).length;
}
/**
 * Refuses a plan whose writes Lambda would refuse, before any of them is sent: the environment
 * $LATEST would get (the function's variables with the stage's merged in) above 4 KB.
 */
function checkPlanLimits(plan, settings) {
    const target = plan.target;
    if (target.kind !== 'publish')
        return;
    const environment = target.change?.environment;
    if (environment !== undefined)
        checkEnvironment(settings, environment);
}
/**
 * The environment $LATEST would be given (the stage's variables merged into the function's) must
 * fit Lambda's 4 KB. The message counts the function's own variables that are kept (stage-deploy
 * never removes one), since they take part of the 4 KB too.
 */
function checkEnvironment(settings, environment) {
    const bytes = environmentBytes(environment);
    if (bytes <= ENVIRONMENT_LIMIT_BYTES)
        return;
    const largest = Object.entries(environment)
        .map(([name, value]) => ({ name, bytes: environmentBytes({ [name]: value }) - 2 }))
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 3)
        .map((v) => `${v.name} ${v.bytes.toLocaleString('en-US')} bytes`);
    const named = new Set([...Object.keys(settings.environment), ...(settings.logLevel !== undefined ? ['LOG_LEVEL'] : [])]);
    const keptNames = Object.keys(environment).filter((name) => !named.has(name));
    const keptText = keptNames.length === 0 ? '' : `, including ${keptNames.length === 1 ? '1 variable' : `${keptNames.length} variables`} already on ${settings.functionName} that stage-deploy keeps`;
    throw new errors/* InputError */.dz(`environment: stage ${JSON.stringify(settings.stage)} would give ${settings.functionName} ${bytes.toLocaleString('en-US')} bytes of ` +
        `environment variables (measured as Lambda does: the JSON of the map${keptText}), above Lambda's 4 KB ` +
        `(${ENVIRONMENT_LIMIT_BYTES.toLocaleString('en-US')} bytes) limit; largest: ${largest.join(', ')}. ` +
        'Shorten the values or move them out of the environment (e.g. to SSM Parameter Store)');
}
/** A direct upload (no s3-bucket) of `sizeBytes` must fit the request limit; `subject` says what it is. */
function checkDirectUpload(field, subject, sizeBytes, advice) {
    if (fitsDirectUpload(sizeBytes))
        return;
    throw new errors/* InputError */.dz(`${field}: ${subject} is ${(0,format/* formatSize */.Xq)(sizeBytes)}, above Lambda's 50 MB direct-upload limit; ${advice}`);
}
/** The code, unzipped, must fit Lambda's 250 MB (layers count too; those are not known here). */
function checkUnzipped(field, subject, unzippedBytes) {
    if (unzippedBytes < UNZIPPED_LIMIT_BYTES)
        return;
    throw new errors/* InputError */.dz(`${field}: ${subject} unzips to ${unzippedBytes.toLocaleString('en-US')} bytes (${(0,format/* formatSize */.Xq)(unzippedBytes)}), at or above Lambda's ` +
        `250 MB (${UNZIPPED_LIMIT_BYTES.toLocaleString('en-US')} bytes) unzipped limit; make the package smaller or use a container image`);
}
/**
 * An alias routes to at most two versions: the one it points at and one additional version,
 * both published (never $LATEST). The traffic plan never asks for more; this is the assertion
 * that keeps it so, checked before the alias write.
 */
function checkRouting(version, weights) {
    const extra = Object.keys(weights);
    const published = /^[0-9]+$/;
    if (extra.length > 1 || !published.test(version) || extra.some((v) => !published.test(v) || v === version)) {
        throw new Error(`internal error: a weighted alias routes to at most two published versions, not ${JSON.stringify(version)} with ${JSON.stringify(weights)}`);
    }
}

;// CONCATENATED MODULE: ./src/checks/invoke.ts
/**
 * The invoke check (`smoke.invoke: true`): before a new version takes traffic, invoke it directly
 * with the API Gateway proxy event the smoke request would become, and judge the proxy result
 * by the same `expect-status` and `expect-body` as the HTTP smoke check. One invocation, no
 * retries: a version that fails on a direct call does not improve by being asked again.
 * Pure except for the LambdaGateway it is given; every secret is masked in what it logs or returns.
 */



/** What API Gateway answers when the Lambda result is not a proxy result. */
const MALFORMED_PROXY_RESPONSE = 'Malformed Lambda proxy response';
const INTERNAL_SERVER_ERROR_BODY = '{"message": "Internal server error"}';
/**
 * The API Gateway REST proxy event (payload version 1.0, resource `/{proxy+}`) for the smoke
 * request: method, path and query of the smoke URL, its headers plus `host`. As the HTTP check
 * does, a GET or HEAD carries no body.
 */
function apiGatewayEvent(smoke, options = {}) {
    const url = new URL(smoke.url);
    const method = smoke.method.toUpperCase();
    const path = url.pathname || '/';
    const root = path === '/';
    const resource = root ? '/' : '/{proxy+}';
    const headers = {};
    if (!Object.keys(smoke.headers).some((name) => name.toLowerCase() === 'host'))
        headers.host = url.host;
    Object.assign(headers, smoke.headers);
    const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
    const query = {};
    const multiQuery = {};
    for (const [name, value] of url.searchParams) {
        query[name] = value; // API Gateway keeps the last value of a repeated parameter
        (multiQuery[name] ??= []).push(value);
    }
    const hasQuery = Object.keys(query).length > 0;
    const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1];
    const body = smoke.body !== undefined && method !== 'GET' && method !== 'HEAD' ? smoke.body : null;
    return {
        resource,
        path,
        httpMethod: method,
        headers,
        multiValueHeaders,
        queryStringParameters: hasQuery ? query : null,
        multiValueQueryStringParameters: hasQuery ? multiQuery : null,
        pathParameters: root ? null : { proxy: path.slice(1) },
        stageVariables: null,
        requestContext: {
            resourcePath: resource,
            httpMethod: method,
            path,
            stage: options.stage ?? 'stage-deploy',
            requestId: options.requestId ?? (0,external_node_crypto_.randomUUID)(),
            protocol: 'HTTP/1.1',
            domainName: url.hostname,
            identity: { sourceIp: '127.0.0.1', ...(userAgent !== undefined && { userAgent }) },
        },
        body,
        isBase64Encoded: false,
    };
}
/** Read a handler's payload as API Gateway reads a Lambda proxy result. */
function readProxyResult(payload) {
    let result;
    try {
        result = JSON.parse(payload);
    }
    catch {
        return { ok: false, reason: 'the payload is not JSON' };
    }
    if (result === null || typeof result !== 'object' || Array.isArray(result)) {
        return { ok: false, reason: 'the payload is not an object with a statusCode' };
    }
    const { statusCode, body, isBase64Encoded } = result;
    const status = typeof statusCode === 'string' && /^\d{3}$/.test(statusCode) ? Number(statusCode) : statusCode;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
        return { ok: false, reason: 'the payload has no numeric statusCode' };
    }
    if (body !== undefined && body !== null && typeof body !== 'string') {
        return { ok: false, reason: 'the body is not a string' };
    }
    const text = typeof body === 'string' ? (isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body) : '';
    return { ok: true, status, body: text };
}
/** `ReferenceError: gibberish is not defined`, from a FunctionError payload. */
function describeFunctionError(payload) {
    try {
        const parsed = JSON.parse(payload);
        if (parsed && typeof parsed === 'object') {
            const type = typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
            const message = typeof parsed.errorMessage === 'string' ? parsed.errorMessage : undefined;
            if (type !== undefined || message !== undefined)
                return [type, message].filter((p) => p !== undefined && p !== '').join(': ');
        }
    }
    catch {
        // not JSON: the payload as it is
    }
    return excerpt(payload).replace(/\s+/g, ' ').trim() || 'no details';
}
/** The first MAX_BODY_BYTES bytes of a body, as the HTTP check keeps them to judge. */
function capped(body) {
    const bytes = Buffer.from(body, 'utf8');
    return bytes.length <= MAX_BODY_BYTES ? body : new TextDecoder('utf-8').decode(bytes.subarray(0, MAX_BODY_BYTES));
}
function errorText(error) {
    if (error instanceof Error)
        return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
    return String(error);
}
/**
 * Invoke `version` of the function once with the smoke request as an API Gateway proxy event,
 * and judge the answer as the HTTP smoke check judges a response. A FunctionError, a payload
 * that is not a proxy result (API Gateway's 502) or a failed Invoke call fails the check.
 */
async function invokeCheck(lambda, functionName, version, smoke, log, clock) {
    const mask = (text) => maskSecrets(text, smoke.secrets);
    const method = smoke.method.toUpperCase();
    const url = new URL(smoke.url);
    const target = `${url.pathname || '/'}${url.search}`;
    const request = `${method} ${target}`;
    const qualified = `${functionName}:${version}`;
    const event = apiGatewayEvent(smoke);
    const now = () => clock.now();
    const started = now();
    let status;
    let body = '';
    let ok = false;
    let problem;
    let label;
    let detail;
    try {
        const answer = await lambda.invokeVersion(functionName, version, event);
        const latency = (0,format/* formatMs */._V)(now() - started);
        if (answer.functionError !== undefined) {
            const error = describeFunctionError(answer.payload);
            body = answer.payload;
            problem = `FunctionError ${answer.functionError}: ${error}`;
            label = `FunctionError (${error})`;
            detail = problem;
        }
        else {
            const read = readProxyResult(answer.payload);
            if (read.ok) {
                status = read.status;
                body = capped(read.body);
                const verdict = judgeResponse(status, body, smoke);
                ok = verdict.ok;
                problem = verdict.problem;
                label = verdict.label;
                detail = `${status} in ${latency}${problem !== undefined ? ` (${problem})` : ' ✓'}`;
            }
            else {
                // API Gateway answers 502 to a result it cannot read; judged like any 502.
                status = 502;
                body = INTERNAL_SERVER_ERROR_BODY;
                const verdict = judgeResponse(status, body, smoke);
                ok = verdict.ok;
                const malformed = `${MALFORMED_PROXY_RESPONSE}: ${read.reason}`;
                problem = verdict.ok ? undefined : `${malformed} (${verdict.problem ?? 'failed'})`;
                label = `502 (${MALFORMED_PROXY_RESPONSE})`;
                detail = `502 in ${latency} (${malformed}${verdict.ok ? ') ✓' : `; ${verdict.problem ?? 'failed'})`}`;
                if (!ok)
                    body = answer.payload;
            }
        }
    }
    catch (error) {
        problem = `Invoke failed: ${errorText(error)}`;
        label = problem;
        detail = `${problem} after ${(0,format/* formatMs */._V)(now() - started)}`;
    }
    const latencyMs = Math.round(now() - started);
    const attempt = {
        attempt: 1,
        method,
        url: mask(`${qualified} ${target}`),
        latencyMs,
        bodyExcerpt: excerpt(mask(body)),
        ok,
    };
    if (status !== undefined)
        attempt.status = status;
    if (problem !== undefined)
        attempt.problem = mask(problem);
    const line = mask(`invoke: ${functionName} version ${version} (${request}) → ${detail}`);
    if (ok)
        log.info(line);
    else
        log.warn(line);
    const summary = ok
        ? `invoke ${qualified} (${request}) → ${status ?? ''} in ${(0,format/* formatMs */._V)(latencyMs)}`
        : `invoke ${qualified} → ${label}`;
    return { ok, attempts: [attempt], summary: mask(summary) };
}

;// CONCATENATED MODULE: ./src/release/traffic-plan.ts
function trafficPlan(strategy) {
    switch (strategy.kind) {
        case 'all-at-once':
            return [{ percent: 100, holdMs: 0 }];
        case 'canary':
            return [
                { percent: strategy.percent, holdMs: strategy.waitMs },
                { percent: 100, holdMs: 0 },
            ];
        case 'linear': {
            const steps = [];
            for (let percent = strategy.percent; percent < 100; percent += strategy.percent) {
                steps.push({ percent: Math.round(percent * 1000) / 1000, holdMs: strategy.intervalMs });
            }
            steps.push({ percent: 100, holdMs: 0 });
            return steps;
        }
    }
}
/** How long the plan holds traffic before the last step, in ms. */
function plannedDurationMs(steps) {
    return steps.reduce((sum, step) => sum + step.holdMs, 0);
}
/** `canary 10% for 5m, then 100%`, for the log. */
function describePlan(steps, format) {
    if (steps.length === 1)
        return 'all at once';
    return steps.map((s) => (s.percent === 100 ? '100%' : `${s.percent}% for ${format(s.holdMs)}`)).join(', then ');
}

;// CONCATENATED MODULE: ./src/release/budget.ts

/** Slack on top of the planned time, for Lambda's own calls and slow answers. */
const ROLLOUT_GRACE_MS = 10 * 60_000;
function rolloutBudgetMs(steps, settings, progressive, graceMs = ROLLOUT_GRACE_MS) {
    const smoke = settings.smoke;
    const smokeMs = smoke === undefined ? 0 : smoke.attempts * (smoke.timeoutMs + smoke.intervalMs);
    return plannedDurationMs(steps) + (progressive ? settings.bakeMs : 0) + smokeMs + graceMs;
}

;// CONCATENATED MODULE: ./src/release/gates.ts

/** An alarm in ALARM fails; so does an error rate above `maxErrorRate` (a fraction) once anything was invoked. */
function judgeGates(reading, rules) {
    const firing = reading.alarms.filter((a) => a.state === 'ALARM');
    if (firing.length > 0) {
        return { ok: false, reason: `alarm ${firing.map((a) => `${a.name} is in ALARM${a.reason ? ` (${a.reason})` : ''}`).join(', ')}` };
    }
    const invocations = reading.invocations ?? 0;
    const errors = reading.errors ?? 0;
    if (rules.maxErrorRate !== undefined && invocations > 0 && errors / invocations > rules.maxErrorRate) {
        return {
            ok: false,
            reason: `version ${rules.version}: ${errors} errors in ${invocations} invocations (${(0,format/* formatPercent */.l9)(errors / invocations)}), ` +
                `above max-error-rate ${(0,format/* formatPercent */.l9)(rules.maxErrorRate)}`,
        };
    }
    return { ok: true };
}

;// CONCATENATED MODULE: ./src/release/leftover.ts
function judgeLeftover(state, alias) {
    const { before, toVersion } = state;
    if (before === null) {
        if (alias === undefined)
            return { action: 'none' };
        if (leftByLastStep(state, alias))
            return { action: 'delete' };
        return { action: 'refuse', reason: `${describeAlias(alias)}, not as the first release of version ${toVersion} created it` };
    }
    if (alias === undefined)
        return { action: 'refuse', reason: 'it does not exist' };
    if (alias.version === before.version && sameWeights(alias.weights, before.weights))
        return { action: 'none' };
    if (toVersion === before.version)
        return { action: 'refuse', reason: `${describeAlias(alias)}, and the saved shift goes nowhere` };
    const weighted = Object.entries(alias.weights);
    const [only] = weighted;
    const canaryInFlight = alias.version === before.version &&
        weighted.length === 1 &&
        only !== undefined &&
        only[0] === toVersion &&
        only[1] > 0 &&
        only[1] < 1 &&
        alias.description === before.description;
    if (canaryInFlight)
        return { action: 'restore', found: `${Math.round((only?.[1] ?? 0) * 100)}% on version ${toVersion}` };
    if (leftByLastStep(state, alias))
        return { action: 'restore', found: `on version ${toVersion}` };
    return { action: 'refuse', reason: `${describeAlias(alias)}, not as the shift from version ${before.version} to ${toVersion} left it` };
}
/** A parsed saved state has the shape a rollout saves (anything else is not acted on). */
function isRolloutState(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    const v = value;
    const text = (x) => typeof x === 'string' && x.length > 0;
    if (!text(v.functionName) || !text(v.alias) || !text(v.toVersion) || typeof v.toDescription !== 'string')
        return false;
    if (v.region !== undefined && !text(v.region))
        return false;
    if (v.role !== undefined && !text(v.role))
        return false;
    if (v.before === null)
        return true;
    if (typeof v.before !== 'object' || v.before === undefined)
        return false;
    const b = v.before;
    return text(b.version) && typeof b.description === 'string' && isWeights(b.weights);
}
function leftByLastStep(state, alias) {
    return alias.version === state.toVersion && Object.keys(alias.weights).length === 0 && alias.description === state.toDescription;
}
function isWeights(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((w) => typeof w === 'number');
}
function describeAlias(alias) {
    const weights = Object.entries(alias.weights).map(([version, w]) => `${Math.round(w * 100)}% on ${version}`);
    return `it is on version ${alias.version}${weights.length > 0 ? ` (${weights.join(', ')})` : ''}`;
}
function sameWeights(a, b) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

;// CONCATENATED MODULE: ./src/release/group.ts
/**
 * One release of several units (a function in a region): the units' own runs of deploy, promote
 * or rollback go on concurrently, and meet at sync points, so that the stage moves as one:
 *
 * - `change`: every unit has read and passed its checks; nothing in AWS has changed yet
 *   (carry-out.ts's `beforeChange`). A unit refused before it (bad input) fails the group, and
 *   nothing is written anywhere; a unit with nothing to do (`unchanged`) leaves the group.
 * - `shift`: every unit has published its version and passed its checks before traffic (the
 *   invoke check, the alarm gate): right before the first alias write (rollout.ts).
 * - `step`: a progressive shift's steps move together: no unit writes its step to `percent`
 *   before every unit has reached that step (or a later one).
 * - `shifted`: every alias is on its new version; only then does any smoke test run (a
 *   function's smoke test may go through the others, which must be on the release too), and
 *   a failing one finds every alias shifted, so they all go back in one round.
 * - `done`: every unit has passed its smoke test and bake; only then does any unit report success.
 *
 * When any unit fails, the group fails: its signal aborts (with a reason naming the unit), so a
 * unit holding a step or baking stops at once and puts its alias back, concurrently with the
 * others (one round of UpdateAlias); a unit that reaches a sync point afterwards stops there
 * without writing more (GroupStopped).
 *
 * Every unit runs at once; none is held back for a slot, since a barrier with fewer slots than
 * units would wait forever. What is bounded is the rate of requests to Lambda's control plane,
 * per region (aws/rate-limit.ts).
 */
/** Thrown at a sync point reached after the group failed: the unit stops there. */
class GroupStopped extends Error {
    reason;
    constructor(reason) {
        super(`stopped, since the release of the stage failed: ${reason}`);
        this.reason = reason;
        this.name = 'GroupStopped';
    }
}
/** A sync point's place in a unit's progress: a barrier waits until every unit still in the group is at least there. */
function rankOf(point) {
    if (point === 'change')
        return 0;
    if (point === 'shift')
        return 1;
    if (point === 'shifted')
        return 2.5;
    if (point === 'done')
        return 3;
    return 1 + Math.min(100, Math.max(0, point.step)) / 100;
}
class ReleaseGroup {
    controller = new AbortController();
    /** Where each unit still in the group stands (-1: working towards its first sync point). */
    at = new Map();
    waiters = [];
    failure;
    signal;
    /** `names`: one per unit, unique (e.g. `notes-api (us-east-1)`); `runSignal`: the run's cancel (SIGINT/SIGTERM). */
    constructor(names, runSignal) {
        for (const name of names) {
            if (this.at.has(name))
                throw new Error(`unit ${name} is listed twice`);
            this.at.set(name, -1);
        }
        this.signal = runSignal === undefined ? this.controller.signal : AbortSignal.any([this.controller.signal, runSignal]);
    }
    /** The first failure: which unit, and why; undefined while none has failed. */
    get failed() {
        return this.failure;
    }
    member(name) {
        if (!this.at.has(name))
            throw new Error(`unit ${name} is not in the group`);
        return {
            name,
            signal: this.signal,
            arrive: (point) => this.arrive(name, rankOf(point)),
            fail: (reason) => this.fail(name, reason),
            leave: () => this.leave(name),
        };
    }
    arrive(name, rank) {
        if (this.failure !== undefined)
            return Promise.reject(this.stopped());
        if (!this.at.has(name))
            return Promise.resolve();
        this.at.set(name, Math.max(rank, this.at.get(name) ?? -1));
        const waiting = new Promise((resolve, reject) => this.waiters.push({ rank, resolve, reject }));
        this.release();
        return waiting;
    }
    fail(name, reason) {
        if (this.failure !== undefined)
            return;
        this.failure = { unit: name, reason };
        this.controller.abort(`${name} failed: ${reason}`);
        const waiters = this.waiters;
        this.waiters = [];
        for (const waiter of waiters)
            waiter.reject(this.stopped());
    }
    leave(name) {
        if (!this.at.delete(name))
            return;
        this.release();
    }
    /** Let go every waiter whose point every unit still in the group has reached. */
    release() {
        if (this.failure !== undefined)
            return;
        const slowest = Math.min(...this.at.values());
        const ready = this.waiters.filter((w) => w.rank <= slowest);
        if (ready.length === 0)
            return;
        this.waiters = this.waiters.filter((w) => w.rank > slowest);
        for (const waiter of ready)
            waiter.resolve();
    }
    stopped() {
        const failure = this.failure;
        return new GroupStopped(failure === undefined ? 'unknown' : `${failure.unit} failed: ${failure.reason}`);
    }
}
/**
 * The rollout state of a release of several units: each unit's store (given to its rollout)
 * saves or clears its own shift, and the run's store always holds every shift in progress.
 */
function groupStateStore(store) {
    const inProgress = new Map();
    const write = () => {
        const states = [...inProgress.values()];
        if (store.saveUnits !== undefined)
            store.saveUnits(states);
        else if (states[0] !== undefined)
            store.save(states[0]);
        else
            store.clear();
    };
    return (unit) => ({
        save: (state) => {
            inProgress.set(unit, state);
            write();
        },
        clear: () => {
            if (inProgress.delete(unit))
                write();
        },
    });
}

;// CONCATENATED MODULE: ./src/release/weighted-alias.ts
/**
 * The rules of a weighted alias, checked before a canary or linear release shifts anything.
 *
 * Lambda developer guide, "Implement Lambda canary deployments using a weighted alias"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html): an alias points
 * to at most two versions, and they must
 * - have the same execution role;
 * - have the same dead-letter queue configuration, or none;
 * - both be published: the alias cannot point to `$LATEST`.
 * Lambda refuses a RoutingConfig that breaks them (InvalidParameterValueException, e.g.
 * `Specified versions must be associated with the same execution role`). A release would find
 * out at its first weighted step, after publishing; checked here, it is refused with the reason
 * before anything changes. Pure.
 */

/** `$LATEST`, or anything else that is no published version number. */
function isUnpublished(version) {
    return !/^[1-9][0-9]*$/.test(version);
}
/**
 * Why the alias cannot split traffic between `live` (the version it runs) and `candidate` (the
 * version the release brings; `version` undefined while it is yet to be published), e.g.
 * `traffic: canary needs both versions to share the execution role: version 4 runs as
 * arn:aws:iam::1:role/a, the new version as arn:aws:iam::1:role/b; release all at once
 * (traffic: all-at-once) or keep the role`. Undefined when the strategy splits nothing, when there
 * is no version to split with, or when both versions qualify. A role that Lambda does not report
 * on either side is not compared.
 */
function weightedAliasConflict(traffic, live, candidate) {
    if (traffic.kind === 'all-at-once' || live === undefined)
        return undefined;
    const needs = `traffic: ${traffic.kind} needs`;
    const instead = 'release all at once (traffic: all-at-once)';
    const theNew = candidate.version === undefined ? 'the new version' : `version ${candidate.version}`;
    if (isUnpublished(live.version)) {
        return `${needs} two published versions, and the alias runs ${live.version}, which cannot take a share of traffic; ${instead}, or point the alias at a published version first`;
    }
    if (candidate.version !== undefined && isUnpublished(candidate.version)) {
        return `${needs} two published versions, and ${candidate.version} is not one; ${instead}`;
    }
    if (live.role !== undefined && candidate.role !== undefined && live.role !== candidate.role) {
        return (`${needs} both versions to share the execution role: version ${live.version} runs as ${live.role}, ` +
            `${theNew} as ${candidate.role}; ${instead} or keep the role`);
    }
    if ((live.deadLetterTarget ?? '') !== (candidate.deadLetterTarget ?? '')) {
        const queue = (target) => (target === undefined || target === '' ? 'none' : target);
        return (`${needs} both versions to share the dead-letter queue: version ${live.version} has ${queue(live.deadLetterTarget)}, ` +
            `${theNew} ${queue(candidate.deadLetterTarget)}; ${instead} or keep the dead-letter queue`);
    }
    return undefined;
}
/**
 * Refuse a plan whose traffic split Lambda would refuse: throws InputError (nothing has changed
 * yet) with weightedAliasConflict's reason. `candidate` is what the alias would take: the version
 * reused as it is, or $LATEST's configuration, which the published version snapshots (stage-deploy
 * never changes the role or the dead-letter queue).
 */
function refuseUnsplittable(plan, live, candidate) {
    const conflict = weightedAliasConflict(plan.traffic, live, {
        ...(plan.target.kind === 'existing' && { version: plan.target.version }),
        ...(candidate.role !== undefined && { role: candidate.role }),
        ...(candidate.deadLetterTarget !== undefined && { deadLetterTarget: candidate.deadLetterTarget }),
    });
    if (conflict !== undefined)
        throw new errors/* InputError */.dz(conflict);
}

;// CONCATENATED MODULE: ./src/release/rollout.ts
/**
 * The rollout: move an alias to a new version safely, and put it back exactly as it was when
 * anything fails. Shared by every command that moves an alias: the alias is always on a verified
 * version or on the one it was on before.
 *
 * In order:
 * 1. before any traffic: the invoke check (`smoke.invoke`), and the alarm gate (an alarm already
 *    in ALARM refuses the shift, unless `force`);
 * 2. the traffic plan's steps (routing weights on the alias), each held while the gates are
 *    watched: the `alarms`, and the new version's own Errors/Invocations against `max-error-rate`;
 * 3. the last step: the alias on the new version, no weights, the release history written;
 * 4. the HTTP smoke test, then `bake`: the gates watched a while longer.
 * Any failure, a cancel (SIGINT/SIGTERM) or the rollout's time limit: one UpdateAlias back.
 */













class RolloutFailure extends Error {
}
async function shiftAndVerify(request, deps) {
    const { settings, before, toVersion, description } = request;
    const { lambda, log, timeline } = deps;
    const name = settings.functionName;
    const progressive = request.progressive;
    const wallClock = () => deps.clock.now();
    const startedAt = wallClock();
    const at = () => wallClock() - startedAt;
    // A first release has no version to split traffic with: it goes all at once.
    const steps = trafficPlan(request.traffic);
    if (progressive && before === undefined && settings.traffic.kind !== 'all-at-once') {
        log.info(`First release of alias ${settings.alias}: no earlier version to split traffic with, so all at once.`);
    }
    const alarms = progressive ? settings.alarms : [];
    const watchAlarms = alarms.length > 0 && !deps.force;
    const watchErrors = progressive && settings.maxErrorRate !== undefined;
    const common = { traffic: [], gates: [], forced: alarms.length > 0 && deps.force === true };
    if (common.forced) {
        log.warn(`force: true: the alarm gates (${alarms.join(', ')}) are SKIPPED for this release.`);
    }
    // Never a weight on $LATEST, nor a split with it: a weighted alias joins two published versions
    // (weighted-alias.ts). The commands refuse such a plan; this is the last word before any write.
    if (steps.length > 1 && before !== undefined) {
        const unsplittable = weightedAliasConflict(request.traffic, { version: before.version }, { version: toVersion });
        if (unsplittable !== undefined)
            return { ok: false, failure: unsplittable, restored: { untouched: true }, ...common };
    }
    // 1. Before any traffic.
    if (progressive && settings.smoke?.invoke) {
        const smoke = settings.smoke;
        const invoke = await timeline.step('invoke', () => invokeCheck(lambda, name, toVersion, smoke, log, deps.clock));
        common.invoke = invoke;
        if (!invoke.ok) {
            timeline.markFailed('invoke');
            return { ok: false, failure: `${invoke.summary}; version ${toVersion} never received traffic`, restored: { untouched: true }, ...common };
        }
    }
    const readGates = async (windowStart) => {
        if (!watchAlarms && !watchErrors)
            return;
        const reading = { atMs: at(), alarms: [] };
        if (watchAlarms && deps.metrics)
            reading.alarms = await deps.metrics.alarmStates(alarms);
        if (watchErrors && deps.metrics) {
            const metrics = await deps.metrics.versionMetrics(name, settings.alias, toVersion, new Date(windowStart), new Date(wallClock()));
            reading.errors = metrics.errors;
            reading.invocations = metrics.invocations;
        }
        common.gates.push(reading);
        const verdict = judgeGates(reading, { version: toVersion, ...(settings.maxErrorRate !== undefined && { maxErrorRate: settings.maxErrorRate }) });
        if (!verdict.ok)
            throw new RolloutFailure(verdict.reason);
    };
    if (watchAlarms) {
        try {
            await readGates(wallClock());
        }
        catch (error) {
            return { ok: false, failure: `${(0,errors/* errorMessage */.gJ)(error)} before the shift; nothing was shifted (force: true overrides)`, restored: { untouched: true }, ...common };
        }
    }
    // 2–4. The shift, watched.
    const budgetMs = rolloutBudgetMs(steps, settings, progressive, deps.rolloutGraceMs);
    const deadline = startedAt + budgetMs;
    const cancelled = () => {
        if (deps.signal?.aborted)
            throw new RolloutFailure(`cancelled (${String(deps.signal.reason ?? 'signal')})`);
    };
    const guard = () => {
        cancelled();
        if (wallClock() > deadline)
            throw new RolloutFailure(`the rollout took longer than its limit of ${(0,format/* formatDuration */.a3)(budgetMs)}`);
    };
    const hold = async (ms, label, windowStart) => {
        const until = wallClock() + ms;
        const interval = Math.max(1, Math.min(deps.gateIntervalMs ?? 10_000, ms));
        while (wallClock() < until) {
            guard();
            try {
                await deps.clock.sleep(Math.min(interval, Math.max(0, until - wallClock())), deps.signal);
            }
            catch {
                guard();
                throw new RolloutFailure('cancelled');
            }
            guard();
            await readGates(windowStart);
            log.info(progressLine(label, at(), common.gates.at(-1), alarms, toVersion));
        }
    };
    // Lambda routes an alias to at most two published versions (limits.ts): asserted for every split
    // step before the first alias write.
    if (before !== undefined)
        for (const step of steps)
            if (step.percent < 100)
                checkRouting(before.version, { [toVersion]: step.percent / 100 });
    // One release of several units (group.ts): no alias moves before every unit has published and
    // passed its checks before traffic; after a failure elsewhere, this one stops here, unshifted.
    if (deps.group !== undefined) {
        try {
            await deps.group.arrive('shift');
        }
        catch (error) {
            return { ok: false, failure: (0,errors/* errorMessage */.gJ)(error), restored: { untouched: true }, ...common };
        }
    }
    deps.state?.save({
        functionName: name,
        alias: settings.alias,
        ...(settings.region !== undefined && { region: settings.region }),
        ...(settings.role !== undefined && { role: settings.role }),
        toVersion,
        toDescription: description,
        before: before === undefined ? null : { version: before.version, weights: before.weights, description: before.description },
    });
    if (steps.length > 1)
        log.info(`Traffic plan for version ${toVersion}: ${describePlan(steps, format/* formatDuration */.a3)}.`);
    let shifted;
    let failure;
    let smoke;
    const shiftStart = wallClock();
    try {
        let revisionId = before?.revisionId;
        for (const [index, step] of steps.entries()) {
            await deps.group?.arrive({ step: step.percent });
            guard();
            const last = step.percent >= 100;
            shifted = await timeline.step(last ? 'shift' : `${step.percent}%`, async () => {
                if (before === undefined)
                    return lambda.createAlias(name, settings.alias, toVersion, description);
                return lambda.updateAlias(name, settings.alias, {
                    ...(last
                        ? { version: toVersion, weights: {}, description }
                        : { version: before.version, weights: { [toVersion]: step.percent / 100 }, description: before.description }),
                    ...(revisionId !== undefined && { revisionId }),
                });
            });
            revisionId = shifted.revisionId;
            common.traffic.push({ atMs: at(), percent: step.percent });
            if (last) {
                log.info(before === undefined
                    ? `Created alias ${settings.alias} on version ${toVersion}.`
                    : `Shifted alias ${settings.alias} from version ${before.version} to ${toVersion}.`);
            }
            else {
                log.info(`Step ${index + 1}/${steps.length}: ${step.percent}% of ${settings.alias} on version ${toVersion}, held ${(0,format/* formatDuration */.a3)(step.holdMs)}.`);
                await timeline.step(`hold ${step.percent}%`, () => inGroup(log, `Step ${index + 1}/${steps.length}: ${step.percent}% of ${settings.alias} on version ${toVersion}, gates watched for ${(0,format/* formatDuration */.a3)(step.holdMs)}`, () => hold(step.holdMs, `${step.percent}%`, shiftStart)));
            }
        }
        // Several units: no smoke test runs before every alias is on its new version (group.ts).
        await deps.group?.arrive('shifted');
        if (settings.smoke === undefined) {
            log.warn(`Stage ${settings.stage} has no smoke test (smoke.url): version ${toVersion} is live without a check.`);
        }
        else {
            const smokeSettings = settings.smoke;
            try {
                smoke = await timeline.step('smoke', () => inGroup(log, `Smoke test of ${settings.stage}`, () => deps.smoke.check(smokeSettings, log, deps.signal)));
            }
            catch (error) {
                cancelled();
                throw new RolloutFailure(`smoke test could not run: ${(0,errors/* errorMessage */.gJ)(error)}`);
            }
            // A cancel during the smoke test ends the release failed, whatever the last answer was.
            if (deps.signal?.aborted)
                timeline.markFailed('smoke');
            cancelled();
            if (!smoke.ok) {
                timeline.markFailed('smoke');
                throw new RolloutFailure(smoke.summary);
            }
        }
        if (progressive && settings.bakeMs > 0) {
            log.info(`Baking version ${toVersion} for ${(0,format/* formatDuration */.a3)(settings.bakeMs)}: watching the gates.`);
            await timeline.step('bake', () => inGroup(log, `Bake of version ${toVersion}: gates watched for ${(0,format/* formatDuration */.a3)(settings.bakeMs)}`, () => hold(settings.bakeMs, 'bake', shiftStart)));
        }
        // Several units: none is done before every one has passed its checks (group.ts).
        await deps.group?.arrive('done');
        // The last word: a cancel that came while nothing was waiting still rolls back.
        cancelled();
    }
    catch (error) {
        if (error instanceof errors/* AliasConflictError */.Xl) {
            // Another release wrote the alias since this run read (or last wrote) it: leave it as it is.
            const doing = before === undefined ? 'created it for' : 'shifted to';
            const restored = await superseded(request, deps, error.conflict === 'exists' ? 'created' : 'moved', doing);
            deps.state?.clear();
            common.traffic.push({ atMs: at(), percent: 0 });
            return { ok: false, failure: before === undefined ? 'creating the alias was refused' : 'the shift was refused', restored, ...(smoke && { smoke }), ...common };
        }
        failure = error instanceof RolloutFailure || error instanceof GroupStopped ? error.message : `the shift failed: ${(0,errors/* errorMessage */.gJ)(error)}`;
        // The other units of the release stop now and put their aliases back alongside this one.
        deps.group?.fail(failure);
        if (shifted === undefined && before !== undefined && common.traffic.length === 0) {
            // Nothing moved (the first UpdateAlias itself failed): the alias is as it was.
            deps.state?.clear();
            return { ok: false, failure, restored: { untouched: true }, ...(smoke && { smoke }), ...common };
        }
    }
    if (failure === undefined && shifted !== undefined) {
        deps.state?.clear();
        return { ok: true, alias: shifted, ...(smoke && { smoke }), ...common };
    }
    const outcome = await restore(request, deps, shifted);
    common.traffic.push({ atMs: at(), percent: 0 });
    if ('restored' in outcome)
        deps.state?.clear();
    return { ok: false, failure: failure ?? 'the shift failed', ...outcome, ...(smoke && { smoke }), ...common };
}
/**
 * Put the alias back as it was before the shift (delete it when the shift created it): one call,
 * conditional on the alias being as this run last wrote it (`written`). When another release
 * moved it meanwhile, Lambda refuses and the alias is left as that release made it.
 */
async function restore(request, deps, written) {
    const { settings, before } = request;
    const { lambda, timeline } = deps;
    const name = settings.functionName;
    try {
        if (before === undefined) {
            // DeleteAlias takes no RevisionId: read first, and remove only the alias as this run left it.
            const now = await lambda.getAlias(name, settings.alias);
            if (now === undefined)
                return { restored: { removed: true } };
            if (!asWritten(now, written, request))
                return { restored: await superseded(request, deps, 'moved', 'checked', now) };
            await timeline.step('rollback', () => lambda.deleteAlias(name, settings.alias));
            return { restored: { removed: true } };
        }
        await timeline.step('rollback', () => lambda.updateAlias(name, settings.alias, {
            version: before.version,
            weights: before.weights,
            description: before.description,
            ...(written?.revisionId !== undefined && { revisionId: written.revisionId }),
        }));
        return { restored: { to: before.version } };
    }
    catch (rollbackError) {
        if (rollbackError instanceof errors/* AliasConflictError */.Xl)
            return { restored: await superseded(request, deps, 'moved', 'checked') };
        return { repair: { error: (0,errors/* errorMessage */.gJ)(rollbackError), command: repairCommand(settings, before) } };
    }
}
/** True when the alias is as this run last wrote it (by RevisionId when both have one). */
function asWritten(alias, written, request) {
    if (written === undefined)
        return alias.version === request.toVersion && alias.description === request.description;
    return (0,lambda/* sameAliasState */.Sz)(alias, written);
}
/** Re-read the alias after a refused write and say what another release left there; nothing is written. */
async function superseded(request, deps, conflict, doing, read) {
    const { settings, toVersion } = request;
    let found = read;
    if (found === undefined) {
        try {
            found = await deps.lambda.getAlias(settings.functionName, settings.alias);
        }
        catch (error) {
            deps.log.warn(`Could not read alias ${settings.alias} again after the conflict: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    const note = conflictNote(settings.alias, toVersion, found, conflict, doing);
    deps.log.warn(`Alias ${settings.alias} of ${settings.functionName}: ${note}.`);
    return { superseded: true, ...(found !== undefined && { found }), note };
}
/**
 * What another release left on the alias, e.g. `another release moved alias dev to version 9
 * (commit abc1234) while this run checked version 8; version 8 is not live, nothing was put back`.
 */
function conflictNote(alias, toVersion, found, conflict, doing) {
    const left = conflict === 'created' ? 'nothing was removed' : 'nothing was put back';
    if (found === undefined)
        return `another release removed alias ${alias} while this run ${doing} version ${toVersion}; ${left}`;
    const release = (0,release_history/* parseHistory */.i6)(found.description).find((r) => r.version === found.version);
    const commit = release !== undefined && release.commit !== '' ? ` (commit ${release.commit.slice(0, 7)})` : '';
    const split = Object.entries(found.weights)
        .filter(([, weight]) => weight > 0)
        .map(([version, weight]) => `${Math.round(weight * 100)}% on version ${version}`);
    const where = `version ${found.version}${split.length > 0 ? ` with ${split.join(', ')}` : ''}${commit}`;
    const ours = found.version === toVersion ? 100 - Object.values(found.weights).reduce((sum, w) => sum + Math.round(w * 100), 0) : Math.round((found.weights[toVersion] ?? 0) * 100);
    const live = ours > 0 ? `version ${toVersion} still takes ${ours}% of ${alias} (left as found: check it)` : `version ${toVersion} is not live`;
    const what = conflict === 'created' ? `another release created alias ${alias} on ${where}` : `another release moved alias ${alias} to ${where}`;
    return `${what} while this run ${doing} version ${toVersion}; ${live}, ${left}`;
}
/**
 * Put an alias back from a saved rollout state (the post step), only when the alias is as this
 * shift left it (leftover.ts); anything else is left alone with a warning.
 */
async function restoreFromState(state, lambda, log) {
    const alias = await lambda.getAlias(state.functionName, state.alias);
    const verdict = judgeLeftover(state, alias);
    switch (verdict.action) {
        case 'none':
            return 'nothing to do';
        case 'refuse':
            log.warn(`stage-deploy post: alias ${state.alias} of ${state.functionName} left alone: ${verdict.reason}. ` +
                `Check it by hand; if it is wrong: ${repairCommand(state, state.before)}`);
            return 'refused';
        case 'delete':
            await lambda.deleteAlias(state.functionName, state.alias);
            log.warn(`Removed alias ${state.alias} of ${state.functionName}: its first release (version ${state.toVersion}) did not finish.`);
            return 'restored';
        case 'restore': {
            const before = state.before;
            if (before === null)
                return 'nothing to do';
            try {
                await lambda.updateAlias(state.functionName, state.alias, {
                    version: before.version,
                    weights: before.weights,
                    description: before.description,
                    // As just read and judged: another release that moves it in between wins.
                    ...(alias?.revisionId !== undefined && { revisionId: alias.revisionId }),
                });
            }
            catch (error) {
                if (!(error instanceof errors/* AliasConflictError */.Xl))
                    throw error;
                const now = await lambda.getAlias(state.functionName, state.alias);
                log.warn(`stage-deploy post: alias ${state.alias} of ${state.functionName} left alone: ` +
                    `${conflictNote(state.alias, state.toVersion, now, 'moved', 'checked')}.`);
                return 'refused';
            }
            log.warn(`Put alias ${state.alias} of ${state.functionName} back on version ${before.version}: the release of version ${state.toVersion} did not finish.`);
            return 'restored';
        }
    }
}
/**
 * The one line a failed shift ends the step with, e.g.
 * `GET https://x/health → 502 on 3 of 3 attempts; dev rolled back from 8 to 7`.
 */
function describeFailedShift(outcome, request) {
    const { settings, toVersion } = request;
    if (outcome.repair) {
        return (`${outcome.failure}; ROLLBACK FAILED: alias ${settings.alias} may still point at version ${toVersion} ` +
            `(${outcome.repair.error}). Repair it by hand: ${outcome.repair.command}`);
    }
    const restored = outcome.restored;
    if (restored && 'superseded' in restored)
        return `${outcome.failure}; ${restored.note}`;
    if (restored && 'untouched' in restored)
        return `${outcome.failure}; ${settings.alias} stays on ${request.before?.version ?? 'nothing'}`;
    if (restored && 'removed' in restored) {
        return `${outcome.failure}; ${settings.stage} rolled back: alias ${settings.alias} removed (first deploy of version ${toVersion})`;
    }
    return `${outcome.failure}; ${settings.stage} rolled back from ${toVersion} to ${restored?.to ?? '?'}`;
}
/** The AWS CLI command that puts the alias back by hand (deletes it when there was none before). */
function repairCommand(target, before) {
    const region = target.region !== undefined ? ` --region ${target.region}` : '';
    if (!before)
        return `aws lambda delete-alias --function-name ${target.functionName} --name ${target.alias}${region}`;
    const routing = JSON.stringify({ AdditionalVersionWeights: before.weights });
    return (`aws lambda update-alias --function-name ${target.functionName} --name ${target.alias} ` +
        `--function-version ${before.version} --routing-config '${routing}'${region}`);
}
function progressLine(label, atMs, reading, alarms, version) {
    const parts = [`${label}: ${(0,format/* formatDuration */.a3)(Math.round(atMs / 1000) * 1000)} elapsed`];
    if (reading && alarms.length > 0)
        parts.push(`alarms ${reading.alarms.map((a) => `${a.name} ${a.state}`).join(', ') || 'none found'}`);
    if (reading?.invocations !== undefined)
        parts.push(`version ${version}: ${reading.errors ?? 0} errors / ${reading.invocations} invocations`);
    return parts.join('; ');
}

;// CONCATENATED MODULE: ./src/release/carry-out.ts
/**
 * Carrying out a ReleasePlan, the one step deploy, promote and rollback share: fetch the code
 * (download or upload it) before any write, give $LATEST the settings and the code and publish it
 * (when the target is new), then shift the alias with the
 * release history and verify it (rollout.ts). Every outcome comes back as its own result shape.
 */













/** The fields every result of this start carries; the timings are read when it is called. */
function common(start) {
    const { settings, before, timeline } = start;
    return {
        command: start.command,
        stage: settings.stage,
        functionName: settings.functionName,
        alias: settings.alias,
        ...(start.commit !== '' && { commit: start.commit }),
        ...(before !== undefined && { previousVersion: before.version }),
        steps: timeline.steps,
        durationMs: timeline.elapsedMs(),
        ...(start.image !== undefined && { image: start.image }),
    };
}
/** Where the alias is, as read: what an outcome that changed nothing reports. */
function asRead(start) {
    return {
        ...(start.before !== undefined && { version: start.before.version, aliasArn: start.before.arn }),
        ...(start.live !== undefined && { codeSha256: start.live.codeSha256 }),
    };
}
/** Nothing to do: the alias already runs what the command would release. */
function unchanged(start, fields = {}) {
    return { kind: 'unchanged', ...common(start), ...asRead(start), settingsChanged: [], ...fields };
}
/** A dry run renders the plan; a real run carries it out. */
async function finish(plan, start, deps) {
    // Lambda's limits on what the plan would write (limits.ts): refused here, dry run or not, before any change.
    checkPlanLimits(plan, start.settings);
    // provisioned-concurrency (capacity.ts): an alias with a configuration of its own is refused here.
    await checkCapacity(start, deps);
    if (deps.dryRun) {
        const result = { kind: 'dry-run', ...common(start), ...asRead(start), plan };
        return result;
    }
    return carryOut(plan, start, deps);
}
async function carryOut(plan, start, deps) {
    const { settings, before, timeline } = start;
    const { lambda, log } = deps;
    const name = settings.functionName;
    await deps.beforeChange?.();
    let to;
    let settingsChanged = [];
    let upload;
    /** Set when the account's code storage is nearly full (read only when this release publishes). */
    let storage = {};
    const target = plan.target;
    if (target.kind === 'existing') {
        if (target.reason === 'carries the settings') {
            log.info(`Version ${target.version} already carries ${settings.stage}'s settings: promoting it as it is.`);
        }
        to = target;
    }
    else {
        /** Set when the published version cannot share the alias with the live one (weighted-alias.ts). */
        let unsplittable;
        const codeStorageWarning = await checkCodeStorage(settings, deps);
        if (codeStorageWarning !== undefined)
            storage = { codeStorageWarning };
        try {
            // One group of the log: upload, settings, code, publish.
            const published = await inGroup(log, `Publish a version of ${name}`, async () => {
                // Each write to $LATEST is conditional on the revision read or last written: a change another
                // run makes in between fails this release instead of being overwritten or published.
                let revisionId = target.revisionId;
                // Fetch first: the code is in hand (downloaded, uploaded to S3) before anything is written to
                // $LATEST, so a download that fails leaves $LATEST as it was.
                let provided;
                if (target.code.kind !== 'in-latest') {
                    const code = target.code;
                    provided = await timeline.step('upload', () => provideCode(code, deps));
                    upload = provided.upload;
                }
                if (target.change !== undefined) {
                    const change = target.change;
                    const read = revisionId;
                    settingsChanged = target.settingsChanged;
                    log.info(`Updating settings of ${name}: ${settingsChanged.join(', ')}.`);
                    revisionId = (await timeline.step('settings', () => lambda.updateConfiguration(name, change, read))).revisionId;
                }
                if (provided !== undefined) {
                    const source = provided.source;
                    if (source.kind === 'image')
                        log.info(`Updating code of ${name} to image ${source.imageUri}.`);
                    else
                        log.info(`Updating code of ${name} to ${target.codeSha256} (${(0,format/* formatSize */.Xq)(provided.upload.sizeBytes)}).`);
                    const read = revisionId;
                    const updated = await timeline.step('code', () => lambda.updateCode(name, source, read).catch((error) => {
                        // An image Lambda may not pull (another account's repository): the permissions it needs.
                        throw (source.kind === 'image' ? imagePullRefusal(error, source.imageUri, name) : undefined) ?? error;
                    }));
                    if (updated.codeSha256 !== target.codeSha256) {
                        throw new Error(`Lambda reports code ${updated.codeSha256} after the update, not ${target.codeSha256}`);
                    }
                    revisionId = updated.revisionId;
                }
                const published = await timeline.step('publish', () => lambda.publishVersion(name, { codeSha256: target.codeSha256, description: target.description, ...(revisionId !== undefined && { revisionId }) }));
                log.info(`Published version ${published.version} of ${name}.`);
                // What takes traffic is what was meant: another release of the same function (another
                // stage) may have changed $LATEST between this run's update and its PublishVersion.
                const drift = publishedDrift(settings, target.codeSha256, published);
                if (drift !== undefined)
                    throw new Error(drift);
                unsplittable = weightedAliasConflict(plan.traffic, start.live, published);
                return published;
            });
            to = { version: published.version, codeSha256: published.codeSha256 };
        }
        catch (error) {
            return {
                kind: 'not-shifted',
                ...common(start),
                ...asRead(start),
                error: `${settings.stage}: publishing failed, nothing was shifted: ${(0,errors/* errorMessage */.gJ)(error)}`,
                settingsChanged,
                ...(upload !== undefined && { upload }),
                ...storage,
            };
        }
        if (before !== undefined && to.version === before.version) {
            // Lambda returned the version the alias already runs (nothing changed since it was published).
            return unchanged(start, { settingsChanged, ...(upload !== undefined && { upload }), ...storage });
        }
        if (unsplittable !== undefined) {
            // The role or dead-letter queue of $LATEST changed since it was read (the commands check
            // what they read): Lambda would refuse the first weighted step, so the alias is not touched.
            return {
                kind: 'not-shifted',
                ...common(start),
                ...asRead(start),
                error: `${settings.stage}: version ${to.version} was published but not shifted: ${unsplittable}`,
                settingsChanged,
                ...(upload !== undefined && { upload }),
                ...storage,
            };
        }
    }
    // provisioned-concurrency (capacity.ts): the version is READY before the alias moves to it.
    let warmed;
    try {
        if (settings.provisionedConcurrency !== undefined)
            warmed = await timeline.step('capacity', () => warmBeforeShift(start, to.version, deps));
    }
    catch (error) {
        return {
            kind: 'not-shifted',
            ...common(start),
            ...asRead(start),
            error: `${settings.stage}: ${(0,errors/* errorMessage */.gJ)(error)}; nothing was shifted`,
            settingsChanged,
            ...(upload !== undefined && { upload }),
            ...storage,
        };
    }
    const warnHistory = (message) => log.warn(`${settings.stage}'s release history: ${message}`);
    const history = (0,release_history/* parseHistory */.i6)(before?.description, warnHistory);
    const releasedAt = deps.releasedAt ?? Math.floor(deps.clock.now() / 1000);
    const request = {
        settings,
        before,
        toVersion: to.version,
        traffic: plan.traffic,
        progressive: plan.progressive,
        description: (0,release_history/* formatHistory */.As)(plan.history.kind === 'return'
            ? (0,release_history/* returnTo */.yP)(history, before, { version: to.version, commit: start.commit, releasedAt })
            : (0,release_history/* recordRelease */.ty)(history, before?.version, { version: to.version, commit: plan.history.commit, releasedAt }), warnHistory),
    };
    const outcome = await shiftAndVerify(request, { ...deps, timeline });
    await settleCapacity(warmed, outcome.ok, start, deps);
    const publishing = { settingsChanged, ...(upload !== undefined && { upload }), ...storage };
    if (outcome.ok) {
        return { kind: 'released', ...common(start), version: to.version, codeSha256: to.codeSha256, aliasArn: outcome.alias.arn, checks: checksOf(outcome), ...publishing };
    }
    const { restored, repair } = outcome;
    const failure = { ...common(start), ...publishing, error: describeFailedShift(outcome, request), candidateVersion: to.version, checks: checksOf(outcome) };
    if (repair !== undefined)
        return { kind: 'stranded', ...failure, repair };
    if (restored !== undefined && 'untouched' in restored)
        return { kind: 'not-shifted', ...failure, ...asRead(start) };
    if (restored !== undefined && 'superseded' in restored) {
        // Another release moved the alias: this one is not live, and the alias is where that one left it.
        const found = restored.found;
        return { kind: 'not-shifted', ...failure, ...(found !== undefined && { version: found.version, aliasArn: found.arn }) };
    }
    // Back where it was: the version and code it ran before (none after a first deploy).
    return { kind: 'reverted', ...failure, ...asRead(start) };
}
/**
 * Why the version PublishVersion answered with is not the one this run meant (another code, or
 * other settings than the stage's), e.g. `another release of notes-api changed $LATEST at the
 * same time: version 5 has environment.TABLE=notes-prod, not notes-dev`; undefined when it is.
 */
function publishedDrift(settings, codeSha256, published) {
    const differences = describeDifferences(desiredSettings(settings), published);
    if (published.codeSha256 !== codeSha256)
        differences.unshift(`code ${published.codeSha256}, not ${codeSha256}`);
    if (differences.length === 0)
        return undefined;
    return `another release of ${settings.functionName} changed $LATEST at the same time: version ${published.version} has ${differences.join('; ')}`;
}
/** What the rollout's checks saw, as the result records it. */
function checksOf(outcome) {
    const { smoke, invoke, traffic, gates, forced } = outcome;
    return { ...(smoke !== undefined && { smoke }), ...(invoke !== undefined && { invoke }), traffic, gates, forced };
}
/**
 * Where UpdateFunctionCode takes the code from: the zip itself, its content-addressed S3 object
 * (uploaded first unless already there), or the source version's bytes downloaded from Lambda.
 */
async function provideCode(step, deps) {
    const { log } = deps;
    switch (step.kind) {
        case 'direct':
            return { source: { kind: 'zip-file', zipPath: step.zipPath }, upload: { kind: 'direct', sizeBytes: step.sizeBytes } };
        case 's3': {
            const { bucket, key, alreadyThere, sizeBytes } = step;
            if (alreadyThere || step.zipPath === undefined) {
                log.info(`s3://${bucket}/${key} is already there: not uploading it again.`);
            }
            else {
                log.info(`Uploading ${(0,format/* formatSize */.Xq)(sizeBytes)} to s3://${bucket}/${key}.`);
                await storeOf(deps).upload(bucket, key, step.zipPath);
            }
            return { source: { kind: 's3', bucket, key }, upload: { kind: 's3', bucket, key, alreadyThere, sizeBytes } };
        }
        case 'image':
            // Lambda pulls the image from ECR by digest: nothing to upload.
            return { source: { kind: 'image', imageUri: step.imageUri }, upload: { kind: 'none', sizeBytes: 0 } };
        case 'download': {
            if (deps.workDir === undefined)
                throw new Error('a work directory is needed to download code');
            const zipPath = (0,external_node_path_.join)(deps.workDir, `${sha256HexOf(step.codeSha256)}.zip`);
            log.info(`Downloading the code of ${step.fromStage}'s version ${step.version} (${(0,format/* formatSize */.Xq)(step.sizeBytes)}).`);
            // From the source stage's function, with its own role when it is in another account.
            const downloaded = await (deps.sourceLambda ?? deps.lambda).downloadCode(step.functionName, step.version, zipPath);
            if (downloaded !== step.codeSha256)
                throw new Error(`the downloaded code hashes to ${downloaded}, not ${step.codeSha256}`);
            if (step.via.kind === 's3') {
                const { bucket, key } = step.via;
                await storeOf(deps).upload(bucket, key, zipPath);
                return { source: { kind: 's3', bucket, key }, upload: { kind: 's3', bucket, key, alreadyThere: false, sizeBytes: step.sizeBytes } };
            }
            return { source: { kind: 'zip-file', zipPath }, upload: { kind: 'direct', sizeBytes: step.sizeBytes } };
        }
    }
}
function storeOf(deps) {
    if (deps.store === undefined)
        throw new Error('an S3 store is needed for s3-bucket');
    return deps.store;
}

;// CONCATENATED MODULE: ./src/release/plan.ts

/** A new version: $LATEST given the stage's settings (only those that differ) and the code, then published. */
function publishTarget(desired, latest, code, description) {
    const change = configurationChange(desired, latest);
    return {
        kind: 'publish',
        codeSha256: code.codeSha256,
        settingsChanged: settingsDifferences(desired, latest),
        ...(change !== undefined && { change }),
        code: latest.codeSha256 === code.codeSha256 ? { kind: 'in-latest' } : code.step,
        ...(latest.revisionId !== undefined && { revisionId: latest.revisionId }),
        description,
    };
}
/** The plan for moving `settings`' alias (as read: `before`) to `target`. */
function releasePlan(command, settings, before, target, history) {
    const progressive = command !== 'rollback';
    return {
        command,
        stage: settings.stage,
        functionName: settings.functionName,
        alias: settings.alias,
        ...(before !== undefined && { from: before.version }),
        target,
        // A first release has no version to split traffic with; a rollback is the emergency button.
        traffic: before === undefined || !progressive ? { kind: 'all-at-once' } : settings.traffic,
        progressive,
        ...(settings.smoke !== undefined && { smoke: { method: settings.smoke.method, url: settings.smoke.url } }),
        history,
    };
}
/** The version's description: what released it, so the console and `status` can tell. */
function releaseDescription(stage, context, extra = '') {
    const commit = context.commit ? ` commit ${context.commit.slice(0, 12)}` : '';
    const run = context.runId ? ` run ${context.runId}` : '';
    return `stage-deploy ${stage}:${commit}${run}${extra}`.slice(0, 256);
}
/** The short commit recorded in a stage's release history. */
function shortCommit(commit) {
    return commit.slice(0, 7);
}

;// CONCATENATED MODULE: ./src/release/readiness.ts
/**
 * Whether a published version can take traffic, by Lambda's function states
 * (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): a version is invoked only
 * while it is Active. Pending: Lambda is creating (or re-creating) its resources. Failed: that
 * went wrong. Inactive: it sat idle long enough for Lambda to reclaim its resources; invoking it
 * fails and sets it Pending until they are re-created.
 *
 * For a version that already exists and is about to take traffic (the version a rollback returns
 * to, the one a promote reuses, the one a canary keeps most traffic on and returns to):
 * - Pending: wait until it is Active (the SDK's waiter, through the gateway);
 * - Failed: refuse;
 * - Inactive: refuse, before anything changes, naming the version and how to re-activate it.
 *   The action does not re-activate it itself: Lambda's only way is an invocation, and an
 *   invocation with a made-up event would run the user's code as soon as it is Active again.
 *   The user re-activates it (or deploys its code again as a new version), then runs the command
 *   again.
 */

/**
 * The version, Active (after waiting when it was Pending), or an InputError that starts with
 * `subject` (the field and value the version comes from, e.g. `to-version: "7"`).
 */
async function readyVersion(subject, version, settings, deps) {
    const name = settings.functionName;
    const which = `version ${version.version} of ${name}`;
    const code = version.stateReasonCode ? ` (${version.stateReasonCode})` : '';
    switch (version.state) {
        case undefined:
        case 'Active':
            return version;
        case 'Pending':
            if (deps.dryRun) {
                deps.log.info(`${which} is Pending${code}: a real run waits for it to be Active before it takes traffic.`);
                return version;
            }
            deps.log.info(`${which} is Pending${code}: waiting for it to be Active before it takes traffic.`);
            return deps.lambda.waitForVersionActive(name, version.version, { snapStart: version.snapStart !== undefined });
        case 'Inactive':
            throw new errors/* InputError */.dz(`${subject}: ${which} is Inactive${code}: Lambda reclaimed its resources after it sat idle, and it cannot take traffic until they are re-created. ` +
                `Nothing was changed. Re-activate it and run this again: invoke it once (the call fails while it is Inactive and Lambda starts re-creating its resources), ` +
                `then wait with \`aws lambda wait published-version-active --function-name ${name} --qualifier ${version.version}\`; or deploy its code again as a new version`);
        default:
            throw new errors/* InputError */.dz(`${subject}: ${which} is ${version.state}${code}${version.stateReason ? `: ${version.stateReason}` : ''}; it cannot take traffic. Nothing was changed`);
    }
}
/**
 * A canary or linear shift keeps most traffic on the version the alias runs, and returns to it
 * when a check fails: that version must be able to take traffic (see readyVersion). An
 * all-at-once release, a first release, or one whose alias runs no readable version: as it is.
 */
async function readyToReturnTo(settings, live, deps) {
    if (live === undefined || settings.traffic.kind === 'all-at-once')
        return live;
    const subject = `traffic: ${settings.traffic.kind} (it keeps traffic on version ${live.version}, what alias ${settings.alias} runs, and returns to it if a check fails)`;
    return readyVersion(subject, live, settings, deps);
}

;// CONCATENATED MODULE: ./src/release/refusals.ts


/** Bad input: the stage's function does not exist. */
function missingFunction(settings) {
    return new errors/* InputError */.dz(`${settings.functionField ?? 'function'}: ${JSON.stringify(settings.functionName)} does not exist${settings.region ? ` in ${settings.region}` : ''}`);
}
/** Throw when an alias has a traffic split in flight: `<subject> has a traffic split in flight (…); <advice>`. */
function refuseSplit(subject, weights, advice) {
    if (Object.keys(weights).length > 0)
        throw new errors/* InputError */.dz(`${subject} has a traffic split in flight (${(0,format/* formatWeights */.V7)(weights)}); ${advice}`);
}

;// CONCATENATED MODULE: ./src/release/timeline.ts
/** Records how long each step of a command took, for the log and the job summary. */
class Timeline {
    clock;
    steps = [];
    startedAt;
    constructor(clock) {
        this.clock = clock;
        this.startedAt = clock.now();
    }
    /** Run `work` as the step `name`; a step that throws is recorded as failed and the error goes on. */
    async step(name, work) {
        const start = this.clock.now();
        let ok = false;
        try {
            const value = await work();
            ok = true;
            return value;
        }
        finally {
            this.steps.push({ name, startMs: Math.round(start - this.startedAt), durationMs: Math.round(this.clock.now() - start), ok });
        }
    }
    /** Mark the outcome of the last step named `name` (a smoke check that answered but failed). */
    markFailed(name) {
        const step = [...this.steps].reverse().find((s) => s.name === name);
        if (step)
            step.ok = false;
    }
    elapsedMs() {
        return Math.round(this.clock.now() - this.startedAt);
    }
}

;// CONCATENATED MODULE: ./src/commands/deploy.ts
/**
 * deploy: publish the artifact (or, for a container-image function, the image by digest) with the
 * stage's settings as a new version, shift the stage's alias to it, smoke-test it, and put the
 * alias back when the check fails.
 * Read → check → plan → dry-run or carry out.
 */










/** Lambda refuses a zip above this size in the request itself; larger code goes through S3 (see release/limits.ts). */

/** `source`: the zip (artifact/package.ts), or a container image resolved to its digest (artifact/image.ts). */
async function deploy(settings, source, deps, context) {
    if ('kind' in source)
        return deploy_deployImage(settings, source, deps, context);
    const artifact = source;
    const timeline = new Timeline(deps.clock);
    const { log } = deps;
    const name = settings.functionName;
    // Read what is live; $LATEST only when it is needed (readLive).
    const { before, live, latest: readFirst, known } = await readLive(settings, deps, timeline);
    // Check: nothing below changes AWS until every check has passed.
    checkPackageType(name, known, { field: 'artifact', value: artifact.source.path });
    if (before !== undefined) {
        refuseSplit(`alias: ${JSON.stringify(settings.alias)}`, before.weights, 'wait for it to finish or roll it back before deploying');
    }
    // Lambda's limits on the code (release/limits.ts): the direct upload's request, the unzipped size.
    if (settings.s3Bucket === undefined) {
        checkDirectUpload('artifact', JSON.stringify(artifact.source.path), artifact.sizeBytes, 'set s3-bucket to upload it through S3');
    }
    if (artifact.unzippedBytes !== undefined)
        checkUnzipped('artifact', JSON.stringify(artifact.source.path), artifact.unzippedBytes);
    const start = { command: 'deploy', settings, commit: context.commit, before, live, timeline };
    const desired = desiredSettings(settings);
    if (isUnchanged(artifact.codeSha256, desired, live)) {
        log.info(`Alias ${settings.alias} already runs this code (${artifact.codeSha256}) with these settings: nothing to publish.`);
        return unchanged(start);
    }
    const latest = readFirst ?? (await readLatest(settings, deps, timeline));
    // A canary keeps traffic on, and returns to, what the alias runs: it must be able to take it.
    await readyToReturnTo(settings, live, deps);
    // Plan.
    const code = { codeSha256: artifact.codeSha256, step: await codeStep(settings, artifact, latest.codeSha256, deps) };
    const plan = releasePlan('deploy', settings, before, publishTarget(desired, latest, code, releaseDescription(settings.stage, context)), {
        kind: 'record',
        commit: shortCommit(context.commit),
    });
    // A canary or linear split between the live version and the new one must be one Lambda allows.
    refuseUnsplittable(plan, live, latest);
    return finish(plan, start, deps);
}
/**
 * What is live: the alias, and the version it runs read through the alias (GetFunction with the
 * alias as Qualifier gives the configuration of the version the alias points at), both at once.
 * An unchanged redeploy decides on these two reads alone. $LATEST is read here only when there is
 * no live version to go by (no alias yet, or no function: refused); otherwise after the unchanged
 * decision (readLatest), before anything is planned or written, so each write is still
 * conditional on the RevisionId just read.
 */
async function readLive(settings, deps, timeline) {
    const { lambda } = deps;
    const name = settings.functionName;
    const [before, aliased] = await timeline.step('read', () => Promise.all([lambda.getAlias(name, settings.alias), lambda.getVersion(name, settings.alias)]));
    // The alias moved between the two reads (or the read through it failed): the version it names, by number.
    const live = before === undefined ? undefined : aliased !== undefined && aliased.version === before.version ? aliased : await timeline.step('read', () => lambda.getVersion(name, before.version));
    if (live !== undefined)
        return { before, live, latest: undefined, known: live };
    const latest = await readLatest(settings, deps, timeline);
    return { before, live, latest, known: latest };
}
/** $LATEST, whose RevisionId the writes are conditional on; a function that is not there is refused. */
async function readLatest(settings, deps, timeline) {
    const latest = await timeline.step('read', () => deps.lambda.getVersion(settings.functionName));
    if (latest === undefined)
        throw missingFunction(settings);
    return latest;
}
/** How the artifact reaches $LATEST: directly, or through its content-addressed S3 object. */
async function codeStep(settings, artifact, latestSha, deps) {
    if (latestSha === artifact.codeSha256)
        return { kind: 'in-latest' };
    if (settings.s3Bucket === undefined)
        return { kind: 'direct', zipPath: artifact.zipPath, sizeBytes: artifact.sizeBytes };
    if (deps.store === undefined)
        throw new Error('an S3 store is needed for s3-bucket');
    const key = artifactKey(settings, artifact.sha256Hex);
    const alreadyThere = await deps.store.exists(settings.s3Bucket, key);
    return { kind: 's3', bucket: settings.s3Bucket, key, alreadyThere, zipPath: artifact.zipPath, sizeBytes: artifact.sizeBytes };
}
/**
 * deploy of a container-image function: the image, resolved to its digest before this is called,
 * is published by digest (UpdateFunctionCode ImageUri `<repository>@sha256:…`) and compared by
 * digest (an image function's CodeSha256 is the digest's hex). Nothing reads the image the alias
 * ran before, so a redeploy works after that image was deleted from ECR.
 */
async function deploy_deployImage(settings, image, deps, context) {
    const timeline = new Timeline(deps.clock);
    const { log } = deps;
    const name = settings.functionName;
    const { before, live, latest: readFirst, known } = await readLive(settings, deps, timeline);
    checkPackageType(name, known, { field: 'image', value: image.uri });
    if (before !== undefined) {
        refuseSplit(`alias: ${JSON.stringify(settings.alias)}`, before.weights, 'wait for it to finish or roll it back before deploying');
    }
    const start = { command: 'deploy', settings, commit: context.commit, before, live, timeline, image: imageRecord(image) };
    const desired = desiredSettings(settings);
    if (isUnchanged(image.codeSha256, desired, live)) {
        log.info(`Alias ${settings.alias} already runs this image (${image.digest}) with these settings: nothing to publish.`);
        return unchanged(start);
    }
    await readyToReturnTo(settings, live, deps);
    const latest = readFirst ?? (await readLatest(settings, deps, timeline));
    const step = latest.codeSha256 === image.codeSha256
        ? { kind: 'in-latest' }
        : { kind: 'image', imageUri: image.imageUri, ...(image.tag !== undefined && { tag: image.tag }), digest: image.digest };
    const plan = releasePlan('deploy', settings, before, publishTarget(desired, latest, { codeSha256: image.codeSha256, step }, releaseDescription(settings.stage, context)), {
        kind: 'record',
        commit: shortCommit(context.commit),
    });
    refuseUnsplittable(plan, live, latest);
    return finish(plan, start, deps);
}

;// CONCATENATED MODULE: ./src/commands/promote.ts
/**
 * promote: the target stage ends on a version whose CodeSha256 equals that of the version the
 * source stage runs, carrying the target stage's settings: that very version when its settings
 * already match, else the same code published again with the target's settings. Smoke-tested,
 * and put back like a deploy. Read → check → plan → dry-run or carry out.
 */













async function promote(source, target, deps, context) {
    const timeline = new Timeline(deps.clock);
    const { lambda, log } = deps;
    // The source stage may be in another account, read with its own role (app.ts withSourceLambda).
    const sourceLambda = deps.sourceLambda ?? lambda;
    const name = target.functionName;
    // Read both stages.
    const [sourceAlias, latest, before] = await timeline.step('read', () => Promise.all([sourceLambda.getAlias(source.functionName, source.alias), lambda.getVersion(name), lambda.getAlias(name, target.alias)]));
    // Check.
    if (sourceAlias === undefined) {
        throw new errors/* InputError */.dz(`promote-from: stage ${JSON.stringify(source.stage)} has no release to promote (alias ${source.alias} of ${source.functionName} does not exist)`);
    }
    refuseSplit(`promote-from: stage ${JSON.stringify(source.stage)}`, sourceAlias.weights, 'promote once it has finished');
    if (latest === undefined)
        throw missingFunction(target);
    if (before !== undefined) {
        refuseSplit(`alias: ${JSON.stringify(target.alias)}`, before.weights, 'wait for it to finish or roll it back before promoting');
    }
    const [sourceVersion, live] = await timeline.step('read', () => Promise.all([
        sourceLambda.getVersion(source.functionName, sourceAlias.version),
        before === undefined ? Promise.resolve(undefined) : lambda.getVersion(name, before.version),
    ]));
    if (sourceVersion === undefined) {
        throw new errors/* InputError */.dz(`promote-from: version ${sourceAlias.version} that ${source.stage} runs no longer exists`);
    }
    // The commit comes from the source's history, checked on the way in: one that is no SHA is
    // dropped (recorded as unknown) with a warning, and never takes the target's history with it.
    let badCommit = false;
    const sourceRelease = (0,release_history/* parseHistory */.i6)(sourceAlias.description, (message, version) => {
        if (version === sourceVersion.version)
            badCommit = true;
        log.warn(`${source.stage}'s release history: ${message}`);
    }).find((r) => r.version === sourceVersion.version);
    const commit = badCommit ? '' : sourceRelease?.commit || (0,release_history/* recordedCommit */.Qt)(context.commit, (message) => log.warn(message), "the run's commit (GITHUB_SHA)");
    log.info(`${deps.dryRun === true ? 'Would promote' : 'Promoting'} ${source.stage} (version ${sourceVersion.version}, code ${sourceVersion.codeSha256}` +
        `${sourceRelease?.commit ? `, commit ${sourceRelease.commit}` : ''}) to ${target.stage}.`);
    // A container image is promoted by its exact digest (no download): the package types must match.
    const image = promotedImage(source, target, sourceVersion, latest.packageType === 'Image' ? 'Image' : 'Zip');
    const start = { command: 'promote', settings: target, commit, before, live, timeline, ...(image !== undefined && { image }) };
    const desired = desiredSettings(target);
    if (isUnchanged(sourceVersion.codeSha256, desired, live)) {
        log.info(`${target.stage} already runs this code with its settings: nothing to promote.`);
        return unchanged(start);
    }
    // An image from another account's registry: its repository's policy must let the target pull it.
    if (image !== undefined && latest.codeSha256 !== sourceVersion.codeSha256)
        await checkImagePull(source, target, image, latest.functionArn, deps);
    // A canary keeps traffic on, and returns to, what the target runs: it must be able to take it.
    await readyToReturnTo(target, live, deps);
    // Plan: reuse the very version when it carries the target's settings, else publish its code again.
    // The full ARNs (account and region included): a function of the same name in another account
    // is another function, whose version is never reused; its code is copied and published there.
    const sameFunction = stripQualifier(sourceVersion.functionArn) === stripQualifier(latest.functionArn);
    const reuse = sameFunction && settingsDifferences(desired, sourceVersion).length === 0;
    // A version reused takes traffic as it is: Inactive is refused, Pending waited for (readiness.ts).
    if (reuse)
        await readyVersion(`promote-from: ${JSON.stringify(source.stage)} (its version ${sourceVersion.version}, reused as it is)`, sourceVersion, target, deps);
    const planned = reuse
        ? { kind: 'existing', version: sourceVersion.version, codeSha256: sourceVersion.codeSha256, reason: 'carries the settings' }
        : publishTarget(desired, latest, {
            codeSha256: sourceVersion.codeSha256,
            step: latest.codeSha256 === sourceVersion.codeSha256
                ? { kind: 'in-latest' }
                : image !== undefined
                    ? { kind: 'image', imageUri: image.uri, digest: image.digest }
                    : await promote_codeStep(source, target, sourceVersion, deps),
        }, releaseDescription(target.stage, context, ` promoted from ${source.stage} v${sourceVersion.version}`));
    const plan = releasePlan('promote', target, before, planned, { kind: 'record', commit });
    // A canary or linear split between the live version and the promoted one must be one Lambda allows.
    refuseUnsplittable(plan, live, planned.kind === 'existing' ? sourceVersion : latest);
    return finish(plan, start, deps);
}
/**
 * Where the source version's exact bytes come from: the target's content-addressed S3 object
 * when its bucket holds it, else downloaded from the source version itself (and put in the
 * bucket when the target has one, since code above 50 MB must go through S3).
 */
async function promote_codeStep(source, target, version, deps) {
    const sizeBytes = version.codeSize;
    const bucket = target.s3Bucket;
    const key = artifactKey(target, sha256HexOf(version.codeSha256));
    if (bucket !== undefined && deps.store !== undefined && (await deps.store.exists(bucket, key))) {
        return { kind: 's3', bucket, key, alreadyThere: true, sizeBytes };
    }
    if (bucket === undefined || deps.store === undefined) {
        // Without a bucket the downloaded bytes go in the UpdateFunctionCode request itself.
        checkDirectUpload('s3-bucket', `not set for stage ${JSON.stringify(target.stage)}, and the code of version ${version.version} that ${source.stage} runs`, sizeBytes, `set s3-bucket for ${target.stage} to promote it through S3`);
    }
    return {
        kind: 'download',
        fromStage: source.stage,
        functionName: source.functionName,
        version: version.version,
        codeSha256: version.codeSha256,
        sizeBytes,
        via: bucket !== undefined && deps.store !== undefined ? { kind: 's3', bucket, key } : { kind: 'direct' },
    };
}
/**
 * The image of the source's version, when it is a container-image function: promoted by digest
 * (`<repository>@sha256:…`, what Lambda resolved when it was published), never by a tag that
 * may have moved. A source and target of different package types are refused before any change.
 */
function promotedImage(source, target, version, targetType) {
    const sourceType = packageTypeOf(version);
    if (sourceType !== targetType) {
        throw new errors/* InputError */.dz(`promote-from: ${JSON.stringify(source.stage)} runs a ${sourceType === 'Image' ? 'container-image' : '.zip'} function (${source.functionName}), ` +
            `and ${target.stage}'s function ${target.functionName} is a ${targetType === 'Image' ? 'container-image' : '.zip'} function; a function's package type cannot change`);
    }
    if (sourceType === 'Zip')
        return undefined;
    const image = versionImage(version);
    if (image === undefined)
        throw new Error(`Lambda gave no image URI for version ${version.version} of ${source.functionName}`);
    return { uri: image.uri, digest: image.digest };
}
/**
 * A target in another account than the image's registry (a prod account promoted to from dev's):
 * Lambda pulls the image there only if the repository's policy allows the target account
 * ecr:BatchGetImage and ecr:GetDownloadUrlForLayer (image-pull.ts). The policy is read with the
 * source stage's credentials (its account owns the repository); refused before any change when it
 * does not allow it, a warning when it could not be read.
 */
async function checkImagePull(source, target, image, functionArn, deps) {
    const reference = parseImageUri(image.uri);
    const targetAccount = functionAccount(functionArn);
    if (reference === undefined || targetAccount === undefined || reference.registryId === targetAccount)
        return;
    const registry = deps.sourceImages ?? deps.images;
    if (registry === undefined)
        return;
    const policy = await registry.repositoryPolicy({ registryId: reference.registryId, repository: reference.repository });
    checkCrossAccountPull({
        field: `promote-from: ${JSON.stringify(source.stage)} (image ${image.uri})`,
        repository: reference.repository,
        registryId: reference.registryId,
        region: reference.region,
        targetAccount,
        functionName: target.functionName,
    }, policy, (message) => deps.log.warn(message));
}
/** `arn:…:function:name` for `arn:…:function:name:7` or `…:$LATEST`. */
function stripQualifier(arn) {
    const parts = arn.split(':');
    return parts.length > 7 ? parts.slice(0, 7).join(':') : arn;
}

;// CONCATENATED MODULE: ./src/commands/rollback.ts
/**
 * rollback: the alias returns to `to-version`, or to the release before its current one (from
 * the history recorded in the alias, history.ts's rules), and is smoke-tested; when the check
 * fails the alias goes back to where it was. The step says what it moved from and to.
 * - With a traffic split in flight (a canary stopped mid-shift), a plain rollback clears the
 *   split and stays on the alias's primary version: the stable release.
 * - A `to-version` published with other settings than the stage's (another stage's version) is
 *   refused before anything changes, naming the settings; `force: true` goes anyway, with a warning.
 * - The rollback is recorded as a new history entry; nothing is dropped from the history.
 * Read → check → plan → dry-run or carry out.
 */









/**
 * `planned`: the version a plain rollback of a stage of several functions chose for this one from
 * the stage's history (release/group-history.ts): used as the history's own choice, not as a
 * `to-version` given by the user.
 */
async function rollback(settings, toVersion, deps, planned) {
    const timeline = new Timeline(deps.clock);
    const { lambda, log } = deps;
    const name = settings.functionName;
    // Read.
    const before = await timeline.step('read', () => lambda.getAlias(name, settings.alias));
    // Check.
    if (before === undefined) {
        if ((await lambda.getVersion(name)) === undefined)
            throw missingFunction(settings);
        throw new errors/* InputError */.dz(`stage: ${JSON.stringify(settings.stage)} has no release to roll back (alias ${settings.alias} of ${name} does not exist)`);
    }
    const history = (0,release_history/* parseHistory */.i6)(before.description, (message) => log.warn(`${settings.stage}'s release history: ${message}`));
    const split = Object.keys(before.weights).length > 0;
    // A split in flight: the primary is the stable release, and the plain rollback stays on it.
    const target = toVersion ?? planned ?? (split ? before.version : (0,release_history/* rollbackTarget */.es)(history, before.version)?.version);
    if (target === undefined) {
        throw new errors/* InputError */.dz(`to-version: not given, and ${settings.stage} has no earlier release recorded; give the version to return to`);
    }
    if (target === before.version && !split) {
        throw new errors/* InputError */.dz(`to-version: ${JSON.stringify(target)} is what ${settings.stage} runs already`);
    }
    const [found, live] = await timeline.step('read', () => Promise.all([lambda.getVersion(name, target), lambda.getVersion(name, before.version)]));
    if (found === undefined) {
        throw new errors/* InputError */.dz(`to-version: ${JSON.stringify(target)} is not a published version of ${name}`);
    }
    // A version Lambda made Inactive (idle for weeks) is refused; a Pending one is waited for (readiness.ts).
    const subject = toVersion !== undefined ? `to-version: ${JSON.stringify(target)}` : `to-version: not given, and ${settings.stage}'s release before ${before.version}`;
    const version = await readyVersion(subject, found, settings, deps);
    if (toVersion !== undefined) {
        const differences = settingsDifferences(desiredSettings(settings), version);
        if (differences.length > 0) {
            const what = `to-version: ${JSON.stringify(target)} was published with other settings than ${settings.stage}'s: ${differences.join(', ')}`;
            if (deps.force !== true)
                throw new errors/* InputError */.dz(`${what}; force: true rolls back anyway`);
            log.warn(`${what}. Rolling back anyway (force: true): ${settings.stage} will run version ${target} with its settings, not ${settings.stage}'s.`);
        }
    }
    // A container-image version runs only while its image is in ECR: one that is gone is refused
    // before the alias moves (Lambda would fail every invocation of it).
    const image = await imageStillThere(subject, name, version, deps);
    log.info(split && target === before.version
        ? `${deps.dryRun === true ? 'Would roll' : 'Rolling'} ${settings.stage} back to version ${target}: clearing the traffic split (${Object.keys(before.weights).join(', ')}).`
        : `${deps.dryRun === true ? 'Would roll' : 'Rolling'} ${settings.stage} back from version ${before.version} to ${target}.`);
    // Plan: the version as it is, all at once, no gates.
    const commit = history.find((r) => r.version === target)?.commit ?? '';
    const start = { command: 'rollback', settings, commit, before, live, timeline, ...(image !== undefined && { image }) };
    const plan = releasePlan('rollback', settings, before, { kind: 'existing', version: target, codeSha256: version.codeSha256, reason: 'rollback' }, { kind: 'return' });
    return finish(plan, start, deps);
}
/**
 * For a container-image version: its image (by digest), checked to be still in ECR. Lambda pulls
 * a version's image again when it re-optimizes it, and "If the corresponding container image no
 * longer exists on Amazon ECR or permissions are revoked, the function enters the Failed state"
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-images.html): a rollback onto such a
 * version would move the alias onto code that cannot run. Undefined for a zip version.
 */
async function imageStillThere(subject, functionName, version, deps) {
    if (version.packageType !== 'Image')
        return undefined;
    const image = versionImage(version);
    if (image === undefined)
        throw new Error(`Lambda gave no image URI for version ${version.version} of ${functionName}`);
    if (deps.images === undefined)
        throw new Error('an ECR client is needed to roll back a container-image function');
    const { registryId, repository } = image.reference;
    const found = await deps.images.describeImage({ registryId, repository, digest: image.digest });
    if (found === undefined) {
        throw new errors/* InputError */.dz(`${subject} (version ${version.version}) runs image ${image.uri}, which is no longer in ECR (repository ${repository}); ` +
            'the alias was not moved. Push that image again under its digest, or roll back to another version');
    }
    return { uri: image.uri, digest: image.digest };
}

// EXTERNAL MODULE: ./src/commands/preview-remove.ts
var preview_remove = __webpack_require__(7051);
;// CONCATENATED MODULE: ./src/commands/status.ts
/**
 * status: changes nothing. For each stage, what its alias runs: version, code hash, when and
 * from which commit it was released, the releases before it, and any traffic split in flight.
 */




async function stageStatus(settings, ports) {
    const { lambda, metrics, clock } = ports;
    const base = {
        stage: settings.stage,
        functionName: settings.functionName,
        alias: settings.alias,
        ...(settings.region !== undefined && { region: settings.region }),
        earlier: [],
        weights: {},
    };
    try {
        const alias = await lambda.getAlias(settings.functionName, settings.alias);
        if (alias === undefined) {
            const fn = await lambda.getVersion(settings.functionName);
            return { ...base, problem: fn === undefined ? `function ${settings.functionName} does not exist` : 'not released yet (no alias)' };
        }
        const until = new Date(clock.now());
        const [version, lastHour] = await Promise.all([
            lambda.getVersion(settings.functionName, alias.version),
            metrics
                ?.functionReport(settings.functionName, settings.alias, alias.version, new Date(until.getTime() - 3_600_000), until)
                .catch((error) => (error instanceof Error ? error : new Error(String(error)))),
        ]);
        const warnings = await urlWarnings(lambda, settings.functionName);
        const history = (0,release_history/* parseHistory */.i6)(alias.description);
        const release = history.find((r) => r.version === alias.version);
        return {
            ...base,
            version: alias.version,
            aliasArn: alias.arn,
            ...(version !== undefined && { codeSha256: version.codeSha256 }),
            ...(release !== undefined && { release }),
            // The releases successive rollbacks would go to (the history also records the rollbacks themselves).
            earlier: (0,release_history/* rollbackChain */.Cn)(history, alias.version),
            weights: alias.weights,
            ...(lastHour instanceof Error ? { lastHourNote: `metrics could not be read: ${lastHour.message}` } : lastHour !== undefined ? { lastHour } : {}),
            ...(warnings.length > 0 && { warnings }),
        };
    }
    catch (error) {
        return { ...base, problem: (0,errors/* errorMessage */.gJ)(error) };
    }
}
/** Function URLs that bypass the stage's alias (on `$LATEST` or a version): a misconfiguration, shown as a warning. */
async function urlWarnings(lambda, functionName) {
    try {
        return bypassingUrls(await lambda.listFunctionUrls(functionName)).map((url) => describeBypassingUrl(functionName, url));
    }
    catch (error) {
        return [`function URLs could not be read: ${(0,errors/* errorMessage */.gJ)(error)}`];
    }
}
/** The live previews of a preview stage: every alias of its pattern, with its pull request, version and age. */
async function previewStatuses(settings, ports) {
    const template = settings.preview?.aliasTemplate;
    if (template === undefined)
        return [];
    const now = ports.clock.now() / 1000;
    const found = (0,preview_remove/* previewAliases */.N)(template, await ports.lambda.listAliases(settings.functionName));
    return found
        .map(({ alias, number }) => {
        const at = (0,preview_remove/* lastRelease */.I)(alias);
        return {
            stage: settings.stage,
            functionName: settings.functionName,
            alias: alias.name,
            pullRequest: number,
            version: alias.version,
            ...(at !== undefined && { releasedAt: at, ageDays: Math.max(0, Math.floor((now - at) / 86_400)) }),
        };
    })
        .sort((a, b) => a.pullRequest - b.pullRequest);
}

// EXTERNAL MODULE: ./src/model/results.ts
var model_results = __webpack_require__(3111);
;// CONCATENATED MODULE: ./src/release/diagnosis.ts


const MAX_EVENTS = 500;
const MAX_LINES = 6;
/** Lambda names a version's log streams `YYYY/MM/DD/[<version>]…`: one prefix per UTC day of the window. */
function streamPrefixes(version, since, until) {
    const prefixes = [];
    const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
    while (day.getTime() <= until.getTime() && prefixes.length < 31) {
        const yyyy = day.getUTCFullYear();
        const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
        const dd = String(day.getUTCDate()).padStart(2, '0');
        prefixes.push(`${yyyy}/${mm}/${dd}/[${version}]`);
        day.setUTCDate(day.getUTCDate() + 1);
    }
    return prefixes;
}
/**
 * The few most telling lines of a version's output: uncaught exceptions and ERROR lines first
 * (as `Type: message`), then timeouts and runtime errors, then failed REPORT lines; repeats are
 * counted, not repeated.
 */
function tellingLines(events, max = MAX_LINES) {
    const found = new Map();
    events.forEach((event, index) => {
        const judged = judge(event.message);
        if (judged === undefined)
            return;
        const seen = found.get(judged.text);
        if (seen)
            seen.count++;
        else
            found.set(judged.text, { rank: judged.rank, count: 1, first: index });
    });
    return [...found.entries()]
        .sort(([, a], [, b]) => a.rank - b.rank || a.first - b.first)
        .slice(0, max)
        .map(([text, { count }]) => (count > 1 ? `${text} (×${count})` : text));
}
function judge(message) {
    const line = message.trim();
    if (/^REPORT RequestId:/.test(line)) {
        if (!/Status: error/.test(line))
            return undefined;
        const type = /Error Type: (\S+)/.exec(line)?.[1];
        return { rank: 3, text: `REPORT Status: error${type ? ` (${type})` : ''}` };
    }
    if (/Task timed out after/.test(line))
        return { rank: 1, text: (/Task timed out after [\d.]+ seconds/.exec(line)?.[0] ?? line).slice(0, 300) };
    const isError = /\tERROR\t|Uncaught Exception|\bRuntime\.[A-Za-z]+/.test(line);
    if (!isError)
        return undefined;
    // The runtime's form: `<time>\t<request id>\tERROR\t<kind>\t{"errorType":…,"errorMessage":…}`.
    const json = line.slice(line.indexOf('{'));
    try {
        const parsed = JSON.parse(json);
        if (parsed.errorType || parsed.errorMessage) {
            return { rank: /Uncaught Exception/.test(line) ? 0 : 1, text: `${parsed.errorType ?? 'Error'}: ${parsed.errorMessage ?? ''}`.slice(0, 300) };
        }
    }
    catch {
        // Not JSON: the line itself, without the timestamp and request id.
    }
    const fields = line.split('\t');
    const text = fields.length >= 4 ? fields.slice(3).join(' ').trim() : line;
    return { rank: /Runtime\./.test(line) ? 2 : 1, text: text.slice(0, 300) };
}
async function diagnose(request, deps) {
    const { settings, version, since, until } = request;
    const logGroup = request.logGroup ?? (0,lambda/* functionLogGroup */.uy)(settings.functionName);
    const diagnosis = { version, logGroup, lines: [], window: { since, until } };
    // Logs first: by the time they have arrived, the metrics written with them have too.
    await readLogs();
    const readUntil = new Date(Math.max(until.getTime(), deps.clock.now()));
    try {
        const [fn, api] = await Promise.all([
            deps.metrics.functionReport(settings.functionName, settings.alias, version, since, readUntil),
            settings.api ? deps.metrics.apiReport(settings.api.id, settings.api.stage, since, readUntil) : Promise.resolve(undefined),
        ]);
        diagnosis.metrics = fn;
        if (api && settings.api)
            diagnosis.api = { ...api, ...settings.api };
        if (fn.invocations === 0)
            diagnosis.metricsNote = 'no invocations counted yet: Lambda metrics can lag a minute behind';
    }
    catch (error) {
        diagnosis.metricsNote = `the metrics could not be read: ${(0,errors/* errorMessage */.gJ)(error)}`;
    }
    return diagnosis;
    async function readLogs() {
        const tries = deps.logTries ?? 4;
        const prefixes = streamPrefixes(version, since, until);
        try {
            for (let attempt = 1; attempt <= tries; attempt++) {
                const events = await deps.logs.recentEvents(logGroup, prefixes, since, MAX_EVENTS);
                diagnosis.lines = tellingLines(events);
                if (diagnosis.lines.length > 0)
                    return;
                if (attempt < tries)
                    await deps.clock.sleep(deps.logRetryMs ?? 2000);
                else {
                    diagnosis.logsNote =
                        events.length === 0
                            ? `the logs were empty: no lines from version ${version} in ${logGroup} yet`
                            : `version ${version} wrote ${events.length} log line${events.length > 1 ? 's' : ''} to ${logGroup}, none of them an error`;
                }
            }
        }
        catch (error) {
            diagnosis.logsNote = `the logs of ${logGroup} could not be read: ${(0,errors/* errorMessage */.gJ)(error)}`;
        }
    }
}

;// CONCATENATED MODULE: ./src/release/group-history.ts
/**
 * One history for a release of several units (release/group.ts). Each alias keeps its own
 * history (history.ts), and a release of the stage writes one entry in EVERY unit's alias, the
 * units it did not change included (a description-only UpdateAlias: the version stays, the entry
 * says it was part of that release), all with the same release time. So the histories line up
 * row by row, newest first: row i of every alias is the same release of the stage.
 *
 * A plain rollback of the stage then walks the rows as history.ts walks one alias's entries, with
 * the row (every unit's version) in place of one version: skip the row the stage runs now and
 * every row a NEWER rollback row rolled back from; the first row left is where each unit goes.
 * So release 1 (A1, B1), release 2 changing only A (A2, B1), rollback → (A1, B1), never B's
 * older version. Rows are trusted only while they line up (the entries of one row carry the same
 * release time where it is known); past the first that does not, nothing is offered.
 */

/** For each unit (in order), the entry a plain rollback of the stage returns it to; undefined when no earlier release is recorded in every alias. */
function groupRollbackTargets(units) {
    if (units.length === 0)
        return undefined;
    const rows = Math.min(...units.map((u) => u.history.length));
    const current = key(units.map((u) => u.current));
    const rolledBackFrom = new Set();
    for (let i = 0; i < rows; i++) {
        const row = units.map((u) => u.history[i]).filter((e) => e !== undefined);
        if (row.length !== units.length || !lineUp(row))
            return undefined;
        const versions = key(row.map((e) => e.version));
        if (versions !== current && !rolledBackFrom.has(versions))
            return row;
        if (row.some((e) => e.rolledBackFrom !== undefined))
            rolledBackFrom.add(key(row.map((e) => e.rolledBackFrom ?? e.version)));
    }
    return undefined;
}
/** The entries of one row belong to one release: the same release time wherever it is known. */
function lineUp(row) {
    const times = new Set(row.map((e) => e.releasedAt).filter((t) => t > 0));
    return times.size <= 1;
}
function key(versions) {
    return versions.join(' ');
}
/**
 * The history of a unit the release did not change, with the release recorded all the same (its
 * version again): a deploy or promote adds `release` as a release; a rollback as a return (no
 * marker, since the unit did not move).
 */
function recordUnchanged(history, version, release, kind) {
    const same = { ...release, version };
    return kind === 'return' ? (0,release_history/* returnTo */.yP)(history, { version, weights: {} }, same) : (0,release_history/* recordRelease */.ty)(history, version, same);
}

;// CONCATENATED MODULE: ./src/release/housekeeping.ts
/**
 * After a successful release: old versions pruned (`keep-versions`, like Zappa's
 * `num_retained_versions`: Lambda's code storage per region is finite) and the log group's
 * retention set (`log-retention-days`). Neither ever fails a release: problems are warnings.
 */



/**
 * The published versions to delete: those beyond the newest `keep` that no alias refers to.
 * An alias refers to its version, the versions in its routing weights, and the previous release
 * recorded for its rollback; those are always kept, whatever their age.
 */
function versionsToDelete(versions, aliases, keep) {
    const kept = new Set();
    for (const alias of aliases) {
        kept.add(alias.version);
        for (const weighted of Object.keys(alias.weights))
            kept.add(weighted);
        const history = (0,release_history/* parseHistory */.i6)(alias.description);
        const previous = history.find((r) => r.version !== alias.version);
        if (previous)
            kept.add(previous.version);
        // Where a plain rollback goes, which after a rollback is not the entry just before.
        const target = (0,release_history/* rollbackTarget */.es)(history, alias.version);
        if (target)
            kept.add(target.version);
    }
    const published = versions.filter((v) => /^[0-9]+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    return published.slice(keep).filter((v) => !kept.has(v));
}
async function housekeeping(settings, gateways, log) {
    const report = { deleted: [] };
    const name = settings.functionName;
    if (settings.keepVersions !== undefined) {
        try {
            const [versions, aliases] = await Promise.all([gateways.lambda.listVersions(name), gateways.lambda.listAliases(name)]);
            for (const version of versionsToDelete(versions.map((v) => v.version), aliases, settings.keepVersions)) {
                await gateways.lambda.deleteVersion(name, version);
                report.deleted.push(version);
            }
            if (report.deleted.length > 0) {
                log.info(`keep-versions ${settings.keepVersions}: deleted version${report.deleted.length > 1 ? 's' : ''} ${report.deleted.join(', ')} of ${name}.`);
            }
        }
        catch (error) {
            log.warn(`keep-versions: old versions of ${name} were not all deleted: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    if (settings.logRetentionDays !== undefined && gateways.logs !== undefined) {
        const logs = gateways.logs;
        const days = settings.logRetentionDays;
        let logGroup = (0,lambda/* functionLogGroup */.uy)(name);
        try {
            logGroup = (0,lambda/* functionLogGroup */.uy)(name, (await gateways.lambda.getVersion(name))?.logging);
            const outcome = await logs.ensureRetention(logGroup, days);
            report.retention = { logGroup, days, outcome };
            if (outcome !== 'unchanged')
                log.info(`log-retention-days: ${logGroup} ${outcome} with ${days} days of retention.`);
        }
        catch (error) {
            log.warn(`log-retention-days: the retention of ${logGroup} was not set: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    return report;
}

// EXTERNAL MODULE: ./src/report/markdown.ts
var markdown = __webpack_require__(4285);
// EXTERNAL MODULE: ./src/report/diagnosis.ts
var diagnosis = __webpack_require__(2471);
;// CONCATENATED MODULE: ./src/report/preview-comment.ts


/** The hidden marker of the stage's comment: the stage name is checked (a stages-file key), and escaped anyway. */
function previewMarker(stage) {
    return `<!-- stage-deploy preview: ${stage.replace(/[^\w.-]/g, '_')} -->`;
}
const BADGE = { deployed: '✅', unchanged: '✅', 'rolled-back': '↩️', failed: '❌', removed: '🗑️' };
function renderPreviewComment(view) {
    const lines = [previewMarker(view.stage), `### ${BADGE[view.status] ?? ''} Preview ${(0,markdown/* inline */.mG)(view.alias, 140)}: ${(0,markdown/* inline */.mG)(view.status, 40)}`.replace('###  ', '### '), ''];
    if (view.status === 'removed') {
        lines.push(`The preview was removed (its alias, function URL and the versions only it used) at ${(0,markdown/* inline */.mG)(view.at, 40)}.`);
    }
    else {
        lines.push('| | |', '|---|---|');
        if (view.url !== undefined)
            lines.push(`| URL | ${(0,markdown/* codeSpan */.SS)(view.url, { cell: true })} |`);
        if (view.version !== undefined)
            lines.push(`| Version | ${(0,markdown/* inline */.mG)(view.version, 40)} |`);
        if (view.codeSha256 !== undefined)
            lines.push(`| Code SHA-256 | ${(0,markdown/* codeSpan */.SS)(view.codeSha256, { cell: true, max: 80 })} |`);
        lines.push(`| Status | ${(0,markdown/* inline */.mG)(view.status, 40)} |`, `| When | ${(0,markdown/* inline */.mG)(view.at, 40)} |`);
        if (view.restoredVersion !== undefined)
            lines.push(`| Preview runs | version ${(0,markdown/* inline */.mG)(view.restoredVersion, 40)} (put back) |`);
        lines.push('');
        if (view.error !== undefined)
            lines.push(`**What failed:** ${(0,markdown/* inline */.mG)(view.error, 600)}`, '');
        if (view.diagnosis !== undefined) {
            const d = view.diagnosis;
            lines.push(`**What version ${(0,markdown/* inline */.mG)(d.version, 40)} said** (${(0,markdown/* codeSpan */.SS)(d.logGroup)}):`, '');
            if (d.lines.length > 0)
                lines.push((0,markdown/* codeBlock */.DV)(d.lines, 'text', { maxLines: diagnosis/* DIAGNOSIS_LINE_CAP */.ut }), '');
            else
                lines.push(`_${(0,markdown/* inline */.mG)(d.logsNote ?? 'nothing')}_`, '');
        }
    }
    // The run's address is built from the runner's variables, not from anything a contributor wrote.
    if (view.runUrl !== undefined)
        lines.push('', `[The workflow run](${view.runUrl.replace(/[()\s<>]/g, encodeURIComponent)})`);
    return lines.join('\n');
}

// EXTERNAL MODULE: ./src/stages/parse.ts
var parse = __webpack_require__(4640);
// EXTERNAL MODULE: ./src/stages/resolve.ts + 1 modules
var resolve = __webpack_require__(4727);
// EXTERNAL MODULE: ./src/config.ts
var config = __webpack_require__(2973);
;// CONCATENATED MODULE: ./src/app.ts
/**
 * The composition root: resolves the stage, builds the adapters (AWS per region, HTTP smoke,
 * GitHub deployments) and the clock, and carries out the command. Returns what happened as data;
 * never touches @actions/core or process.env (src/action does, and passes them in).
 */





























// What src/action reads before the stage is acted on, kept in ./config.ts (no AWS there).

/** Wall time and timers of the machine. */
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => (0,external_node_timers_promises_.setTimeout)(ms, undefined, signal === undefined ? {} : { signal }),
};
/**
 * Carry out the command on the stage: `target` is its one unit (its settings), or every unit
 * (resolveUnits). Several units are released as one (runGroup below); one is released as it
 * always was.
 */
async function runCommand(inputs, file, target, environment, ports) {
    const units = Array.isArray(target) ? target : [target];
    const settings = units[0];
    if (settings === undefined)
        throw new Error('a stage without units');
    const { log, clock } = ports;
    const gateways = new GatewayCache(environment, log, units.length > 1);
    if (inputs.command === 'status') {
        const others = (file ? (0,parse/* listStages */.Cv)(file) : []).filter((stage) => stage !== settings.stage);
        // One row per function and region of each stage: the stage acted on with the inputs over it,
        // the others as the file has them (status reads only, so `${VAR}`s may be unset).
        const unitsOf = (stage, overrides) => (0,resolve/* resolveStageUnits */.g0)({ ...(file !== undefined && { file }), fileName: inputs.config, stage, overrides, env: environment.env, unsetVariables: 'keep' });
        const own = unitsOf(settings.stage, inputs.overrides);
        const STATUS_PARALLEL_ROWS = 4;
        const listed = [...(own.length > 1 ? own : [settings]), ...others.flatMap((stage) => unitsOf(stage, {}))];
        // A preview stage has no alias of its own: its live previews are listed apart (issue 18).
        const all = listed.filter((s) => s.preview === undefined);
        const previews = (await Promise.all(listed
            .filter((s) => s.preview !== undefined)
            .map(async (s) => {
            try {
                return await previewStatuses(s, { lambda: gateways.region(s.region, s.role).lambda, clock });
            }
            catch (error) {
                log.warn(`Previews of stage ${s.stage} could not be listed: ${(0,errors/* errorMessage */.gJ)(error)}`);
                return [];
            }
        }))).flat();
        // A few rows at a time: each row is a handful of Lambda reads, and a stage of many functions
        // must not burst past the account's control-plane rate.
        const stages = new Array(all.length);
        let next = 0;
        const worker = async () => {
            for (let i = next++; i < all.length; i = next++) {
                const s = all[i];
                // Each stage read with its own role (a stage in another account): one that cannot be assumed is that row's problem.
                const services = gateways.region(s.region, s.role);
                stages[i] = await stageStatus(s, { lambda: services.lambda, metrics: await services.metrics(), clock });
            }
        };
        await Promise.all(Array.from({ length: Math.min(STATUS_PARALLEL_ROWS, all.length) }, worker));
        return { kind: 'status', settings, stages, previews };
    }
    // Each unit's role is assumed before the first call to Lambda: one that cannot be is refused here.
    await gateways.assumeRoles(units);
    if (inputs.command === 'remove' || inputs.command === 'prune')
        return runRemoval(inputs, settings, environment, ports, gateways);
    // Function URLs (issue 15): a unit without smoke.url is smoke-tested through its alias's
    // function URL, read for every unit before anything changes; an AWS_IAM URL's requests are
    // signed with the credentials of the unit's Lambda client.
    const released = await Promise.all(units.map((unit) => {
        const services = gateways.region(unit.region, unit.role);
        // A preview with `preview.url` is smoke-tested through the URL it is given (release/preview.ts).
        if (inputs.command === 'preview' && unit.preview?.url !== undefined)
            return Promise.resolve(previewSettings(unit));
        return withFunctionUrlSmoke(unit, services.lambda, log, services.urlSigner());
    }));
    if (units.length > 1)
        return runGroup(inputs, file, released, environment, ports, gateways);
    return runOne(inputs, file, released[0], environment, ports, gateways);
}
/** One unit's release, as it always was. */
async function runOne(inputs, file, settings, environment, ports, gateways) {
    const { log, clock } = ports;
    const workDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(environment.tempDir, 'stage-deploy-'));
    let tracker;
    const services = gateways.region(settings.region, settings.role);
    // CloudWatch only when the stage has gates; S3 only with a bucket (each loads its SDK module).
    const gated = settings.alarms.length > 0 || settings.maxErrorRate !== undefined;
    const metrics = gated && inputs.command !== 'rollback' ? await services.metrics() : undefined;
    if (metrics !== undefined)
        await checkAlarmsExist(settings, metrics);
    // A preview's function URL (release/preview.ts): made when its smoke test asks, or after the release.
    const previewUrl = inputs.command === 'preview' && settings.preview?.url !== undefined ? new PreviewUrl(settings, services.lambda, log) : undefined;
    const deps = {
        lambda: services.lambda,
        ...(settings.s3Bucket !== undefined && { store: await services.store() }),
        images: services.images,
        ...(settings.provisionedConcurrency !== undefined && { capacity: services.capacity }),
        smoke: previewUrl === undefined ? new HttpSmokeChecker({ clock }) : previewSmoke(new HttpSmokeChecker({ clock }), previewUrl, services.urlSigner()),
        log,
        clock,
        workDir,
        dryRun: inputs.dryRun,
        ...(metrics !== undefined && { metrics }),
        force: inputs.force,
        ...(ports.signal !== undefined && { signal: ports.signal }),
        ...(ports.state !== undefined && { state: ports.state }),
        ...(environment.timing.gateIntervalMs !== undefined && { gateIntervalMs: environment.timing.gateIntervalMs }),
        beforeChange: async () => {
            // GitHub's client is loaded only when a release is about to change something.
            if (inputs.githubToken === undefined) {
                log.info('No github-token: deployment statuses skipped.');
                return;
            }
            tracker = (await Promise.all(/* import() */[__webpack_require__.e(413), __webpack_require__.e(887)]).then(__webpack_require__.bind(__webpack_require__, 6887))).createDeploymentTracker(environment.env, inputs.githubToken, log);
            // A preview's environment is its alias (`pr-{number}`), transient: gone when the preview is removed.
            const preview = settings.preview !== undefined;
            await tracker?.begin({
                environment: preview ? settings.alias : settings.stage,
                ref: environment.context.commit || 'HEAD',
                description: (0,markdown/* plainText */.wh)(`stage-deploy ${inputs.command} to ${preview ? settings.alias : settings.stage}`),
                ...(settings.smoke?.url && { environmentUrl: settings.smoke.url }),
                payload: { stage: settings.stage, function: settings.functionName, alias: settings.alias, command: inputs.command },
                ...(preview && { transient: true }),
            });
        },
    };
    let result;
    let url;
    try {
        result = await releaseCommand(inputs, file, settings, environment, deps, gateways);
        if (result.kind === 'not-shifted' || result.kind === 'reverted' || result.kind === 'stranded') {
            if (result.candidateVersion !== undefined) {
                const until = new Date(clock.now());
                const candidate = result.candidateVersion;
                const since = new Date(until.getTime() - result.durationMs - 60_000);
                const diagnosis = await inGroup(log, `What version ${candidate} of ${settings.functionName} logged`, async () => diagnose({ settings, version: candidate, since, until }, {
                    logs: await services.logReader(),
                    metrics: await services.metrics(),
                    log,
                    clock,
                    ...(environment.timing.logRetryMs !== undefined && { logRetryMs: environment.timing.logRetryMs }),
                }));
                result = { ...result, diagnosis };
            }
        }
        else if (result.kind === 'released' && result.command !== 'rollback') {
            const tidy = async () => housekeeping(settings, { lambda: deps.lambda, ...(settings.logRetentionDays !== undefined && { logs: await services.logGroups() }) }, log);
            // A group only when there is housekeeping to do (keep-versions, log-retention-days).
            const report = settings.keepVersions !== undefined || settings.logRetentionDays !== undefined ? await inGroup(log, 'Housekeeping', tidy) : await tidy();
            result = { ...result, housekeeping: report };
        }
        url = previewUrl === undefined || inputs.dryRun ? undefined : await previewUrlAfter(previewUrl, settings, result, services.lambda, log);
        return { kind: 'release', settings, result, units: [{ settings, result }], ...(url !== undefined && { url }) };
    }
    finally {
        const environmentUrl = url ?? (settings.smoke?.url || undefined);
        if (tracker !== undefined) {
            await tracker.end({
                state: result !== undefined && (0,model_results/* isSuccess */.o)(result) ? 'success' : 'failure',
                description: deploymentDescription(result, settings),
                ...(environmentUrl !== undefined && { environmentUrl }),
            });
        }
        if (inputs.command === 'preview' && result !== undefined && !inputs.dryRun) {
            await previewComment(inputs, environment, settings, log, { ...previewView(result), ...(url !== undefined && { url }), at: new Date(clock.now()).toISOString() });
        }
        await (0,promises_.rm)(workDir, { recursive: true, force: true });
    }
}
/**
 * remove (the pull request's preview) and prune (every preview older than keep-days): each
 * removed preview's deployment is marked inactive and its comment says so.
 */
async function runRemoval(inputs, settings, environment, ports, gateways) {
    const { log, clock } = ports;
    const lambda = gateways.region(settings.region, settings.role).lambda;
    const { removePreview, prunePreviews } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 7051));
    let removed;
    let numbers;
    if (inputs.command === 'remove') {
        removed = [await removePreview(settings, settings.alias, lambda, log, { dryRun: inputs.dryRun })];
        numbers = new Map([[settings.alias, settings.preview?.pullRequest ?? 0]]);
    }
    else {
        ({ removed, numbers } = await prunePreviews(settings, lambda, log, clock, inputs.dryRun));
    }
    if (!inputs.dryRun) {
        for (const removal of removed) {
            const number = numbers.get(removal.alias);
            if (number === undefined || number === 0)
                continue;
            const target = { ...settings, alias: removal.alias, preview: { ...settings.preview, pullRequest: number } };
            if (inputs.githubToken !== undefined) {
                const tracker = (await Promise.all(/* import() */[__webpack_require__.e(413), __webpack_require__.e(887)]).then(__webpack_require__.bind(__webpack_require__, 6887))).createDeploymentTracker(environment.env, inputs.githubToken, log);
                await tracker?.deactivate(removal.alias, (0,markdown/* plainText */.wh)(`preview ${removal.alias} removed`));
            }
            await previewComment(inputs, environment, target, log, { status: 'removed', at: new Date(clock.now()).toISOString() });
        }
    }
    return { kind: 'removal', settings, removed, dryRun: inputs.dryRun };
}
/** What the preview's comment says of a release (report/preview-comment.ts). */
function previewView(result) {
    const failed = 'error' in result;
    const version = failed && 'candidateVersion' in result ? result.candidateVersion : result.version;
    return {
        status: (0,model_results/* statusOf */.c)(result),
        ...(version !== undefined && { version }),
        ...('codeSha256' in result && result.codeSha256 !== undefined && { codeSha256: result.codeSha256 }),
        ...(failed && { error: result.error }),
        // A failed check put the alias back: it runs what it ran before (`version` of a reverted result).
        ...(result.kind === 'reverted' && result.version !== undefined && { restoredVersion: result.version }),
        ...('diagnosis' in result && result.diagnosis !== undefined && { diagnosis: result.diagnosis }),
    };
}
/**
 * Write the preview's one comment on its pull request (github/comment.ts), with the run's link;
 * without a token, a warning says it is skipped (as deployments are).
 */
async function previewComment(inputs, environment, settings, log, view) {
    const number = settings.preview?.pullRequest;
    if (number === undefined)
        return;
    if (inputs.githubToken === undefined) {
        log.warn(`No github-token: the comment on pull request #${number} is skipped.`);
        return;
    }
    const { createPullRequestComment } = await Promise.all(/* import() */[__webpack_require__.e(413), __webpack_require__.e(318)]).then(__webpack_require__.bind(__webpack_require__, 7318));
    const { workflowRunUrl } = await Promise.all(/* import() */[__webpack_require__.e(413), __webpack_require__.e(887)]).then(__webpack_require__.bind(__webpack_require__, 6887));
    const runUrl = workflowRunUrl(environment.env);
    const body = renderPreviewComment({ ...view, stage: settings.stage, alias: settings.alias, ...(runUrl !== undefined && { runUrl }) });
    await createPullRequestComment(environment.env, inputs.githubToken, log)?.upsert(number, previewMarker(settings.stage), body);
}
/**
 * A preview's URL once the release is over: made now when no smoke test asked for it (an
 * unchanged preview, a `smoke.url`); deleted when a first preview was put back (its alias is gone).
 */
async function previewUrlAfter(url, settings, result, lambda, log) {
    if ((0,model_results/* isSuccess */.o)(result))
        return (await url.ensure()).url;
    if (result.previousVersion === undefined && url.asked)
        await dropUrlOfRemovedAlias(settings, lambda, log);
    return undefined;
}
/**
 * The GitHub deployment status's description: the failure, or where the alias ended. Plain text
 * (the tracker cuts it to GitHub's 140 characters): one line, no control characters, no mention.
 */
function deploymentDescription(result, settings) {
    if (result === undefined)
        return 'stage-deploy did not finish';
    if ('error' in result)
        return (0,markdown/* plainText */.wh)(result.error);
    return (0,markdown/* plainText */.wh)(`${(0,model_results/* statusOf */.c)(result)}: ${settings.alias} → version ${result.version ?? '—'}`);
}
/**
 * A deploy's code for one unit: its container image, the tag resolved to its digest once (ECR)
 * before any change, or its artifact packaged (once per path when several units share one).
 */
async function deployCode(unit, inputs, deps, workDir, environment, artifacts = new Map()) {
    const image = deployImage(inputs, unit);
    if (image !== undefined && deps.images !== undefined) {
        const code = await resolveImage('image', image, unit.region || environment.env.AWS_REGION || environment.env.AWS_DEFAULT_REGION || undefined, deps.images);
        deps.log.info(describeImage(code));
        return code;
    }
    const path = unit.artifact ?? inputs.artifact ?? '';
    let prepared = artifacts.get(path);
    if (prepared === undefined) {
        prepared = prepareArtifact(path, { workDir, baseDir: environment.workspace });
        artifacts.set(path, prepared);
    }
    const artifact = await prepared;
    deps.log.info(`Artifact ${path}: ${artifact.source.kind}, ${artifact.sizeBytes} bytes, CodeSha256 ${artifact.codeSha256}.`);
    return artifact;
}
async function releaseCommand(inputs, file, settings, environment, deps, gateways) {
    switch (inputs.command) {
        case 'deploy':
        case 'preview': {
            // A preview is a deploy to the pull request's alias (settings.alias, from the stage's preview block).
            if (deps.workDir === undefined)
                throw new Error('no work directory');
            const workDir = deps.workDir;
            const code = await inGroup(deps.log, `Package the code of ${settings.functionName}`, () => deployCode(settings, inputs, deps, workDir, environment));
            return deploy(settings, code, deps, environment.context);
        }
        case 'promote': {
            const from = inputs.promoteFrom ?? '';
            const source = resolveOther(inputs, file, from, environment, 'promote-from');
            if (source.preview !== undefined) {
                throw new errors/* InputError */.dz(`promote-from: ${JSON.stringify(from)} is a preview stage (one alias per pull request): promote from a stage with one alias`);
            }
            if ((source.region ?? '') !== (settings.region ?? '')) {
                throw new errors/* InputError */.dz(`promote-from: ${JSON.stringify(from)} is in ${source.region ?? 'the default region'} and ${settings.stage} in ` +
                    `${settings.region ?? 'the default region'}; promote within one region`);
            }
            // Across accounts (in one region): the source is read with its own role.
            await gateways.assumeRoles([source]);
            return promote(source, settings, withSourceLambda(deps, source, settings, gateways), environment.context);
        }
        case 'rollback':
            return rollback(settings, inputs.toVersion, deps);
        case 'status':
        case 'remove':
        case 'prune':
            throw new Error(`${inputs.command} is not a release`);
    }
}
/**
 * Another stage of the file (the source of a promote, a stage in status): its own settings,
 * without the inputs that override the stage acted on. Without a file, the inputs' function.
 */
function resolveOther(inputs, file, stage, environment, field = 'stage') {
    try {
        return (0,resolve/* resolveStage */.rQ)({
            ...(file !== undefined && { file }),
            fileName: inputs.config,
            stage,
            overrides: file
                ? {}
                : {
                    ...(inputs.overrides.functionName !== undefined && { functionName: inputs.overrides.functionName }),
                    ...(inputs.overrides.region !== undefined && { region: inputs.overrides.region }),
                },
            env: environment.env,
            unsetVariables: 'keep',
        });
    }
    catch (error) {
        if (error instanceof errors/* InputError */.dz && field !== 'stage')
            throw new errors/* InputError */.dz(error.message.replace(/^stage:/, `${field}:`));
        throw error;
    }
}
/** One set of services per region, each built on first use. */
class GatewayCache {
    environment;
    log;
    limited;
    byRegion = new Map();
    limiters = [];
    newLimiter() {
        const limiter = new RequestRateLimiter();
        this.limiters.push(limiter);
        return limiter;
    }
    constructor(environment, 
    /** Where the Lambda gateway says that it waits on Lambda. */
    log, 
    /** A release of several units: each region's Lambda requests go through one limiter (aws/rate-limit.ts). */
    limited = false) {
        this.environment = environment;
        this.log = log;
        this.limited = limited;
    }
    /** Every region's limiter lets requests go at once from now on (a failed release restores its aliases). */
    openLimiters() {
        for (const limiter of this.limiters)
            limiter.open();
    }
    region(region, role) {
        const env = this.environment.env;
        if (region === undefined && !env.AWS_REGION && !env.AWS_DEFAULT_REGION) {
            throw new errors/* InputError */.dz('region: not set; give the region input, region in the stages file, or AWS_REGION');
        }
        const key = `${region ?? ''}|${role ?? ''}`;
        let found = this.byRegion.get(key);
        if (found === undefined) {
            const log = this.log;
            const credentials = role === undefined ? undefined : this.credentials(role, region);
            found = new RegionServices({ ...(region !== undefined && { region }), pathStyleS3: endpointOverridden(env), ...(credentials !== undefined && { credentials }) }, log === undefined ? {} : { progress: (message) => log.info(message) }, this.limited ? this.newLimiter() : undefined);
            this.byRegion.set(key, found);
        }
        return found;
    }
    // A stage's `role` (issue 15): one set of assumed credentials per role, shared by its regions.
    roles = new Map();
    /** The credentials of `role`, assumed (STS, in the first region that asks) on first use and refreshed before they expire. */
    credentials(role, region) {
        let provider = this.roles.get(role);
        if (provider === undefined) {
            const env = this.environment.env;
            provider = assumeRoleCredentials(role, roleSessionName(env.GITHUB_REPOSITORY, env.GITHUB_RUN_ID), {
                ...(region !== undefined && { region }),
            });
            this.roles.set(role, provider);
        }
        return provider;
    }
    /**
     * Assume each stage's role now, before the first call to Lambda: a role that cannot be assumed
     * is refused, naming `stages.<stage>.role` and the ARN, before anything changes.
     */
    async assumeRoles(stages) {
        const seen = new Set();
        for (const stage of stages) {
            if (stage.role === undefined || seen.has(stage.role))
                continue;
            seen.add(stage.role);
            try {
                await this.credentials(stage.role, stage.region)();
            }
            catch (error) {
                if (!(error instanceof AssumeRoleError))
                    throw error;
                throw new errors/* InputError */.dz(`stages.${stage.stage}.role: ${JSON.stringify(stage.role)} ${error.reason}`);
            }
        }
    }
}
/** An endpoint override (an emulator): S3 then needs path-style addressing on a host name. */
function endpointOverridden(env) {
    return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}
/** A promote's deps with the source stage's own Lambda when it is read with another role (a stage in another account). */
function withSourceLambda(deps, source, target, gateways) {
    if ((source.role ?? '') === (target.role ?? ''))
        return deps;
    const services = gateways.region(source.region, source.role);
    return { ...deps, sourceLambda: services.lambda, sourceImages: services.images };
}
/** Every alarm a stage names must exist: a typo would otherwise be a gate that never closes. */
async function checkAlarmsExist(settings, metrics) {
    if (settings.alarms.length === 0)
        return;
    const found = new Set((await metrics.alarmStates(settings.alarms)).map((a) => a.name));
    const missing = settings.alarms.filter((name) => !found.has(name));
    if (missing.length > 0) {
        throw new errors/* InputError */.dz(`stages.${settings.stage}.alarms: ${missing.map((m) => JSON.stringify(m)).join(', ')} ${missing.length > 1 ? 'are not CloudWatch alarms' : 'is not a CloudWatch alarm'}` +
            `${settings.region ? ` in ${settings.region}` : ''}`);
    }
}
/** Where a saved state and a target name the same alias: function, alias, region, and the role it is reached with. */
function sameAlias(state, target) {
    return (state.functionName === target.functionName &&
        state.alias === target.alias &&
        (state.region ?? '') === (target.region ?? '') &&
        (state.role ?? '') === (target.role ?? ''));
}
/** An alias as messages name it: `alias prod of notes in us-east-1 (role arn:…)`. */
function aliasName(a) {
    return `alias ${a.alias} of ${a.functionName}${a.region ? ` in ${a.region}` : ''}${a.role ? ` (role ${a.role})` : ''}`;
}
/**
 * Why the post step could not put an alias back, and how to do it by hand: a role that can no
 * longer be assumed is named as the main step names it (`stages.<stage>.role: "<arn>" cannot be
 * assumed …`), and the hand repair says whose credentials it takes.
 */
function restoreFailure(state, target, error) {
    const why = error instanceof AssumeRoleError
        ? `stages.${target?.stage ?? '<stage>'}.role: ${JSON.stringify(error.roleArn)} ${error.reason}; nothing was changed`
        : (0,errors/* errorMessage */.gJ)(error);
    const as = state.role !== undefined ? ` with role ${state.role}'s credentials` : '';
    return `stage-deploy post: could not put alias ${state.alias} of ${state.functionName} back (${why}). Repair it by hand${as}: ${repairCommand(state, state.before)}`;
}
/** The post step's Lambda for a region, with the stage's role assumed when it has one. */
function postLambda(region, role) {
    const credentials = role === undefined ? undefined : assumeRoleCredentials(role, 'stage-deploy-post', { ...(region !== undefined && { region }) });
    return new RegionServices({ ...(region !== undefined && { region }), ...(credentials !== undefined && { credentials }) }).lambda;
}
/**
 * The post step (`post-if: always()`): when the main step did not finish a shift (the job was
 * cancelled, the runner lost the process, the step timed out), the saved rollout state says so,
 * and the alias is put back where it was. It acts only on its own stage's alias (`target`, from
 * its own inputs), and only when the alias is as the shift left it (release/leftover.ts); src/action
 * has already checked the state's MAC. It never fails the job: it reports.
 */
async function cleanUp(savedState, target, log, lambdaFor = postLambda) {
    if (!savedState)
        return 'no shift in progress';
    if (savedState.trimStart().startsWith('[') || Array.isArray(target))
        return cleanUpUnits(savedState, Array.isArray(target) ? target : [target], log, lambdaFor);
    const single = target;
    let state;
    try {
        const parsed = JSON.parse(savedState);
        if (!isRolloutState(parsed))
            throw new Error('not a rollout state');
        state = parsed;
    }
    catch {
        log.warn('stage-deploy post: the saved rollout state cannot be read; nothing was changed. Check the alias by hand.');
        return 'failed';
    }
    if (!sameAlias(state, single)) {
        log.warn(`stage-deploy post: the saved rollout state names ${aliasName(state)}, not this step's ${aliasName(single)}; nothing was changed.`);
        return 'refused';
    }
    log.warn(`stage-deploy post: the main step did not finish shifting alias ${state.alias} of ${state.functionName} to version ${state.toVersion}.`);
    try {
        return await restoreFromState(state, lambdaFor(state.region, state.role), log);
    }
    catch (error) {
        log.error(restoreFailure(state, single, error));
        return 'failed';
    }
}
// ---------------------------------------------------------------------------------------------
// A release of several units (issue 14): every function of the stage in every region, as one.
/** How a unit is named in the log, the group and its messages: `notes-api`, or `notes-api (eu-west-1)` in a stage of several regions. */
function unitName(unit, units) {
    const regions = new Set(units.map((u) => u.region ?? ''));
    return regions.size > 1 ? `${unit.functionName} (${unit.region ?? 'default region'})` : unit.functionName;
}
/**
 * Release every unit as one (release/group.ts): each unit's command runs at once with the others,
 * meeting them at `change`, `shift`, each step and `done`; a failure anywhere fails them all, and
 * every alias that moved goes back. Bad input in any unit is refused before anything changes in
 * any. One GitHub deployment for the stage. `result` is the first unit's, in its failed form when
 * the release failed elsewhere.
 */
async function runGroup(inputs, file, units, environment, ports, gateways) {
    const { log, clock } = ports;
    const names = units.map((unit) => unitName(unit, units));
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined)
        throw new errors/* InputError */.dz(`functions: ${JSON.stringify(twice)} is listed twice in stage ${units[0]?.stage ?? ''}`);
    const first = units[0];
    // A stage of several units has no preview block (refused while resolving): a release command.
    if (inputs.command !== 'deploy' && inputs.command !== 'promote' && inputs.command !== 'rollback')
        throw new Error(`${inputs.command} is not a release of several units`);
    const command = inputs.command;
    // Every read and check that spans units, before any unit starts: the promote's sources, the rollback's targets.
    const plans = await groupPlans(inputs, file, units, names, environment, gateways);
    const group = new ReleaseGroup(names, ports.signal);
    // Once the release has failed, putting the aliases back goes first: no request waits for the rate limiter.
    group.signal.addEventListener('abort', () => gateways.openLimiters(), { once: true });
    const stateFor = ports.state === undefined ? undefined : groupStateStore(ports.state);
    const releasedAt = Math.floor(clock.now() / 1000);
    const workDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(environment.tempDir, 'stage-deploy-'));
    const artifacts = new Map();
    let tracker;
    let begun;
    const beginDeployment = () => (begun ??= (async () => {
        if (inputs.githubToken === undefined) {
            log.info('No github-token: deployment statuses skipped.');
            return;
        }
        tracker = (await Promise.all(/* import() */[__webpack_require__.e(413), __webpack_require__.e(887)]).then(__webpack_require__.bind(__webpack_require__, 6887))).createDeploymentTracker(environment.env, inputs.githubToken, log);
        await tracker?.begin({
            environment: first.stage,
            ref: environment.context.commit || 'HEAD',
            description: (0,markdown/* plainText */.wh)(`stage-deploy ${command} to ${first.stage} (${units.length} functions)`),
            ...(first.smoke !== undefined && { environmentUrl: first.smoke.url }),
            payload: {
                stage: first.stage,
                command,
                functions: units.map((u) => ({ function: u.functionName, alias: u.alias, ...(u.region !== undefined && { region: u.region }) })),
            },
        });
    })());
    const runUnit = async (unit, index) => {
        const name = names[index] ?? unit.functionName;
        const member = group.member(name);
        const services = gateways.region(unit.region, unit.role);
        const unitLog = prefixedLog(log, name);
        try {
            const gated = unit.alarms.length > 0 || unit.maxErrorRate !== undefined;
            const metrics = gated && command !== 'rollback' ? await services.metrics() : undefined;
            if (metrics !== undefined)
                await checkAlarmsExist(unit, metrics);
            const deps = {
                lambda: services.lambda,
                ...(unit.s3Bucket !== undefined && { store: await services.store() }),
                ...(unit.provisionedConcurrency !== undefined && { capacity: services.capacity }),
                smoke: new HttpSmokeChecker({ clock }),
                log: unitLog,
                clock,
                workDir,
                dryRun: inputs.dryRun,
                ...(metrics !== undefined && { metrics }),
                force: inputs.force,
                signal: member.signal,
                ...(stateFor !== undefined && { state: stateFor(name) }),
                ...(environment.timing.gateIntervalMs !== undefined && { gateIntervalMs: environment.timing.gateIntervalMs }),
                images: services.images,
                group: member,
                releasedAt,
                beforeChange: async () => {
                    await member.arrive('change');
                    await beginDeployment();
                },
            };
            const plan = plans[index];
            let result;
            if (command === 'deploy') {
                result = await deploy(unit, await deployCode(unit, inputs, deps, workDir, environment, artifacts), deps, environment.context);
            }
            else if (command === 'promote') {
                if (plan?.kind !== 'promote')
                    throw new Error('no source for the promote');
                result = await promote(plan.source, unit, withSourceLambda(deps, plan.source, unit, gateways), environment.context);
            }
            else {
                if (plan?.kind !== 'rollback')
                    throw new Error('no target for the rollback');
                result = plan.unchanged !== undefined ? plan.unchanged : await rollback(unit, undefined, deps, plan.to);
            }
            if (!(0,model_results/* isSuccess */.o)(result))
                member.fail('error' in result ? result.error : (0,model_results/* statusOf */.c)(result));
            return { unit, name, services, result };
        }
        catch (thrown) {
            member.fail(thrown instanceof GroupStopped ? thrown.reason : (0,errors/* errorMessage */.gJ)(thrown));
            return { unit, name, services, thrown };
        }
        finally {
            member.leave();
        }
    };
    let results;
    try {
        const runs = await Promise.all(units.map((unit, i) => runUnit(unit, i)));
        // Refused (bad input, a missing function) before anything changed anywhere: the step fails with that one message.
        const refused = runs.find((r) => 'thrown' in r && !(r.thrown instanceof GroupStopped));
        const nothingChanged = runs.every((r) => 'thrown' in r || r.result.kind === 'unchanged' || r.result.kind === 'dry-run');
        if (refused !== undefined && 'thrown' in refused && nothingChanged) {
            const error = refused.thrown;
            if (error instanceof errors/* InputError */.dz && !error.message.includes(refused.name))
                throw new errors/* InputError */.dz(`${refused.name}: ${error.message}`);
            throw error;
        }
        const failed = group.failed;
        results = await Promise.all(runs.map(async (run) => {
            let result = 'thrown' in run ? stoppedResult(command, run.unit, run.thrown) : run.result;
            result = await afterRelease(result, run, failed?.unit === run.name, environment, ports);
            return { settings: run.unit, result };
        }));
        if (failed === undefined)
            await recordInUnchanged(results, runs, command, environment, releasedAt, log);
        const firstResult = results[0]?.result;
        if (firstResult === undefined)
            throw new Error('a stage without units');
        const rolledBack = results.some((r) => r.result.kind === 'reverted' || r.result.kind === 'stranded');
        const result = failed === undefined ? firstResult : groupFailedForm(firstResult, `${failed.unit} failed: ${failed.reason}`, rolledBack);
        return { kind: 'release', settings: first, result, units: [{ settings: first, result }, ...results.slice(1)] };
    }
    finally {
        if (tracker !== undefined) {
            const ok = results !== undefined && group.failed === undefined && results.every((r) => (0,model_results/* isSuccess */.o)(r.result));
            await tracker.end({
                state: ok ? 'success' : 'failure',
                description: (0,markdown/* plainText */.wh)(group.failed !== undefined
                    ? `${group.failed.unit} failed: ${group.failed.reason}`
                    : results === undefined
                        ? 'stage-deploy did not finish'
                        : `${command}: ${results.map((r) => `${r.settings.functionName} → ${('version' in r.result ? r.result.version : undefined) ?? '—'}`).join(', ')}`),
                ...(first.smoke !== undefined && { environmentUrl: first.smoke.url }),
            });
        }
        await (0,promises_.rm)(workDir, { recursive: true, force: true });
    }
}
/** Each unit's log lines, prefixed with the unit (several run at once). */
function prefixedLog(log, name) {
    return {
        info: (message) => log.info(`[${name}] ${message}`),
        warn: (message) => log.warn(`[${name}] ${message}`),
        error: (message) => log.error(`[${name}] ${message}`),
    };
}
/**
 * What the units of a promote or rollback need from each other, read and checked before any unit
 * starts: a promote takes each function (in its region) from the same function of the source
 * stage; a rollback returns every function to the stage's previous release (group-history.ts).
 */
async function groupPlans(inputs, file, units, names, environment, gateways) {
    const first = units[0];
    if (inputs.command === 'promote') {
        const from = inputs.promoteFrom ?? '';
        const sources = resolveOtherUnits(inputs, file, from, environment);
        const plans = units.map((unit) => {
            const source = sources.find((s) => s.functionName === unit.functionName && (s.region ?? '') === (unit.region ?? ''));
            if (source === undefined) {
                throw new errors/* InputError */.dz(`promote-from: stage ${JSON.stringify(from)} has no function ${unit.functionName}${unit.region !== undefined ? ` in ${unit.region}` : ''} to promote to ${unit.stage}`);
            }
            return { kind: 'promote', source };
        });
        await gateways.assumeRoles(plans.map((plan) => plan.source));
        return plans;
    }
    if (inputs.command !== 'rollback')
        return units.map(() => ({ kind: 'deploy' }));
    if (inputs.toVersion !== undefined) {
        throw new errors/* InputError */.dz(`to-version: ${JSON.stringify(inputs.toVersion)} names one version, and stage ${first.stage} releases ${units.length} functions (${names.join(', ')}); ` +
            'a plain rollback returns every one of them to the stage\'s previous release');
    }
    const aliases = await Promise.all(units.map((unit) => gateways.region(unit.region, unit.role).lambda.getAlias(unit.functionName, unit.alias)));
    const histories = aliases.map((alias, i) => {
        const unit = units[i];
        if (alias === undefined) {
            throw new errors/* InputError */.dz(`stage: ${JSON.stringify(unit.stage)} has no release of ${names[i] ?? unit.functionName} to roll back (alias ${unit.alias} does not exist)`);
        }
        return { current: alias.version, history: (0,release_history/* parseHistory */.i6)(alias.description) };
    });
    const targets = groupRollbackTargets(histories);
    if (targets === undefined) {
        throw new errors/* InputError */.dz(`stage: ${JSON.stringify(first.stage)} has no earlier release recorded for all of its functions (${names.join(', ')}); nothing was rolled back`);
    }
    return units.map((unit, i) => {
        const to = targets[i].version;
        const alias = aliases[i];
        const stays = alias !== undefined && alias.version === to && Object.keys(alias.weights).length === 0;
        if (!stays)
            return { kind: 'rollback', to };
        // This function ran the same version in both releases: it does not move (its history still records the rollback).
        const unchanged = {
            kind: 'unchanged',
            command: 'rollback',
            stage: unit.stage,
            functionName: unit.functionName,
            alias: unit.alias,
            previousVersion: to,
            version: to,
            aliasArn: alias.arn,
            steps: [],
            durationMs: 0,
            settingsChanged: [],
        };
        return { kind: 'rollback', to, unchanged };
    });
}
/** The units of another stage (a promote's source), without the inputs that override the stage acted on. */
function resolveOtherUnits(inputs, file, stage, environment) {
    try {
        return (0,resolve/* resolveStageUnits */.g0)({
            ...(file !== undefined && { file }),
            fileName: inputs.config,
            stage,
            overrides: {},
            env: environment.env,
            unsetVariables: 'keep',
        });
    }
    catch (error) {
        if (error instanceof errors/* InputError */.dz)
            throw new errors/* InputError */.dz(error.message.replace(/^stage:/, 'promote-from:'));
        throw error;
    }
}
/** A unit that stopped before it had a result (at `change`, since another unit was refused or failed): nothing of it changed. */
function stoppedResult(command, unit, thrown) {
    return {
        kind: 'not-shifted',
        command,
        stage: unit.stage,
        functionName: unit.functionName,
        alias: unit.alias,
        steps: [],
        durationMs: 0,
        error: `${unit.stage}: ${(0,errors/* errorMessage */.gJ)(thrown)}; nothing of ${unit.functionName} was changed`,
        settingsChanged: [],
    };
}
/** The diagnosis of the unit that failed the release, or the housekeeping of a unit released. */
async function afterRelease(result, run, culprit, environment, ports) {
    const { clock } = ports;
    const log = prefixedLog(ports.log, run.name);
    const settings = run.unit;
    try {
        if ((result.kind === 'not-shifted' || result.kind === 'reverted' || result.kind === 'stranded') && culprit && result.candidateVersion !== undefined) {
            const until = new Date(clock.now());
            const diagnosis = await diagnose({ settings, version: result.candidateVersion, since: new Date(until.getTime() - result.durationMs - 60_000), until }, {
                logs: await run.services.logReader(),
                metrics: await run.services.metrics(),
                log,
                clock,
                ...(environment.timing.logRetryMs !== undefined && { logRetryMs: environment.timing.logRetryMs }),
            });
            return { ...result, diagnosis };
        }
        if (result.kind === 'released' && result.command !== 'rollback') {
            const report = await housekeeping(settings, { lambda: run.services.lambda, ...(settings.logRetentionDays !== undefined && { logs: await run.services.logGroups() }) }, log);
            return { ...result, housekeeping: report };
        }
    }
    catch (error) {
        log.warn(`after the release: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    return result;
}
/**
 * One history for the release (group-history.ts): when some unit was released, every unit it left
 * unchanged records the release too, with a description-only UpdateAlias conditional on the alias
 * as read. Failing that is a warning: the release itself stands.
 */
async function recordInUnchanged(results, runs, command, environment, releasedAt, log) {
    if (!results.some((r) => r.result.kind === 'released'))
        return;
    const commit = results.find((r) => r.result.kind === 'released')?.result.commit ?? (0,release_history/* recordedCommit */.Qt)(environment.context.commit.slice(0, 7));
    await Promise.all(results.map(async ({ settings, result }, i) => {
        const run = runs[i];
        if (result.kind !== 'unchanged' || run === undefined)
            return;
        const lambda = run.services.lambda;
        try {
            const alias = await lambda.getAlias(settings.functionName, settings.alias);
            if (alias === undefined || Object.keys(alias.weights).length > 0)
                return;
            const history = (0,release_history/* parseHistory */.i6)(alias.description);
            const entries = recordUnchanged(history, alias.version, { version: alias.version, commit, releasedAt }, command === 'rollback' ? 'return' : 'record');
            await lambda.updateAlias(settings.functionName, settings.alias, {
                version: alias.version,
                weights: {},
                description: (0,release_history/* formatHistory */.As)(entries),
                ...(alias.revisionId !== undefined && { revisionId: alias.revisionId }),
            });
        }
        catch (error) {
            prefixedLog(log, run.name).warn(`could not record the release in alias ${settings.alias}'s history: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }));
}
/**
 * The first unit's result when the release failed in another unit: a result that says the stage
 * failed (status `rolled-back` when some alias was put back, else `failed`), with the failure's
 * reason. A result that is a failure already stays as it is.
 */
function groupFailedForm(result, failure, rolledBack) {
    if (result.kind === 'not-shifted' || result.kind === 'reverted' || result.kind === 'stranded')
        return result;
    const error = `${result.stage}: ${failure}; ${result.functionName} stays on ${result.version ?? 'nothing'}`;
    const base = {
        command: result.command,
        stage: result.stage,
        functionName: result.functionName,
        alias: result.alias,
        ...(result.commit !== undefined && { commit: result.commit }),
        ...(result.previousVersion !== undefined && { previousVersion: result.previousVersion }),
        steps: result.steps,
        durationMs: result.durationMs,
        settingsChanged: 'settingsChanged' in result ? result.settingsChanged : [],
        error,
        ...(result.version !== undefined && { version: result.version }),
        ...(result.codeSha256 !== undefined && { codeSha256: result.codeSha256 }),
        ...(result.aliasArn !== undefined && { aliasArn: result.aliasArn }),
    };
    if (rolledBack && result.version !== undefined)
        return { ...base, kind: 'reverted', candidateVersion: result.version };
    return { ...base, kind: 'not-shifted' };
}
/**
 * The post step of a release of several units: the saved state is a list (release/group.ts
 * groupStateStore), one shift in progress per unit. Every entry must be one of the stage's own
 * units (`targets`, resolved from the post step's own inputs), or nothing at all is changed; then
 * every alias is put back at once, each only when it is as its shift left it (leftover.ts).
 */
async function cleanUpUnits(savedState, targets, log, lambdaFor) {
    let parsed;
    try {
        parsed = JSON.parse(savedState);
    }
    catch {
        parsed = undefined;
    }
    const states = Array.isArray(parsed) ? parsed.filter(isRolloutState) : isRolloutState(parsed) ? [parsed] : undefined;
    if (states === undefined || (Array.isArray(parsed) && states.length !== parsed.length)) {
        log.warn('stage-deploy post: the saved rollout state cannot be read; nothing was changed. Check the aliases by hand.');
        return 'failed';
    }
    if (states.length === 0)
        return 'no shift in progress';
    const own = (state) => targets.some((t) => sameAlias(state, t));
    const foreign = states.filter((state) => !own(state));
    if (foreign.length > 0) {
        const named = foreign.map(aliasName).join(', ');
        log.warn(`stage-deploy post: the saved rollout state names ${named}, not one of this step's aliases; nothing was changed.`);
        return 'refused';
    }
    const keys = states.map((s) => `${s.region ?? ''}/${s.functionName}/${s.alias}`);
    if (new Set(keys).size !== keys.length) {
        log.warn('stage-deploy post: the saved rollout state names one alias twice; nothing was changed.');
        return 'refused';
    }
    log.warn(`stage-deploy post: the main step did not finish shifting ${states.length} alias${states.length === 1 ? '' : 'es'}; putting back each that is as its shift left it.`);
    const outcomes = await Promise.all(states.map(async (state) => {
        try {
            return await restoreFromState(state, lambdaFor(state.region, state.role), log);
        }
        catch (error) {
            log.error(restoreFailure(state, targets.find((t) => sameAlias(state, t)), error));
            return 'failed';
        }
    }));
    for (const worst of ['failed', 'refused', 'restored'])
        if (outcomes.includes(worst))
            return worst;
    return 'nothing to do';
}


/***/ }),

/***/ 7051:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ lastRelease),
/* harmony export */   N: () => (/* binding */ previewAliases),
/* harmony export */   prunePreviews: () => (/* binding */ prunePreviews),
/* harmony export */   removePreview: () => (/* binding */ removePreview)
/* harmony export */ });
/* harmony import */ var _model_lambda_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8738);
/* harmony import */ var _release_history_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5205);
/**
 * remove and prune (issue 18, CONTRACT "A preview per pull request"): a preview is taken away
 * whole: its function URL, its alias, and the versions it used (what it runs, its routing weights,
 * the earlier releases its history records) that nothing else needs. A version stays when another
 * alias points at it (its version or its routing weights) or when another alias's history records
 * it (a stage may roll back to it: release/history.ts). Removing what is already gone succeeds.
 *
 * prune removes, from a schedule, every alias of the preview pattern (the stage's `preview.alias`
 * with `{number}` as digits) whose last release is older than `keep-days`: pull requests whose
 * close event never ran. Any other alias is never touched.
 */


/** Every version an alias refers to: what it runs, its routing weights and the releases its history records. */
function versionsOf(alias) {
    return new Set([alias.version, ...Object.keys(alias.weights), ...(0,_release_history_js__WEBPACK_IMPORTED_MODULE_0__/* .parseHistory */ .i6)(alias.description).map((entry) => entry.version)]);
}
/** Remove the preview alias `alias` of the stage's function; `aliases` (all of the function's) when already listed. */
async function removePreview(settings, alias, lambda, log, options = {}) {
    const name = settings.functionName;
    const aliases = options.aliases ?? (await lambda.listAliases(name));
    const own = aliases.find((a) => a.name === alias);
    const used = own === undefined ? new Set() : versionsOf(own);
    const needed = new Set(aliases.filter((a) => a.name !== alias).flatMap((a) => [...versionsOf(a)]));
    const versions = [...used].filter((v) => /^[1-9][0-9]*$/.test(v) && !needed.has(v)).sort((a, b) => Number(a) - Number(b));
    const kept = [...used].filter((v) => needed.has(v));
    if (options.dryRun) {
        log.info(`dry-run: would remove preview ${alias} of ${name}${own === undefined ? ' (no alias)' : ''}, its function URL, and versions ${versions.join(', ') || 'none'}.`);
        return { alias, aliasDeleted: own !== undefined, urlDeleted: false, versions, kept };
    }
    // The URL first: it is what the world reaches. One already gone is fine.
    const urlDeleted = await lambda.deleteFunctionUrl(name, alias);
    let aliasDeleted = false;
    if (own !== undefined) {
        try {
            await lambda.deleteAlias(name, alias);
            aliasDeleted = true;
        }
        catch (error) {
            if (!(error instanceof Error && error.name === 'ResourceNotFoundException'))
                throw error;
        }
    }
    // What the other aliases need is read again now: another run (a deploy of a stage) may have
    // moved one onto a version this preview used since the first read. This run never deletes it.
    const fresh = await lambda.listAliases(name);
    const neededNow = new Set(fresh.filter((a) => a.name !== alias).flatMap((a) => [...versionsOf(a)]));
    for (const version of versions.filter((v) => neededNow.has(v)))
        kept.push(version);
    const deleted = [];
    for (const version of versions.filter((v) => !neededNow.has(v))) {
        try {
            await lambda.deleteVersion(name, version);
            deleted.push(version);
        }
        catch (error) {
            if (!(error instanceof Error && error.name === 'ResourceNotFoundException'))
                throw error;
        }
    }
    log.info(own === undefined && !urlDeleted
        ? `Preview ${alias} of ${name} is already gone: nothing to remove.`
        : `Removed preview ${alias} of ${name}: ${urlDeleted ? 'its function URL, ' : ''}the alias${deleted.length > 0 ? `, versions ${deleted.join(', ')}` : ''}${kept.length > 0 ? ` (kept ${kept.join(', ')}: another alias needs them)` : ''}.`);
    return { alias, aliasDeleted, urlDeleted, versions: deleted, kept };
}
/** The aliases of the pattern: the template with `{number}` as one or more digits (no leading zero), and their numbers. */
function previewAliases(template, aliases) {
    const [before = '', ...rest] = template.split('{number}');
    const source = `^${escape(before)}${rest.map((part) => `([1-9][0-9]*)${escape(part)}`).join('')}$`;
    const pattern = new RegExp(source);
    return aliases.flatMap((alias) => {
        const match = pattern.exec(alias.name);
        if (!match)
            return [];
        const numbers = match.slice(1);
        // {number} written twice must be one number twice.
        if (numbers.some((n) => n !== numbers[0]))
            return [];
        return [{ alias, number: Number(numbers[0]) }];
    });
}
function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** When the preview was last released (epoch seconds), from its history; undefined when it records none. */
function lastRelease(alias) {
    const newest = (0,_release_history_js__WEBPACK_IMPORTED_MODULE_0__/* .parseHistory */ .i6)(alias.description)[0];
    return newest === undefined || newest.releasedAt === 0 ? undefined : newest.releasedAt;
}
/**
 * prune: remove every preview alias older than keep-days. A preview whose history records no
 * release time is left alone (its age is unknown: the action did not make it, or it was edited).
 */
async function prunePreviews(settings, lambda, log, clock, dryRun = false) {
    const template = settings.preview?.aliasTemplate;
    if (template === undefined)
        throw new Error('prune needs a preview stage');
    const keepDays = settings.preview?.keepDays ?? 14;
    let aliases = await lambda.listAliases(settings.functionName);
    const now = clock.now() / 1000;
    const removed = [];
    const kept = [];
    const numbers = new Map();
    for (const { alias, number } of previewAliases(template, aliases)) {
        numbers.set(alias.name, number);
        const at = lastRelease(alias);
        const ageDays = at === undefined ? undefined : (now - at) / 86_400;
        if (ageDays === undefined || ageDays <= keepDays) {
            kept.push({ alias: alias.name, ...(ageDays !== undefined && { ageDays: Math.floor(ageDays) }) });
            continue;
        }
        // A push to that pull request may have released it again since the list was read. DeleteAlias
        // takes no RevisionId: read it once more, and remove it only as it was listed (as
        // release/rollout.ts does before it deletes an alias it created).
        if (!dryRun) {
            const current = await lambda.getAlias(settings.functionName, alias.name);
            if (current === undefined || !(0,_model_lambda_js__WEBPACK_IMPORTED_MODULE_1__/* .sameAliasState */ .Sz)(current, alias)) {
                log.info(`Preview ${alias.name}: ${current === undefined ? 'gone' : 'released again'} since it was listed; left alone.`);
                kept.push({ alias: alias.name });
                continue;
            }
        }
        log.info(`Preview ${alias.name}: last released ${Math.floor(ageDays)} days ago (keep-days ${keepDays}).`);
        removed.push(await removePreview(settings, alias.name, lambda, log, { dryRun, aliases }));
        // The next removal keeps only what the remaining aliases need.
        aliases = aliases.filter((a) => a.name !== alias.name);
    }
    if (removed.length === 0)
        log.info(`No preview of ${settings.functionName} is older than ${keepDays} days: nothing to prune.`);
    return { removed, kept, numbers };
}


/***/ }),

/***/ 5205:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   As: () => (/* binding */ formatHistory),
/* harmony export */   Cn: () => (/* binding */ rollbackChain),
/* harmony export */   Qt: () => (/* binding */ recordedCommit),
/* harmony export */   es: () => (/* binding */ rollbackTarget),
/* harmony export */   i6: () => (/* binding */ parseHistory),
/* harmony export */   ty: () => (/* binding */ recordRelease),
/* harmony export */   yP: () => (/* binding */ returnTo)
/* harmony export */ });
/* unused harmony export ALIAS_DESCRIPTION_LIMIT */
/** Lambda's limit on an alias description. */
const ALIAS_DESCRIPTION_LIMIT = 256;
const PREFIX = 'stage-deploy ';
const VERSION = /^[0-9]{1,10}$/;
const SHA = /^[0-9a-f]{1,40}$/i;
/** The newest time accepted (year 2100), in epoch seconds. */
const LATEST_TIME = 4_102_444_800;
/**
 * The commit as recorded: the first 7 characters of a hex SHA (at most 40), '' for '' and,
 * with a warning, for anything else. The value itself is never echoed: it may be anything.
 */
function recordedCommit(commit, warn, what = 'a commit', version) {
    if (commit === '')
        return '';
    if (SHA.test(commit))
        return commit.slice(0, 7).toLowerCase();
    warn?.(`${what} is not a commit SHA (${commit.length} characters, expected at most 40 hex digits): recorded as unknown.`, version);
    return '';
}
/**
 * Releases recorded in an alias description, newest first; [] for any other description.
 * Malformed entries (a version that is no number of at most 10 digits, wrong types, absurd
 * lengths) are dropped, and a commit that is no SHA is read as unknown, each with a warning.
 */
function parseHistory(description, warn) {
    if (!description?.startsWith(PREFIX))
        return [];
    let data;
    try {
        data = JSON.parse(description.slice(PREFIX.length));
    }
    catch {
        warn?.('the release history is not valid JSON: read as empty.');
        return [];
    }
    if (typeof data !== 'object' || data === null || !Array.isArray(data.r))
        return [];
    const releases = [];
    let dropped = 0;
    for (const entry of data.r) {
        const parsed = parseEntry(entry, warn);
        if (parsed === undefined)
            dropped++;
        else
            releases.push(parsed);
    }
    if (dropped > 0)
        warn?.(`${dropped} malformed entr${dropped === 1 ? 'y' : 'ies'} of the release history dropped.`);
    return releases;
}
function parseEntry(entry, warn) {
    if (!Array.isArray(entry) || entry.length > 4)
        return undefined;
    const [version, commit, time, from] = entry;
    if (typeof version !== 'string' || !VERSION.test(version))
        return undefined;
    if (commit !== undefined && typeof commit !== 'string')
        return undefined;
    if (from !== undefined && (typeof from !== 'string' || !VERSION.test(from)))
        return undefined;
    const releasedAt = typeof time === 'number' && Number.isInteger(time) && time >= 0 && time <= LATEST_TIME ? time : 0;
    return {
        version,
        commit: recordedCommit(commit ?? '', warn, `the commit recorded for version ${version}`, version),
        releasedAt,
        ...(from !== undefined && { rolledBackFrom: from }),
    };
}
/** The version a plain rollback goes to from `current` (see the rules above); undefined when none is left. */
function rollbackTarget(history, current) {
    const rolledBackFrom = new Set();
    for (const entry of history) {
        if (entry.version !== current && !rolledBackFrom.has(entry.version))
            return entry;
        if (entry.rolledBackFrom !== undefined)
            rolledBackFrom.add(entry.rolledBackFrom);
    }
    return undefined;
}
/** The versions successive plain rollbacks from `current` would go to, in order (at most `limit`). */
function rollbackChain(history, current, limit = 5) {
    const chain = [];
    let entries = history;
    let at = current;
    while (chain.length < limit) {
        const next = rollbackTarget(entries, at);
        if (next === undefined)
            break;
        chain.push(next);
        entries = returnTo(entries, { version: at, weights: {} }, next);
        at = next.version;
    }
    return chain;
}
/**
 * The description that records `releases` (newest first): commits checked (a bad one recorded
 * as empty, with a warning), the oldest entries dropped to fit Lambda's limit, but never the
 * current entry nor the one a plain rollback from it would go to.
 */
function formatHistory(releases, warn) {
    const clean = releases
        .filter((r) => VERSION.test(r.version) && (r.rolledBackFrom === undefined || VERSION.test(r.rolledBackFrom)))
        .map((r) => ({ ...r, commit: recordedCommit(r.commit, warn, `the commit recorded for version ${r.version}`, r.version) }));
    const text = (entries) => PREFIX + JSON.stringify({ r: entries.map((r) => [r.version, r.commit, r.releasedAt, ...(r.rolledBackFrom !== undefined ? [r.rolledBackFrom] : [])]) });
    const first = clean[0];
    if (first === undefined)
        return text([]);
    const target = rollbackTarget(clean, first.version);
    const needed = target === undefined ? 1 : clean.indexOf(target) + 1;
    for (let count = clean.length; count >= needed; count--) {
        const candidate = text(clean.slice(0, count));
        if (candidate.length <= ALIAS_DESCRIPTION_LIMIT)
            return candidate;
    }
    // The entries between the two only mark versions to skip: without them, the walk still finds the target.
    // Checked versions, 7-character commits and bounded times: two entries always fit.
    return text(target === undefined ? [first] : [first, target]);
}
/**
 * The history after a shift to `release`: it goes first; the release it replaces is kept next
 * (added with unknown commit and time when the alias predates stage-deploy), so that a rollback
 * always knows where to go. Nothing is removed.
 */
function recordRelease(previous, replacedVersion, release) {
    const earlier = [...previous];
    if (replacedVersion !== undefined && earlier[0]?.version !== replacedVersion) {
        earlier.unshift({ version: replacedVersion, commit: '', releasedAt: 0 });
    }
    return [release, ...earlier];
}
/**
 * The history after a rollback from the alias as it was (`from`) to `release`: a new entry for
 * the version returned to (its commit, the time of the rollback), marked with the version rolled
 * back from: the alias's version, or, when the rollback stays on it and only clears a traffic
 * split, the version the split was shifting to. Nothing is removed, so the release left stays on
 * record; the marker makes the next plain rollback go further back, not forth.
 */
function returnTo(history, from, release) {
    const earlier = [...history];
    if (from !== undefined && earlier[0]?.version !== from.version) {
        earlier.unshift({ version: from.version, commit: '', releasedAt: 0 });
    }
    const left = from === undefined ? undefined : from.version !== release.version ? from.version : Object.keys(from.weights)[0];
    return [{ ...release, ...(left !== undefined && left !== release.version && VERSION.test(left) && { rolledBackFrom: left }) }, ...earlier];
}


/***/ })

};

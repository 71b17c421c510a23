/**
 * How big a zip is once unzipped: the sum of the uncompressed sizes its central directory records
 * (what Lambda checks against its 250 MB unzipped limit). Only the end of the file and the central
 * directory are read, never the entries. ZIP64 is understood (a zip above 4 GB or with more than
 * 65,535 entries). No zip library in the dependencies reads (yazl only writes), hence this reader.
 * The format: APPNOTE.TXT (PKWARE), sections 4.3.12 (central directory header), 4.3.14–4.3.16
 * (ZIP64 end of central directory record and locator, end of central directory record), 4.5.3
 * (ZIP64 extended information extra field).
 */
import { open } from 'node:fs/promises';

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const EOCD_MAX_SEARCH = 22 + 0xffff;

/** What a zip's central directory says of its entries. */
export interface ZipContents {
  entries: number;
  /** Sum of the entries' uncompressed sizes, in bytes. */
  unzippedBytes: number;
}

/** Read the central directory of the zip at `zipPath`; throws an Error saying what is wrong when it is no readable zip. */
export async function zipContents(zipPath: string): Promise<ZipContents> {
  const handle = await open(zipPath, 'r');
  try {
    const { size } = await handle.stat();
    const read = async (position: number, length: number): Promise<Buffer> => {
      if (position < 0 || length < 0 || position + length > size) throw new Error('the central directory points outside the file');
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead !== length) throw new Error('the file ended early');
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
    if (at < 0) throw new Error('no end of central directory record');
    const eocdPosition = size - tailLength + at;
    let entries: number = tail.readUInt16LE(at + 10);
    let directorySize: number = tail.readUInt32LE(at + 12);
    let directoryOffset: number = tail.readUInt32LE(at + 16);

    if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      const locator = await read(eocdPosition - 20, 20);
      if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw new Error('no ZIP64 end of central directory locator');
      const record = await read(toNumber(locator.readBigUInt64LE(8)), 56);
      if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new Error('no ZIP64 end of central directory record');
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
      let uncompressed: number = directory.readUInt32LE(offset + 24);
      if (uncompressed === 0xffffffff) {
        uncompressed = zip64Uncompressed(directory.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength));
      }
      unzippedBytes += uncompressed;
      offset += 46 + nameLength + extraLength + commentLength;
    }
    return { entries, unzippedBytes };
  } finally {
    await handle.close();
  }
}

/** The uncompressed size from a ZIP64 extended information extra field (id 1; it comes first there). */
function zip64Uncompressed(extra: Buffer): number {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001 && length >= 8 && at + 12 <= extra.length) return toNumber(extra.readBigUInt64LE(at + 4));
    at += 4 + length;
  }
  throw new Error('an entry larger than 4 GB has no ZIP64 size');
}

function toNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('a size beyond 2^53 bytes');
  return Number(value);
}

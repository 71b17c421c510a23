/**
 * The rollout state the main step leaves its post step, made tamper-evident. Saved state travels
 * through the runner's GITHUB_STATE file, and a `save-state` workflow command in printed text
 * could plant one; so the main step signs what it saves: HMAC-SHA256, with a key made at random
 * for this step (32 bytes) and kept in a 0600 file directly under RUNNER_TEMP, named by a random
 * key id. The id and the MAC go into the state beside the rollout; the key itself never does, nor
 * stdout. The post step finds the file again from the id, and acts on the state only when the MAC
 * verifies; then it removes the file.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_BYTES = 32;
const KEY_ID = /^[0-9a-f]{32}$/;
/** What is MACed starts with this, so that a MAC made here means nothing anywhere else. */
const DOMAIN = 'stage-deploy rollout state v1';

export interface SignedState {
  /** Names the key file: `stage-deploy-state-<id>.key` under the runner's temp directory. */
  keyId: string;
  /** The rollout state's JSON, exactly as saved. */
  payload: string;
  /** HMAC-SHA256 over the domain, the key id and the payload, in hex. */
  mac: string;
}

export type Verification = { ok: true } | { ok: false; reason: string };

export function keyFile(dir: string, keyId: string): string {
  return join(dir, `stage-deploy-state-${keyId}.key`);
}

export function macOf(key: Buffer, keyId: string, payload: string): string {
  return createHmac('sha256', key).update(`${DOMAIN}\n${keyId}\n${payload}`).digest('hex');
}

/** Signs for one main step: the key is made, and its file written, on the first signature. */
export class StateSigner {
  private key: { id: string; bytes: Buffer } | undefined;

  /** `dir`: the runner's temp directory (RUNNER_TEMP), read when the first state is signed. */
  constructor(private readonly dir: () => string) {}

  sign(payload: string): { keyId: string; mac: string } {
    if (this.key === undefined) {
      const id = randomBytes(16).toString('hex');
      const bytes = randomBytes(KEY_BYTES);
      // 'wx': never over a file that is already there; 0600: the runner's user only.
      writeFileSync(keyFile(this.dir(), id), bytes, { flag: 'wx', mode: 0o600 });
      this.key = { id, bytes };
    }
    return { keyId: this.key.id, mac: macOf(this.key.bytes, this.key.id, payload) };
  }
}

/** Whether `signed` is what this step's main step signed: its key file is there, private, and the MAC verifies. */
export function verifyState(dir: string, signed: SignedState): Verification {
  if (!KEY_ID.test(signed.keyId)) return { ok: false, reason: 'no key id was saved with it' };
  const path = keyFile(dir, signed.keyId);
  let key: Buffer;
  try {
    const stat = lstatSync(path);
    if (!stat.isFile()) return { ok: false, reason: 'its key is not a regular file' };
    if (process.platform !== 'win32') {
      if ((stat.mode & 0o077) !== 0) return { ok: false, reason: 'its key file is readable by others' };
      if (process.getuid !== undefined && stat.uid !== process.getuid()) return { ok: false, reason: 'its key file belongs to another user' };
    }
    key = readFileSync(path);
  } catch {
    return { ok: false, reason: 'its key file is missing' };
  }
  if (key.length !== KEY_BYTES) return { ok: false, reason: 'its key file is not a key' };
  const expected = Buffer.from(macOf(key, signed.keyId, signed.payload), 'hex');
  const given = /^[0-9a-f]{64}$/.test(signed.mac) ? Buffer.from(signed.mac, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'its MAC does not verify' };
  return { ok: true };
}

/** The post step is done with the key: remove its file (a well-formed id only; a missing file is fine). */
export function discardKey(dir: string, keyId: string): void {
  if (KEY_ID.test(keyId)) rmSync(keyFile(dir, keyId), { force: true });
}

import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { discardKey, keyFile, macOf, StateSigner, verifyState } from '../../../src/action/state.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'state-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const payload = JSON.stringify({ functionName: 'notes-api', alias: 'dev', toVersion: '2', toDescription: 'x', before: null });

describe('signing the rollout state', () => {
  it('signs with one random key per step, kept in a 0600 file named by the key id', () => {
    const signer = new StateSigner(() => dir);
    const first = signer.sign(payload);
    const second = signer.sign('{"other":1}');
    expect(first.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(second.keyId).toBe(first.keyId);
    expect(readdirSync(dir)).toEqual([`stage-deploy-state-${first.keyId}.key`]);
    expect(statSync(keyFile(dir, first.keyId)).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile(dir, first.keyId));
    expect(key).toHaveLength(32);
    expect(first.mac).toBe(macOf(key, first.keyId, payload));
    // The key appears in neither what is saved nor the MAC's text.
    expect(JSON.stringify(first)).not.toContain(key.toString('hex'));
    // Another step's signer has another key.
    expect(new StateSigner(() => dir).sign(payload).keyId).not.toBe(first.keyId);
  });

  it('verifies what it signed, and nothing else', () => {
    const { keyId, mac } = new StateSigner(() => dir).sign(payload);
    expect(verifyState(dir, { keyId, payload, mac })).toEqual({ ok: true });
    expect(verifyState(dir, { keyId, payload: payload.replace('dev', 'prod'), mac })).toEqual({ ok: false, reason: 'its MAC does not verify' });
    expect(verifyState(dir, { keyId, payload, mac: '' })).toEqual({ ok: false, reason: 'its MAC does not verify' });
    expect(verifyState(dir, { keyId, payload, mac: mac.toUpperCase() })).toEqual({ ok: false, reason: 'its MAC does not verify' });
    expect(verifyState(dir, { keyId, payload, mac: mac.slice(0, 62) })).toEqual({ ok: false, reason: 'its MAC does not verify' });
    // A MAC made with a key of one's own choosing does not verify.
    expect(verifyState(dir, { keyId, payload, mac: macOf(Buffer.alloc(32), keyId, payload) }).ok).toBe(false);
  });

  it('refuses a state whose key id is missing or malformed, or whose key file is gone', () => {
    const { keyId, mac } = new StateSigner(() => dir).sign(payload);
    expect(verifyState(dir, { keyId: '', payload, mac })).toEqual({ ok: false, reason: 'no key id was saved with it' });
    expect(verifyState(dir, { keyId: '../../etc/passwd', payload, mac })).toEqual({ ok: false, reason: 'no key id was saved with it' });
    expect(verifyState(dir, { keyId: '0'.repeat(32), payload, mac })).toEqual({ ok: false, reason: 'its key file is missing' });
    discardKey(dir, keyId);
    expect(existsSync(keyFile(dir, keyId))).toBe(false);
    expect(verifyState(dir, { keyId, payload, mac })).toEqual({ ok: false, reason: 'its key file is missing' });
    // Discarding again, or a malformed id, is harmless.
    expect(() => discardKey(dir, keyId)).not.toThrow();
    expect(() => discardKey(dir, '../x')).not.toThrow();
  });

  it.skipIf(process.platform === 'win32')('refuses a key file others can read, a symlink, or one that is not a key', () => {
    const keyId = 'a'.repeat(32);
    const key = Buffer.alloc(32, 7);
    const mac = macOf(key, keyId, payload);
    writeFileSync(keyFile(dir, keyId), key, { mode: 0o644 });
    chmodSync(keyFile(dir, keyId), 0o644);
    expect(verifyState(dir, { keyId, payload, mac })).toEqual({ ok: false, reason: 'its key file is readable by others' });
    chmodSync(keyFile(dir, keyId), 0o600);
    expect(verifyState(dir, { keyId, payload, mac })).toEqual({ ok: true });

    const linked = 'b'.repeat(32);
    symlinkSync(keyFile(dir, keyId), keyFile(dir, linked));
    expect(verifyState(dir, { keyId: linked, payload, mac: macOf(key, linked, payload) })).toEqual({ ok: false, reason: 'its key is not a regular file' });

    const empty = 'c'.repeat(32);
    writeFileSync(keyFile(dir, empty), '', { mode: 0o600 });
    expect(verifyState(dir, { keyId: empty, payload, mac: macOf(Buffer.alloc(0), empty, payload) })).toEqual({ ok: false, reason: 'its key file is not a key' });
  });

  it('never writes over a key file that is already there', () => {
    const signer = new StateSigner(() => dir);
    const { keyId } = signer.sign(payload);
    const before = readFileSync(keyFile(dir, keyId));
    signer.sign(payload);
    expect(readFileSync(keyFile(dir, keyId))).toEqual(before);
  });
});

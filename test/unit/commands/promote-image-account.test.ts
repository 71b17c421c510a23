import { describe, expect, it } from 'vitest';

import { promote } from '../../../src/commands/promote.js';
import { InputError } from '../../../src/model/errors.js';
import type { ImageRegistry, RepositoryPolicy } from '../../../src/model/ports.js';
import { FakeClock, FakeLambda, FakeSmoke, RecordingLog, stageSettings } from '../fakes.js';

const HEX = 'b'.repeat(64);
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notes';
const IMAGE = `${REPO}@sha256:${HEX}`;
const B = '210987654321';
const dev = stageSettings('dev');
const prod = stageSettings('prod', { role: `arn:aws:iam::${B}:role/deployer` });

/** dev (the job's account) runs an image of its own ECR at version 1; prod's function, in account B, runs another. */
function world(policy: RepositoryPolicy, targetAccount = B) {
  const source = new FakeLambda();
  source.latest = { ...source.latest, packageType: 'Image', imageUri: IMAGE, codeSha256: HEX };
  source.versions.push({ ...source.latest, version: '1' });
  source.aliases.set('dev', { name: 'dev', arn: `${source.latest.functionArn}:dev`, version: '1', description: '', weights: {} });
  const target = new FakeLambda();
  target.latest = { ...target.latest, packageType: 'Image', imageUri: `${REPO}:old`, codeSha256: 'c'.repeat(64), functionArn: `arn:aws:lambda:us-east-1:${targetAccount}:function:notes-api` };
  target.codeBySource.set(IMAGE, HEX);
  const asked: string[] = [];
  const registry = (who: string): ImageRegistry => ({
    describeImage: async () => undefined,
    repositoryPolicy: async (ref) => {
      asked.push(`${who} ${ref.registryId}/${ref.repository}`);
      return policy;
    },
  });
  const log = new RecordingLog();
  const deps = { lambda: target, sourceLambda: source, images: registry('target'), sourceImages: registry('source'), smoke: new FakeSmoke([true]), log, clock: new FakeClock() };
  return { source, target, asked, log, deps };
}
const ctx = { commit: 'c0ffee1234', runId: '1' };
const allow = (principal: string) =>
  ({ kind: 'policy', text: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }] }) }) as const;

describe('promote of an image into another account', () => {
  it("reads the repository's policy with the source's credentials, and publishes the exact digest when it allows the target account", async () => {
    const w = world(allow(`arn:aws:iam::${B}:root`));
    const result = await promote(dev, prod, w.deps, ctx);
    expect(result.kind).toBe('released');
    expect(w.asked).toEqual(['source 123456789012/notes']);
    expect(w.target.versions.at(-1)?.codeSha256).toBe(HEX);
  });

  it('refuses before any change when there is no policy, or one for another account', async () => {
    for (const policy of [{ kind: 'none' } as const, allow('arn:aws:iam::111111111111:root')]) {
      const w = world(policy);
      await expect(promote(dev, prod, w.deps, ctx)).rejects.toThrow(InputError);
      expect(w.target.calls.filter((c) => !c.startsWith('get'))).toEqual([]);
    }
  });

  it('warns and goes on when the policy cannot be read', async () => {
    const w = world({ kind: 'denied', message: 'AccessDeniedException: no' });
    expect((await promote(dev, prod, w.deps, ctx)).kind).toBe('released');
    expect(w.log.lines).toContainEqual(expect.stringContaining('warn: promote-from: "dev"'));
  });

  it('asks nothing when the target is in the registry\'s own account', async () => {
    const w = world({ kind: 'none' }, '123456789012');
    expect((await promote(dev, stageSettings('prod'), w.deps, ctx)).kind).toBe('released');
    expect(w.asked).toEqual([]);
  });
});

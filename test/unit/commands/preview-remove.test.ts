/** remove and prune on plain fakes: what a preview takes with it, what it leaves, and which aliases are previews. */
import { describe, expect, it } from 'vitest';
import { lastRelease, previewAliases, prunePreviews, removePreview } from '../../../src/commands/preview-remove.js';
import type { AliasState } from '../../../src/model/lambda.js';
import type { LambdaGateway, Log } from '../../../src/model/ports.js';
import type { StageSettings } from '../../../src/model/settings.js';
import { versionsToDelete } from '../../../src/release/housekeeping.js';

const log: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const history = (entries: [string, number][]) => `stage-deploy ${JSON.stringify({ r: entries.map(([v, at]) => [v, 'abc1234', at]) })}`;
const alias = (name: string, version: string, description = '', weights: Record<string, number> = {}): AliasState => ({ name, arn: `arn:${name}`, version, description, weights });
const settings = { stage: 'pr', functionName: 'fn', alias: 'pr-5', preview: { aliasTemplate: 'pr-{number}', keepDays: 7 } } as unknown as StageSettings;

class Lambda {
  calls: string[] = [];
  constructor(public aliases: AliasState[]) {}
  async getAlias(_fn: string, name: string) { return this.aliases.find((a) => a.name === name); }
  async listAliases() { return [...this.aliases]; }
  async deleteAlias(_fn: string, name: string) { this.calls.push(`deleteAlias ${name}`); this.aliases = this.aliases.filter((a) => a.name !== name); }
  async deleteFunctionUrl(_fn: string, name: string) { this.calls.push(`deleteFunctionUrl ${name}`); return false; }
  async deleteVersion(_fn: string, version: string) { this.calls.push(`deleteVersion ${version}`); }
}
const asGateway = (l: Lambda) => l as unknown as Pick<LambdaGateway, 'getAlias' | 'listAliases' | 'deleteAlias' | 'deleteFunctionUrl' | 'deleteVersion'>;

describe('removePreview', () => {
  it('deletes the versions the preview ran, routed to or recorded, but none another alias runs, routes to or records', async () => {
    const lambda = new Lambda([
      alias('pr-5', '9', history([['9', 1], ['8', 1], ['7', 1], ['4', 1]]), { '10': 0.1 }),
      alias('prod', '4', history([['4', 1], ['3', 1]])),
      alias('dev', '6', history([['6', 1], ['7', 1]])),
      alias('pr-6', '11', '', { '8': 0.5 }),
    ]);
    const removal = await removePreview(settings, 'pr-5', asGateway(lambda), log);
    expect(removal).toMatchObject({ aliasDeleted: true, versions: ['9', '10'] });
    expect(removal.kept.sort()).toEqual(['4', '7', '8']);
    expect(lambda.calls).toEqual(['deleteFunctionUrl pr-5', 'deleteAlias pr-5', 'deleteVersion 9', 'deleteVersion 10']);
  });

  it('keeps a version another run put an alias on since the first read: what it needs is read again before deleting', async () => {
    const lambda = new Lambda([alias('pr-5', '9', history([['9', 1], ['8', 1]])), alias('dev', '6')]);
    // A deploy of dev moves dev onto version 8 while the preview is being removed.
    const deleteAlias = lambda.deleteAlias.bind(lambda);
    lambda.deleteAlias = async (fn: string, name: string) => {
      await deleteAlias(fn, name);
      lambda.aliases = lambda.aliases.map((a) => (a.name === 'dev' ? alias('dev', '8') : a));
    };
    const removal = await removePreview(settings, 'pr-5', asGateway(lambda), log);
    expect(removal.versions).toEqual(['9']);
    expect(removal.kept).toEqual(['8']);
    expect(lambda.calls).not.toContain('deleteVersion 8');
  });

  it('succeeds when the preview is gone already; a dry run changes nothing', async () => {
    const lambda = new Lambda([alias('prod', '4')]);
    expect(await removePreview(settings, 'pr-5', asGateway(lambda), log)).toMatchObject({ aliasDeleted: false, urlDeleted: false, versions: [] });
    const dry = new Lambda([alias('pr-5', '9')]);
    expect((await removePreview(settings, 'pr-5', asGateway(dry), log, { dryRun: true })).versions).toEqual(['9']);
    expect(dry.calls).toEqual([]);
  });
});

describe('previewAliases and prune', () => {
  it('matches only the template with digits for {number}', () => {
    const all = ['pr-1', 'pr-12', 'pr-012', 'pr-x', 'pr-', 'xpr-1', 'pr-1-old', 'dev'].map((n) => alias(n, '1'));
    expect(previewAliases('pr-{number}', all).map((p) => [p.alias.name, p.number])).toEqual([['pr-1', 1], ['pr-12', 12]]);
    expect(previewAliases('a.{number}-{number}', [alias('a.3-3', '1'), alias('a.3-4', '1'), alias('ab3-3', '1')]).map((p) => p.alias.name)).toEqual(['a.3-3']);
  });

  it('removes previews older than keep-days, keeps younger ones and those of unknown age', async () => {
    const now = 1_800_000_000;
    const lambda = new Lambda([
      alias('pr-1', '1', history([['1', now - 8 * 86_400]])),
      alias('pr-2', '2', history([['2', now - 6 * 86_400]])),
      alias('pr-3', '3', 'made by hand'),
      alias('staging', '5', history([['5', now - 90 * 86_400]])),
    ]);
    const report = await prunePreviews(settings, asGateway(lambda), log, { now: () => now * 1000, sleep: async () => undefined });
    expect(report.removed.map((r) => r.alias)).toEqual(['pr-1']);
    expect(report.kept).toEqual([{ alias: 'pr-2', ageDays: 6 }, { alias: 'pr-3' }]);
    expect(lambda.aliases.map((a) => a.name)).toEqual(['pr-2', 'pr-3', 'staging']);
    expect(lastRelease(alias('x', '1', 'other'))).toBeUndefined();
  });

  it('leaves a preview that a push released again after the list was read (DeleteAlias takes no RevisionId)', async () => {
    const now = 1_800_000_000;
    const stale = { ...alias('pr-1', '1', history([['1', now - 8 * 86_400]])), revisionId: 'r1' };
    const lambda = new Lambda([stale, { ...alias('pr-4', '4', history([['4', now - 9 * 86_400]])), revisionId: 'r4' }]);
    // The list prune reads is the old one; by the time it looks again, pr-1 is on version 2.
    lambda.listAliases = async () => [stale, ...lambda.aliases.filter((a) => a.name !== 'pr-1')];
    lambda.aliases = lambda.aliases.map((a) => (a.name === 'pr-1' ? { ...alias('pr-1', '2', history([['2', now], ['1', now - 8 * 86_400]])), revisionId: 'r2' } : a));
    const report = await prunePreviews(settings, asGateway(lambda), log, { now: () => now * 1000, sleep: async () => undefined });
    expect(report.removed.map((r) => r.alias)).toEqual(['pr-4']);
    expect(report.kept).toEqual([{ alias: 'pr-1' }]);
    expect(lambda.calls.filter((c) => c.includes('pr-1'))).toEqual([]);
    expect(lambda.calls).toContain('deleteAlias pr-4');
  });
});

describe('keep-versions housekeeping and previews', () => {
  it('never deletes a version a live preview alias runs or routes to', () => {
    const versions = ['1', '2', '3', '4', '5', '6'];
    const aliases = [alias('prod', '6'), alias('pr-7', '2', history([['2', 1]])), alias('pr-8', '3', '', { '1': 0.2 })];
    const deleted = versionsToDelete(versions, aliases, 1);
    expect(deleted).not.toContain('2');
    expect(deleted).not.toContain('3');
    expect(deleted).not.toContain('1');
    expect(deleted).toEqual(expect.arrayContaining(['4', '5']));
  });
});

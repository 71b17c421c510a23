// PullRequestComment against the GitHub API stand-in (test/harness/github-api.mjs), through
// @actions/github's Octokit: one comment per stage, found by its marker across pages and edited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullRequestComment } from '../../../src/github/comment.js';
import { startGitHubApi, type GitHubApi } from '../../harness/github-api.mjs';
import type { Log } from '../../../src/model/ports.js';
import { previewMarker, renderPreviewComment } from '../../../src/report/preview-comment.js';

const OWNER = 'octo-org';
const REPO = 'notes-api';
let api: GitHubApi;
const warnings: string[] = [];
const log: Log = { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };

beforeAll(async () => {
  api = await startGitHubApi();
});
afterAll(async () => {
  await api?.stop();
});

const writer = (token = api.token) => new PullRequestComment({ token, owner: OWNER, repo: REPO, apiUrl: api.url, log });

describe('PullRequestComment', () => {
  it('creates the comment once, then edits it, past other comments on several pages', async () => {
    const marker = previewMarker('pr');
    for (let i = 0; i < 120; i++) api.addComment(OWNER, REPO, 11, i === 5 ? `> ${marker} quoted by a reviewer` : `comment ${i}`);
    // A person's comment that starts with the marker: not the action's, never edited.
    const planted = api.addComment(OWNER, REPO, 11, `${marker}\nplanted by someone`);
    const first = await writer().upsert(11, marker, `${marker}\none`);
    expect(first).toBeGreaterThan(0);
    expect(first).not.toBe(planted);
    expect(api.comments(11).find((c) => c.id === planted)?.body).toBe(`${marker}\nplanted by someone`);
    // A quote of the marker is not the action's comment either: one was created.
    expect(api.comments(11).filter((c) => c.body.startsWith(marker) && c.user.type === 'Bot')).toHaveLength(1);
    for (let i = 0; i < 30; i++) api.addComment(OWNER, REPO, 11, `later ${i}`);
    const second = await writer().upsert(11, marker, `${marker}\ntwo`);
    expect(second).toBe(first);
    const own = api.comments(11).filter((c) => c.body.startsWith(marker) && c.user.type === 'Bot');
    expect(own.map((c) => c.body)).toEqual([`${marker}\ntwo`]);
    // Listing went past the first page (per_page 100).
    expect(api.requests.some((r) => r.method === 'GET' && r.path.endsWith('/issues/11/comments') && r.query.page === '2')).toBe(true);
    // Another stage's preview has its own comment.
    await writer().upsert(11, previewMarker('pr-eu'), `${previewMarker('pr-eu')}\nx`);
    expect(api.comments(11).filter((c) => c.body.startsWith('<!-- stage-deploy preview:') && c.user.type === 'Bot')).toHaveLength(2);
  });

  it('turns a refused token into one warning, never a throw', async () => {
    warnings.length = 0;
    expect(await writer('wrong').upsert(12, previewMarker('pr'), 'x')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 401');
    expect(api.comments(12)).toEqual([]);
  });

  it('says the API could not be reached, not HTTP 500, when no answer came', async () => {
    const found: string[] = [];
    const log: Log = { info: () => undefined, warn: (m) => found.push(m), error: () => undefined };
    const unreachable = new PullRequestComment({ token: 'ghs_test', owner: 'acme', repo: 'notes', apiUrl: 'http://no-such-host.invalid', log });
    expect(await unreachable.upsert(13, previewMarker('pr'), 'x')).toBeUndefined();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^Pull request #13: the preview comment was not written: no answer from the GitHub API: .*no-such-host\.invalid/);
    expect(found[0]).not.toContain('HTTP 500');
  });
});

describe('renderPreviewComment', () => {
  it('escapes what the function and AWS said: no mention, link, HTML or workflow command comes alive', () => {
    const body = renderPreviewComment({
      stage: 'pr',
      alias: 'pr-4',
      status: 'rolled-back',
      url: 'https://abc.lambda-url.us-east-1.on.aws/',
      version: '7',
      codeSha256: 'abc=',
      at: '2026-11-30T00:00:00.000Z',
      runUrl: 'https://github.com/acme/notes/actions/runs/42',
      error: 'smoke test failed: 502 <img src=x> @octocat [click](https://evil.example)',
      restoredVersion: '6',
      diagnosis: { version: '7', logGroup: '/aws/lambda/x', lines: ['```', '@octocat <script>', '::error::boom'], window: { since: new Date(0), until: new Date(0) } },
    });
    expect(body.startsWith(previewMarker('pr'))).toBe(true);
    expect(body).not.toContain('<img');
    // Outside the code block, the mention is broken; inside a fence longer than any run in it, it is inert text.
    const failed = body.split('\n').find((l) => l.startsWith('**What failed:**')) ?? '';
    expect(failed).not.toContain('@octocat');
    expect(body).toContain('````text\n```\n@octocat <script>\n::error::boom\n````');
    expect(body).not.toMatch(/\]\(https:\/\/evil/);
    expect(body).toContain('[The workflow run](https://github.com/acme/notes/actions/runs/42)');
    expect(body).toContain('| URL | `https://abc.lambda-url.us-east-1.on.aws/` |');
  });
});

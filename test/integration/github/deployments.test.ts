// GitHubDeploymentTracker against a real HTTP server on 127.0.0.1 that speaks GitHub's deployment
// endpoints (test/harness/github-api.mjs), through @actions/github's Octokit.
import { createServer, type AddressInfo } from 'node:net';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDeploymentTracker,
  GitHubDeploymentTracker,
  truncateDescription,
  workflowRunUrl,
} from '../../../src/github/deployments.js';
import { startGitHubApi, type GitHubApi } from '../../harness/github-api.mjs';
import type { Log } from '../../../src/model/ports.js';

const OWNER = 'octo-org';
const REPO = 'notes-api';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const SHA2 = 'fedcba9876543210fedcba9876543210fedcba98';
const RUN_URL = `https://github.com/${OWNER}/${REPO}/actions/runs/42`;
const DEPLOYMENTS = `/repos/${OWNER}/${REPO}/deployments`;

interface RecordingLog extends Log {
  lines: { level: 'info' | 'warn' | 'error'; message: string }[];
  warnings(): string[];
}

function recordingLog(): RecordingLog {
  const lines: RecordingLog['lines'] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
    warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.message),
  };
}

let api: GitHubApi;

beforeAll(async () => {
  api = await startGitHubApi({ token: 'ghs_test' });
});

afterAll(async () => {
  await api?.stop();
});

beforeEach(() => {
  api.clearRequests();
});

function tracker(log: Log, token = 'ghs_test', extra: { logUrl?: string } = {}): GitHubDeploymentTracker {
  return new GitHubDeploymentTracker({ token, owner: OWNER, repo: REPO, apiUrl: api.url, log, ...extra });
}

/** One whole release: begin, then end with `state`. Returns the new deployment's id. */
async function release(
  log: Log,
  environment: string,
  state: 'success' | 'failure',
  ref = SHA,
): Promise<number | undefined> {
  const t = tracker(log);
  await t.begin({ environment, ref, description: `Deploy ${ref.slice(0, 7)} to ${environment}` });
  const id = t.deploymentId;
  await t.end({ state, description: state === 'success' ? 'Released' : 'Smoke check failed' });
  return id;
}

function calls(): string[] {
  return api.requests.map((r) => `${r.method} ${r.path}`);
}

describe('GitHubDeploymentTracker', () => {
  it('creates a deployment, marks it in_progress, then success, with the exact bodies', async () => {
    const log = recordingLog();
    const t = tracker(log, 'ghs_test', { logUrl: RUN_URL });
    await t.begin({
      environment: 'qa',
      ref: SHA,
      description: 'Deploy 0123456 to qa',
      environmentUrl: 'https://qa.api.example.com',
      payload: { stage: 'qa', function: 'notes-api', alias: 'qa', version: '7', previousVersion: '6' },
    });
    const id = t.deploymentId;
    expect(id).toBeTypeOf('number');
    await t.end({
      state: 'success',
      description: 'Version 7 released to qa',
      environmentUrl: 'https://qa.api.example.com/notes',
      logUrl: `${RUN_URL}/job/1`,
    });

    expect(calls()).toEqual([
      `POST ${DEPLOYMENTS}`,
      `POST ${DEPLOYMENTS}/${id}/statuses`,
      `POST ${DEPLOYMENTS}/${id}/statuses`,
      `GET ${DEPLOYMENTS}`,
    ]);
    const [create, inProgress, success, list] = api.requests;
    expect(create!.authorization).toBe('token ghs_test');
    expect(create!.body).toEqual({
      ref: SHA,
      environment: 'qa',
      description: 'Deploy 0123456 to qa',
      payload: { stage: 'qa', function: 'notes-api', alias: 'qa', version: '7', previousVersion: '6' },
      auto_merge: false,
      required_contexts: [],
      production_environment: false,
    });
    expect(inProgress!.body).toEqual({
      state: 'in_progress',
      description: 'Deploy 0123456 to qa',
      environment_url: 'https://qa.api.example.com',
      log_url: RUN_URL,
      auto_inactive: false,
    });
    expect(success!.body).toEqual({
      state: 'success',
      description: 'Version 7 released to qa',
      environment_url: 'https://qa.api.example.com/notes',
      log_url: `${RUN_URL}/job/1`,
      auto_inactive: false,
    });
    expect(list!.query).toEqual({ environment: 'qa', per_page: '10' });
    expect(api.statuses(id!).map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(log.warnings()).toEqual([]);
  });

  it('marks a production environment as such and keeps the begin URL when end names none', async () => {
    const log = recordingLog();
    const t = tracker(log);
    await t.begin({ environment: 'prod', ref: 'main', description: 'Promote dev to prod', environmentUrl: 'https://api.example.com' });
    const id = t.deploymentId!;
    await t.end({ state: 'success', description: 'Promoted' });
    expect((api.requests[0]!.body as Record<string, unknown>)['production_environment']).toBe(true);
    expect(api.requests[0]!.body).not.toHaveProperty('payload');
    expect(api.requests[1]!.body).toEqual({
      state: 'in_progress',
      description: 'Promote dev to prod',
      environment_url: 'https://api.example.com',
      auto_inactive: false,
    });
    expect(api.statuses(id).at(-1)).toMatchObject({ state: 'success', environment_url: 'https://api.example.com', log_url: '' });
  });

  it('marks the previous successful release of the same environment inactive, and no other', async () => {
    const log = recordingLog();
    const first = await release(log, 'dev', 'success', SHA);
    const other = await release(log, 'staging', 'success', SHA);
    const failed = await release(log, 'dev', 'failure', SHA2);
    api.clearRequests();

    const second = await release(log, 'dev', 'success', SHA2);

    expect(api.latestState(first!)).toBe('inactive');
    expect(api.latestState(second!)).toBe('success');
    expect(api.latestState(other!)).toBe('success');
    expect(api.latestState(failed!)).toBe('failure');
    expect(calls()).toEqual([
      `POST ${DEPLOYMENTS}`,
      `POST ${DEPLOYMENTS}/${second}/statuses`,
      `POST ${DEPLOYMENTS}/${second}/statuses`,
      `GET ${DEPLOYMENTS}`,
      `GET ${DEPLOYMENTS}/${failed}/statuses`,
      `GET ${DEPLOYMENTS}/${first}/statuses`,
      `POST ${DEPLOYMENTS}/${first}/statuses`,
    ]);
    expect(api.requests[4]!.query).toEqual({ per_page: '1' });
    expect(api.requests[6]!.body).toEqual({
      state: 'inactive',
      description: `Replaced by deployment ${second}`,
      auto_inactive: false,
    });
    expect(log.warnings()).toEqual([]);

    // A third release retires only the second: the first is inactive already.
    api.clearRequests();
    const third = await release(log, 'dev', 'success', SHA);
    expect(api.latestState(second!)).toBe('inactive');
    expect(api.latestState(third!)).toBe('success');
    expect(api.statuses(first!).map((s) => s.state)).toEqual(['in_progress', 'success', 'inactive']);
    expect(api.requests.filter((r) => r.method === 'POST' && (r.body as { state?: string }).state === 'inactive')).toHaveLength(1);
  });

  it('on failure sets failure and marks nothing inactive', async () => {
    const log = recordingLog();
    const good = await release(log, 'failenv', 'success');
    api.clearRequests();
    const bad = await release(log, 'failenv', 'failure', SHA2);
    expect(api.latestState(bad!)).toBe('failure');
    expect(api.latestState(good!)).toBe('success');
    expect(calls()).toEqual([`POST ${DEPLOYMENTS}`, `POST ${DEPLOYMENTS}/${bad}/statuses`, `POST ${DEPLOYMENTS}/${bad}/statuses`]);
    expect((api.requests[2]!.body as { state: string }).state).toBe('failure');
  });

  it('truncates a status description to GitHub’s 140 characters', async () => {
    const log = recordingLog();
    const t = tracker(log);
    await t.begin({ environment: 'longdesc', ref: SHA, description: 'short' });
    await t.end({ state: 'failure', description: 'x'.repeat(300) });
    const sent = (api.requests[2]!.body as { description: string }).description;
    expect(Array.from(sent)).toHaveLength(140);
    expect(sent.endsWith('…')).toBe(true);
    expect(log.warnings()).toEqual([]);
    expect(truncateDescription('ok')).toBe('ok');
  });

  it('warns and does nothing at end when the deployment cannot be created', async () => {
    const log = recordingLog();
    api.failNext('POST', /\/deployments$/, 422, 'No ref found for: nope');
    const t = tracker(log);
    await expect(t.begin({ environment: 'dev', ref: 'nope', description: 'x' })).resolves.toBeUndefined();
    await expect(t.end({ state: 'success', description: 'done' })).resolves.toBeUndefined();
    expect(log.warnings()).toEqual(['GitHub deployment for dev not created: No ref found for: nope (HTTP 422)']);
    expect(calls()).toEqual([`POST ${DEPLOYMENTS}`]);
  });

  it('treats GitHub’s 202 merge answer (no deployment id) as not created', async () => {
    const log = recordingLog();
    api.failNext('POST', /\/deployments$/, 202, 'Auto-merged main into topic on deployment.');
    const t = tracker(log);
    await t.begin({ environment: 'dev', ref: 'topic', description: 'x' });
    await t.end({ state: 'success', description: 'done' });
    expect(log.warnings()).toEqual(['GitHub deployment for dev not created: Auto-merged main into topic on deployment.']);
    expect(calls()).toEqual([`POST ${DEPLOYMENTS}`]);
  });

  it('warns when a status cannot be set, and never throws', async () => {
    const log = recordingLog();
    const t = tracker(log);
    api.failNext('POST', /\/statuses$/, 500, 'Server Error');
    await expect(t.begin({ environment: 'statusenv', ref: SHA, description: 'x' })).resolves.toBeUndefined();
    const id = t.deploymentId!;
    // The in_progress status failed; the deployment stays, and end still reports the outcome.
    api.failNext('POST', /\/statuses$/, 403, 'Resource not accessible by integration');
    await expect(t.end({ state: 'success', description: 'done' })).resolves.toBeUndefined();
    expect(log.warnings()).toEqual([
      'GitHub deployment status in_progress for statusenv not set: Server Error (HTTP 500)',
      'GitHub deployment status success for statusenv not set: Resource not accessible by integration (HTTP 403; the workflow needs `permissions: deployments: write`)',
    ]);
    expect(api.statuses(id)).toEqual([]);
  });

  it('warns when the previous deployments cannot be listed or retired', async () => {
    const log = recordingLog();
    const first = await release(log, 'retire', 'success');
    api.failNext('GET', /\/deployments$/, 502, 'Bad Gateway');
    await release(log, 'retire', 'success', SHA2);
    expect(api.latestState(first!)).toBe('success');
    api.failNext('POST', new RegExp(`/deployments/${first}/statuses$`), 500, 'Server Error');
    await release(log, 'retire', 'success');
    expect(log.warnings()).toEqual([
      'Previous GitHub deployments of retire not listed: Bad Gateway (HTTP 502)',
      `GitHub deployment ${first} of retire not marked inactive: Server Error (HTTP 500)`,
    ]);
  });

  it('says the API could not be reached, not HTTP 500, when no answer came (DNS, refused connection)', async () => {
    // A port nothing listens on: taken from the OS, then let go.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    for (const [apiUrl, cause] of [
      ['http://no-such-host.invalid', /getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid/],
      [`http://127.0.0.1:${closed}`, new RegExp(`connect ECONNREFUSED 127\\.0\\.0\\.1:${closed}`)],
    ] as const) {
      const log = recordingLog();
      const t = new GitHubDeploymentTracker({ token: 'ghs_test', owner: OWNER, repo: REPO, apiUrl, log });
      await expect(t.begin({ environment: 'dev', ref: SHA, description: 'x' })).resolves.toBeUndefined();
      expect(log.warnings()).toHaveLength(1);
      expect(log.warnings()[0]).toMatch(/^GitHub deployment for dev not created: no answer from the GitHub API: /);
      expect(log.warnings()[0]).toMatch(cause);
      expect(log.warnings()[0]).not.toContain('HTTP 500');
    }
  });

  it('warns on 401 with a bad token', async () => {
    const log = recordingLog();
    const t = tracker(log, 'wrong-token');
    await t.begin({ environment: 'dev', ref: SHA, description: 'x' });
    await t.end({ state: 'success', description: 'done' });
    expect(log.warnings()).toEqual(['GitHub deployment for dev not created: Bad credentials (HTTP 401)']);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.authorization).toBe('token wrong-token');
  });

  it('does nothing at end without begin', async () => {
    const log = recordingLog();
    await tracker(log).end({ state: 'success', description: 'done' });
    expect(api.requests).toEqual([]);
    expect(log.lines).toEqual([]);
  });
});

describe('createDeploymentTracker', () => {
  const env = { GITHUB_REPOSITORY: `${OWNER}/${REPO}` };

  it('returns undefined outside a repository', () => {
    const log = recordingLog();
    expect(createDeploymentTracker({}, 'ghs_test', log)).toBeUndefined();
    expect(createDeploymentTracker({ GITHUB_REPOSITORY: 'just-a-name' }, 'ghs_test', log)).toBeUndefined();
    expect(log.lines.map((l) => l.level)).toEqual(['info', 'info']);
  });

  it('talks to GITHUB_API_URL as GITHUB_REPOSITORY, with the run as log_url', async () => {
    const log = recordingLog();
    const t = createDeploymentTracker(
      { ...env, GITHUB_API_URL: api.url, GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1' },
      'ghs_test',
      log,
    );
    expect(t).toBeInstanceOf(GitHubDeploymentTracker);
    await t!.begin({ environment: 'factory', ref: SHA, description: 'x' });
    expect(calls()).toEqual([`POST ${DEPLOYMENTS}`, `POST ${DEPLOYMENTS}/${(t as GitHubDeploymentTracker).deploymentId}/statuses`]);
    expect(api.requests[1]!.body).toMatchObject({ state: 'in_progress', log_url: RUN_URL });
    expect(log.warnings()).toEqual([]);
  });

  it('builds the run URL, with the attempt after the first', () => {
    expect(workflowRunUrl({})).toBeUndefined();
    expect(workflowRunUrl({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '2' })).toBe(
      'https://github.com/o/r/actions/runs/7/attempts/2',
    );
  });
});

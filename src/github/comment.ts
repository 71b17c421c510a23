/**
 * The one pull-request comment of a preview (issue 18), through @actions/github's Octokit: the
 * comment that holds the stage's hidden marker (report/preview-comment.ts previewMarker) is found
 * among the pull request's comments (every page) and edited; only when there is none is one
 * created. Only a comment the marker starts, written by an app (a `Bot`: github-actions[bot] with
 * the job's token), is the action's: anyone may comment on a pull request, and a person's comment
 * that starts with the marker is neither edited nor taken for the preview's.
 *
 * Like a deployment record, a comment is never a reason to fail a release: every GitHub API error
 * becomes one warning.
 */
import { getOctokit } from '@actions/github';
import type { Log } from '../model/ports.js';
import { describeApiError } from './api-error.js';

const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

export interface PullRequestCommentOptions {
  token: string;
  owner: string;
  repo: string;
  apiUrl?: string;
  log: Log;
}

export class PullRequestComment {
  private readonly octokit: ReturnType<typeof getOctokit>;

  constructor(private readonly options: PullRequestCommentOptions) {
    this.octokit = getOctokit(options.token, { baseUrl: (options.apiUrl || DEFAULT_GITHUB_API_URL).replace(/\/+$/, '') });
  }

  /** Edit the comment the marker starts on pull request `number`, or create it; its id, or undefined when GitHub refused. */
  async upsert(number: number, marker: string, body: string): Promise<number | undefined> {
    const { owner, repo, log } = this.options;
    try {
      const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
      const own = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(marker) && c.user?.type === 'Bot');
      if (own !== undefined) {
        await this.octokit.rest.issues.updateComment({ owner, repo, comment_id: own.id, body });
        log.info(`Pull request #${number}: preview comment ${own.id} updated.`);
        return own.id;
      }
      const created = await this.octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
      log.info(`Pull request #${number}: preview comment ${created.data.id} created.`);
      return created.data.id;
    } catch (error) {
      log.warn(`Pull request #${number}: the preview comment was not written: ${describeApiError(error, 'the job needs `permissions: pull-requests: write`')}`);
      return undefined;
    }
  }
}

/** The comment writer for this run, or undefined (said in the log) outside a repository. */
export function createPullRequestComment(env: Record<string, string | undefined>, token: string, log: Log): PullRequestComment | undefined {
  const [owner, repo, ...rest] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  if (!owner || !repo || rest.length > 0) {
    log.info('No GITHUB_REPOSITORY of the form owner/repo: the preview comment is skipped.');
    return undefined;
  }
  return new PullRequestComment({ token, owner, repo, log, ...(env['GITHUB_API_URL'] && { apiUrl: env['GITHUB_API_URL'] }) });
}

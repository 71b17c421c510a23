/**
 * A GitHub API error as one line for a warning, the same for every GitHub record the action keeps
 * (deployments, the preview comment): GitHub's own message (without Octokit's documentation-URL
 * suffix) and the HTTP status, with what a 403 needs; or, for a request that got no answer at all
 * (DNS, refused connection, TLS), what happened: Octokit labels those HTTP 500 with no response.
 */
import { errorChain } from '../model/errors.js';

export function describeApiError(error: unknown, forbiddenHint: string): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { status?: unknown }).status;
  const response = (error as { response?: { data?: unknown } }).response;
  const data = response?.data;
  const apiMessage =
    typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string'
      ? (data as { message: string }).message
      : undefined;
  const message = apiMessage || error.message.split('\n')[0] || error.message;
  if (typeof status !== 'number') return errorChain(error);
  if (response === undefined) return `no answer from the GitHub API: ${errorChain(error.cause ?? error)}`;
  const hint = status === 403 ? `; ${forbiddenHint}` : '';
  return `${message} (HTTP ${status}${hint})`;
}

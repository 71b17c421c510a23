export interface GitHubApiRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  /** The JSON body, parsed; undefined when there was none. */
  body: unknown;
  authorization?: string;
}

export interface GitHubApiDeployment {
  url: string;
  id: number;
  node_id: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  original_environment: string;
  environment: string;
  description: string | null;
  creator: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
  statuses_url: string;
  repository_url: string;
  transient_environment: boolean;
  production_environment: boolean;
}

export interface GitHubApiDeploymentStatus {
  url: string;
  id: number;
  node_id: string;
  state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  creator: { login: string; id: number; type: string };
  description: string;
  environment: string;
  target_url: string;
  log_url: string;
  environment_url: string;
  created_at: string;
  updated_at: string;
  deployment_url: string;
  repository_url: string;
}

export interface GitHubApiComment {
  id: number;
  url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
}

export interface GitHubApi {
  /** Pull request (issue) `number`'s comments, oldest first. */
  comments(number: number): GitHubApiComment[];
  /** Add a comment someone else wrote; its id. */
  addComment(owner: string, repo: string, number: number, body: string, login?: string): number;
  /** Base URL, for `GITHUB_API_URL`: `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** The one token accepted (as `token X` or `Bearer X`); any other gets 401 Bad credentials. */
  token: string;
  requests: GitHubApiRequest[];
  /** Every deployment created, oldest first. */
  deployments: GitHubApiDeployment[];
  /** A deployment's statuses, oldest first. */
  statuses(deploymentId: number): GitHubApiDeploymentStatus[];
  /** The state of a deployment's latest status; undefined when it has none. */
  latestState(deploymentId: number): GitHubApiDeploymentStatus['state'] | undefined;
  /** Answer the next `method` request whose path matches `pathPattern` with `status` and `{ message }` (once). */
  failNext(method: string, pathPattern: RegExp, status: number, message: string): void;
  /** Forget the recorded requests; deployments and statuses stay. */
  clearRequests(): void;
  stop(): Promise<void>;
}

export function startGitHubApi(options?: { token?: string }): Promise<GitHubApi>;

// A local stand-in for the GitHub REST API on 127.0.0.1 (a free port, node:http), speaking just
// the endpoints stage-deploy uses: deployments, and an issue's (pull request's) comments
// (https://docs.github.com/rest/issues/comments: list oldest first with per_page/page and a
// `link` header for the next page, create, update). State lives in memory; every request is recorded.
// Plain JavaScript so that scripts and tests can use it without a compiler.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const DOCS = 'https://docs.github.com/rest/deployments';
const STATUS_STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);
const CREATOR = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

/**
 * Start the server.
 * @param {{ token?: string }} [options] `token`: the one token it accepts (default `test-token`).
 */
export async function startGitHubApi(options = {}) {
  const token = options.token ?? 'test-token';
  /** @type {Array<{ method: string, path: string, query: Record<string, string>, body: unknown, authorization?: string }>} */
  const requests = [];
  /** Deployments, oldest first. */
  const deployments = [];
  /** Deployment id → its statuses, oldest first. */
  const statusesById = new Map();
  /** Errors to answer once each: { method, pathPattern, status, message }. */
  const failures = [];
  /** Issue (pull request) number → its comments, oldest first. */
  const commentsByIssue = new Map();
  let nextId = 1000;
  // A clock that moves one second per object, so that "newest first" is well defined.
  let clock = Date.parse('2025-01-01T00:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let baseUrl = '';

  function send(res, status, body, extraHeaders = {}) {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...extraHeaders,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-github-request-id': `LOCAL:${requests.length}`,
    });
    res.end(text);
  }

  function error(res, status, message) {
    send(res, status, { message, documentation_url: DOCS, status: String(status) });
  }

  /** per_page (default 30, at most 100) and page (from 1) over a newest-first list. */
  function page(list, query) {
    const perPage = Math.min(Math.max(Number.parseInt(query.per_page ?? '30', 10) || 30, 1), 100);
    const pageNumber = Math.max(Number.parseInt(query.page ?? '1', 10) || 1, 1);
    return list.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  }

  function createDeployment(repoUrl, body) {
    if (!body || typeof body.ref !== 'string' || !body.ref) return [422, { message: 'Invalid request.\n\n"ref" wasn\'t supplied.' }];
    const id = nextId++;
    const environment = typeof body.environment === 'string' && body.environment ? body.environment : 'production';
    const at = now();
    const deployment = {
      url: `${repoUrl}/deployments/${id}`,
      id,
      node_id: `DE_local${id}`,
      sha: /^[0-9a-f]{40}$/.test(body.ref) ? body.ref : createHash('sha1').update(body.ref).digest('hex'),
      ref: body.ref,
      task: body.task ?? 'deploy',
      payload: body.payload ?? {},
      original_environment: environment,
      environment,
      description: body.description ?? null,
      creator: CREATOR,
      created_at: at,
      updated_at: at,
      statuses_url: `${repoUrl}/deployments/${id}/statuses`,
      repository_url: repoUrl,
      transient_environment: body.transient_environment ?? false,
      production_environment: body.production_environment ?? environment === 'production',
    };
    deployments.push(deployment);
    statusesById.set(id, []);
    return [201, deployment];
  }

  function createStatus(repoUrl, deployment, body) {
    if (!body || !STATUS_STATES.has(body.state)) {
      return [422, { message: `Validation Failed: state is not included in the list (${String(body?.state)})` }];
    }
    if (typeof body.description === 'string' && body.description.length > 140) {
      return [422, { message: 'Validation Failed: description is too long (maximum is 140 characters)' }];
    }
    const id = nextId++;
    const at = now();
    const logUrl = body.log_url ?? body.target_url ?? '';
    const status = {
      url: `${repoUrl}/deployments/${deployment.id}/statuses/${id}`,
      id,
      node_id: `DES_local${id}`,
      state: body.state,
      creator: CREATOR,
      description: body.description ?? '',
      environment: body.environment ?? deployment.environment,
      target_url: logUrl,
      log_url: logUrl,
      environment_url: body.environment_url ?? '',
      created_at: at,
      updated_at: at,
      deployment_url: deployment.url,
      repository_url: repoUrl,
    };
    statusesById.get(deployment.id).push(status);
    deployment.updated_at = at;
    return [201, status];
  }

  /** The issue-comment endpoints; undefined when `path` is not one of them. */
  function commentRoute(method, path, query, body, headers) {
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments\/?$/.exec(path);
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/?$/.exec(path);
    if (!list && !one) return undefined;
    const [, owner, repo] = list ?? one;
    const repoUrl = `${baseUrl}/repos/${owner}/${repo}`;
    if (list) {
      const number = Number(list[3]);
      const comments = commentsByIssue.get(`${repoUrl}#${number}`) ?? [];
      if (method === 'GET') {
        const perPage = Math.min(Math.max(Number.parseInt(query.per_page ?? '30', 10) || 30, 1), 100);
        const pageNumber = Math.max(Number.parseInt(query.page ?? '1', 10) || 1, 1);
        if (pageNumber * perPage < comments.length) {
          headers.link = `<${repoUrl}/issues/${number}/comments?per_page=${perPage}&page=${pageNumber + 1}>; rel="next"`;
        }
        return [200, page(comments, query)];
      }
      if (method === 'POST') {
        if (!body || typeof body.body !== 'string') return [422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.' }];
        const at = now();
        const id = nextId++;
        const comment = { id, url: `${repoUrl}/issues/comments/${id}`, issue_url: `${repoUrl}/issues/${number}`, body: body.body, user: CREATOR, created_at: at, updated_at: at };
        comments.push(comment);
        commentsByIssue.set(`${repoUrl}#${number}`, comments);
        return [201, comment];
      }
      return [404, { message: 'Not Found' }];
    }
    const id = Number(one[3]);
    const comment = [...commentsByIssue.values()].flat().find((c) => c.id === id && c.url.startsWith(repoUrl));
    if (!comment) return [404, { message: 'Not Found' }];
    if (method === 'PATCH') {
      if (!body || typeof body.body !== 'string') return [422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.' }];
      comment.body = body.body;
      comment.updated_at = now();
      return [200, comment];
    }
    if (method === 'GET') return [200, comment];
    return [404, { message: 'Not Found' }];
  }

  /** @returns {[number, unknown]} */
  function route(method, path, query, body) {
    const match = /^\/repos\/([^/]+)\/([^/]+)\/deployments(?:\/(\d+)(\/statuses)?)?\/?$/.exec(path);
    if (!match) return [404, { message: 'Not Found' }];
    const [, owner, repo, idText, statuses] = match;
    const repoUrl = `${baseUrl}/repos/${owner}/${repo}`;
    if (!idText) {
      if (method === 'POST') return createDeployment(repoUrl, body);
      if (method === 'GET') {
        const found = deployments
          .filter((d) => d.repository_url === repoUrl)
          .filter((d) => query.environment === undefined || d.environment === query.environment)
          .filter((d) => query.ref === undefined || d.ref === query.ref)
          .filter((d) => query.sha === undefined || d.sha === query.sha)
          .filter((d) => query.task === undefined || d.task === query.task)
          .reverse();
        return [200, page(found, query)];
      }
      return [404, { message: 'Not Found' }];
    }
    const deployment = deployments.find((d) => d.id === Number(idText) && d.repository_url === repoUrl);
    if (!deployment) return [404, { message: 'Not Found' }];
    if (!statuses) return method === 'GET' ? [200, deployment] : [404, { message: 'Not Found' }];
    if (method === 'POST') return createStatus(repoUrl, deployment, body);
    if (method === 'GET') return [200, page([...statusesById.get(deployment.id)].reverse(), query)];
    return [404, { message: 'Not Found' }];
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        requests.push({ method: req.method ?? 'GET', path: url.pathname, query: {}, body: text, authorization: req.headers.authorization });
        return error(res, 400, 'Problems parsing JSON');
      }
      const method = req.method ?? 'GET';
      const query = Object.fromEntries(url.searchParams);
      const authorization = req.headers.authorization;
      requests.push({ method, path: url.pathname, query, body, authorization });

      const presented = /^(?:token|bearer)\s+(.+)$/i.exec(authorization ?? '')?.[1];
      if (presented !== token) return error(res, 401, 'Bad credentials');

      const failure = failures.findIndex((f) => f.method === method && f.pathPattern.test(url.pathname));
      if (failure >= 0) {
        const [{ status, message }] = failures.splice(failure, 1);
        // A 2xx "failure" (GitHub's 202 auto-merge answer) has a message and no documentation link.
        return status < 300 ? send(res, status, { message }) : error(res, status, message);
      }
      const headers = {};
      const [status, answer] = commentRoute(method, url.pathname, query, body, headers) ?? route(method, url.pathname, query, body);
      if (status >= 400) return error(res, status, answer.message);
      return send(res, status, answer, headers);
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    token,
    requests,
    /** Every deployment created, oldest first. */
    deployments,
    /** A deployment's statuses, oldest first. */
    statuses: (deploymentId) => [...(statusesById.get(deploymentId) ?? [])],
    /** The state of a deployment's latest status (undefined: none yet). */
    latestState: (deploymentId) => statusesById.get(deploymentId)?.at(-1)?.state,
    /** Answer the next `method` request whose path matches `pathPattern` with `status` and `{ message }`. */
    failNext: (method, pathPattern, status, message) => {
      failures.push({ method: method.toUpperCase(), pathPattern, status, message });
    },
    /** Pull request (issue) `number`'s comments, oldest first (every repository's). */
    comments: (number) => [...commentsByIssue.entries()].filter(([key]) => key.endsWith(`#${number}`)).flatMap(([, list]) => list.map((c) => ({ ...c }))),
    /** Add a comment as someone else wrote it (a reviewer), for the tests of "find our own". */
    addComment: (owner, repo, number, body, login = 'reviewer') => {
      const repoUrl = `${baseUrl}/repos/${owner}/${repo}`;
      const id = nextId++;
      const at = now();
      const list = commentsByIssue.get(`${repoUrl}#${number}`) ?? [];
      list.push({ id, url: `${repoUrl}/issues/comments/${id}`, issue_url: `${repoUrl}/issues/${number}`, body, user: { login, id: 1, type: 'User' }, created_at: at, updated_at: at });
      commentsByIssue.set(`${repoUrl}#${number}`, list);
      return id;
    },
    /** Forget what was recorded (requests only; the deployments stay). */
    clearRequests: () => {
      requests.length = 0;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve(undefined));
      }),
  };
}

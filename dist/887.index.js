export const id = 887;
export const ids = [887];
export const modules = {

/***/ 3660:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ describeApiError)
/* harmony export */ });
/* harmony import */ var _model_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7206);
/**
 * A GitHub API error as one line for a warning, the same for every GitHub record the action keeps
 * (deployments, the preview comment): GitHub's own message (without Octokit's documentation-URL
 * suffix) and the HTTP status, with what a 403 needs; or, for a request that got no answer at all
 * (DNS, refused connection, TLS), what happened: Octokit labels those HTTP 500 with no response.
 */

function describeApiError(error, forbiddenHint) {
    if (!(error instanceof Error))
        return String(error);
    const status = error.status;
    const response = error.response;
    const data = response?.data;
    const apiMessage = typeof data === 'object' && data !== null && typeof data.message === 'string'
        ? data.message
        : undefined;
    const message = apiMessage || error.message.split('\n')[0] || error.message;
    if (typeof status !== 'number')
        return (0,_model_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorChain */ .eB)(error);
    if (response === undefined)
        return `no answer from the GitHub API: ${(0,_model_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorChain */ .eB)(error.cause ?? error)}`;
    const hint = status === 403 ? `; ${forbiddenHint}` : '';
    return `${message} (HTTP ${status}${hint})`;
}


/***/ }),

/***/ 6887:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubDeploymentTracker: () => (/* binding */ GitHubDeploymentTracker),
/* harmony export */   createDeploymentTracker: () => (/* binding */ createDeploymentTracker),
/* harmony export */   truncateDescription: () => (/* binding */ truncateDescription),
/* harmony export */   workflowRunUrl: () => (/* binding */ workflowRunUrl)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _api_error_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3660);
/**
 * GitHub deployments for a release, through @actions/github's Octokit: `begin` creates a
 * deployment of the commit to the stage's environment and marks it `in_progress`; `end` marks it
 * `success` or `failure` and, on success, marks the environment's previous successful
 * deployment(s) `inactive`, so the Environments page shows one live release per stage.
 *
 * A deployment record is never a reason to fail a release: every GitHub API error becomes one
 * warning, and a deployment that could not be created makes `end` a no-op.
 */


/** What a 403 on a deployment needs. */
const DEPLOYMENTS_FORBIDDEN = 'the workflow needs `permissions: deployments: write`';
const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
/** GitHub rejects deployment status descriptions longer than this. */
const MAX_DESCRIPTION_LENGTH = 140;
/** How many of the environment's most recent deployments `end` looks at for one to mark inactive. */
const PREVIOUS_DEPLOYMENTS_CHECKED = 10;
/** Environments GitHub should treat as production. */
const PRODUCTION_NAMES = new Set(['prod', 'production']);
function isProductionEnvironment(environment) {
    return PRODUCTION_NAMES.has(environment.trim().toLowerCase());
}
/** At most `max` characters (code points), with `…` when cut. */
function truncateDescription(text, max = MAX_DESCRIPTION_LENGTH) {
    const chars = Array.from(text);
    if (chars.length <= max)
        return text;
    return chars.slice(0, max - 1).join('') + '…';
}
class GitHubDeploymentTracker {
    octokit;
    owner;
    repo;
    log;
    logUrl;
    current;
    constructor(options) {
        this.octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(options.token, { baseUrl: (options.apiUrl || DEFAULT_GITHUB_API_URL).replace(/\/+$/, '') });
        this.owner = options.owner;
        this.repo = options.repo;
        this.log = options.log;
        if (options.logUrl !== undefined)
            this.logUrl = options.logUrl;
    }
    /** The id of the deployment begun and not yet ended, if any. */
    get deploymentId() {
        return this.current?.id;
    }
    async begin(request) {
        const { environment } = request;
        delete this.current;
        let id;
        try {
            const response = await this.octokit.rest.repos.createDeployment({
                owner: this.owner,
                repo: this.repo,
                ref: request.ref,
                environment,
                description: truncateDescription(request.description),
                ...(request.payload && { payload: request.payload }),
                auto_merge: false,
                // A release must not wait on the commit's statuses: the workflow already gates it.
                required_contexts: [],
                production_environment: !request.transient && isProductionEnvironment(environment),
                ...(request.transient && { transient_environment: true }),
            });
            const data = response.data;
            if (typeof data.id !== 'number') {
                // 202: GitHub merged the default branch into the ref instead of creating a deployment.
                const message = typeof data.message === 'string' && data.message ? data.message : `HTTP ${response.status}, no deployment id`;
                this.log.warn(`GitHub deployment for ${environment} not created: ${message}`);
                return;
            }
            id = data.id;
        }
        catch (error) {
            this.log.warn(`GitHub deployment for ${environment} not created: ${(0,_api_error_js__WEBPACK_IMPORTED_MODULE_1__/* .describeApiError */ .g)(error, DEPLOYMENTS_FORBIDDEN)}`);
            return;
        }
        this.current = { id, environment, ...(request.environmentUrl && { environmentUrl: request.environmentUrl }) };
        this.log.info(`GitHub deployment ${id} of ${request.ref} to ${environment}: in progress.`);
        try {
            await this.octokit.rest.repos.createDeploymentStatus({
                owner: this.owner,
                repo: this.repo,
                deployment_id: id,
                state: 'in_progress',
                description: truncateDescription(request.description),
                ...(request.environmentUrl && { environment_url: request.environmentUrl }),
                ...(this.logUrl && { log_url: this.logUrl }),
                auto_inactive: false,
            });
        }
        catch (error) {
            this.log.warn(`GitHub deployment status in_progress for ${environment} not set: ${(0,_api_error_js__WEBPACK_IMPORTED_MODULE_1__/* .describeApiError */ .g)(error, DEPLOYMENTS_FORBIDDEN)}`);
        }
    }
    async end(outcome) {
        const begun = this.current;
        if (!begun)
            return;
        delete this.current;
        const environmentUrl = outcome.environmentUrl ?? begun.environmentUrl;
        const logUrl = outcome.logUrl ?? this.logUrl;
        try {
            await this.octokit.rest.repos.createDeploymentStatus({
                owner: this.owner,
                repo: this.repo,
                deployment_id: begun.id,
                state: outcome.state,
                description: truncateDescription(outcome.description),
                ...(environmentUrl && { environment_url: environmentUrl }),
                ...(logUrl && { log_url: logUrl }),
                // Done explicitly below: GitHub's own never touches production environments.
                auto_inactive: false,
            });
        }
        catch (error) {
            this.log.warn(`GitHub deployment status ${outcome.state} for ${begun.environment} not set: ${(0,_api_error_js__WEBPACK_IMPORTED_MODULE_1__/* .describeApiError */ .g)(error, DEPLOYMENTS_FORBIDDEN)}`);
            return;
        }
        this.log.info(`GitHub deployment ${begun.id} to ${begun.environment}: ${outcome.state}.`);
        if (outcome.state === 'success')
            await this.deactivatePrevious(begun);
    }
    async deactivate(environment, description) {
        let deployments;
        try {
            deployments = await this.octokit.paginate(this.octokit.rest.repos.listDeployments, { owner: this.owner, repo: this.repo, environment, per_page: 100 });
        }
        catch (error) {
            this.log.warn(`GitHub deployments of ${environment} not listed: ${(0,_api_error_js__WEBPACK_IMPORTED_MODULE_1__/* .describeApiError */ .g)(error, DEPLOYMENTS_FORBIDDEN)}`);
            return;
        }
        for (const deployment of deployments) {
            try {
                const statuses = await this.octokit.rest.repos.listDeploymentStatuses({ owner: this.owner, repo: this.repo, deployment_id: deployment.id, per_page: 1 });
                if (statuses.data[0]?.state === 'inactive')
                    continue;
                await this.octokit.rest.repos.createDeploymentStatus({
                    owner: this.owner,
                    repo: this.repo,
                    deployment_id: deployment.id,
                    state: 'inactive',
                    description: truncateDescription(description),
                    ...(this.logUrl && { log_url: this.logUrl }),
                    auto_inactive: false,
                });
                this.log.info(`GitHub deployment ${deployment.id} to ${environment}: inactive.`);
            }
            catch (error) {
                this.log.warn(`GitHub deployment ${deployment.id} of ${environment} not marked inactive: ${(0,_api_error_js__WEBPACK_IMPORTED_MODULE_1__/* .describeApiError */ .g)(error, DEPLOYMENTS_FORBIDDEN)}`);
            }
        }
    }
    /** Mark the environment's earlier deployments whose latest status is `success` as `inactive`. */
    async deactivatePrevious(begun) {
        let previous;
        try {
            const response = await this.octokit.rest.repos.listDeployments({
                owner: this.owner,
                repo: this.repo,
                environment: begun.environment,
                per_page: PREVIOUS_DEPLOYMENTS_CHECKED,
            });
            // Ids grow over time: a newer deployment (another run's) is not ours to retire.
            previous = response.data.filter((d) => d.id < begun.id && (d.environment ?? begun.environment) === begun.environment);
        }
        catch (error) {
            this.log.warn(`Previous GitHub deployments of ${begun.environment} not listed: ${(0,_api_error_js__WEBPACK_IMPORTED_MODULE_1__/* .describeApiError */ .g)(error, DEPLOYMENTS_FORBIDDEN)}`);
            return;
        }
        for (const deployment of previous) {
            try {
                const statuses = await this.octokit.rest.repos.listDeploymentStatuses({
                    owner: this.owner,
                    repo: this.repo,
                    deployment_id: deployment.id,
                    per_page: 1,
                });
                if (statuses.data[0]?.state !== 'success')
                    continue;
                await this.octokit.rest.repos.createDeploymentStatus({
                    owner: this.owner,
                    repo: this.repo,
                    deployment_id: deployment.id,
                    state: 'inactive',
                    description: truncateDescription(`Replaced by deployment ${begun.id}`),
                    auto_inactive: false,
                });
                this.log.info(`GitHub deployment ${deployment.id} to ${begun.environment}: inactive (replaced).`);
            }
            catch (error) {
                this.log.warn(`GitHub deployment ${deployment.id} of ${begun.environment} not marked inactive: ${(0,_api_error_js__WEBPACK_IMPORTED_MODULE_1__/* .describeApiError */ .g)(error, DEPLOYMENTS_FORBIDDEN)}`);
            }
        }
    }
}
/** The workflow run's page, from the runner's environment; undefined outside a run. */
function workflowRunUrl(env) {
    const repository = env['GITHUB_REPOSITORY'];
    const runId = env['GITHUB_RUN_ID'];
    if (!repository || !runId)
        return undefined;
    const server = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
    const attempt = env['GITHUB_RUN_ATTEMPT'];
    return `${server}/${repository}/actions/runs/${runId}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}`;
}
/**
 * The tracker for this run: undefined (said once in the log) without a token or outside a
 * repository. Reads `GITHUB_REPOSITORY` (owner/repo), `GITHUB_API_URL` and the run's URL.
 */
function createDeploymentTracker(env, token, log) {
    const repository = env['GITHUB_REPOSITORY'] ?? '';
    const [owner, repo, ...rest] = repository.split('/');
    if (!owner || !repo || rest.length > 0) {
        log.info(repository
            ? `GITHUB_REPOSITORY '${repository}' is not {owner}/{repo}: deployment statuses skipped.`
            : 'No GITHUB_REPOSITORY: deployment statuses skipped.');
        return undefined;
    }
    const logUrl = workflowRunUrl(env);
    return new GitHubDeploymentTracker({
        token,
        owner,
        repo,
        log,
        ...(env['GITHUB_API_URL'] && { apiUrl: env['GITHUB_API_URL'] }),
        ...(logUrl && { logUrl }),
    });
}


/***/ })

};

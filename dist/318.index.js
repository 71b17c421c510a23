export const id = 318;
export const ids = [318];
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

/***/ 7318:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createPullRequestComment: () => (/* binding */ createPullRequestComment)
/* harmony export */ });
/* unused harmony export PullRequestComment */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _api_error_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3660);
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


const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
class PullRequestComment {
    options;
    octokit;
    constructor(options) {
        this.options = options;
        this.octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(options.token, { baseUrl: (options.apiUrl || DEFAULT_GITHUB_API_URL).replace(/\/+$/, '') });
    }
    /** Edit the comment the marker starts on pull request `number`, or create it; its id, or undefined when GitHub refused. */
    async upsert(number, marker, body) {
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
        }
        catch (error) {
            log.warn(`Pull request #${number}: the preview comment was not written: ${(0,_api_error_js__WEBPACK_IMPORTED_MODULE_1__/* .describeApiError */ .g)(error, 'the job needs `permissions: pull-requests: write`')}`);
            return undefined;
        }
    }
}
/** The comment writer for this run, or undefined (said in the log) outside a repository. */
function createPullRequestComment(env, token, log) {
    const [owner, repo, ...rest] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
    if (!owner || !repo || rest.length > 0) {
        log.info('No GITHUB_REPOSITORY of the form owner/repo: the preview comment is skipped.');
        return undefined;
    }
    return new PullRequestComment({ token, owner, repo, log, ...(env['GITHUB_API_URL'] && { apiUrl: env['GITHUB_API_URL'] }) });
}


/***/ })

};

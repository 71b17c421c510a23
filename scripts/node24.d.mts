/** The node binary that runs dist/ in tests and the benchmark (Node 24 unless STAGE_DEPLOY_ACTION_NODE says otherwise). */
export function actionNode(): string;
/** Install the pinned Node 24 when it is missing or its lock file changed; its path. */
export function ensureNode24(): string;

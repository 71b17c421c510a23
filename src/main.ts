/**
 * The main step as a module that exports run() and does not start on import: the entry for
 * GitHub's @github/local-action, which runs the TypeScript source with tsx, stands in for
 * @actions/core and calls run() (README, "Try it locally with @github/local-action"):
 *
 *   npx local-action run . src/main.ts .env --post src/post.ts
 *
 * A runner uses src/index.ts (bundled into dist/index.js), which runs the same code.
 */
export { runLocalMain as run } from './action/local-action.js';

/**
 * The post step as a module that exports run(): local-action's `--post` entry. It runs in the
 * same process right after src/main.ts, and finds the state that step saved (a shift it did not
 * finish is put back, as on a runner).
 */
export { runLocalPost as run } from './action/local-action.js';

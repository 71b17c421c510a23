/**
 * The entries for GitHub's @github/local-action (src/main.ts, src/post.ts): it stands in for
 * @actions/core, so the steps talk to the runner through that module, not ./runner.ts's files.
 */
import * as core from '@actions/core';

import { runMain, runPost } from './main.js';
import { useRunner } from './runner.js';

export function runLocalMain(): Promise<void> {
  useRunner(core);
  return runMain();
}

export function runLocalPost(): Promise<void> {
  useRunner(core);
  return runPost();
}

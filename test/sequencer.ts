/**
 * The order test files start in: the longest first, whatever their ring. vitest's own order
 * (BaseSequencer) runs the rings one after the other (e2e, integration, unit) and sorts by time
 * only within each, so the longest integration file (group-release, ~20 s of waiting) started
 * after every end-to-end file and ran on alone at the end. Times come from vitest's cache of
 * the last run (node_modules/.vite); a file it has not timed yet goes first, then by size, as
 * vitest does.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const key = (file: TestSpecification) => `${file.project.name}:${relative(config.root, file.moduleId)}`;
    const weight = (file: TestSpecification): [number, number] => {
      const timed = cache.getFileTestResults(key(file));
      if (timed !== undefined) return [1, timed.duration];
      return [2, cache.getFileStats(key(file))?.size ?? Number.MAX_SAFE_INTEGER];
    };
    return [...files].sort((a, b) => {
      const [rankA, valueA] = weight(a);
      const [rankB, valueB] = weight(b);
      return rankB - rankA || valueB - valueA;
    });
  }
}

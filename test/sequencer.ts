/**
 * The order test files start in: ring by ring, the ring with the most work first (end-to-end,
 * then integration, then unit), and within a ring the longest file first.
 *
 * Ring by ring because a worker serves one ring (vitest project): when a worker's next file is in
 * another ring, vitest stops it and starts a new one, which imports the AWS SDK and the harness
 * again (about 1.5 s of CPU). Ordered longest first across all rings, the suite started 45
 * workers for 116 files; ring by ring, about a dozen.
 *
 * Longest first within a ring, so that no long file starts late and runs on alone at the end:
 * the longest integration file (group-release, ~20 s, mostly waiting) starts as soon as the
 * end-to-end files are handed out, while their last ones still run, and the short unit files fill
 * the gaps at the very end.
 *
 * Times come from vitest's cache of the last run (node_modules/.vite). A file it has not timed
 * yet goes first in its ring, then by size, as vitest does; a ring's weight is the sum over its
 * files (time, else size).
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export default class RingByRingLongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const key = (file: TestSpecification) => `${file.project.name}:${relative(config.root, file.moduleId)}`;
    /** [rank, value]: timed files rank 1 by duration, untimed ones rank 2 by size. */
    const weight = (file: TestSpecification): [number, number] => {
      const timed = cache.getFileTestResults(key(file));
      if (timed !== undefined) return [1, timed.duration];
      return [2, cache.getFileStats(key(file))?.size ?? Number.MAX_SAFE_INTEGER];
    };
    const ringWeight = new Map<string, number>();
    for (const file of files) {
      const name = file.project.name;
      ringWeight.set(name, (ringWeight.get(name) ?? 0) + weight(file)[1]);
    }
    return [...files].sort((a, b) => {
      const ringA = a.project.name;
      const ringB = b.project.name;
      if (ringA !== ringB) return (ringWeight.get(ringB) ?? 0) - (ringWeight.get(ringA) ?? 0) || ringA.localeCompare(ringB);
      const [rankA, valueA] = weight(a);
      const [rankB, valueB] = weight(b);
      return rankB - rankA || valueB - valueA;
    });
  }
}

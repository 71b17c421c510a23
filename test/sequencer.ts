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
 * yet goes first in its ring, then by size, as vitest does. Rings are weighed by the time of their
 * timed files, then (a clean clone has none) by the size of the others.
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
    /** Per ring: the time of its timed files, and the size of its untimed ones (kept apart: ms and bytes do not add up). */
    const rings = new Map<string, { time: number; size: number }>();
    for (const file of files) {
      const ring = rings.get(file.project.name) ?? { time: 0, size: 0 };
      const [rank, value] = weight(file);
      if (rank === 1) ring.time += value;
      else ring.size += value;
      rings.set(file.project.name, ring);
    }
    return [...files].sort((a, b) => {
      const ringA = rings.get(a.project.name)!;
      const ringB = rings.get(b.project.name)!;
      if (ringA !== ringB) return ringB.time - ringA.time || ringB.size - ringA.size || a.project.name.localeCompare(b.project.name);
      const [rankA, valueA] = weight(a);
      const [rankB, valueB] = weight(b);
      return rankB - rankA || valueB - valueA;
    });
  }
}

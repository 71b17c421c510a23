import type { StepTiming } from '../model/results.js';
import type { Clock } from '../model/ports.js';

/** Records how long each step of a command took, for the log and the job summary. */
export class Timeline {
  readonly steps: StepTiming[] = [];
  private readonly startedAt: number;

  constructor(private readonly clock: Clock) {
    this.startedAt = clock.now();
  }

  /** Run `work` as the step `name`; a step that throws is recorded as failed and the error goes on. */
  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = this.clock.now();
    let ok = false;
    try {
      const value = await work();
      ok = true;
      return value;
    } finally {
      this.steps.push({ name, startMs: Math.round(start - this.startedAt), durationMs: Math.round(this.clock.now() - start), ok });
    }
  }

  /** Mark the outcome of the last step named `name` (a smoke check that answered but failed). */
  markFailed(name: string): void {
    const step = [...this.steps].reverse().find((s) => s.name === name);
    if (step) step.ok = false;
  }

  elapsedMs(): number {
    return Math.round(this.clock.now() - this.startedAt);
  }
}

/**
 * One release of several units (a function in a region): the units' own runs of deploy, promote
 * or rollback go on concurrently, and meet at sync points, so that the stage moves as one:
 *
 * - `change`: every unit has read and passed its checks; nothing in AWS has changed yet
 *   (carry-out.ts's `beforeChange`). A unit refused before it (bad input) fails the group, and
 *   nothing is written anywhere; a unit with nothing to do (`unchanged`) leaves the group.
 * - `shift`: every unit has published its version and passed its checks before traffic (the
 *   invoke check, the alarm gate): right before the first alias write (rollout.ts).
 * - `step`: a progressive shift's steps move together: no unit writes its step to `percent`
 *   before every unit has reached that step (or a later one).
 * - `shifted`: every alias is on its new version; only then does any smoke test run (a
 *   function's smoke test may go through the others, which must be on the release too), and
 *   a failing one finds every alias shifted, so they all go back in one round.
 * - `done`: every unit has passed its smoke test and bake; only then does any unit report success.
 *
 * When any unit fails, the group fails: its signal aborts (with a reason naming the unit), so a
 * unit holding a step or baking stops at once and puts its alias back, concurrently with the
 * others (one round of UpdateAlias); a unit that reaches a sync point afterwards stops there
 * without writing more (GroupStopped).
 *
 * Every unit runs at once; none is held back for a slot, since a barrier with fewer slots than
 * units would wait forever. What is bounded is the rate of requests to Lambda's control plane,
 * per region (aws/rate-limit.ts).
 */

import type { RolloutState, RolloutStateStore } from '../model/ports.js';

/** Where the units meet, in the order a unit reaches them. */
export type SyncPoint = 'change' | 'shift' | { step: number } | 'shifted' | 'done';

/** Thrown at a sync point reached after the group failed: the unit stops there. */
export class GroupStopped extends Error {
  constructor(readonly reason: string) {
    super(`stopped, since the release of the stage failed: ${reason}`);
    this.name = 'GroupStopped';
  }
}

/** What one unit's run is lent: the group's signal (with the run's cancel), its sync points, and the means to fail the group. */
export interface GroupMember {
  readonly name: string;
  /** Aborts when the group fails, or the run's own signal does. */
  readonly signal: AbortSignal;
  /** Wait until every unit still in the group has reached this point (or a later one); rejects with GroupStopped once the group has failed. */
  arrive(point: SyncPoint): Promise<void>;
  /** This unit failed: the whole group fails (the first failure is the one that counts). */
  fail(reason: string): void;
  /** This unit has nothing more to do with the others (it ended, unchanged or otherwise): no sync point waits for it. */
  leave(): void;
}

/** A sync point's place in a unit's progress: a barrier waits until every unit still in the group is at least there. */
export function rankOf(point: SyncPoint): number {
  if (point === 'change') return 0;
  if (point === 'shift') return 1;
  if (point === 'shifted') return 2.5;
  if (point === 'done') return 3;
  return 1 + Math.min(100, Math.max(0, point.step)) / 100;
}

interface Waiter {
  rank: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class ReleaseGroup {
  private readonly controller = new AbortController();
  /** Where each unit still in the group stands (-1: working towards its first sync point). */
  private readonly at = new Map<string, number>();
  private waiters: Waiter[] = [];
  private failure: { unit: string; reason: string } | undefined;
  readonly signal: AbortSignal;

  /** `names`: one per unit, unique (e.g. `notes-api (us-east-1)`); `runSignal`: the run's cancel (SIGINT/SIGTERM). */
  constructor(names: readonly string[], runSignal?: AbortSignal) {
    for (const name of names) {
      if (this.at.has(name)) throw new Error(`unit ${name} is listed twice`);
      this.at.set(name, -1);
    }
    this.signal = runSignal === undefined ? this.controller.signal : AbortSignal.any([this.controller.signal, runSignal]);
  }

  /** The first failure: which unit, and why; undefined while none has failed. */
  get failed(): { unit: string; reason: string } | undefined {
    return this.failure;
  }

  member(name: string): GroupMember {
    if (!this.at.has(name)) throw new Error(`unit ${name} is not in the group`);
    return {
      name,
      signal: this.signal,
      arrive: (point) => this.arrive(name, rankOf(point)),
      fail: (reason) => this.fail(name, reason),
      leave: () => this.leave(name),
    };
  }

  private arrive(name: string, rank: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.stopped());
    if (!this.at.has(name)) return Promise.resolve();
    this.at.set(name, Math.max(rank, this.at.get(name) ?? -1));
    const waiting = new Promise<void>((resolve, reject) => this.waiters.push({ rank, resolve, reject }));
    this.release();
    return waiting;
  }

  private fail(name: string, reason: string): void {
    if (this.failure !== undefined) return;
    this.failure = { unit: name, reason };
    this.controller.abort(`${name} failed: ${reason}`);
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(this.stopped());
  }

  private leave(name: string): void {
    if (!this.at.delete(name)) return;
    this.release();
  }

  /** Let go every waiter whose point every unit still in the group has reached. */
  private release(): void {
    if (this.failure !== undefined) return;
    const slowest = Math.min(...this.at.values());
    const ready = this.waiters.filter((w) => w.rank <= slowest);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.rank > slowest);
    for (const waiter of ready) waiter.resolve();
  }

  private stopped(): GroupStopped {
    const failure = this.failure;
    return new GroupStopped(failure === undefined ? 'unknown' : `${failure.unit} failed: ${failure.reason}`);
  }
}

/**
 * The rollout state of a release of several units: each unit's store (given to its rollout)
 * saves or clears its own shift, and the run's store always holds every shift in progress.
 */
export function groupStateStore(store: RolloutStateStore): (unit: string) => RolloutStateStore {
  const inProgress = new Map<string, RolloutState>();
  const write = () => {
    const states = [...inProgress.values()];
    if (store.saveUnits !== undefined) store.saveUnits(states);
    else if (states[0] !== undefined) store.save(states[0]);
    else store.clear();
  };
  return (unit) => ({
    save: (state) => {
      inProgress.set(unit, state);
      write();
    },
    clear: () => {
      if (inProgress.delete(unit)) write();
    },
  });
}

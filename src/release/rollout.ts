/**
 * The rollout: move an alias to a new version safely, and put it back exactly as it was when
 * anything fails. Shared by every command that moves an alias: the alias is always on a verified
 * version or on the one it was on before.
 *
 * In order:
 * 1. before any traffic: the invoke check (`smoke.invoke`), and the alarm gate (an alarm already
 *    in ALARM refuses the shift, unless `force`);
 * 2. the traffic plan's steps (routing weights on the alias), each held while the gates are
 *    watched: the `alarms`, and the new version's own Errors/Invocations against `max-error-rate`;
 * 3. the last step: the alias on the new version, no weights, the release history written;
 * 4. the HTTP smoke test, then `bake`: the gates watched a while longer.
 * Any failure, a cancel (SIGINT/SIGTERM) or the rollout's time limit: one UpdateAlias back.
 */
import { invokeCheck } from '../checks/invoke.js';
import { AliasConflictError, errorMessage } from '../model/errors.js';
import { sameAliasState, type AliasState } from '../model/lambda.js';
import { inGroup, type Clock, type LambdaGateway, type Log, type MetricsGateway, type RolloutState, type RolloutStateStore, type SmokeChecker } from '../model/ports.js';
import type { CheckRecord, GateReading, SmokeResult } from '../model/results.js';
import type { StageSettings, TrafficStrategy } from '../model/settings.js';
import { formatDuration } from '../report/format.js';
import { rolloutBudgetMs } from './budget.js';
import { judgeGates } from './gates.js';
import { parseHistory } from './history.js';
import { judgeLeftover } from './leftover.js';
import { GroupStopped, type GroupMember } from './group.js';
import { checkRouting } from './limits.js';
import type { Timeline } from './timeline.js';
import { describePlan, trafficPlan, type TrafficStep } from './traffic-plan.js';
import { weightedAliasConflict } from './weighted-alias.js';

export interface ShiftRequest {
  settings: StageSettings;
  /** The alias as read before anything changed; undefined when it does not exist yet. */
  before: AliasState | undefined;
  toVersion: string;
  /** How traffic moves (the plan's: all at once for a first release or a rollback). */
  traffic: TrafficStrategy;
  /** The alias description after the shift: the stage's release history (history.ts). */
  description: string;
  /** false for a rollback: the emergency button moves all at once, with no invoke check and no gates. */
  progressive: boolean;
}

export type ShiftOutcome =
  | ({ ok: true; alias: AliasState } & CheckRecord)
  | ({
      ok: false;
      /** What failed: `GET https://x/health → 502 on 3 of 3 attempts`, an alarm, the error rate, a cancel. */
      failure: string;
      /**
       * Where the alias ended: never moved (`untouched`, a check before any traffic failed), put
       * back on the version it was on, removed (it was created by this shift), or left as another
       * release made it (`superseded`: a write of this run was refused because the alias had moved
       * under it; `note` says what was found and what was left).
       */
      restored?: { untouched: true } | { to: string } | { removed: true } | Superseded;
      /** Set when putting it back failed: the alias may still be on `toVersion`. */
      repair?: { error: string; command: string };
    } & CheckRecord);

export interface ShiftDeps {
  lambda: LambdaGateway;
  smoke: SmokeChecker;
  log: Log;
  timeline: Timeline;
  /** CloudWatch, for `alarms` and `max-error-rate`. */
  metrics?: MetricsGateway;
  /** true: skip the alarm gates (said loudly). */
  force?: boolean;
  /** Aborted on SIGINT/SIGTERM: the rollout stops and puts the alias back. */
  signal?: AbortSignal;
  state?: RolloutStateStore;
  /** Wall time (the gates' metric windows, the time limit) and the waits between gate readings. */
  clock: Clock;
  /** How often the gates are read while a step is held; default 10 s (never longer than the hold). */
  gateIntervalMs?: number;
  /** Slack added to the planned duration for the rollout's time limit; default ROLLOUT_GRACE_MS. */
  rolloutGraceMs?: number;
  /**
   * Set when this alias is one unit of a release of several (group.ts): the shift waits for every
   * unit at `shift`, at each step, at `shifted` (before the smoke test) and at `done`, and a failure here fails them all. `signal` then
   * includes the group's.
   */
  group?: GroupMember;
}

class RolloutFailure extends Error {}

/** Another release moved (or created, or removed) the alias while this run worked on it: nothing of it is overwritten. */
export interface Superseded {
  superseded: true;
  /** The alias as read after the refusal; undefined when it is gone. */
  found?: AliasState;
  /** e.g. `another release moved alias dev to version 9 (commit abc1234) while this run checked version 8; version 8 is not live, nothing was put back` */
  note: string;
}

export async function shiftAndVerify(request: ShiftRequest, deps: ShiftDeps): Promise<ShiftOutcome> {
  const { settings, before, toVersion, description } = request;
  const { lambda, log, timeline } = deps;
  const name = settings.functionName;
  const progressive = request.progressive;
  const wallClock = () => deps.clock.now();
  const startedAt = wallClock();
  const at = () => wallClock() - startedAt;

  // A first release has no version to split traffic with: it goes all at once.
  const steps: TrafficStep[] = trafficPlan(request.traffic);
  if (progressive && before === undefined && settings.traffic.kind !== 'all-at-once') {
    log.info(`First release of alias ${settings.alias}: no earlier version to split traffic with, so all at once.`);
  }
  const alarms = progressive ? settings.alarms : [];
  const watchAlarms = alarms.length > 0 && !deps.force;
  const watchErrors = progressive && settings.maxErrorRate !== undefined;
  const common: CheckRecord = { traffic: [], gates: [], forced: alarms.length > 0 && deps.force === true };
  if (common.forced) {
    log.warn(`force: true: the alarm gates (${alarms.join(', ')}) are SKIPPED for this release.`);
  }

  // Never a weight on $LATEST, nor a split with it: a weighted alias joins two published versions
  // (weighted-alias.ts). The commands refuse such a plan; this is the last word before any write.
  if (steps.length > 1 && before !== undefined) {
    const unsplittable = weightedAliasConflict(request.traffic, { version: before.version }, { version: toVersion });
    if (unsplittable !== undefined) return { ok: false, failure: unsplittable, restored: { untouched: true }, ...common };
  }

  // 1. Before any traffic.
  if (progressive && settings.smoke?.invoke) {
    const smoke = settings.smoke;
    const invoke = await timeline.step('invoke', () => invokeCheck(lambda, name, toVersion, smoke, log, deps.clock));
    common.invoke = invoke;
    if (!invoke.ok) {
      timeline.markFailed('invoke');
      return { ok: false, failure: `${invoke.summary}; version ${toVersion} never received traffic`, restored: { untouched: true }, ...common };
    }
  }
  const readGates = async (windowStart: number): Promise<void> => {
    if (!watchAlarms && !watchErrors) return;
    const reading: GateReading = { atMs: at(), alarms: [] };
    if (watchAlarms && deps.metrics) reading.alarms = await deps.metrics.alarmStates(alarms);
    if (watchErrors && deps.metrics) {
      const metrics = await deps.metrics.versionMetrics(name, settings.alias, toVersion, new Date(windowStart), new Date(wallClock()));
      reading.errors = metrics.errors;
      reading.invocations = metrics.invocations;
    }
    common.gates.push(reading);
    const verdict = judgeGates(reading, { version: toVersion, ...(settings.maxErrorRate !== undefined && { maxErrorRate: settings.maxErrorRate }) });
    if (!verdict.ok) throw new RolloutFailure(verdict.reason);
  };
  if (watchAlarms) {
    try {
      await readGates(wallClock());
    } catch (error) {
      return { ok: false, failure: `${errorMessage(error)} before the shift; nothing was shifted (force: true overrides)`, restored: { untouched: true }, ...common };
    }
  }

  // 2–4. The shift, watched.
  const budgetMs = rolloutBudgetMs(steps, settings, progressive, deps.rolloutGraceMs);
  const deadline = startedAt + budgetMs;
  const cancelled = () => {
    if (deps.signal?.aborted) throw new RolloutFailure(`cancelled (${String(deps.signal.reason ?? 'signal')})`);
  };
  const guard = () => {
    cancelled();
    if (wallClock() > deadline) throw new RolloutFailure(`the rollout took longer than its limit of ${formatDuration(budgetMs)}`);
  };
  const hold = async (ms: number, label: string, windowStart: number) => {
    const until = wallClock() + ms;
    const interval = Math.max(1, Math.min(deps.gateIntervalMs ?? 10_000, ms));
    while (wallClock() < until) {
      guard();
      try {
        await deps.clock.sleep(Math.min(interval, Math.max(0, until - wallClock())), deps.signal);
      } catch {
        guard();
        throw new RolloutFailure('cancelled');
      }
      guard();
      await readGates(windowStart);
      log.info(progressLine(label, at(), common.gates.at(-1), alarms, toVersion));
    }
  };

  // Lambda routes an alias to at most two published versions (limits.ts): asserted for every split
  // step before the first alias write.
  if (before !== undefined) for (const step of steps) if (step.percent < 100) checkRouting(before.version, { [toVersion]: step.percent / 100 });
  // One release of several units (group.ts): no alias moves before every unit has published and
  // passed its checks before traffic; after a failure elsewhere, this one stops here, unshifted.
  if (deps.group !== undefined) {
    try {
      await deps.group.arrive('shift');
    } catch (error) {
      return { ok: false, failure: errorMessage(error), restored: { untouched: true }, ...common };
    }
  }
  deps.state?.save({
    functionName: name,
    alias: settings.alias,
    ...(settings.region !== undefined && { region: settings.region }),
    ...(settings.role !== undefined && { role: settings.role }),
    toVersion,
    toDescription: description,
    before: before === undefined ? null : { version: before.version, weights: before.weights, description: before.description },
  });
  if (steps.length > 1) log.info(`Traffic plan for version ${toVersion}: ${describePlan(steps, formatDuration)}.`);

  let shifted: AliasState | undefined;
  let failure: string | undefined;
  let smoke: SmokeResult | undefined;
  const shiftStart = wallClock();
  try {
    let revisionId = before?.revisionId;
    for (const [index, step] of steps.entries()) {
      await deps.group?.arrive({ step: step.percent });
      guard();
      const last = step.percent >= 100;
      shifted = await timeline.step(last ? 'shift' : `${step.percent}%`, async () => {
        if (before === undefined) return lambda.createAlias(name, settings.alias, toVersion, description);
        return lambda.updateAlias(name, settings.alias, {
          ...(last
            ? { version: toVersion, weights: {}, description }
            : { version: before.version, weights: { [toVersion]: step.percent / 100 }, description: before.description }),
          ...(revisionId !== undefined && { revisionId }),
        });
      });
      revisionId = shifted.revisionId;
      common.traffic.push({ atMs: at(), percent: step.percent });
      if (last) {
        log.info(
          before === undefined
            ? `Created alias ${settings.alias} on version ${toVersion}.`
            : `Shifted alias ${settings.alias} from version ${before.version} to ${toVersion}.`,
        );
      } else {
        log.info(`Step ${index + 1}/${steps.length}: ${step.percent}% of ${settings.alias} on version ${toVersion}, held ${formatDuration(step.holdMs)}.`);
        await timeline.step(`hold ${step.percent}%`, () =>
          inGroup(log, `Step ${index + 1}/${steps.length}: ${step.percent}% of ${settings.alias} on version ${toVersion}, gates watched for ${formatDuration(step.holdMs)}`, () =>
            hold(step.holdMs, `${step.percent}%`, shiftStart),
          ),
        );
      }
    }

    // Several units: no smoke test runs before every alias is on its new version (group.ts).
    await deps.group?.arrive('shifted');
    if (settings.smoke === undefined) {
      log.warn(`Stage ${settings.stage} has no smoke test (smoke.url): version ${toVersion} is live without a check.`);
    } else {
      const smokeSettings = settings.smoke;
      try {
        smoke = await timeline.step('smoke', () => inGroup(log, `Smoke test of ${settings.stage}`, () => deps.smoke.check(smokeSettings, log, deps.signal)));
      } catch (error) {
        cancelled();
        throw new RolloutFailure(`smoke test could not run: ${errorMessage(error)}`);
      }
      // A cancel during the smoke test ends the release failed, whatever the last answer was.
      if (deps.signal?.aborted) timeline.markFailed('smoke');
      cancelled();
      if (!smoke.ok) {
        timeline.markFailed('smoke');
        throw new RolloutFailure(smoke.summary);
      }
    }
    if (progressive && settings.bakeMs > 0) {
      log.info(`Baking version ${toVersion} for ${formatDuration(settings.bakeMs)}: watching the gates.`);
      await timeline.step('bake', () => inGroup(log, `Bake of version ${toVersion}: gates watched for ${formatDuration(settings.bakeMs)}`, () => hold(settings.bakeMs, 'bake', shiftStart)));
    }
    // Several units: none is done before every one has passed its checks (group.ts).
    await deps.group?.arrive('done');
    // The last word: a cancel that came while nothing was waiting still rolls back.
    cancelled();
  } catch (error) {
    if (error instanceof AliasConflictError) {
      // Another release wrote the alias since this run read (or last wrote) it: leave it as it is.
      const doing = before === undefined ? 'created it for' : 'shifted to';
      const restored = await superseded(request, deps, error.conflict === 'exists' ? 'created' : 'moved', doing);
      deps.state?.clear();
      common.traffic.push({ atMs: at(), percent: 0 });
      return { ok: false, failure: before === undefined ? 'creating the alias was refused' : 'the shift was refused', restored, ...(smoke && { smoke }), ...common };
    }
    failure = error instanceof RolloutFailure || error instanceof GroupStopped ? error.message : `the shift failed: ${errorMessage(error)}`;
    // The other units of the release stop now and put their aliases back alongside this one.
    deps.group?.fail(failure);
    if (shifted === undefined && before !== undefined && common.traffic.length === 0) {
      // Nothing moved (the first UpdateAlias itself failed): the alias is as it was.
      deps.state?.clear();
      return { ok: false, failure, restored: { untouched: true }, ...(smoke && { smoke }), ...common };
    }
  }

  if (failure === undefined && shifted !== undefined) {
    deps.state?.clear();
    return { ok: true, alias: shifted, ...(smoke && { smoke }), ...common };
  }
  const outcome = await restore(request, deps, shifted);
  common.traffic.push({ atMs: at(), percent: 0 });
  if ('restored' in outcome) deps.state?.clear();
  return { ok: false, failure: failure ?? 'the shift failed', ...outcome, ...(smoke && { smoke }), ...common };
}

/**
 * Put the alias back as it was before the shift (delete it when the shift created it): one call,
 * conditional on the alias being as this run last wrote it (`written`). When another release
 * moved it meanwhile, Lambda refuses and the alias is left as that release made it.
 */
async function restore(
  request: ShiftRequest,
  deps: ShiftDeps,
  written: AliasState | undefined,
): Promise<{ restored: { to: string } | { removed: true } | Superseded } | { repair: { error: string; command: string } }> {
  const { settings, before } = request;
  const { lambda, timeline } = deps;
  const name = settings.functionName;
  try {
    if (before === undefined) {
      // DeleteAlias takes no RevisionId: read first, and remove only the alias as this run left it.
      const now = await lambda.getAlias(name, settings.alias);
      if (now === undefined) return { restored: { removed: true } };
      if (!asWritten(now, written, request)) return { restored: await superseded(request, deps, 'moved', 'checked', now) };
      await timeline.step('rollback', () => lambda.deleteAlias(name, settings.alias));
      return { restored: { removed: true } };
    }
    await timeline.step('rollback', () =>
      lambda.updateAlias(name, settings.alias, {
        version: before.version,
        weights: before.weights,
        description: before.description,
        ...(written?.revisionId !== undefined && { revisionId: written.revisionId }),
      }),
    );
    return { restored: { to: before.version } };
  } catch (rollbackError) {
    if (rollbackError instanceof AliasConflictError) return { restored: await superseded(request, deps, 'moved', 'checked') };
    return { repair: { error: errorMessage(rollbackError), command: repairCommand(settings, before) } };
  }
}

/** True when the alias is as this run last wrote it (by RevisionId when both have one). */
function asWritten(alias: AliasState, written: AliasState | undefined, request: ShiftRequest): boolean {
  if (written === undefined) return alias.version === request.toVersion && alias.description === request.description;
  return sameAliasState(alias, written);
}

/** Re-read the alias after a refused write and say what another release left there; nothing is written. */
async function superseded(
  request: ShiftRequest,
  deps: ShiftDeps,
  conflict: 'moved' | 'created',
  doing: 'checked' | 'shifted to' | 'created it for',
  read?: AliasState,
): Promise<Superseded> {
  const { settings, toVersion } = request;
  let found = read;
  if (found === undefined) {
    try {
      found = await deps.lambda.getAlias(settings.functionName, settings.alias);
    } catch (error) {
      deps.log.warn(`Could not read alias ${settings.alias} again after the conflict: ${errorMessage(error)}`);
    }
  }
  const note = conflictNote(settings.alias, toVersion, found, conflict, doing);
  deps.log.warn(`Alias ${settings.alias} of ${settings.functionName}: ${note}.`);
  return { superseded: true, ...(found !== undefined && { found }), note };
}

/**
 * What another release left on the alias, e.g. `another release moved alias dev to version 9
 * (commit abc1234) while this run checked version 8; version 8 is not live, nothing was put back`.
 */
export function conflictNote(
  alias: string,
  toVersion: string,
  found: AliasState | undefined,
  conflict: 'moved' | 'created',
  doing: 'checked' | 'shifted to' | 'created it for',
): string {
  const left = conflict === 'created' ? 'nothing was removed' : 'nothing was put back';
  if (found === undefined) return `another release removed alias ${alias} while this run ${doing} version ${toVersion}; ${left}`;
  const release = parseHistory(found.description).find((r) => r.version === found.version);
  const commit = release !== undefined && release.commit !== '' ? ` (commit ${release.commit.slice(0, 7)})` : '';
  const split = Object.entries(found.weights)
    .filter(([, weight]) => weight > 0)
    .map(([version, weight]) => `${Math.round(weight * 100)}% on version ${version}`);
  const where = `version ${found.version}${split.length > 0 ? ` with ${split.join(', ')}` : ''}${commit}`;
  const ours = found.version === toVersion ? 100 - Object.values(found.weights).reduce((sum, w) => sum + Math.round(w * 100), 0) : Math.round((found.weights[toVersion] ?? 0) * 100);
  const live = ours > 0 ? `version ${toVersion} still takes ${ours}% of ${alias} (left as found: check it)` : `version ${toVersion} is not live`;
  const what = conflict === 'created' ? `another release created alias ${alias} on ${where}` : `another release moved alias ${alias} to ${where}`;
  return `${what} while this run ${doing} version ${toVersion}; ${live}, ${left}`;
}

/**
 * Put an alias back from a saved rollout state (the post step), only when the alias is as this
 * shift left it (leftover.ts); anything else is left alone with a warning.
 */
export async function restoreFromState(state: RolloutState, lambda: LambdaGateway, log: Log): Promise<'restored' | 'nothing to do' | 'refused'> {
  const alias = await lambda.getAlias(state.functionName, state.alias);
  const verdict = judgeLeftover(state, alias);
  switch (verdict.action) {
    case 'none':
      return 'nothing to do';
    case 'refuse':
      log.warn(
        `stage-deploy post: alias ${state.alias} of ${state.functionName} left alone: ${verdict.reason}. ` +
          `Check it by hand; if it is wrong: ${repairCommand(state, state.before)}`,
      );
      return 'refused';
    case 'delete':
      await lambda.deleteAlias(state.functionName, state.alias);
      log.warn(`Removed alias ${state.alias} of ${state.functionName}: its first release (version ${state.toVersion}) did not finish.`);
      return 'restored';
    case 'restore': {
      const before = state.before;
      if (before === null) return 'nothing to do';
      try {
        await lambda.updateAlias(state.functionName, state.alias, {
          version: before.version,
          weights: before.weights,
          description: before.description,
          // As just read and judged: another release that moves it in between wins.
          ...(alias?.revisionId !== undefined && { revisionId: alias.revisionId }),
        });
      } catch (error) {
        if (!(error instanceof AliasConflictError)) throw error;
        const now = await lambda.getAlias(state.functionName, state.alias);
        log.warn(
          `stage-deploy post: alias ${state.alias} of ${state.functionName} left alone: ` +
            `${conflictNote(state.alias, state.toVersion, now, 'moved', 'checked')}.`,
        );
        return 'refused';
      }
      log.warn(
        `Put alias ${state.alias} of ${state.functionName} back on version ${before.version}: the release of version ${state.toVersion} did not finish.`,
      );
      return 'restored';
    }
  }
}

/**
 * The one line a failed shift ends the step with, e.g.
 * `GET https://x/health → 502 on 3 of 3 attempts; dev rolled back from 8 to 7`.
 */
export function describeFailedShift(outcome: Extract<ShiftOutcome, { ok: false }>, request: ShiftRequest): string {
  const { settings, toVersion } = request;
  if (outcome.repair) {
    return (
      `${outcome.failure}; ROLLBACK FAILED: alias ${settings.alias} may still point at version ${toVersion} ` +
      `(${outcome.repair.error}). Repair it by hand: ${outcome.repair.command}`
    );
  }
  const restored = outcome.restored;
  if (restored && 'superseded' in restored) return `${outcome.failure}; ${restored.note}`;
  if (restored && 'untouched' in restored) return `${outcome.failure}; ${settings.alias} stays on ${request.before?.version ?? 'nothing'}`;
  if (restored && 'removed' in restored) {
    return `${outcome.failure}; ${settings.stage} rolled back: alias ${settings.alias} removed (first deploy of version ${toVersion})`;
  }
  return `${outcome.failure}; ${settings.stage} rolled back from ${toVersion} to ${restored?.to ?? '?'}`;
}

/** The AWS CLI command that puts the alias back by hand (deletes it when there was none before). */
export function repairCommand(
  target: { functionName: string; alias: string; region?: string },
  before: { version: string; weights: Record<string, number> } | undefined | null,
): string {
  const region = target.region !== undefined ? ` --region ${target.region}` : '';
  if (!before) return `aws lambda delete-alias --function-name ${target.functionName} --name ${target.alias}${region}`;
  const routing = JSON.stringify({ AdditionalVersionWeights: before.weights });
  return (
    `aws lambda update-alias --function-name ${target.functionName} --name ${target.alias} ` +
    `--function-version ${before.version} --routing-config '${routing}'${region}`
  );
}

function progressLine(label: string, atMs: number, reading: GateReading | undefined, alarms: string[], version: string): string {
  const parts = [`${label}: ${formatDuration(Math.round(atMs / 1000) * 1000)} elapsed`];
  if (reading && alarms.length > 0) parts.push(`alarms ${reading.alarms.map((a) => `${a.name} ${a.state}`).join(', ') || 'none found'}`);
  if (reading?.invocations !== undefined) parts.push(`version ${version}: ${reading.errors ?? 0} errors / ${reading.invocations} invocations`);
  return parts.join('; ');
}

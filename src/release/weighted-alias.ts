/**
 * The rules of a weighted alias, checked before a canary or linear release shifts anything.
 *
 * Lambda developer guide, "Implement Lambda canary deployments using a weighted alias"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html): an alias points
 * to at most two versions, and they must
 * - have the same execution role;
 * - have the same dead-letter queue configuration, or none;
 * - both be published: the alias cannot point to `$LATEST`.
 * Lambda refuses a RoutingConfig that breaks them (InvalidParameterValueException, e.g.
 * `Specified versions must be associated with the same execution role`). A release would find
 * out at its first weighted step, after publishing; checked here, it is refused with the reason
 * before anything changes. Pure.
 */
import { InputError } from '../model/errors.js';
import type { FunctionVersionState } from '../model/lambda.js';
import type { ReleasePlan } from '../model/plan.js';
import type { TrafficStrategy } from '../model/settings.js';

/** What a weighted alias requires of each of its versions. */
export type WeightedAliasVersion = Pick<FunctionVersionState, 'version' | 'role' | 'deadLetterTarget'>;

/** `$LATEST`, or anything else that is no published version number. */
export function isUnpublished(version: string): boolean {
  return !/^[1-9][0-9]*$/.test(version);
}

/**
 * Why the alias cannot split traffic between `live` (the version it runs) and `candidate` (the
 * version the release brings; `version` undefined while it is yet to be published), e.g.
 * `traffic: canary needs both versions to share the execution role: version 4 runs as
 * arn:aws:iam::1:role/a, the new version as arn:aws:iam::1:role/b; release all at once
 * (traffic: all-at-once) or keep the role`. Undefined when the strategy splits nothing, when there
 * is no version to split with, or when both versions qualify. A role that Lambda does not report
 * on either side is not compared.
 */
export function weightedAliasConflict(
  traffic: TrafficStrategy,
  live: WeightedAliasVersion | undefined,
  candidate: Omit<WeightedAliasVersion, 'version'> & { version?: string },
): string | undefined {
  if (traffic.kind === 'all-at-once' || live === undefined) return undefined;
  const needs = `traffic: ${traffic.kind} needs`;
  const instead = 'release all at once (traffic: all-at-once)';
  const theNew = candidate.version === undefined ? 'the new version' : `version ${candidate.version}`;
  if (isUnpublished(live.version)) {
    return `${needs} two published versions, and the alias runs ${live.version}, which cannot take a share of traffic; ${instead}, or point the alias at a published version first`;
  }
  if (candidate.version !== undefined && isUnpublished(candidate.version)) {
    return `${needs} two published versions, and ${candidate.version} is not one; ${instead}`;
  }
  if (live.role !== undefined && candidate.role !== undefined && live.role !== candidate.role) {
    return (
      `${needs} both versions to share the execution role: version ${live.version} runs as ${live.role}, ` +
      `${theNew} as ${candidate.role}; ${instead} or keep the role`
    );
  }
  if ((live.deadLetterTarget ?? '') !== (candidate.deadLetterTarget ?? '')) {
    const queue = (target: string | undefined) => (target === undefined || target === '' ? 'none' : target);
    return (
      `${needs} both versions to share the dead-letter queue: version ${live.version} has ${queue(live.deadLetterTarget)}, ` +
      `${theNew} ${queue(candidate.deadLetterTarget)}; ${instead} or keep the dead-letter queue`
    );
  }
  return undefined;
}

/**
 * Refuse a plan whose traffic split Lambda would refuse: throws InputError (nothing has changed
 * yet) with weightedAliasConflict's reason. `candidate` is what the alias would take: the version
 * reused as it is, or $LATEST's configuration, which the published version snapshots (stage-deploy
 * never changes the role or the dead-letter queue).
 */
export function refuseUnsplittable(plan: ReleasePlan, live: WeightedAliasVersion | undefined, candidate: WeightedAliasVersion): void {
  const conflict = weightedAliasConflict(plan.traffic, live, {
    ...(plan.target.kind === 'existing' && { version: plan.target.version }),
    ...(candidate.role !== undefined && { role: candidate.role }),
    ...(candidate.deadLetterTarget !== undefined && { deadLetterTarget: candidate.deadLetterTarget }),
  });
  if (conflict !== undefined) throw new InputError(conflict);
}

/**
 * A release as data, decided before anything changes: where the code comes from, what is
 * published, where the alias goes and how it is checked. A dry run renders it; a real run
 * carries out exactly this value.
 */
import type { ConfigurationChange } from './lambda.js';
import type { ReleaseCommand, TrafficStrategy } from './settings.js';

/** How $LATEST gets the code before publishing. */
export type CodeStep =
  /** $LATEST holds it already: nothing to upload. */
  | { kind: 'in-latest' }
  /** The zip in the request itself. */
  | { kind: 'direct'; zipPath: string; sizeBytes: number }
  /** Through the content-addressed S3 object, uploaded first unless it is already there. */
  | { kind: 's3'; bucket: string; key: string; alreadyThere: boolean; zipPath?: string; sizeBytes: number }
  /** A container image by digest (ImageUri): Lambda pulls it from ECR, nothing is uploaded. */
  | { kind: 'image'; imageUri: string; tag?: string; digest: string }
  /** Downloaded from the source version (promote), then sent directly or through S3. */
  | {
      kind: 'download';
      fromStage: string;
      functionName: string;
      version: string;
      codeSha256: string;
      sizeBytes: number;
      via: { kind: 'direct' } | { kind: 's3'; bucket: string; key: string };
    };

/** The version the alias goes to. */
export type PlanTarget =
  /** A version that exists: reused by promote, or returned to by rollback. */
  | { kind: 'existing'; version: string; codeSha256: string; reason: 'carries the settings' | 'rollback' }
  /** $LATEST, given the settings and the code, published as a new version. */
  | {
      kind: 'publish';
      codeSha256: string;
      settingsChanged: string[];
      change?: ConfigurationChange;
      code: CodeStep;
      /** $LATEST's revision as read: every write to it is conditional on it (another run's change fails it). */
      revisionId?: string;
      /** The version's description: what released it. */
      description: string;
    };

export interface ReleasePlan {
  command: ReleaseCommand;
  stage: string;
  functionName: string;
  alias: string;
  /** The alias's version now; undefined when the release creates it. */
  from?: string;
  target: PlanTarget;
  /** How traffic moves: the stage's strategy, or all at once (a first release, a rollback). */
  traffic: TrafficStrategy;
  /** Invoke check, gates and bake: off for a rollback, the emergency button. */
  progressive: boolean;
  /** The request the smoke test sends after the shift; undefined: no smoke test. */
  smoke?: { method: string; url: string };
  /** How the alias's release history changes: a new release (with its commit) first, or a return to an earlier one. */
  history: { kind: 'record'; commit: string } | { kind: 'return' };
}

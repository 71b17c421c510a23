/** What a release command is lent by the composition root: the ports, the clock and the run's controls. */
import type { GroupMember } from './group.js';
import type { CapacityGateway } from '../model/ports.js';
import type { ArtifactStore, Clock, ImageRegistry, LambdaGateway, Log, MetricsGateway, RolloutStateStore, SmokeChecker } from '../model/ports.js';

export interface ReleaseDeps {
  lambda: LambdaGateway;
  /** promote: the source stage's Lambda when it is read with its own role (another account); default `lambda`. */
  sourceLambda?: LambdaGateway;
  /** promote: the source stage's ECR, with its own role: the owner reads its repository's policy (image-pull.ts). */
  sourceImages?: ImageRegistry;
  /** Needed when the stage has an `s3-bucket`. */
  store?: ArtifactStore;
  /** ECR, for container-image functions (a rollback checks that its image is still there). */
  images?: ImageRegistry;
  smoke: SmokeChecker;
  log: Log;
  clock: Clock;
  /** A directory for temporary files (code downloaded for a promote). */
  workDir?: string;
  /** Called once, after every check has passed and just before the first change to AWS. */
  beforeChange?: () => Promise<void>;
  /** dry-run: stop where the first change would be made and return the plan. */
  dryRun?: boolean;
  /** CloudWatch, for the gates of a progressive shift (`alarms`, `max-error-rate`). */
  metrics?: MetricsGateway;
  /** force: skip the alarm gates. */
  force?: boolean;
  /** Aborted on SIGINT/SIGTERM: a shift in progress is put back. */
  signal?: AbortSignal;
  /** Where a shift in progress is remembered, so that the post step can undo it. */
  state?: RolloutStateStore;
  /** How often the gates are read while a step is held; default 10 s. */
  gateIntervalMs?: number;
  /** One unit of a release of several (group.ts): its sync points; `signal` then includes the group's. */
  group?: GroupMember;
  /** Lambda's provisioned concurrency: needed when the stage has `provisioned-concurrency` (capacity.ts). */
  capacity?: CapacityGateway;
  /** How often a provisioned concurrency configuration is read while it is IN_PROGRESS; default 5 s. */
  capacityPollMs?: number;
  /** The release's time in the history (epoch seconds), the same for every unit of one release; default: now. */
  releasedAt?: number;
}

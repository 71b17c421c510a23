/**
 * Plain in-memory fakes of the interfaces the release logic talks to. They keep state like
 * Lambda does (versions snapshot $LATEST; aliases point at versions) so tests assert outcomes,
 * and they record the calls made.
 */
import type {
  AliasState,
  Artifact,
  CodeSource,
  CodeStorage,
  ConfigurationChange,
  FunctionUrlState,
  FunctionVersionState,
  InvokeResult
} from '../../src/model/lambda.js';
import type { SmokeSettings, StageSettings } from '../../src/model/settings.js';
import { AliasConflictError } from '../../src/model/errors.js';
import type { ArtifactStore, Clock, LambdaGateway, Log, SmokeChecker } from '../../src/model/ports.js';
import type { SmokeResult } from '../../src/model/results.js';

export class FakeLambda implements LambdaGateway {
  latest: FunctionVersionState;
  versions: FunctionVersionState[] = [];
  aliases = new Map<string, AliasState>();
  calls: string[] = [];
  /** Code the fake "uploads": a zip path or s3 key → CodeSha256. */
  codeBySource = new Map<string, string>();
  /** Decides whether a call fails: the operation and how many times it has been called, this one included. */
  failWhen: (op: string, count: number) => boolean = () => false;

  constructor(readonly name = 'notes-api', environment: Record<string, string> = { KEEP: 'me' }) {
    this.latest = {
      functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
      functionName: name,
      version: '$LATEST',
      codeSha256: 'bootstrap=',
      codeSize: 10,
      environment,
      memorySize: 128,
      timeoutSeconds: 3,
      description: '',
      revisionId: 'r0',
    };
  }

  private check(op: string): void {
    this.calls.push(op);
    if (this.failWhen(op, this.calls.filter((c) => c === op).length)) throw new Error(`${op} failed (injected)`);
  }

  async getVersion(functionName: string, version?: string) {
    this.check('getVersion');
    if (functionName !== this.name) return undefined;
    if (version === undefined || version === '$LATEST') return { ...this.latest };
    // As Lambda: a Qualifier that names an alias reads the version the alias points at.
    const number = /^[0-9]+$/.test(version) ? version : this.aliases.get(version)?.version;
    const found = this.versions.find((v) => v.version === number);
    return found && { ...found };
  }

  async getAlias(_functionName: string, alias: string) {
    this.check('getAlias');
    const found = this.aliases.get(alias);
    return found && { ...found, weights: { ...found.weights } };
  }

  /** Lambda's RevisionId precondition on $LATEST's writes. */
  private checkRevision(revisionId: string | undefined): void {
    if (revisionId !== undefined && revisionId !== this.latest.revisionId) {
      throw new Error(`PreconditionFailedException: revision ${revisionId} is not ${this.latest.revisionId ?? 'current'}`);
    }
  }

  async updateConfiguration(_functionName: string, change: ConfigurationChange, revisionId?: string) {
    this.check('updateConfiguration');
    this.checkRevision(revisionId);
    this.latest = {
      ...this.latest,
      ...(change.environment && { environment: { ...change.environment } }),
      ...(change.memorySize !== undefined && { memorySize: change.memorySize }),
      ...(change.timeoutSeconds !== undefined && { timeoutSeconds: change.timeoutSeconds }),
      ...(change.logging !== undefined && { logging: { ...change.logging } }),
      revisionId: `r${this.calls.length}`,
    };
    return { ...this.latest };
  }

  async updateCode(_functionName: string, code: CodeSource, revisionId?: string) {
    this.check('updateCode');
    this.checkRevision(revisionId);
    const source = code.kind === 'zip-file' ? code.zipPath : code.kind === 'image' ? code.imageUri : `s3://${code.bucket}/${code.key}`;
    const sha = this.codeBySource.get(source);
    if (sha === undefined) throw new Error(`fake: no code registered for ${source}`);
    this.latest = { ...this.latest, codeSha256: sha, revisionId: `r${this.calls.length}` };
    return { ...this.latest };
  }

  async publishVersion(_functionName: string, options: { codeSha256: string; description: string; revisionId?: string }) {
    this.check('publishVersion');
    this.checkRevision(options.revisionId);
    if (options.codeSha256 !== this.latest.codeSha256) throw new Error('PreconditionFailed: CodeSha256 does not match');
    const last = this.versions.at(-1);
    const config = (v: FunctionVersionState) => JSON.stringify([v.codeSha256, v.environment, v.memorySize, v.timeoutSeconds, v.logging]);
    if (last && config(last) === config(this.latest)) {
      return { ...last };
    }
    const version = { ...this.latest, version: String(this.versions.length + 1), description: options.description };
    this.versions.push(version);
    return { ...version };
  }

  async createAlias(_functionName: string, alias: string, version: string, description: string) {
    this.check('createAlias');
    if (this.aliases.has(alias)) throw new AliasConflictError('exists', `ResourceConflictException: alias ${alias} already exists`);
    const state: AliasState = { name: alias, arn: `${this.latest.functionArn}:${alias}`, version, description, weights: {}, revisionId: 'a1' };
    this.aliases.set(alias, state);
    return { ...state };
  }

  async updateAlias(
    _functionName: string,
    alias: string,
    target: { version: string; weights?: Record<string, number>; description?: string; revisionId?: string },
  ) {
    this.check('updateAlias');
    const current = this.aliases.get(alias);
    if (!current) throw new Error('ResourceNotFound: alias');
    if (target.revisionId !== undefined && target.revisionId !== current.revisionId) {
      throw new AliasConflictError('moved', 'PreconditionFailedException: The Revision Id provided does not match the latest Revision Id.');
    }
    const state: AliasState = {
      ...current,
      version: target.version,
      weights: { ...(target.weights ?? {}) },
      description: target.description ?? current.description,
      revisionId: `a${this.calls.length}`,
    };
    this.aliases.set(alias, state);
    return { ...state };
  }

  async deleteAlias(_functionName: string, alias: string) {
    this.check('deleteAlias');
    this.aliases.delete(alias);
  }

  async listVersions(functionName: string) {
    this.check('listVersions');
    return functionName === this.name ? this.versions.map((v) => ({ ...v })) : [];
  }

  async listAliases(functionName: string) {
    this.check('listAliases');
    return functionName === this.name ? [...this.aliases.values()].map((a) => ({ ...a, weights: { ...a.weights } })) : [];
  }

  async deleteVersion(_functionName: string, version: string) {
    this.check('deleteVersion');
    if (version === '$LATEST' || version === '') throw new Error('refusing to delete $LATEST');
    this.versions = this.versions.filter((v) => v.version !== version);
  }

  /** What each version answers when invoked directly: version → result (default: a 200 proxy answer). */
  invokeAnswers = new Map<string, InvokeResult>();
  invocations: { version: string; event: unknown }[] = [];
  async invokeVersion(_functionName: string, version: string, event: unknown): Promise<InvokeResult> {
    this.check('invokeVersion');
    this.invocations.push({ version, event });
    return this.invokeAnswers.get(version) ?? { payload: JSON.stringify({ statusCode: 200, body: '"ok"' }) };
  }

  /** Downloads: the version and the path written to. The fake writes nothing; it returns the version's CodeSha256. */
  downloads: string[] = [];
  async downloadCode(_functionName: string, version: string, toPath: string) {
    this.check('downloadCode');
    const found = this.versions.find((v) => v.version === version);
    if (!found) throw new Error(`ResourceNotFound: version ${version}`);
    this.downloads.push(`${version} -> ${toPath}`);
    this.codeBySource.set(toPath, found.codeSha256);
    return found.codeSha256;
  }

  /** What GetAccountSettings reports of code storage; an Error: the read fails (e.g. AccessDenied). */
  storage: CodeStorage | Error = { usedBytes: 10 * 1024 ** 2, limitBytes: 75 * 1024 ** 3 };
  async codeStorage(): Promise<CodeStorage> {
    this.check('codeStorage');
    if (this.storage instanceof Error) throw this.storage;
    return { ...this.storage };
  }

  /** Versions whose wait ends Failed: version → StateReason. Any other version becomes Active. */
  failActivation = new Map<string, string>();
  async waitForVersionActive(_functionName: string, version: string): Promise<FunctionVersionState> {
    this.check('waitForVersionActive');
    const found = this.versions.find((v) => v.version === version);
    if (!found) throw new Error(`ResourceNotFound: version ${version}`);
    const failed = this.failActivation.get(version);
    if (failed !== undefined) {
      found.state = 'Failed';
      throw new Error(`Lambda could not make version ${version} of ${this.name} Active: it is Failed: ${failed}`);
    }
    found.state = 'Active';
    delete found.stateReason;
    delete found.stateReasonCode;
    return { ...found };
  }

  /** Function URLs by qualifier (alias name or `$LATEST`). */
  urls = new Map<string, FunctionUrlState>();

  async functionUrl(_functionName: string, alias: string): Promise<FunctionUrlState | undefined> {
    this.calls.push(`functionUrl ${alias}`);
    return this.urls.get(alias);
  }

  async listFunctionUrls(): Promise<FunctionUrlState[]> {
    this.calls.push('listFunctionUrls');
    return [...this.urls.values()];
  }

  async createFunctionUrl(_functionName: string, alias: string, authType: 'AWS_IAM' | 'NONE'): Promise<FunctionUrlState> {
    this.calls.push(`createFunctionUrl ${alias} ${authType}`);
    const url = { url: `https://${alias}.lambda-url.test/`, authType, qualifier: alias };
    this.urls.set(alias, url);
    return url;
  }

  async deleteFunctionUrl(_functionName: string, alias: string): Promise<boolean> {
    this.calls.push(`deleteFunctionUrl ${alias}`);
    return this.urls.delete(alias);
  }

  async allowPublicUrl(_functionName: string, alias: string): Promise<void> {
    this.calls.push(`allowPublicUrl ${alias}`);
  }
}

export class FakeStore implements ArtifactStore {
  objects = new Set<string>();
  uploads: string[] = [];
  async exists(bucket: string, key: string) {
    return this.objects.has(`${bucket}/${key}`);
  }
  async upload(bucket: string, key: string, filePath: string) {
    this.uploads.push(`${bucket}/${key} <- ${filePath}`);
    this.objects.add(`${bucket}/${key}`);
  }
}

/** Answers each check with the next of the given outcomes (the last one repeats). */
export class FakeSmoke implements SmokeChecker {
  checks: SmokeSettings[] = [];
  constructor(private readonly outcomes: (boolean | Error)[]) {}
  async check(smoke: SmokeSettings): Promise<SmokeResult> {
    this.checks.push(smoke);
    const outcome = this.outcomes[Math.min(this.checks.length - 1, this.outcomes.length - 1)];
    if (outcome instanceof Error) throw outcome;
    const status = outcome ? 200 : 502;
    return {
      ok: outcome === true,
      attempts: [{ attempt: 1, method: 'GET', url: smoke.url, status, latencyMs: 5, bodyExcerpt: '', ok: outcome === true }],
      summary: outcome ? `GET ${smoke.url} → 200 on attempt 1 of 1 (5 ms)` : `GET ${smoke.url} → 502 on 1 of 1 attempts`,
    };
  }
}

export class RecordingLog implements Log {
  lines: string[] = [];
  info(message: string) {
    this.lines.push(`info: ${message}`);
  }
  warn(message: string) {
    this.lines.push(`warn: ${message}`);
  }
  error(message: string) {
    this.lines.push(`error: ${message}`);
  }
}

/** 2026-11-22T10:00:00Z: where a FakeClock starts unless told otherwise. */
export const FAKE_CLOCK_START = Date.parse('2026-11-22T10:00:00Z');

/**
 * Time that moves only when it is slept on (by the ms slept) or advanced by the test: nothing
 * waits in real time. `sleep` rejects as soon as its signal is (or becomes) aborted, without
 * moving the clock.
 */
export class FakeClock implements Clock {
  /** Every sleep asked for, in ms, in order (aborted ones included). */
  sleeps: number[] = [];
  constructor(private current = FAKE_CLOCK_START) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => reject(abortError(signal));
      signal?.addEventListener('abort', onAbort, { once: true });
      // Settle on a microtask, so that an abort right after the call still wins.
      queueMicrotask(() => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return reject(abortError(signal));
        this.advance(ms);
        resolve();
      });
    });
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error(`aborted (${String(reason ?? 'signal')})`);
}

/** A stage's settings for the release tests: `dev`-like, all at once, a one-try smoke test; `over` replaces fields. */
export function stageSettings(name: string, over: Partial<StageSettings> = {}, smoke: Partial<SmokeSettings> = {}): StageSettings {
  return {
    stage: name,
    functionName: 'notes-api',
    alias: name,
    s3Prefix: '',
    logFormat: 'json',
    environment: {},
    traffic: { kind: 'all-at-once' },
    alarms: [],
    bakeMs: 0,
    smoke: smokeSettings({ url: `https://${name}.example.com/health`, attempts: 1, intervalMs: 0, timeoutMs: 1000, ...smoke }),
    ...over,
  };
}

/** A smoke check: GET, expecting 2xx, 3 tries 2 s apart, 5 s each; `over` replaces fields. */
export function smokeSettings(over: Partial<SmokeSettings> = {}): SmokeSettings {
  return {
    url: 'https://dev.api.example.com/notes/health',
    method: 'GET',
    headers: {},
    secrets: [],
    expectStatus: { codes: [], classes: [2], text: '2xx' },
    attempts: 3,
    intervalMs: 2000,
    timeoutMs: 5000,
    invoke: false,
    ...over,
  };
}

/** An artifact whose code hashes to `<sha>=`, at `/tmp/<sha>.zip`. */
export function fakeArtifact(sha: string, over: Partial<Artifact> = {}): Artifact {
  return {
    zipPath: `/tmp/${sha}.zip`,
    codeSha256: `${sha}=`,
    sha256Hex: `${sha}hex`,
    sizeBytes: 1000,
    source: { kind: 'zip', path: `build/${sha}.zip` },
    ...over,
  };
}

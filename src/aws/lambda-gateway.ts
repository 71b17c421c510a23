/**
 * The LambdaGateway the release logic talks to, done with the AWS SDK: one `client.send` per
 * operation, the SDK's retries (configured in clients.ts) and the SDK's waiter.
 *
 * About `waitUntilFunctionUpdatedV2` (@aws-sdk/client-lambda 3.x, checked in node_modules):
 * - It polls `GetFunction` (so the caller needs `lambda:GetFunction`) and looks at
 *   `Configuration.LastUpdateStatus`: `Successful` → done, `Failed` → failure,
 *   `InProgress` → poll again. Any other answer, *including an error* such as throttling or
 *   AccessDenied, also means "poll again" until the time limit (the waiter warns on the console
 *   after 60 s of 403s). So a missing permission shows up as a timeout, not at once.
 * - The first poll is immediate. Before poll n (n ≥ 1) it sleeps a random time in
 *   [minDelay, min(minDelay·2^(n-1), maxDelay)] seconds (exponential backoff with jitter);
 *   once n > log2(maxDelay/minDelay) + 1 it sleeps exactly maxDelay. It never sleeps past
 *   maxWaitTime: the last delay is shortened, then it gives up with a `TimeoutError`.
 * - Lambda's own defaults are minDelay 1 s and maxDelay 300 s; ours are 0.25 s and 0.5 s so a
 *   deploy notices the end of an update within half a second, and give up after 300 s.
 * - Options must satisfy minDelay > 0, maxDelay ≥ minDelay and maxWaitTime > minDelay, or the
 *   waiter throws before polling.
 * - `waitUntil…` throws on failure with the JSON of the waiter result as message; we read the
 *   function again instead and throw an Error that carries `LastUpdateStatusReason`.
 * We do not wait *before* an update: each update here waits for its own end, so the next one
 * starts on a settled function. An update someone else started (another run, the console) is
 * found out by Lambda: while `LastUpdateStatus` is InProgress it refuses UpdateFunctionConfiguration,
 * UpdateFunctionCode and PublishVersion with 409 ResourceConflictException ("The resource already
 * exists, or another operation is in progress", API_UpdateFunctionConfiguration.html; "An update
 * is in progress for resource: <arn>" in the message). Such a write was not applied, so the
 * gateway waits for that update to end (the same waiter) and sends it once more.
 *
 * About `waitUntilPublishedVersionActive` (same waiter machinery): it polls
 * `GetFunctionConfiguration` with the version as Qualifier; `State` Active → done, Failed →
 * failure, Pending → poll again, and anything else (Inactive, an error) → poll again until the
 * time limit. PublishVersion may answer a version that is still Pending (StateReasonCode
 * `Creating`: "you can't invoke or modify the function"; functions-states.html): such a version
 * must not take traffic, so publishVersion waits for it to be Active before it returns.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  InvokeCommand,
  paginateListAliases,
  paginateListFunctionUrlConfigs,
  paginateListVersionsByFunction,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  type AliasConfiguration,
  type ApplicationLogLevel,
  type FunctionConfiguration,
  type LambdaClient,
  type LoggingConfig,
  type SystemLogLevel,
  type UpdateFunctionCodeRequest,
  type UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import type {
  AliasState,
  CodeSource,
  CodeStorage,
  ConfigurationChange,
  FunctionUrlState,
  FunctionVersionState,
  InvokeResult,
  LoggingSettings,
} from '../model/lambda.js';
import { AliasConflictError, errorChain } from '../model/errors.js';
import type { LambdaGateway } from '../model/ports.js';

export interface WaiterOptions {
  /** Seconds before the second poll, and the lower bound of every later delay. Default 0.25 (DEFAULT_WAITER). */
  minDelaySeconds?: number;
  /** Upper bound of the delay between polls, in seconds. Default 0.5. */
  maxDelaySeconds?: number;
  /** Give up after this many seconds. Default 300. */
  maxWaitSeconds?: number;
  /**
   * Give up on a SnapStart version (its snapshot is taken while it is Pending, which can take
   * minutes) after this many seconds. Default 900.
   */
  snapStartMaxWaitSeconds?: number;
}

export interface SdkLambdaGatewayOptions {
  waiter?: WaiterOptions;
  /**
   * Where the gateway says that it waits on Lambda (an update someone else started, a version
   * still Pending) and for how long; the composition root passes the run's log.
   */
  progress?: (message: string) => void;
  /** How often a wait still going on says so; default 15 s. */
  progressEveryMs?: number;
}

/**
 * Poll every 0.25–0.5 s: a deploy moves on within half a second of Lambda finishing an update
 * (the benchmark measures it), at two GetFunction calls a second at most, well inside Lambda's
 * control-plane rate.
 */
const DEFAULT_WAITER: Required<WaiterOptions> = {
  minDelaySeconds: 0.25,
  maxDelaySeconds: 0.5,
  maxWaitSeconds: 300,
  snapStartMaxWaitSeconds: 900,
};

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

/**
 * An alias write Lambda refused because the alias changed under the caller, as AliasConflictError:
 * PreconditionFailedException (the RevisionId sent is not the alias's), or
 * ResourceConflictException on CreateAlias (the alias exists: another run created it first).
 * Anything else is returned as it is.
 */
function aliasConflict(error: unknown, functionName: string, alias: string, operation: 'CreateAlias' | 'UpdateAlias'): unknown {
  if (!(error instanceof Error)) return error;
  if (error.name === 'PreconditionFailedException') {
    return new AliasConflictError('moved', `alias ${alias} of ${functionName} changed since it was read (${operation}: ${error.message})`, { cause: error });
  }
  if (error.name === 'ResourceConflictException' && operation === 'CreateAlias') {
    return new AliasConflictError('exists', `alias ${alias} of ${functionName} already exists (${operation}: ${error.message})`, { cause: error });
  }
  return error;
}

function toVersionState(config: FunctionConfiguration): FunctionVersionState {
  return {
    functionArn: config.FunctionArn ?? '',
    functionName: config.FunctionName ?? '',
    version: config.Version ?? '$LATEST',
    codeSha256: config.CodeSha256 ?? '',
    codeSize: config.CodeSize ?? 0,
    environment: { ...(config.Environment?.Variables ?? {}) },
    ...(config.MemorySize !== undefined && { memorySize: config.MemorySize }),
    ...(config.Timeout !== undefined && { timeoutSeconds: config.Timeout }),
    description: config.Description ?? '',
    ...(config.LastModified !== undefined && { lastModified: config.LastModified }),
    ...(config.RevisionId !== undefined && { revisionId: config.RevisionId }),
    ...(config.State !== undefined && { state: config.State }),
    ...(config.StateReason !== undefined && { stateReason: config.StateReason }),
    ...(config.StateReasonCode !== undefined && { stateReasonCode: config.StateReasonCode }),
    ...(config.LastUpdateStatus !== undefined && { lastUpdateStatus: config.LastUpdateStatus }),
    ...(config.Handler !== undefined && { handler: config.Handler }),
    ...(config.Runtime !== undefined && { runtime: config.Runtime }),
    ...(config.LoggingConfig !== undefined && { logging: toLoggingSettings(config.LoggingConfig) }),
    // What a weighted alias requires both its versions to share (weighted-alias.ts).
    ...(config.Role !== undefined && { role: config.Role }),
    ...(config.DeadLetterConfig?.TargetArn && { deadLetterTarget: config.DeadLetterConfig.TargetArn }),
    ...((config.PackageType === 'Zip' || config.PackageType === 'Image') && { packageType: config.PackageType }),
    ...(snapStartOn(config) && { snapStart: { applyOn: 'PublishedVersions', optimizationStatus: config.SnapStart?.OptimizationStatus === 'On' ? 'On' : 'Off' } }),
  };
}

/** Whether SnapStart is on for this configuration (`SnapStart.ApplyOn: PublishedVersions`). */
function snapStartOn(config: FunctionConfiguration): boolean {
  return config.SnapStart?.ApplyOn === 'PublishedVersions';
}

/**
 * A published version ready for traffic: Active, and with SnapStart on, optimized too
 * (`SnapStart.OptimizationStatus: On`, API_SnapStartResponse.html).
 */
function readyForTraffic(config: FunctionConfiguration): boolean {
  return config.State === 'Active' && (!snapStartOn(config) || config.SnapStart?.OptimizationStatus === 'On');
}

/** Lambda's LoggingConfig as LoggingSettings; a config without LogFormat is Lambda's default, Text. */
function toLoggingSettings(config: LoggingConfig): LoggingSettings {
  return {
    logFormat: config.LogFormat === 'JSON' ? 'JSON' : 'Text',
    ...(config.ApplicationLogLevel !== undefined && { applicationLogLevel: config.ApplicationLogLevel }),
    ...(config.SystemLogLevel !== undefined && { systemLogLevel: config.SystemLogLevel }),
    ...(config.LogGroup !== undefined && { logGroup: config.LogGroup }),
  };
}

/** The LoggingConfig sent for a change: format and levels only, never LogGroup (left as it is). */
function toLoggingConfig(logging: NonNullable<ConfigurationChange['logging']>): LoggingConfig {
  return {
    LogFormat: logging.logFormat,
    ...(logging.applicationLogLevel !== undefined && {
      ApplicationLogLevel: logging.applicationLogLevel as ApplicationLogLevel,
    }),
    ...(logging.systemLogLevel !== undefined && { SystemLogLevel: logging.systemLogLevel as SystemLogLevel }),
  };
}

function toAliasState(alias: AliasConfiguration): AliasState {
  const { Name = '', AliasArn = '', FunctionVersion = '', Description = '', RoutingConfig, RevisionId } = alias;
  const weights = { ...(RoutingConfig?.AdditionalVersionWeights ?? {}) };
  return { name: Name, arn: AliasArn, version: FunctionVersion, description: Description, weights, ...(RevisionId !== undefined && { revisionId: RevisionId }) };
}

export class SdkLambdaGateway implements LambdaGateway {
  private readonly waiter: Required<WaiterOptions>;

  constructor(
    private readonly client: LambdaClient,
    private readonly options: SdkLambdaGatewayOptions = {},
  ) {
    this.waiter = { ...DEFAULT_WAITER, ...stripUndefined(options.waiter ?? {}) };
  }

  /**
   * One version's configuration, read with GetFunction rather than GetFunctionConfiguration:
   * GetFunction has a quota of its own (100 requests per second), apart from the 15 per second
   * every other control-plane call shares (Lambda quotas), so the reads of a release of many
   * functions do not eat into the budget its writes need; and for an image function it also gives
   * Code.ResolvedImageUri, the image pinned by digest ("The resolved URI for the image",
   * API_FunctionCodeLocation.html), in the same call. A version's code is locked when it is
   * published, so that is the image it runs, whatever its tag points at now.
   */
  async getVersion(functionName: string, version?: string): Promise<FunctionVersionState | undefined> {
    try {
      const answer = await this.client.send(new GetFunctionCommand({ FunctionName: functionName, ...(version !== undefined && { Qualifier: version }) }));
      if (answer.Configuration === undefined) throw new Error(`Lambda gave no configuration for ${functionName}${version !== undefined ? `:${version}` : ''}`);
      const state = toVersionState(answer.Configuration);
      const resolved = answer.Configuration.PackageType === 'Image' ? answer.Code?.ResolvedImageUri : undefined;
      return resolved ? { ...state, imageUri: resolved } : state;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async getAlias(functionName: string, alias: string): Promise<AliasState | undefined> {
    try {
      return toAliasState(await this.client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias })));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async updateConfiguration(functionName: string, change: ConfigurationChange, revisionId?: string): Promise<FunctionVersionState> {
    const input: UpdateFunctionConfigurationRequest = {
      FunctionName: functionName,
      ...(revisionId !== undefined && { RevisionId: revisionId }),
      // Always with Variables: an Environment without them means "no change" to Lambda but is
      // an error to moto. The map replaces the function's variables; merging is the caller's.
      ...(change.environment !== undefined && { Environment: { Variables: { ...change.environment } } }),
      ...(change.memorySize !== undefined && { MemorySize: change.memorySize }),
      ...(change.timeoutSeconds !== undefined && { Timeout: change.timeoutSeconds }),
      ...(change.logging !== undefined && { LoggingConfig: toLoggingConfig(change.logging) }),
    };
    await this.writeWhenSettled(functionName, 'UpdateFunctionConfiguration', () => this.client.send(new UpdateFunctionConfigurationCommand(input)));
    return this.waitForUpdate(functionName, 'configuration');
  }

  async updateCode(functionName: string, code: CodeSource, revisionId?: string): Promise<FunctionVersionState> {
    const input: UpdateFunctionCodeRequest = {
      FunctionName: functionName,
      ...(code.kind === 'zip-file'
        ? { ZipFile: await readFile(code.zipPath) }
        : code.kind === 'image'
          ? { ImageUri: code.imageUri }
          : { S3Bucket: code.bucket, S3Key: code.key }),
      ...(revisionId !== undefined && { RevisionId: revisionId }),
    };
    await this.writeWhenSettled(functionName, 'UpdateFunctionCode', () => this.client.send(new UpdateFunctionCodeCommand(input)));
    return this.waitForUpdate(functionName, 'code');
  }

  async publishVersion(
    functionName: string,
    options: { codeSha256: string; description: string; revisionId?: string },
  ): Promise<FunctionVersionState> {
    const config = await this.writeWhenSettled(functionName, 'PublishVersion', () =>
      this.client.send(
        new PublishVersionCommand({
          FunctionName: functionName,
          CodeSha256: options.codeSha256,
          Description: options.description,
          ...(options.revisionId !== undefined && { RevisionId: options.revisionId }),
        }),
      ),
    );
    // A version still Pending (or Failed at once) must not take traffic: wait for Active. With
    // SnapStart on, Lambda takes the version's snapshot while it is Pending (snapstart-activate.html,
    // "SnapStart and function states"): wait for Active and OptimizationStatus On.
    const snapStart = snapStartOn(config);
    const wait = snapStart ? !readyForTraffic(config) : config.State !== undefined && config.State !== 'Active';
    if (wait && config.Version !== undefined) {
      const reason = config.StateReasonCode ? ` (${config.StateReasonCode})` : '';
      this.say(
        snapStart
          ? `Version ${config.Version} of ${functionName} is ${config.State ?? 'not Active'}${reason}: SnapStart is taking its snapshot; waiting for it to be Active and optimized before it takes traffic (this can take minutes).`
          : `Version ${config.Version} of ${functionName} is ${config.State}${reason}: waiting for it to be Active before it takes traffic.`,
      );
      return this.waitForVersionActive(functionName, config.Version, { snapStart });
    }
    return toVersionState(config);
  }

  async waitForVersionActive(functionName: string, version: string, options: { snapStart?: boolean } = {}): Promise<FunctionVersionState> {
    const what = `version ${version} of ${functionName}`;
    const snapStart = options.snapStart === true;
    const goal = snapStart ? 'Active with its SnapStart snapshot ready' : 'Active';
    const maxWaitSeconds = snapStart ? this.waiter.snapStartMaxWaitSeconds : this.waiter.maxWaitSeconds;
    const started = Date.now();
    const deadline = started + maxWaitSeconds * 1000;
    let waitError: unknown;
    try {
      const last = await this.whileWaiting(`Still waiting for ${what} to be ${goal}`, async () => {
        const done = await waitUntilPublishedVersionActive(
          { client: this.client, minDelay: this.waiter.minDelaySeconds, maxDelay: this.waiter.maxDelaySeconds, maxWaitTime: maxWaitSeconds },
          { FunctionName: functionName, Qualifier: version },
        );
        let config = done.state === 'SUCCESS' ? (done.reason as FunctionConfiguration | undefined) : undefined;
        // SnapStart: Active is not all; OptimizationStatus On says the snapshot is ready (API_SnapStartResponse.html).
        while (config !== undefined && config.State === 'Active' && !readyForTraffic(config) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, this.waiter.minDelaySeconds * 1000));
          config = await this.client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }));
        }
        return config;
      });
      if (last !== undefined && readyForTraffic(last)) {
        const ready = snapStartOn(last) ? 'Active and optimized (SnapStart snapshot ready)' : 'Active';
        this.say(`Version ${version} of ${functionName} is ${ready} (waited ${seconds(Date.now() - started)}).`);
        return toVersionState(last);
      }
    } catch (error) {
      waitError = error;
    }
    const config = await this.client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }));
    if (config.State === 'Failed') {
      const code = config.StateReasonCode ? ` (${config.StateReasonCode})` : '';
      const how = snapStartOn(config) ? ' (SnapStart: the snapshot of the version could not be taken)' : '';
      throw new Error(`Lambda could not make ${what} Active${how}: it is Failed: ${config.StateReason ?? 'no reason given'}${code}`);
    }
    if (readyForTraffic(config)) return toVersionState(config);
    if (waitError instanceof Error && waitError.name !== 'TimeoutError') throw waitError;
    const optimization = snapStartOn(config) ? `, SnapStart OptimizationStatus: ${config.SnapStart?.OptimizationStatus ?? 'unknown'}` : '';
    throw new Error(`${what} did not become ${snapStartOn(config) ? 'Active with its SnapStart snapshot ready' : goal} within ${maxWaitSeconds}s (state: ${config.State ?? 'unknown'}${optimization}).`, {
      cause: waitError,
    });
  }

  /** The account's code storage in this region, read once per gateway (one run), however many functions the release has. */
  private storage: Promise<CodeStorage> | undefined;

  codeStorage(): Promise<CodeStorage> {
    this.storage ??= this.client.send(new GetAccountSettingsCommand({})).then((answer) => {
      const usedBytes = answer.AccountUsage?.TotalCodeSize;
      const limitBytes = answer.AccountLimit?.TotalCodeSize;
      if (usedBytes === undefined || limitBytes === undefined) throw new Error('GetAccountSettings gave no TotalCodeSize');
      return { usedBytes, limitBytes };
    });
    return this.storage;
  }

  async createAlias(functionName: string, alias: string, version: string, description: string): Promise<AliasState> {
    try {
      const created = await this.client.send(
        new CreateAliasCommand({
          FunctionName: functionName,
          Name: alias,
          FunctionVersion: version,
          Description: description,
        }),
      );
      return toAliasState(created);
    } catch (error) {
      throw aliasConflict(error, functionName, alias, 'CreateAlias');
    }
  }

  async updateAlias(
    functionName: string,
    alias: string,
    target: { version: string; weights?: Record<string, number>; description?: string; revisionId?: string },
  ): Promise<AliasState> {
    try {
      const updated = await this.client.send(
        new UpdateAliasCommand({
          FunctionName: functionName,
          Name: alias,
          FunctionVersion: target.version,
          // Always sent: an empty map clears a split in flight, so "no weights" means "all on version".
          RoutingConfig: { AdditionalVersionWeights: { ...(target.weights ?? {}) } },
          ...(target.description !== undefined && { Description: target.description }),
          ...(target.revisionId !== undefined && { RevisionId: target.revisionId }),
        }),
      );
      return toAliasState(updated);
    } catch (error) {
      throw aliasConflict(error, functionName, alias, 'UpdateAlias');
    }
  }

  async deleteAlias(functionName: string, alias: string): Promise<void> {
    await this.client.send(new DeleteAliasCommand({ FunctionName: functionName, Name: alias }));
  }

  async downloadCode(functionName: string, version: string, toPath: string): Promise<string> {
    const answer = await this.client.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: version }));
    // A presigned URL: a secret for its lifetime. It never goes into a message: only its host does.
    const location = answer.Code?.Location;
    if (!location) throw new Error(`Lambda gave no code location for version ${version} of ${functionName}`);
    const what = `the code of ${functionName}'s version ${version}`;
    const host = hostOf(location);
    // The cause is kept as text, scrubbed: the original error may carry the URL.
    const failed = (reason: string) => new Error(`could not download ${what} from ${host}: ${scrubLocation(reason, location)}`);
    let response: Response;
    try {
      response = await fetch(location, { signal: AbortSignal.timeout(10 * 60_000) });
    } catch (error) {
      throw failed(errorChain(error));
    }
    if (!response.ok || !response.body) {
      // S3 answers an expired or refused presigned URL with 403 and an XML <Code>: name it, nothing more.
      const body = await response.text().catch(() => '');
      const code = /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(body)?.[1];
      throw failed(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${code ? ` (${code})` : ''}`);
    }
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), hashing, createWriteStream(toPath));
    } catch (error) {
      throw failed(`the transfer broke off: ${errorChain(error)}`);
    }
    return hash.digest('base64');
  }

  async listVersions(functionName: string): Promise<FunctionVersionState[]> {
    const versions: FunctionVersionState[] = [];
    for await (const page of paginateListVersionsByFunction({ client: this.client }, { FunctionName: functionName })) {
      for (const config of page.Versions ?? []) {
        if (config.Version === undefined || config.Version === '$LATEST') continue;
        versions.push(toVersionState(config));
      }
    }
    return versions;
  }

  async listAliases(functionName: string): Promise<AliasState[]> {
    const aliases: AliasState[] = [];
    for await (const page of paginateListAliases({ client: this.client }, { FunctionName: functionName })) {
      for (const alias of page.Aliases ?? []) aliases.push(toAliasState(alias));
    }
    return aliases;
  }

  async deleteVersion(functionName: string, version: string): Promise<void> {
    // DeleteFunction without a Qualifier (or with $LATEST) deletes the whole function: only a
    // published version number ever goes out from here.
    if (!/^[1-9][0-9]*$/.test(version)) {
      throw new Error(
        `Refusing to delete version ${JSON.stringify(version)} of ${functionName}: only a published version number can be deleted.`,
      );
    }
    await this.client.send(new DeleteFunctionCommand({ FunctionName: functionName, Qualifier: version }));
  }

  // ---- Function URLs (issue 15) --------------------------------------------------------------
  async functionUrl(functionName: string, alias: string): Promise<FunctionUrlState | undefined> {
    try {
      const answer = await this.client.send(new GetFunctionUrlConfigCommand({ FunctionName: functionName, Qualifier: alias }));
      if (answer.FunctionUrl === undefined) return undefined;
      return { url: answer.FunctionUrl, authType: answer.AuthType ?? 'NONE', qualifier: urlQualifier(answer.FunctionArn) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async listFunctionUrls(functionName: string): Promise<FunctionUrlState[]> {
    const urls: FunctionUrlState[] = [];
    for await (const page of paginateListFunctionUrlConfigs({ client: this.client }, { FunctionName: functionName })) {
      for (const config of page.FunctionUrlConfigs ?? []) {
        urls.push({ url: config.FunctionUrl ?? '', authType: config.AuthType ?? 'NONE', qualifier: urlQualifier(config.FunctionArn) });
      }
    }
    return urls;
  }

  // Previews (issue 18): each pull request's alias gets its own URL, deleted with the preview.
  async createFunctionUrl(functionName: string, alias: string, authType: 'AWS_IAM' | 'NONE'): Promise<FunctionUrlState> {
    const answer = await this.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: functionName, Qualifier: alias, AuthType: authType }));
    return { url: answer.FunctionUrl ?? '', authType: answer.AuthType ?? authType, qualifier: urlQualifier(answer.FunctionArn) };
  }

  async deleteFunctionUrl(functionName: string, alias: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: functionName, Qualifier: alias }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async allowPublicUrl(functionName: string, alias: string): Promise<void> {
    // "Control access to Lambda function URLs" (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html):
    // with AuthType NONE the resource-based policy must still grant public access, and function
    // URLs created since October 2025 need both lambda:InvokeFunctionUrl and lambda:InvokeFunction
    // (the latter limited to calls through the URL: InvokedViaFunctionUrl). Both on the alias only.
    const statements = [
      { StatementId: `stage-deploy-url-${alias}`, Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE' as const },
      { StatementId: `stage-deploy-url-invoke-${alias}`, Action: 'lambda:InvokeFunction', InvokedViaFunctionUrl: true },
    ];
    for (const statement of statements) {
      try {
        await this.client.send(new AddPermissionCommand({ FunctionName: functionName, Qualifier: alias, Principal: '*', ...statement }));
      } catch (error) {
        // The statement is there from an earlier preview of the same alias.
        if (!(error instanceof Error && error.name === 'ResourceConflictException')) throw error;
      }
    }
  }
  // ---- end of function URLs ------------------------------------------------------------------

  async invokeVersion(functionName: string, version: string, event: unknown): Promise<InvokeResult> {
    const answer = await this.client.send(
      new InvokeCommand({
        FunctionName: functionName,
        Qualifier: version,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event ?? null)),
      }),
    );
    return {
      payload: answer.Payload ? new TextDecoder('utf-8').decode(answer.Payload) : '',
      ...(answer.FunctionError !== undefined && answer.FunctionError !== '' && { functionError: answer.FunctionError }),
    };
  }

  /**
   * Send a write to $LATEST; when Lambda refuses it because another update is in progress
   * (ResourceConflictException: nothing was written), wait for that update to end and send it
   * once more. A second refusal, or an update still going on at the time limit, fails the write.
   */
  private async writeWhenSettled<T>(functionName: string, operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (!isUpdateInProgress(error)) throw error;
    }
    const started = Date.now();
    this.say(`${functionName} has an update in progress that this run did not start (Lambda refused ${operation}): waiting for it to finish before writing.`);
    try {
      await this.whileWaiting(`Still waiting for the update in progress on ${functionName}`, () =>
        waitUntilFunctionUpdatedV2(
          { client: this.client, minDelay: this.waiter.minDelaySeconds, maxDelay: this.waiter.maxDelaySeconds, maxWaitTime: this.waiter.maxWaitSeconds },
          { FunctionName: functionName },
        ),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new Error(
          `another update of ${functionName} was still in progress after ${this.waiter.maxWaitSeconds}s; ${operation} was not sent again.`,
          { cause: error },
        );
      }
      // The other update ended Failed: $LATEST is as it was before it, and this write may go.
    }
    this.say(`The update in progress on ${functionName} ended (waited ${seconds(Date.now() - started)}): sending ${operation} again.`);
    try {
      return await send();
    } catch (error) {
      if (!isUpdateInProgress(error)) throw error;
      throw new Error(`Lambda refused ${operation} of ${functionName} again: another update started in the meantime (ResourceConflictException).`, { cause: error });
    }
  }

  /** Run a wait, saying every `progressEveryMs` that it is still going on, with the time waited. */
  private async whileWaiting<T>(still: string, wait: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const timer = setInterval(() => this.say(`${still} (${seconds(Date.now() - started)}).`), this.options.progressEveryMs ?? 15_000);
    timer.unref();
    try {
      return await wait();
    } finally {
      clearInterval(timer);
    }
  }

  private say(message: string): void {
    this.options.progress?.(message);
  }

  /** Wait until $LATEST's last update is over; return its state, or throw with Lambda's reason. */
  private async waitForUpdate(functionName: string, what: 'configuration' | 'code'): Promise<FunctionVersionState> {
    let waitError: unknown;
    try {
      const done = await waitUntilFunctionUpdatedV2(
        {
          client: this.client,
          minDelay: this.waiter.minDelaySeconds,
          maxDelay: this.waiter.maxDelaySeconds,
          maxWaitTime: this.waiter.maxWaitSeconds,
        },
        { FunctionName: functionName },
      );
      // Success: the waiter's last GetFunction already holds the fresh $LATEST; no second read.
      const last = (done.reason as { Configuration?: FunctionConfiguration } | undefined)?.Configuration;
      if (done.state === 'SUCCESS' && last?.LastUpdateStatus === 'Successful') return toVersionState(last);
    } catch (error) {
      waitError = error;
    }
    let config: FunctionConfiguration;
    try {
      config = await this.client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    } catch (error) {
      if (isNotFound(error)) {
        throw new Error(`Function ${functionName} disappeared while its ${what} was being updated.`, { cause: error });
      }
      throw error;
    }
    if (config.LastUpdateStatus === 'Failed') {
      const code = config.LastUpdateStatusReasonCode ? ` (${config.LastUpdateStatusReasonCode})` : '';
      throw new Error(
        `Lambda could not update the ${what} of ${functionName}: ${config.LastUpdateStatusReason ?? 'no reason given'}${code}`,
      );
    }
    if (waitError !== undefined) {
      if (waitError instanceof Error && waitError.name === 'TimeoutError') {
        throw new Error(
          `Lambda did not finish updating the ${what} of ${functionName} within ${this.waiter.maxWaitSeconds}s ` +
            `(last update status: ${config.LastUpdateStatus ?? 'unknown'}).`,
          { cause: waitError },
        );
      }
      throw waitError;
    }
    return toVersionState(config);
  }
}

/** The host (and port) of a URL, the only part of a presigned URL that may be shown. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || 'an unknown host';
  } catch {
    return 'an unparsable code location';
  }
}

/** `text` without the presigned URL: the whole URL, its path and its query are replaced by its host. */
function scrubLocation(text: string, location: string): string {
  let out = text;
  try {
    const url = new URL(location);
    for (const secret of [location, url.href, `${url.pathname}${url.search}`, url.search.slice(1)]) {
      if (secret.length > 1) out = out.split(secret).join(url.host);
    }
  } catch {
    out = out.split(location).join('(code location)');
  }
  // Belt and braces: no signature parameter, whatever form it took.
  return out.replace(/X-Amz-[A-Za-z-]+=[^\s&"']*/gi, 'X-Amz-…');
}

/** Lambda's 409 for a write while an update is in progress (also its answer to an alias that exists). */
function isUpdateInProgress(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceConflictException';
}

/** `2.3 s`, for the waits the log reports. */
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What a function URL's FunctionArn is qualified with: `arn:…:function:name:alias`; unqualified is `$LATEST`. */
function urlQualifier(functionArn: string | undefined): string {
  const parts = (functionArn ?? '').split(':');
  return parts.length >= 8 && parts[7] !== '' ? (parts[7] as string) : '$LATEST';
}

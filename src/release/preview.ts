/**
 * Previews for pull requests (issue 18, CONTRACT "A preview per pull request"): a stage with a
 * `preview` block is released to one alias per pull request (`pr-{number}`) by a deploy with the
 * stage's settings (commands/deploy.ts, the same engine); this module gives that alias its
 * function URL and smoke-tests through it.
 *
 * The alias does not exist before a first preview, and Lambda gives a URL only to an alias that
 * exists (API_CreateFunctionUrlConfig: Qualifier is an alias name), so the URL is made when the
 * smoke test first asks for it, after the alias was created and before anything is checked
 * (previewSmoke). A first preview whose check fails loses its alias (the rollout deletes an
 * alias it created), and with it the URL: dropUrlOfRemovedAlias deletes the URL's config too.
 */
import { errorMessage } from '../model/errors.js';
import type { FunctionUrlState } from '../model/lambda.js';
import { isPlainHttpUrl } from './function-url.js';
import type { LambdaGateway, Log, SmokeChecker } from '../model/ports.js';
import { defaultSmoke, type RequestSigner, type StageSettings } from '../model/settings.js';

/** The alias's function URL with the preview's AuthType: read, made (or remade when its AuthType differs), and opened to everyone for NONE. */
export class PreviewUrl {
  private made: Promise<FunctionUrlState> | undefined;

  constructor(
    private readonly settings: StageSettings,
    private readonly lambda: Pick<LambdaGateway, 'functionUrl' | 'createFunctionUrl' | 'deleteFunctionUrl' | 'allowPublicUrl'>,
    private readonly log: Log,
  ) {}

  /** The URL, made once per run. */
  ensure(): Promise<FunctionUrlState> {
    this.made ??= this.make();
    return this.made;
  }

  /** Whether ensure() was called (the URL may exist). */
  get asked(): boolean {
    return this.made !== undefined;
  }

  private async make(): Promise<FunctionUrlState> {
    const { functionName, alias } = this.settings;
    const auth = this.settings.preview?.url?.auth ?? 'AWS_IAM';
    let found = await this.lambda.functionUrl(functionName, alias);
    if (found !== undefined && found.authType !== auth) {
      this.log.info(`Preview ${alias}: its function URL has AuthType ${found.authType.replace(/[^\w-]/g, '?').slice(0, 40)}, the stage asks for ${auth}: it is made again.`);
      await this.lambda.deleteFunctionUrl(functionName, alias);
      found = undefined;
    }
    const created = found === undefined;
    if (found === undefined) found = await this.lambda.createFunctionUrl(functionName, alias, auth);
    // The URL is Lambda's answer (untrusted): it goes into the log, the comment and the deployment
    // only as a plain http(s) URL.
    if (!isPlainHttpUrl(found.url)) throw new Error(`Lambda gave alias ${alias} of ${functionName} a function URL that is not an http(s) URL: ${JSON.stringify(found.url.slice(0, 200))}`);
    if (created) this.log.info(`Preview ${alias}: function URL (AuthType ${auth}) ${found.url}`);
    if (auth === 'NONE') await this.lambda.allowPublicUrl(functionName, alias);
    return found;
  }
}

/**
 * The settings a preview is released with: without `smoke.url`, and with `preview.url`, the smoke
 * test goes to the alias's function URL, which previewSmoke fills in (`url` is empty until then).
 */
export function previewSettings(settings: StageSettings): StageSettings {
  if (settings.preview?.url === undefined) return settings;
  if (settings.smoke !== undefined && settings.smoke.url !== '') return settings;
  return { ...settings, smoke: { ...(settings.smoke ?? defaultSmoke('')), url: '' } };
}

/**
 * A smoke checker that sends a check without a URL to the preview alias's function URL, made
 * just then (the alias exists by the time the smoke test runs); an AWS_IAM URL's requests are
 * signed with `sign`.
 */
export function previewSmoke(inner: SmokeChecker, url: PreviewUrl, sign: RequestSigner | undefined): SmokeChecker {
  return {
    async check(smoke, log, signal) {
      if (smoke.url !== '') return inner.check(smoke, log, signal);
      const found = await url.ensure();
      const signed = found.authType === 'AWS_IAM' && sign !== undefined ? { sign } : {};
      return inner.check({ ...smoke, url: found.url, ...signed }, log, signal);
    },
  };
}

/** After a first preview was put back (its alias deleted): its URL's config goes too; one already gone is fine. */
export async function dropUrlOfRemovedAlias(settings: StageSettings, lambda: Pick<LambdaGateway, 'deleteFunctionUrl'>, log: Log): Promise<void> {
  try {
    if (await lambda.deleteFunctionUrl(settings.functionName, settings.alias)) log.info(`Preview ${settings.alias}: its function URL was deleted with it.`);
  } catch (error) {
    log.warn(`Preview ${settings.alias}: could not delete its function URL: ${errorMessage(error)}`);
  }
}

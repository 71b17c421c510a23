/**
 * A stage's `role`: credentials from STS AssumeRole, taken with the job's own credentials (the
 * SDK's default chain) and used by every client of that stage (services.ts).
 *
 * AssumeRole (STS API reference, API_AssumeRole.html) takes `RoleArn` and `RoleSessionName`
 * (2 to 64 characters of `[\w+=,.@-]`) and answers temporary `Credentials` with an `Expiration`;
 * a caller that may not assume the role gets `AccessDenied`. The credentials are kept until five
 * minutes before they expire, then taken again (a long canary outlives the default hour).
 * IAM: `sts:AssumeRole` on the role, for the job's own role (README "Prod in its own account").
 */
import { commonConfig, type ClientOptions, type CredentialsProvider, type TemporaryCredentials } from './client-config.js';

/** Credentials are taken again this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;
const SESSION_NAME_MAX = 64;

/** STS refused the role (AccessDenied, or any other failure of AssumeRole): `code` is STS's error name. */
export class AssumeRoleError extends Error {
  override name = 'AssumeRoleError';
  /** Why, without the ARN: `cannot be assumed with the job's own credentials (AccessDenied: …)`. */
  readonly reason: string;
  constructor(
    readonly roleArn: string,
    readonly code: string,
    stsMessage: string,
  ) {
    const reason = `cannot be assumed with the job's own credentials (${code}: ${stsMessage})`;
    super(`role ${roleArn} ${reason}`);
    this.reason = reason;
  }
}

/**
 * The session name: `stage-deploy-<owner>-<repo>-<run id>`, with every character STS does not
 * allow made `-`, cut to 64 characters (CloudTrail shows it: who assumed the role, from which run).
 */
export function roleSessionName(repository: string | undefined, runId: string | undefined): string {
  const parts = ['stage-deploy', repository?.replace(/\//g, '-'), runId].filter((p): p is string => Boolean(p));
  return parts.join('-').replace(/[^\w+=,.@-]/g, '-').slice(0, SESSION_NAME_MAX);
}

/**
 * A credentials provider for `roleArn`: the first call assumes it; later calls give the same
 * credentials until they near their expiry. A failure is an AssumeRoleError with STS's own error
 * name and message (the caller words the refusal).
 */
export function assumeRoleCredentials(roleArn: string, sessionName: string, options: ClientOptions = {}): CredentialsProvider {
  let current: Promise<TemporaryCredentials> | undefined;
  const assume = async (): Promise<TemporaryCredentials> => {
    const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const client = new STSClient({ ...commonConfig(options) });
    try {
      const answer = await client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
      const c = answer.Credentials;
      if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) throw new AssumeRoleError(roleArn, 'NoCredentials', 'STS answered without credentials');
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken !== undefined && { sessionToken: c.SessionToken }),
        ...(c.Expiration !== undefined && { expiration: c.Expiration }),
      };
    } catch (error) {
      if (error instanceof AssumeRoleError) throw error;
      const e = error as { name?: string; message?: string };
      throw new AssumeRoleError(roleArn, e.name ?? 'Error', e.message ?? String(error));
    } finally {
      client.destroy();
    }
  };
  return async () => {
    const held = current === undefined ? undefined : await current.catch(() => undefined);
    if (held !== undefined && (held.expiration === undefined || held.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS)) return held;
    current = assume();
    return current;
  };
}

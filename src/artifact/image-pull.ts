/**
 * Whether a function in one account can pull a container image from an ECR repository in another.
 *
 * Lambda's rule ("Lambda container images: cross-account permissions",
 * https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#configuration-images-xaccount-permissions):
 * the repository's policy must allow the function's account `ecr:BatchGetImage` and
 * `ecr:GetDownloadUrlForLayer`, and `lambda.amazonaws.com` the same two with an `aws:sourceARN`
 * condition naming the functions. ECR repository policies ("Repository policy examples",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html) name the
 * account as `"AWS": "arn:aws:iam::<account>:root"` (or the bare account id, a role or user of it, `*`).
 *
 * This reads the policy the way IAM would for those two actions and that account, without
 * conditions: a statement with a Condition is taken as it is written (it may allow), so that the
 * check refuses only what would certainly fail. A Deny without a condition takes precedence.
 */
import { errorMessage, InputError } from '../model/errors.js';
import type { RepositoryPolicy } from '../model/ports.js';

/** The two actions Lambda's pull needs (images-create.html, cross-account permissions). */
export const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Condition?: unknown;
}

/** The account of a function ARN (`arn:aws:lambda:<region>:<account>:function:…`). */
export function functionAccount(functionArn: string): string | undefined {
  const account = functionArn.split(':')[4];
  return account !== undefined && /^[0-9]{12}$/.test(account) ? account : undefined;
}

/** The pull actions that `policyText` does not allow `account`: empty when both are allowed. Unreadable JSON allows nothing. */
export function missingPullActions(policyText: string, account: string): string[] {
  let statements: Statement[];
  try {
    const policy = JSON.parse(policyText) as { Statement?: unknown };
    const raw = policy.Statement;
    statements = (Array.isArray(raw) ? raw : raw !== undefined ? [raw] : []).filter((s): s is Statement => typeof s === 'object' && s !== null);
  } catch {
    return [...PULL_ACTIONS];
  }
  return PULL_ACTIONS.filter((action) => {
    const applies = (s: Statement) => principalNames(s.Principal, account) && actionNamed(s.Action, action);
    const denied = statements.some((s) => s.Effect === 'Deny' && s.Condition === undefined && applies(s));
    const allowed = statements.some((s) => s.Effect === 'Allow' && applies(s));
    return denied || !allowed;
  });
}

/** `*`, `{"AWS": "*"}`, the account id, `arn:aws:iam::<account>:root`, or a role/user of the account. */
function principalNames(principal: unknown, account: string): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as { AWS?: unknown }).AWS;
  const names = Array.isArray(aws) ? aws : [aws];
  return names.some(
    (name) => typeof name === 'string' && (name === '*' || name === account || new RegExp(`^arn:aws[a-z-]*:(iam|sts)::${account}:`).test(name)),
  );
}

/** The statement's Action (one or a list, `*` and `?` wildcards, case-insensitive) covers `action`. */
function actionNamed(actions: unknown, action: string): boolean {
  const list = Array.isArray(actions) ? actions : [actions];
  return list.some((pattern) => typeof pattern === 'string' && wildcard(pattern).test(action));
}

function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** The statement to add, for messages: the function's account, and Lambda's service principal for its functions. */
export function pullPolicyExample(targetAccount: string, region: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'CrossAccountPull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${targetAccount}:root` }, Action: [...PULL_ACTIONS] },
      {
        Sid: 'LambdaPull',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: [...PULL_ACTIONS],
        Condition: { StringLike: { 'aws:sourceARN': `arn:aws:lambda:${region}:${targetAccount}:function:*` } },
      },
    ],
  });
}

/**
 * The check before a promote changes anything: refused (InputError naming the repository, the
 * target account, the missing actions and what to add) when the policy does not allow the target
 * account to pull; a policy that could not be read is a warning, and the promote goes on.
 */
export function checkCrossAccountPull(
  what: { field: string; repository: string; registryId: string; region: string; targetAccount: string; functionName: string },
  policy: RepositoryPolicy,
  warn: (message: string) => void,
): void {
  const { field, repository, registryId, region, targetAccount, functionName } = what;
  const where = `ECR repository ${repository} of account ${registryId}`;
  if (policy.kind === 'denied') {
    warn(
      `${field}: could not read the policy of ${where} (${policy.message}), so whether account ${targetAccount} may pull its image was not checked; ` +
        `the source stage's credentials need ecr:GetRepositoryPolicy on it`,
    );
    return;
  }
  if (policy.kind === 'no-repository') {
    throw new InputError(`${field}: ${where} does not exist (any more): ${functionName} in account ${targetAccount} cannot pull its image`);
  }
  const missing = policy.kind === 'none' ? [...PULL_ACTIONS] : missingPullActions(policy.text, targetAccount);
  if (missing.length === 0) return;
  throw new InputError(
    `${field}: ${where} ${policy.kind === 'none' ? 'has no repository policy' : 'has a policy that does not allow it'}: ` +
      `function ${functionName} in account ${targetAccount} cannot pull its image without ${missing.join(' and ')} for account ${targetAccount}. ` +
      `Add to the repository's policy (ECR SetRepositoryPolicy, or the console's Permissions) statements like ${pullPolicyExample(targetAccount, region)}`,
  );
}

/**
 * Lambda's refusal of an image it cannot pull, on UpdateFunctionCode or CreateFunction
 * (AccessDeniedException "Lambda does not have permission to access the ECR image", or
 * InvalidParameterValueException "Source image … does not exist" / "is not valid"): an Error naming
 * the permissions the repository's policy must grant; undefined for any other error.
 */
export function imagePullRefusal(error: unknown, imageUri: string, functionName: string): Error | undefined {
  const name = (error as { name?: unknown } | undefined)?.name;
  const message = errorMessage(error);
  if (name !== 'AccessDeniedException' && name !== 'InvalidParameterValueException') return undefined;
  if (!/permission to access the ECR image|Source image .*(does not exist|is not valid)/i.test(message)) return undefined;
  const registry = /^([0-9]{12})\.dkr\.ecr\./.exec(imageUri)?.[1];
  return new Error(
    `Lambda cannot pull image ${imageUri} for ${functionName} (${String(name)}: ${message}). ` +
      `The policy of its ECR repository${registry !== undefined ? ` (account ${registry})` : ''} must allow the function's account ` +
      `${PULL_ACTIONS.join(' and ')}, and lambda.amazonaws.com the same for the function (README "Prod in its own account")`,
  );
}
